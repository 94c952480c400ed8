/**
 * The audit: one streaming pass over the stored flows that sorts each flow into
 * expected / ignored / out of scope / unexpected, feeds the missing-flow, silent-host and
 * WAN-cache trackers, and keeps the small aggregates the reports draw (role matrix, timeline,
 * per-rule hit counts). Only finding items are kept per flow — that is the JSON report
 * contract (one item per flow) — so millions of expected flows cost counters, not memory.
 */
import type { Catalog, Site } from '../catalog/types.js';
import type { CaptureInfo, StoredFlow, UnusedExpectation } from '../store/types.js';
import type {
  AuditResult, CaptureSummary, FailKind, InformationalItem, MatrixCell, RuleCheck, Summary,
  Timeline, UnexpectedItem, WindowItem,
} from './types.js';
import { UnexpectedDetector } from './unexpected.js';
import { MissingTracker } from './missing.js';
import { SilentHostTracker } from './silent.js';
import { WanCacheTracker } from './wan-cache.js';
import { groupMissing, groupUnexpected, groupWanCache, groupWindowOnly } from './group.js';
import { strictFinding, WindowTracker } from './window-only.js';
import { count, endLabel, fmtRange, fmtWindowProse, portsText } from './format.js';
import { protoName } from '../util/proto.js';
import { siteRequirements } from '../catalog/requirement.js';
import { catalogFileLabel } from '../catalog/rules-loader.js';
import { captureCoverage, coverageNote, totalCoverage } from './coverage.js';
import { ApprovalTracker } from './approvals.js';

export interface AuditInput {
  flows: Iterable<StoredFlow>;
  captures: CaptureInfo[];
  catalog: Catalog;
  site: Site;
  unusedExpectations?: UnusedExpectation[];
  /** Report timestamp; defaults to now (tests pass a fixed date). */
  now?: Date;
  /**
   * A strict review: a flow only a time window allows is an unexpected finding (kind
   * window-only), for reviews that accept announced ports only. Default: the site file's
   * `strict`, else false.
   */
  strict?: boolean;
}

/** Most buckets the timeline keeps; beyond that buckets widen. */
const TIMELINE_MAX_BUCKETS = 240;

/**
 * Bucket widths in seconds, each a multiple of the one before, so buckets can be folded
 * exactly into the next width and the chart reads "1 min per bar", not "16 s per bar".
 */
const NICE_WIDTHS = [1, 2, 10, 20, 60, 120, 600, 1200, 3600, 7200, 21600, 86400];

function nextWidth(w: number): number {
  return NICE_WIDTHS.find((n) => n > w) ?? w * 2;
}

/**
 * Flow-start histogram with a bounded number of buckets. The time span is unknown until
 * the last flow (flows may arrive in any order), so when the buckets would span too long
 * the width grows to the next nice width and existing counts are folded together.
 */
class TimelineAcc {
  private width = 1;
  private readonly buckets = new Map<number, { expected: number; unexpected: number; other: number }>();
  /** Lowest and highest bucket index in use. */
  private min = Infinity;
  private max = -Infinity;

  constructor(span: number | null) {
    // Start at the final width when the capture window is known, to avoid refolding.
    if (span !== null && span > 0) {
      while (span / this.width > TIMELINE_MAX_BUCKETS) this.width = nextWidth(this.width);
    }
  }

  add(ts: number, kind: 'expected' | 'unexpected' | 'other'): void {
    if (!Number.isFinite(ts)) return;
    const idx = Math.floor(ts / this.width);
    let b = this.buckets.get(idx);
    if (!b) {
      b = { expected: 0, unexpected: 0, other: 0 };
      this.buckets.set(idx, b);
      if (idx < this.min) this.min = idx;
      if (idx > this.max) this.max = idx;
    }
    b[kind]++;
    if (this.max - this.min + 1 > TIMELINE_MAX_BUCKETS) this.fold();
  }

  /** Widen buckets until the span fits again, merging neighbours (widths divide exactly). */
  private fold(): void {
    while (this.max - this.min + 1 > TIMELINE_MAX_BUCKETS) {
      const factor = nextWidth(this.width) / this.width;
      this.width *= factor;
      const old = [...this.buckets];
      this.buckets.clear();
      for (const [k, v] of old) {
        const nk = Math.floor(k / factor);
        const b = this.buckets.get(nk);
        if (b) { b.expected += v.expected; b.unexpected += v.unexpected; b.other += v.other; }
        else this.buckets.set(nk, { ...v });
      }
      this.min = Math.floor(this.min / factor);
      this.max = Math.floor(this.max / factor);
    }
  }

  result(): Timeline {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    return {
      bucketSeconds: this.width,
      buckets: keys.map((k) => ({ t: k * this.width, ...this.buckets.get(k)! })),
    };
  }
}

function captureSummary(c: CaptureInfo): CaptureSummary {
  return {
    id: c.id,
    source: c.source,
    format: c.format,
    firstTs: c.firstTs,
    lastTs: c.lastTs,
    window: c.firstTs !== null && c.lastTs !== null ? fmtRange(c.firstTs, c.lastTs) : 'no packets',
    packets: c.packets,
    bytes: c.bytes,
    drops: c.drops,
    ifDrops: c.ifDrops,
    status: c.status,
    error: c.error,
    tapSide: c.tapSide,
    decode: captureCoverage(c),
  };
}

/** Text explaining lost packets / partial captures, or null when every capture is whole. */
function lossNote(captures: readonly CaptureInfo[]): string | null {
  const parts: string[] = [];
  const dropped = captures.reduce((n, c) => n + (c.drops ?? 0) + (c.ifDrops ?? 0), 0);
  if (dropped > 0) {
    const where = captures.filter((c) => (c.drops ?? 0) + (c.ifDrops ?? 0) > 0).map((c) => c.source).join(', ');
    parts.push(`${count(dropped)} packet${dropped === 1 ? ' was' : 's were'} dropped while capturing (${where})`);
  }
  const partial = captures.filter((c) => c.status === 'partial');
  if (partial.length > 0) {
    parts.push(`capture ${partial.map((c) => c.source + (c.error ? ` (${c.error})` : '')).join(', ')} is incomplete`);
  }
  if (parts.length === 0) return null;
  return `${parts.join('; ')}, so the loss may explain this`;
}

function verdict(s: Pick<Summary, 'counts' | 'flows'>): { clean: boolean; text: string } {
  const c = s.counts;
  const wanProblems = c.wanCacheViolations + c.wanCacheMustNotCache;
  const clean = c.unexpected === 0 && c.missing === 0 && c.silentHosts === 0 && wanProblems === 0;
  if (clean) {
    return { clean, text: `clean: no unexpected, missing or WAN-cache findings in ${count(s.flows.analysed)} flows${notes(s)}` };
  }
  const parts: string[] = [];
  if (c.unexpected) parts.push(`${count(c.unexpected)} unexpected flow${c.unexpected === 1 ? '' : 's'} in ${count(c.unexpectedGroups)} group${c.unexpectedGroups === 1 ? '' : 's'}`);
  if (c.missing) parts.push(`${count(c.missing)} missing expected flow${c.missing === 1 ? '' : 's'}`);
  if (c.silentHosts) parts.push(`${count(c.silentHosts)} declared host${c.silentHosts === 1 ? '' : 's'} nobody reached`);
  if (c.wanCacheViolations) parts.push(`${count(c.wanCacheViolations)} WAN-cache violation${c.wanCacheViolations === 1 ? '' : 's'}`);
  if (c.wanCacheMustNotCache) parts.push(`${count(c.wanCacheMustNotCache)} WAN crossing${c.wanCacheMustNotCache === 1 ? '' : 's'} that must not be cached`);
  return { clean, text: `findings: ${parts.join(', ')}${notes(s)}` };
}

/** The verdict's notes: flows only site-local approvals made expected, then window-only flows. */
function notes(s: Pick<Summary, 'counts' | 'flows'>): string {
  const approved = s.flows.approved ?? 0;
  return (approved ? `; ${count(approved)} flow${approved === 1 ? '' : 's'} approved by the site file` : '') + windowOnlyNote(s.counts);
}

/** The verdict's note on flows only a time window allows (weaker evidence, not findings). */
function windowOnlyNote(c: Summary['counts']): string {
  if (c.windowOnly === 0) return '';
  const doubtful = c.windowOnlyDoubtful ? `, ${count(c.windowOnlyDoubtful)} doubtful` : '';
  return `; ${count(c.windowOnly)} flow${c.windowOnly === 1 ? '' : 's'} allowed only by a time window (weaker evidence${doubtful})`;
}

export function runAudit(input: AuditInput): AuditResult {
  const { catalog, site, captures } = input;
  const unexpectedDetector = new UnexpectedDetector(catalog);
  const missingTracker = new MissingTracker(catalog, site);
  const silentTracker = new SilentHostTracker(catalog, site);
  const wanTracker = new WanCacheTracker(catalog, captures);
  const windowTracker = new WindowTracker(catalog);
  const approvals = new ApprovalTracker(site);
  const strict = input.strict ?? site.strict ?? false;

  // Window from the captures when they say; from the flows otherwise.
  const capFirst = captures.map((c) => c.firstTs).filter((t): t is number => t !== null);
  const capLast = captures.map((c) => c.lastTs).filter((t): t is number => t !== null);
  const capWindow = capFirst.length > 0 && capLast.length > 0
    ? { start: Math.min(...capFirst), end: Math.max(...capLast) }
    : null;
  const timeline = new TimelineAcc(capWindow ? capWindow.end - capWindow.start : null);

  const flows = { analysed: 0, inScope: 0, expected: 0, unexpected: 0, ignored: 0, outOfScope: 0, unclassified: 0 };
  const unexpected: UnexpectedItem[] = [];
  const ruleHits = new Map<string, number>();
  const matrix = new Map<string, MatrixCell>();
  let flowMin = Infinity;
  let flowMax = -Infinity;

  for (const flow of input.flows) {
    flows.analysed++;
    if (flow.start < flowMin) flowMin = flow.start;
    if (flow.end > flowMax) flowMax = flow.end;
    silentTracker.observe(flow);
    const cls = flow.classification;
    if (!cls) {
      flows.unclassified++;
      timeline.add(flow.start, 'other');
      continue;
    }

    // WAN policy and inner-channel evidence apply whatever the ignore list says: ignore
    // entries quiet "unexpected", and optimizer traffic is exactly what sites ignore.
    wanTracker.observe(flow, cls);
    if (cls.rule) {
      ruleHits.set(cls.rule, (ruleHits.get(cls.rule) ?? 0) + 1);
      missingTracker.observe(flow, cls.rule);
      windowTracker.observe(flow, cls);
    }

    const inScope = cls.srcRoles.length > 0 || cls.dstRoles.length > 0 || cls.srcSite !== null || cls.dstSite !== null;
    if (!inScope) {
      flows.outOfScope++;
      timeline.add(flow.start, 'other');
      continue;
    }
    flows.inScope++;
    const from = endLabel(cls.srcRoles, cls.srcSite);
    const to = endLabel(cls.dstRoles, cls.dstSite);
    const cellKey = `${from}\u0000${to}`;
    let cell = matrix.get(cellKey);
    if (!cell) {
      cell = { from, to, expected: 0, unexpected: 0, ignored: 0 };
      matrix.set(cellKey, cell);
    }

    if (cls.ignored) {
      flows.ignored++;
      cell.ignored++;
      timeline.add(flow.start, 'other');
    } else if (cls.approved !== undefined) {
      // The site looked at it and accepts it (allow:): expected, and listed with its approval.
      approvals.add(cls.approved);
      flows.expected++;
      cell.expected++;
      timeline.add(flow.start, 'expected');
    } else if (WindowTracker.windowOnly(flow, cls)) {
      // Listed apart (weaker evidence); a strict review counts it unexpected.
      windowTracker.add(flow, cls);
      if (strict) {
        flows.unexpected++;
        cell.unexpected++;
        timeline.add(flow.start, 'unexpected');
      } else {
        flows.expected++;
        cell.expected++;
        timeline.add(flow.start, 'expected');
      }
    } else if (cls.rule !== null || flow.expectation !== null) {
      flows.expected++;
      cell.expected++;
      timeline.add(flow.start, 'expected');
    } else {
      flows.unexpected++;
      cell.unexpected++;
      timeline.add(flow.start, 'unexpected');
      unexpected.push(unexpectedDetector.explain(flow, cls));
    }
  }

  const window = capWindow ?? (flows.analysed > 0 && Number.isFinite(flowMin) ? { start: flowMin, end: flowMax } : null);
  const loss = lossNote(captures);
  const decode = totalCoverage(captures.map(captureCoverage));
  const decodeNote = coverageNote(decode);
  const missing = missingTracker.finish({ window, lossNote: loss, decodeNote });
  const silentHosts = silentTracker.finish({ window, lossNote: loss, decodeNote });
  const wanCache = wanTracker.finish();
  const windowItems = windowTracker.finish();
  const windowOnly: WindowItem[] = strict ? [] : windowItems;
  if (strict) for (const it of windowItems) unexpected.push(strictFinding(it));

  const roleTitles: Record<string, string> = {};
  for (const [id, def] of catalog.roles) roleTitles[id] = def.title;

  const groups = {
    unexpected: groupUnexpected(unexpected, roleTitles),
    missing: groupMissing(missing, roleTitles),
    wanCache: groupWanCache(wanCache),
    windowOnly: groupWindowOnly(windowOnly, roleTitles),
  };

  const informational: InformationalItem[] = (input.unusedExpectations ?? []).map((u) => ({
    kind: 'unused-expectation',
    via: u.kind,
    client: u.client,
    server: u.server,
    proto: protoName(u.proto),
    ports: u.ports,
    rule: u.rule,
    reason: `${u.evidence}; no connection used it${u.client ? ` (expected from ${u.client})` : ''}`,
    ts: u.ts,
    captureId: u.captureId,
    parentFlowId: u.parentFlowId,
  }));

  // A follow-on flow (dynamic RPC port, FTP data) also counts for the rule that spawned it.
  const followOnParent = new Map<string, string>();
  for (const r of catalog.rules) for (const f of r.then) followOnParent.set(f.id, r.id);
  const ruleFlows = new Map<string, number>();
  for (const [id, n] of ruleHits) {
    ruleFlows.set(id, (ruleFlows.get(id) ?? 0) + n);
    const parent = followOnParent.get(id);
    if (parent && parent !== id) ruleFlows.set(parent, (ruleFlows.get(parent) ?? 0) + n);
  }
  const requirement = siteRequirements(site);
  const rules: RuleCheck[] = catalog.rules.map((r) => ({
    id: r.id,
    product: r.product,
    title: r.title,
    from: [...r.from],
    to: [...r.to],
    proto: r.proto,
    ports: portsText(r.ports),
    portsText: r.portsText,
    direction: r.direction,
    // As this site requires it: the site file's require/optional override the catalog.
    required: requirement(r).required,
    wanCache: r.wanCache,
    source: { doc: r.source.doc, ref: r.source.ref, ...(r.source.title ? { title: r.source.title } : {}) },
    file: catalogFileLabel(r.file, site.file),
    line: r.line,
    flows: ruleFlows.get(r.id) ?? 0,
  }));

  const counts = {
    unexpected: unexpected.length,
    unexpectedGroups: groups.unexpected.length,
    missing: missing.length,
    missingGroups: groups.missing.length,
    wanCache: wanCache.length,
    wanCacheViolations: wanCache.filter((w) => w.status === 'violation').length,
    wanCacheMustNotCache: wanCache.filter((w) => w.status === 'must-not-cache').length,
    wanCacheCacheable: wanCache.filter((w) => w.status === 'cacheable').length,
    wanCacheGroups: groups.wanCache.length,
    informational: informational.length,
    silentHosts: silentHosts.filter((h) => h.status === 'missing').length,
    silentHostsOptional: silentHosts.filter((h) => h.status === 'optional').length,
    windowOnly: windowOnly.length,
    windowOnlyGroups: groups.windowOnly.length,
    windowOnlyDoubtful: windowOnly.filter((w) => w.doubtful).length,
  };
  const approvalItems = approvals.finish();
  if (approvalItems) Object.assign(flows, { approved: approvals.total });
  const v = verdict({ counts, flows });
  // A verdict on traffic that was never decoded must say so where everyone reads it.
  const undecoded = decodeNote === null ? '' : decode.packets === 0 ? '; the captures hold no packets'
    : `; only ${count(decode.decoded)} of ${count(decode.packets)} packets could be decoded`;
  const summary: Summary = {
    verdict: v.text + undecoded,
    clean: v.clean,
    counts,
    flows,
    window: window ? { ...window, text: fmtWindowProse(window.start, window.end) } : null,
    captures: captures.map(captureSummary),
    packets: captures.reduce((n, c) => n + c.packets, 0),
    drops: captures.reduce((n, c) => n + (c.drops ?? 0) + (c.ifDrops ?? 0), 0),
    lossNote: loss,
    decode,
    decodeNote,
    catalogs: [...catalog.ids],
    catalogHash: catalog.hash,
    siteFile: site.file,
    siteHash: site.hash,
    rulesChecked: catalog.rules.length,
    generatedAt: (input.now ?? new Date()).toISOString(),
    strict,
  };

  const labels = new Set<string>();
  for (const c of matrix.values()) { labels.add(c.from); labels.add(c.to); }

  return {
    summary,
    unexpected,
    missing,
    silentHosts,
    wanCache,
    windowOnly,
    informational,
    groups,
    roleTitles,
    matrix: { labels: [...labels].sort(), cells: [...matrix.values()] },
    timeline: timeline.result(),
    rules,
    ...(approvalItems ? { approvals: approvalItems } : {}),
  };
}

/**
 * Exit-code helper for `--fail-on`: true when any finding of the given kinds exists.
 * For wan-cache only violations and must-not-cache crossings count; cacheable flows are
 * information, not failures. Missing includes the silent declared hosts the site did not make
 * optional.
 */
export function failOn(result: AuditResult, kinds: readonly FailKind[]): boolean {
  for (const k of kinds) {
    if (k === 'unexpected' && result.unexpected.length > 0) return true;
    if (k === 'missing' && (result.missing.length > 0 || result.silentHosts.some((h) => h.status === 'missing'))) return true;
    if (k === 'wan-cache' && result.wanCache.some((w) => w.status !== 'cacheable')) return true;
  }
  return false;
}
