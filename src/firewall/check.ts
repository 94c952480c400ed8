/**
 * The firewall check: every stored flow evaluated against a ruleset (evaluate.ts), aggregated
 * into per-rule hit counts, unused rules, and the flows where the ruleset and the catalog
 * disagree — expected flows it would block, unexpected flows it accepts — and the flows whose
 * verdict cannot be told. One pass; only those three lists are kept per flow.
 */
import { flowCategory } from '../audit/flow-category.js';
import { count } from '../audit/format.js';
import type { CaptureInfo, StoredFlow } from '../store/types.js';
import { inRanges, type NumericRange } from '../util/ip.js';
import { protoName } from '../util/proto.js';
import { PATHS, RulesetEvaluator, packetOf, type Evaluation } from './evaluate.js';
import type { Action, FwRule, Ruleset } from './model.js';
import type { FirewallCheckResult, FirewallFlowItem, FirewallRuleReport, FlowPath } from './check-types.js';

export interface CheckInput {
  ruleset: Ruleset;
  flows: Iterable<StoredFlow>;
  captures: CaptureInfo[];
  /** The firewall's own addresses: flows to them pass input, flows from them output. */
  local: { text: string; ranges: NumericRange[] };
  /** Whether a time-window match is unexpected (a strict review). */
  strict: boolean;
  /** Whether a catalog rule (or the rule a follow-on follows) is required here; null without a site file. */
  required: ((rule: string) => boolean) | null;
  classification: FirewallCheckResult['summary']['classification'];
  siteFile: string | null;
  now?: Date;
}

function actionText(a: Action | null): string | null {
  if (a === null) return null;
  if (a.kind === 'jump' || a.kind === 'goto') return `${a.kind} ${a.target}`;
  return a.kind;
}

export function verdictText(ev: Evaluation): string {
  switch (ev.by) {
    case 'rule': return ev.verdict === 'undetermined' ? `undetermined (rule ${ev.rule!.id}: ${ev.reason})` : `${ev.verdict} (rule ${ev.rule!.id})`;
    case 'policy': return `${ev.verdict} (policy of ${ev.chain!.key})`;
    case 'no-chain': return 'accept (no filter chain on its path)';
    case 'family': return `undetermined (${ev.reason})`;
  }
}

export function runFirewallCheck(input: CheckInput): FirewallCheckResult {
  const { ruleset } = input;
  const evaluator = new RulesetEvaluator(ruleset);
  const allRules = ruleset.chains.flatMap((c) => c.rules);
  const stats = new Map<FwRule, { hits: number; undetermined: number; verdicts: number; first: number; last: number }>(
    allRules.map((r) => [r, { hits: 0, undetermined: 0, verdicts: 0, first: Infinity, last: -Infinity }]),
  );
  const policyVerdicts = new Map<string, number>();
  const flows = { evaluated: 0, accept: 0, drop: 0, reject: 0, undetermined: 0, expected: 0, unexpected: 0, ignored: 0, outOfScope: 0, unclassified: 0 };
  const blocked: FirewallFlowItem[] = [];
  const tooBroad: FirewallFlowItem[] = [];
  const undetermined: FirewallFlowItem[] = [];
  let blockedRequired = 0;
  let flowMin = Infinity;
  let flowMax = -Infinity;

  for (const flow of input.flows) {
    const p = packetOf(flow);
    if (!p) continue; // not stored by flowaudit: a flow's ends are always addresses of one family
    flows.evaluated++;
    if (flow.start < flowMin) flowMin = flow.start;
    if (flow.end > flowMax) flowMax = flow.end;
    const path: FlowPath = inRanges({ family: p.family, value: p.daddr }, input.local.ranges) ? 'local-in'
      : inRanges({ family: p.family, value: p.saddr }, input.local.ranges) ? 'local-out' : 'forward';
    const ev = evaluator.evaluate(p, PATHS[path]);
    flows[ev.verdict]++;
    for (const r of ev.matched) {
      const s = stats.get(r)!;
      s.hits++;
      if (flow.start < s.first) s.first = flow.start;
      if (flow.end > s.last) s.last = flow.end;
    }
    for (const r of ev.unknown) stats.get(r)!.undetermined++;
    if (ev.rule) stats.get(ev.rule)!.verdicts++;
    else if (ev.by === 'policy') policyVerdicts.set(ev.chain!.key, (policyVerdicts.get(ev.chain!.key) ?? 0) + 1);

    const category = flowCategory(flow, input.strict);
    flows[category === 'out-of-scope' ? 'outOfScope' : category]++;
    const catalogRule = flow.classification?.rule ?? null;
    const required = catalogRule !== null && input.required ? input.required(catalogRule) : null;
    const blocks = category === 'expected' && (ev.verdict === 'drop' || ev.verdict === 'reject');
    const broad = category === 'unexpected' && ev.verdict === 'accept';
    if (!blocks && !broad && ev.verdict !== 'undetermined') continue;

    const vt = verdictText(ev);
    const allowedBy = catalogRule ? `catalog rule ${catalogRule}${required ? ' (required)' : ''}` : 'an announced expectation';
    const reason = blocks ? `${vt}, but ${allowedBy} allows it: the ruleset would break it`
      : broad ? `${vt}, but no catalog rule allows it${flow.classification?.evidence ? ` (${flow.classification.evidence})` : ''}`
        : vt;
    const item: FirewallFlowItem = {
      flowId: flow.id, captureId: flow.captureId, capture: flow.capture,
      proto: protoName(flow.proto), src: flow.src, sport: flow.sport, dst: flow.dst, dport: flow.dport,
      start: flow.start, end: flow.end, state: flow.state, path,
      verdict: ev.verdict, verdictText: vt, firewallRule: ev.rule?.id ?? null, chain: ev.chain?.key ?? null,
      category, catalogRule, required, reason,
    };
    if (blocks) {
      blocked.push(item);
      if (required) blockedRequired++;
    }
    if (broad) tooBroad.push(item);
    if (ev.verdict === 'undetermined') undetermined.push(item);
  }

  const rules: FirewallRuleReport[] = allRules.map((r) => {
    const s = stats.get(r)!;
    return {
      id: r.id, table: r.table, chain: r.chain, position: r.position, handle: r.handle, where: r.where, text: r.text,
      action: actionText(r.action), hits: s.hits, undetermined: s.undetermined, verdicts: s.verdicts,
      firstSeen: s.hits ? s.first : null, lastSeen: s.hits ? s.last : null, unused: s.hits === 0 && s.undetermined === 0,
    };
  });
  const unusedRules = rules.filter((r) => r.unused).map((r) => r.id);

  const capFirst = input.captures.map((c) => c.firstTs).filter((t): t is number => t !== null);
  const capLast = input.captures.map((c) => c.lastTs).filter((t): t is number => t !== null);
  const window = capFirst.length && capLast.length ? { start: Math.min(...capFirst), end: Math.max(...capLast) }
    : flows.evaluated ? { start: flowMin, end: flowMax } : null;

  const counts = {
    rules: rules.length, unusedRules: unusedRules.length, blocked: blocked.length, blockedRequired,
    tooBroad: tooBroad.length, undetermined: undetermined.length,
  };
  return {
    summary: {
      verdict: summaryVerdict(counts, flows.evaluated, input.classification),
      ruleset: {
        file: ruleset.file, type: ruleset.type, families: ruleset.families, chains: ruleset.chains.length, rules: rules.length,
        ignored: ruleset.ignored,
      },
      classification: input.classification,
      siteFile: input.siteFile,
      strict: input.strict,
      local: input.local.text ? input.local.text.split(',').map((s) => s.trim()).filter(Boolean) : [],
      window,
      flows,
      counts,
      generatedAt: (input.now ?? new Date()).toISOString(),
    },
    chains: ruleset.chains.map((c) => ({
      id: c.key, table: c.table, name: c.name, hook: c.base?.hook ?? null, priority: c.base?.priority ?? null,
      policy: c.base?.policy ?? null, rules: c.rules.length, policyVerdicts: policyVerdicts.get(c.key) ?? 0, where: c.where,
    })),
    rules,
    unusedRules,
    blocked,
    tooBroad,
    undetermined,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

function summaryVerdict(c: FirewallCheckResult['summary']['counts'], evaluated: number, classification: string): string {
  const parts: string[] = [];
  if (c.blocked) parts.push(`${plural(c.blocked, 'expected flow')} would be blocked${c.blockedRequired ? ` (${count(c.blockedRequired)} of a required rule)` : ''}`);
  if (c.tooBroad) parts.push(`${plural(c.tooBroad, 'unexpected flow')} would be accepted (too broad)`);
  if (c.undetermined) parts.push(`${plural(c.undetermined, 'flow')} undetermined`);
  if (c.unusedRules) parts.push(`${count(c.unusedRules)} of ${plural(c.rules, 'rule')} unused`);
  const noCatalog = classification === 'none' ? '; no classification stored, so nothing is compared with the catalog (give --site)' : '';
  return `${parts.length ? parts.join(', ') : 'the ruleset agrees with the catalog'} over ${plural(evaluated, 'flow')}${noCatalog}`;
}
