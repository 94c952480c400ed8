/**
 * The audit, in flat memory whatever the number of flows or findings:
 *  1. one counting pass over every stored flow, read lean (AuditFlow: no evidence text, shared
 *     classifications), sorts each flow into expected / ignored / out of scope / unexpected,
 *     feeds the missing-flow, silent-host, window and WAN-cache trackers, keeps the small
 *     aggregates the reports draw (role matrix, timeline, per-rule hit counts), and remembers
 *     only the ids of the flows that are findings;
 *  2. one pass per finding section over those flows, read whole by id, builds each item and
 *     folds it into its group (counts, examples, hosts), then drops it.
 * The items themselves are built a third time, by whoever iterates the result's item lists
 * (the JSON and CSV writers, as they write): the same functions over the same flows give the
 * same items, now with their group ids.
 */
import type { Catalog, Site } from '../catalog/types.js';
import { renderEvidence, type Classification } from '../flow/flow-record.js';
import type { KeptFlows } from '../store/kept-flows.js';
import type { AuditFlow, CaptureInfo, FindingFlow, FlowStore, SharedFlow, StoredFlow, UnusedExpectation } from '../store/types.js';
import type {
  AuditResult, CaptureSummary, FailKind, InformationalItem, ItemList, MatrixCell, RuleCheck, Summary,
  Timeline, UnexpectedItem, WanCacheItem, WindowItem,
} from './types.js';
import { UnexpectedDetector } from './unexpected.js';
import { MissingTracker } from './missing.js';
import { SilentHostTracker } from './silent.js';
import { ExclusionTally, exclusionOf, WanCacheTracker } from './wan-cache.js';
import {
  groupMissing, groupWindowOnly, UnexpectedGrouper, unexpectedKey, WanCacheGrouper, wanCacheKey, windowOnlyKey, type Grouping,
} from './group.js';
import { strictFinding, WindowTracker } from './window-only.js';
import { count, endLabel, fmtRange, fmtWindowProse, portsText } from './format.js';
import { protoName } from '../util/proto.js';
import { siteRequirements } from '../catalog/requirement.js';
import { catalogFileLabel } from '../catalog/rules-loader.js';
import { captureCoverage, coverageNote, totalCoverage } from './coverage.js';
import { unusedRules } from './unused-rules.js';
import { ApprovalTracker } from './approvals.js';
import { coverageGaps, gapNote, SensorEstate, severalSensors } from './sensors.js';

/** Where the audit reads its flows: a store (storeSource), or flows in memory. */
export interface AuditSource {
  /** Every flow audited, in the order its finding items are listed. */
  scan(): Iterable<AuditFlow>;
  /** A number fetch() finds the flow by that scan() yielded last (a store's flow id). */
  handle(flow: AuditFlow): number;
  /** The flows by handle, as finding items print them, in the order given. */
  fetch(handles: Iterable<number>): Iterable<FindingFlow>;
}

/**
 * The flows of these captures (all when empty) in a store, read lean and fetched by id. `kept`:
 * their lean columns as the run that wrote them kept them (FlowStore.auditFlows), scanned instead
 * of the table and completed by id for the finding items.
 */
export function storeSource(store: FlowStore, captureIds: readonly number[], kept: KeptFlows | null = null): AuditSource {
  return { scan: () => store.auditFlows(captureIds, kept), handle: (f) => f.id, fetch: (ids) => store.findingFlowsById(ids, kept) };
}

/** Flows in memory (tests, small inputs): read once and kept for fetch(). */
function memorySource(flows: Iterable<StoredFlow>): AuditSource {
  const kept: StoredFlow[] = [];
  return {
    *scan() {
      for (const f of flows) {
        kept.push(f);
        yield f;
      }
    },
    handle: () => kept.length - 1,
    *fetch(handles) {
      for (const h of handles) yield kept[h]!;
    },
  };
}

/** Flow handles of one finding section, 8 bytes each. */
class HandleList implements Iterable<number> {
  private a = new Float64Array(256);
  length = 0;

  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.length; i++) yield this.a[i]!;
  }
}

/** An ItemList whose items are built again, with their group ids, each time it is iterated. */
class RebuiltItems<T extends { group: string }> implements ItemList<T> {
  constructor(
    readonly length: number,
    private readonly build: () => Iterable<T>,
    private readonly grouping: Grouping,
    private readonly keyOf: (it: T) => string,
  ) {}

  *[Symbol.iterator](): IterableIterator<T> {
    for (const it of this.build()) {
      it.group = this.grouping.ids.get(this.keyOf(it)) ?? '';
      yield it;
    }
  }

  toJSON(): T[] {
    return [...this];
  }
}

/** How far the audit got: flows counted in the first pass, finding items so far. */
export interface AuditProgress {
  flows: number;
  findings: number;
}

export interface AuditInput {
  /** Flows in memory; or `source` (a store's flows, see storeSource). */
  flows?: Iterable<StoredFlow>;
  source?: AuditSource;
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
  /**
   * Flows of conversations several sensors saw (FlowStore.sharedConversations): each counts once.
   * Used when the captures come from several sensors (see audit/sensors.ts).
   */
  shared?: readonly SharedFlow[];
  /** Called every PROGRESS_EVERY flows of the counting pass and once at its end. */
  onProgress?: (p: AuditProgress) => void;
}

const PROGRESS_EVERY = 1 << 16;

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
  const source = input.source ?? memorySource(input.flows ?? []);
  const unexpectedDetector = new UnexpectedDetector(catalog);
  const roleTitles: Record<string, string> = {};
  for (const [id, def] of catalog.roles) roleTitles[id] = def.title;
  // Unexpected flows are grouped as they are counted, from the lean flow: no second read.
  const unexpectedGrouper = new UnexpectedGrouper(roleTitles);
  const wanGrouper = new WanCacheGrouper();
  const exclusions = new ExclusionTally();
  const tapNotes = new Set<string>();
  const missingTracker = new MissingTracker(catalog, site);
  const silentTracker = new SilentHostTracker(catalog, site);
  const wanTracker = new WanCacheTracker(catalog, captures);
  const windowTracker = new WindowTracker(catalog);
  const approvals = new ApprovalTracker(site);
  const strict = input.strict ?? site.strict ?? false;
  const sensors = severalSensors(captures) ? new SensorEstate(captures, input.shared ?? []) : null;

  // Window from the captures when they say; from the flows otherwise.
  const capFirst = captures.map((c) => c.firstTs).filter((t): t is number => t !== null);
  const capLast = captures.map((c) => c.lastTs).filter((t): t is number => t !== null);
  const capWindow = capFirst.length > 0 && capLast.length > 0
    ? { start: Math.min(...capFirst), end: Math.max(...capLast) }
    : null;
  const timeline = new TimelineAcc(capWindow ? capWindow.end - capWindow.start : null);

  const flows = { analysed: 0, inScope: 0, expected: 0, unexpected: 0, ignored: 0, outOfScope: 0, unclassified: 0 };
  // The finding flows, by handle: built into items after the counting pass.
  const unexpectedFlows = new HandleList();
  const windowFlows = new HandleList();
  const wanFlows = new HandleList();
  const ruleHits = new Map<string, number>();
  const matrix = new Map<string, MatrixCell>();
  const cellOfClass = new Map<Classification, MatrixCell>();
  let flowMin = Infinity;
  let flowMax = -Infinity;

  for (const scanned of source.scan()) {
    const flow = sensors ? sensors.counted(scanned) : scanned;
    if (flow === null) continue;
    flows.analysed++;
    if (input.onProgress && (flows.analysed & (PROGRESS_EVERY - 1)) === 0) {
      input.onProgress({ flows: flows.analysed, findings: unexpectedFlows.length + windowFlows.length + wanFlows.length });
    }
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
    if (wanTracker.observe(flow, cls)) {
      wanFlows.push(source.handle(flow));
      // Grouped from the lean flow too; its status settles once the inner channels are known.
      const facts = wanTracker.facts(flow, cls);
      wanGrouper.add(facts);
      if (!facts.cacheable) {
        exclusions.add({ exclusion: exclusionOf(facts), rule: facts.rule, srcSite: facts.srcSite, dstSite: facts.dstSite });
        tapNotes.add(wanTracker.tapNote(flow.captureId));
      }
    }
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
    // A store's classifications are shared objects: the cell is looked up once per distinct one.
    let cell = cellOfClass.get(cls);
    if (!cell) {
      const from = endLabel(cls.srcRoles, cls.srcSite);
      const to = endLabel(cls.dstRoles, cls.dstSite);
      const cellKey = `${from}\u0000${to}`;
      cell = matrix.get(cellKey);
      if (!cell) {
        cell = { from, to, expected: 0, unexpected: 0, ignored: 0 };
        matrix.set(cellKey, cell);
      }
      cellOfClass.set(cls, cell);
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
      windowTracker.add(flow);
      windowFlows.push(source.handle(flow));
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
      unexpectedFlows.push(source.handle(flow));
      const j = unexpectedDetector.judge(flow, cls);
      unexpectedGrouper.add({
        kind: j.kind, proto: protoName(flow.proto), src: flow.src, sport: flow.sport, dst: flow.dst, dport: flow.dport,
        srcRoles: cls.srcRoles, dstRoles: cls.dstRoles, srcSite: cls.srcSite, dstSite: cls.dstSite, nearestRule: j.nearest ? j.nearest.id : null,
        start: flow.start, end: flow.end, state: flow.state, flowId: flow.id,
        // A role mismatch's group is named in its first flow's words (asked once per group).
      }, () => unexpectedDetector.reason(flow, cls, j, cls.evidence !== null && cls.evidenceVars ? renderEvidence(cls.evidence, flow) : cls.evidence));
    }
  }
  input.onProgress?.({ flows: flows.analysed, findings: unexpectedFlows.length + windowFlows.length + wanFlows.length });

  // The items, built from their flows read whole (the counting pass read no evidence text).
  function* built<T>(handles: HandleList, build: (f: FindingFlow, cls: Classification) => T): IterableIterator<T> {
    for (const f of source.fetch(handles)) {
      yield sensors ? sensors.tag(build(sensors.withOptions(f), f.classification!) as T & object, f) : build(f, f.classification!);
    }
  }
  const unexpectedItems = function* (): IterableIterator<UnexpectedItem> {
    yield* built(unexpectedFlows, (f, c) => unexpectedDetector.explain(f, c));
    // A strict review lists the window-only flows as unexpected, after the others.
    if (strict) yield* built(windowFlows, (f, c) => strictFinding(windowTracker.item(f, c)));
  };
  const wanItems = () => built(wanFlows, (f, c) => wanTracker.item(f, c));
  const windowItems = () => (strict ? [] : built(windowFlows, (f, c) => windowTracker.item(f, c)));

  const window = capWindow ?? (flows.analysed > 0 && Number.isFinite(flowMin) ? { start: flowMin, end: flowMax } : null);
  const loss = lossNote(captures);
  const decode = totalCoverage(captures.map(captureCoverage));
  const decodeNote = coverageNote(decode);
  const gaps = sensors ? coverageGaps(captures) : [];
  const missing = missingTracker.finish({ window, lossNote: loss, decodeNote, gapNote: gapNote(gaps) });
  const silentHosts = silentTracker.finish({ window, lossNote: loss, decodeNote });

  // Grouping passes: each item once, tallied and folded into its group.
  const wanGrouping = wanGrouper.finish((f) => wanTracker.settle(f));
  const wanStatus = { violation: 0, 'must-not-cache': 0, cacheable: 0 };
  for (const g of wanGrouping.groups) wanStatus[g.kind as WanCacheItem['status']] += g.count;
  let doubtful = 0;
  const windowGrouping = groupWindowOnly(tap(windowItems(), (w: WindowItem) => { if (w.doubtful) doubtful++; }), roleTitles);
  // A strict review's window-only findings come after the others, as in the item list.
  if (strict) for (const it of built(windowFlows, (f, c) => strictFinding(windowTracker.item(f, c)))) unexpectedGrouper.add(it, () => it.reason);
  const unexpectedGrouping = unexpectedGrouper.finish();

  const unexpected = new RebuiltItems(unexpectedFlows.length + (strict ? windowFlows.length : 0), unexpectedItems, unexpectedGrouping, unexpectedKey);
  const wanCache = new RebuiltItems(wanFlows.length, wanItems, wanGrouping, wanCacheKey);
  const windowOnly = new RebuiltItems(strict ? 0 : windowFlows.length, windowItems, windowGrouping, windowOnlyKey);

  const groups = {
    unexpected: unexpectedGrouping.groups,
    missing: groupMissing(missing, roleTitles),
    wanCache: wanGrouping.groups,
    windowOnly: windowGrouping.groups,
  };
  sensors?.tagGroups([...groups.unexpected, ...groups.wanCache, ...groups.windowOnly], [unexpected, wanCache, windowOnly]);

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
    wanCacheViolations: wanStatus.violation,
    wanCacheMustNotCache: wanStatus['must-not-cache'],
    wanCacheCacheable: wanStatus.cacheable,
    wanCacheGroups: groups.wanCache.length,
    informational: informational.length,
    silentHosts: silentHosts.filter((h) => h.status === 'missing').length,
    silentHostsOptional: silentHosts.filter((h) => h.status === 'optional').length,
    windowOnly: windowOnly.length,
    windowOnlyGroups: groups.windowOnly.length,
    windowOnlyDoubtful: strict ? 0 : doubtful,
  };
  const approvalItems = approvals.finish();
  if (approvalItems) Object.assign(flows, { approved: approvals.total });
  if (sensors) Object.assign(flows, { duplicates: sensors.duplicates });
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
    wanAdvice: { exclusions: exclusions.result(), tapNotes: [...tapNotes] },
    informational,
    groups,
    roleTitles,
    matrix: { labels: [...labels].sort(), cells: [...matrix.values()] },
    timeline: timeline.result(),
    rules,
    unusedRules: unusedRules({ catalog, site, rules, missing, window }),
    ...(approvalItems ? { approvals: approvalItems } : {}),
    ...(sensors ? { sensors: sensors.coverage(), coverageGaps: gaps } : {}),
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
    if (k === 'wan-cache' && result.summary.counts.wanCacheViolations + result.summary.counts.wanCacheMustNotCache > 0) return true;
  }
  return false;
}

/** The items of an iterable, each shown to `see` on the way through. */
function* tap<T>(items: Iterable<T>, see: (it: T) => void): IterableIterator<T> {
  for (const it of items) {
    see(it);
    yield it;
  }
}
