/**
 * The result of `flowaudit firewall check`: the JSON contract (schema/firewall-check.schema.json)
 * and what the human formats draw.
 */
import type { FlowCategory } from '../audit/flow-category.js';
import type { FlowExample } from '../audit/types.js';
import type { FlowVerdict } from './evaluate.js';
import type { FwRule, RulesetType } from './model.js';

/** Which path through the firewall a flow was evaluated on. */
export type FlowPath = 'forward' | 'local-in' | 'local-out';

/** One flow: the five-tuple (originator -> responder), start, state and flow id as the audit's items have them. */
export interface FirewallFlowItem extends FlowExample {
  captureId: number;
  capture: string;
  end: number;
  path: FlowPath;
  verdict: FlowVerdict;
  /** "drop (rule filter INPUT #3)", "accept (policy of inet filter forward)", "undetermined (rule X: reason)". */
  verdictText: string;
  /** The firewall rule that made the verdict, or null (a policy, no chain, a family the file does not describe). */
  firewallRule: string | null;
  /** The chain whose rule or policy decided, or null. */
  chain: string | null;
  /** How the audit sorts the flow. */
  category: FlowCategory;
  /** The catalog rule that allows it, or null. */
  catalogRule: string | null;
  /** Whether this site requires the catalog rule (a follow-on: the rule it follows); null when unknown. */
  required: boolean | null;
  reason: string;
}

/** A rule as the model names it, with what the flows did there. */
export interface FirewallRuleReport extends Pick<FwRule, 'id' | 'table' | 'chain' | 'position' | 'handle' | 'where' | 'text'> {
  /** accept, drop, reject, jump X, goto X, return, continue, vmap, or null (no verdict). */
  action: string | null;
  /** Flows that matched the rule. */
  hits: number;
  /** Flows that reached the rule and could not be evaluated against it. */
  undetermined: number;
  /** Flows whose verdict the rule made. */
  verdicts: number;
  firstSeen: number | null;
  lastSeen: number | null;
  /** No flow matched it and none reached it undetermined. */
  unused: boolean;
}

export interface FirewallChainReport {
  id: string;
  table: string;
  name: string;
  /** Base chain: its hook, priority and policy; null for user chains. */
  hook: string | null;
  priority: number | null;
  policy: string | null;
  rules: number;
  /** Flows its policy decided. */
  policyVerdicts: number;
  where: string;
}

export interface FirewallCheckResult {
  summary: {
    verdict: string;
    ruleset: { file: string; type: RulesetType; families: number[]; chains: number; rules: number; ignored: string[] };
    /** Where expected and unexpected came from: a site file's audit, the stored classifications, or none stored. */
    classification: 'site' | 'stored' | 'none';
    siteFile: string | null;
    strict: boolean;
    local: string[];
    window: { start: number; end: number } | null;
    flows: {
      evaluated: number; accept: number; drop: number; reject: number; undetermined: number;
      expected: number; unexpected: number; ignored: number; outOfScope: number; unclassified: number;
    };
    counts: { rules: number; unusedRules: number; blocked: number; blockedRequired: number; tooBroad: number; undetermined: number };
    generatedAt: string;
  };
  chains: FirewallChainReport[];
  rules: FirewallRuleReport[];
  unusedRules: string[];
  /** Expected flows (the catalog allows them) the ruleset would drop or reject: it would break the product. */
  blocked: FirewallFlowItem[];
  /** Unexpected flows (no catalog rule allows them) the ruleset accepts: too broad. */
  tooBroad: FirewallFlowItem[];
  /** Flows whose verdict cannot be told. */
  undetermined: FirewallFlowItem[];
}
