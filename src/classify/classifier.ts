/**
 * Flow classification: which catalog rule (if any) explains a flow, and why not when none does.
 *
 * Matching (see docs/catalog-format.md, "How flows are matched"):
 *  1. An expectation hit (inspector or follow-on window) that names a rule wins outright.
 *     A hit without a rule id is attributed to a follow-on channel of the same kind
 *     ("epm", "ssrp", ...) whose parent rule fits the two hosts' roles.
 *  2. Otherwise rules are looked up by protocol and responder port; a rule matches when the
 *     originator has one of its `from` roles and the responder one of its `to` roles.
 *  3. A `direction: both` rule also matches with the ends swapped (the port stays the
 *     responder's port: for a "<->" row either side may connect to the other's service port).
 *  4. Only when the flow table guessed the originator (UDP, or TCP seen mid-stream) do we also
 *     try the flow turned round: the responder port becomes the originator's port. For a TCP
 *     flow with a SYN the originator is a fact, and reversing it would hide real violations.
 *     ICMP is never turned round (the "port" is the originator's message type).
 *
 * An end's roles come from the site file, plus catalog roles that default to addresses or
 * pseudo-roles (internet, internal, multicast, broadcast) when the site does not map them.
 * Classification.srcRoles/dstRoles report only the roles the site file itself assigns, so
 * that "touches a host with a role" in the audit means a host the user named.
 *
 * This module puts the parts together and keeps the shared classifications: address classes
 * (address-classes.ts), rules by port (port-tables.ts), the passes (rule-match.ts), ignore
 * entries (ignore.ts), follow-on channels (follow-ons.ts) and every sentence (explain.ts). A
 * flow no rule matches carries the rule its evidence names as nearest as data
 * (Classification.nearestRule), from the same near miss the sentence is made of.
 */
import { renderEvidence } from '../flow/flow-record.js';
import type { Classification, ExpectationHit, MatchHow } from '../flow/flow-record.js';
import { applyParams } from '../catalog/rules-loader.js';
import { PSEUDO_ROLES, isPseudoRole } from '../catalog/catalog-file.js';
import type { AllowEntry, Catalog, FlowClassifier, FlowIdentity, FollowOnPlan, IgnoreEntry, Site, WindowJudged } from '../catalog/types.js';
import { AddressClasses, type AddrInfo } from './address-classes.js';
import { Explanation } from './explain.js';
import { FollowOnPlanner } from './follow-ons.js';
import { IgnoreList } from './ignore.js';
import { PortTables, slotCode } from './port-tables.js';
import { RuleMatcher, servicePort, turnable } from './rule-match.js';
import { WindowJudge } from './window-judge.js';

export { PSEUDO_ROLES, isPseudoRole };
export { SPECIAL_USE_TEXT } from './address-classes.js';

/** Build the classifier for one catalog and site file. Parameters of the site are applied. */
export function createClassifier(catalog: Catalog, site: Site): FlowClassifier {
  return new Classifier(site.params.size > 0 ? applyParams(catalog, site.params) : catalog, site);
}

// The keys of the two shared-classification caches (service-port matches, misses): the
// protocol and the service port's slot; the two ends' kinds.
const portKeyOf = (proto: number, slot: number): number => proto * 1_000_000 + slotCode(slot);
const pairKeyOf = (src: AddrInfo, dst: AddrInfo): number => src.endKey * 4_194_304 + dst.endKey;

// Passes 2 and 3 depend only on the two ends' role sets, the protocol and the service port, and
// so does the Classification they produce (plus the ends' sites): it is built once per
// (end key, end key, proto, port) and shared by every flow that fits — most flows of an
// estate are the same few conversations between role sets. NO_SERVICE_MATCH remembers a miss.
const NO_SERVICE_MATCH: Classification = {
  rule: null, nearestRule: null, how: 'none', evidence: null, srcRoles: [], dstRoles: [], srcSite: null, dstSite: null, ignored: false,
};
const SERVICE_CACHE_LIMIT = 500_000;
const UNMATCHED_CACHE_LIMIT = 100_000;

class Classifier implements FlowClassifier {
  private readonly addresses: AddressClasses;
  private readonly ports: PortTables;
  private readonly matcher: RuleMatcher;
  private readonly explain: Explanation;
  private readonly ignore: IgnoreList;
  private readonly allow: IgnoreList<AllowEntry>;
  private readonly followOns: FollowOnPlanner;
  private readonly windows: WindowJudge;

  private readonly serviceCache = new Map<number, Map<number, Classification>>();
  private serviceCacheSize = 0;
  // Flows the service-port passes do not match (pass 4, or no rule at all) depend on the ports
  // only through the rules that could apply to them (a port named by a rule counts as itself,
  // any other port as its list of wide-range candidates) and on the two ends' kinds, not on the
  // addresses: their evidence names those by placeholder, and the classification is shared.
  // Keyed by numbers, nested: (proto, service port's slot) -> (the originator's port's slot and
  // whether both ports are equal, when a guessed originator may be turned round; else 0) -> the
  // two ends' keys. (A string key was built and hashed per flow: ~5 MB of strings per 10M read
  // on the writer's thread.)
  private readonly unmatchedCache = new Map<number, Map<number, Map<number, Classification>>>();
  private unmatchedCacheSize = 0;

  /** `catalog` with the site's parameters applied. */
  constructor(catalog: Catalog, site: Site) {
    this.addresses = new AddressClasses(catalog, site);
    this.ports = new PortTables(catalog.rules);
    this.matcher = new RuleMatcher(this.ports);
    this.explain = new Explanation(catalog, this.ports);
    this.ignore = new IgnoreList(site.ignore);
    this.allow = new IgnoreList(site.allow ?? []);
    this.followOns = new FollowOnPlanner(catalog, this.addresses, this.matcher, this.explain);
    this.windows = new WindowJudge(catalog, site.params, this.explain);
  }

  classifyShared(flow: FlowIdentity, hit: ExpectationHit | null): Classification {
    const c = this.classifyUnapproved(flow, hit);
    // Without allow entries (almost every site) this is the one test approvals cost a flow.
    return this.allow.active ? this.approved(flow, hit, c) : c;
  }

  private classifyUnapproved(flow: FlowIdentity, hit: ExpectationHit | null): Classification {
    const src = this.addresses.info(flow.src);
    const dst = this.addresses.info(flow.dst);
    const ign = this.ignore.active ? this.ignore.match(flow) : null;
    // The common case: no expectation, not ignored. Shared objects, built once per kind of flow.
    if (hit === null && ign === null) {
      const slot = this.ports.slot(flow.proto, servicePort(flow));
      const portKey = portKeyOf(flow.proto, slot);
      const pairKey = pairKeyOf(src, dst);
      const service = this.serviceClassification(flow, src, dst, slot, portKey, pairKey);
      return service !== NO_SERVICE_MATCH ? service : this.withoutServiceMatch(flow, src, dst, portKey, pairKey);
    }
    return this.classifiedAlone(flow, hit, src, dst, ign);
  }

  classify(flow: FlowIdentity, hit: ExpectationHit | null): Classification {
    const c = this.classifyShared(flow, hit);
    if (!c.evidenceVars) return c;
    return {
      rule: c.rule, nearestRule: c.nearestRule, how: c.how, evidence: renderEvidence(c.evidence!, flow), srcRoles: c.srcRoles,
      dstRoles: c.dstRoles, srcSite: c.srcSite, dstSite: c.dstSite, ignored: c.ignored,
    };
  }

  followOnPlans(flow: FlowIdentity, cls: Classification): readonly FollowOnPlan[] {
    return this.followOns.plansFor(flow, cls);
  }

  needsEarly(flow: FlowIdentity): boolean {
    return this.followOns.needsEarly(flow);
  }

  windowObjection(flow: WindowJudged, hit: ExpectationHit): string | null {
    return this.windows.objection(flow, hit);
  }

  classifyDeclinedWindow(flow: FlowIdentity, hit: ExpectationHit, objection: string): Classification {
    const c = this.classify(flow, null);
    // A rule that allows the flow directly explains it better than the window did, and a
    // site-local approval is the site's own word on it.
    if (c.rule !== null || c.approved !== undefined) return c;
    return { ...c, evidence: this.explain.declinedWindow(c.evidence ?? '', hit.evidence, objection) };
  }

  // Lookups (every flow) are kept apart from building a classification (once per key): V8
  // optimises a hot function whole, and with the building inlined each of its recompilations
  // cost tens of milliseconds, in both threads that classify.
  /** `slot`: the service port's (PortTables.slot); `portKey`, `pairKey`: portKeyOf, pairKeyOf. */
  private serviceClassification(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, slot: number, portKey: number, pairKey: number): Classification {
    let byPair = this.serviceCache.get(portKey);
    if (!byPair) this.serviceCache.set(portKey, (byPair = new Map()));
    return byPair.get(pairKey) ?? this.newServiceClassification(flow, src, dst, slot, portKey, byPair, pairKey);
  }

  private newServiceClassification(
    flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, slot: number, portKey: number, byPair: Map<number, Classification>, pairKey: number,
  ): Classification {
    const m = this.matcher.servicePortMatch(flow, src, dst);
    const cls: Classification = m
      ? {
        rule: m.entry.rule.id, nearestRule: null, how: 'direct', evidence: this.explain.matched(m, flow),
        // Shared by every flow with this key: never mutated downstream (readers copy).
        srcRoles: src.roles as string[], dstRoles: dst.roles as string[],
        srcSite: src.site, dstSite: dst.site, ignored: false,
        // A port inside a wide range is named by placeholder (one classification for all of them).
        ...(slot < 0 ? { evidenceVars: true } : {}),
      }
      : NO_SERVICE_MATCH;
    if (this.serviceCacheSize >= SERVICE_CACHE_LIMIT) {
      this.serviceCache.clear();
      this.serviceCacheSize = 0;
      this.serviceCache.set(portKey, byPair = new Map());
    }
    byPair.set(pairKey, cls);
    this.serviceCacheSize++;
    return cls;
  }

  private withoutServiceMatch(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, portKey: number, pairKey: number): Classification {
    const turnKey = turnable(flow) ? slotCode(this.ports.slot(flow.proto, flow.sport)) * 2 + (flow.sport === flow.dport ? 1 : 0) : 0;
    return this.unmatchedCache.get(portKey)?.get(turnKey)?.get(pairKey) ?? this.newUnmatched(flow, src, dst, portKey, turnKey, pairKey);
  }

  private newUnmatched(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo, portKey: number, turnKey: number, pairKey: number): Classification {
    const m = this.matcher.guessedReversedMatch(flow, src, dst);
    const miss = m ? null : this.explain.unmatched(flow, src, dst);
    const cls: Classification = {
      rule: m ? m.entry.rule.id : null, nearestRule: miss ? miss.nearestRule : null, how: m ? 'direct' : 'none',
      evidence: m ? this.explain.matched(m, flow) : miss!.evidence,
      srcRoles: src.roles as string[], dstRoles: dst.roles as string[], srcSite: src.site, dstSite: dst.site,
      ignored: false, evidenceVars: true,
    };
    if (this.unmatchedCacheSize >= UNMATCHED_CACHE_LIMIT) {
      this.unmatchedCache.clear();
      this.unmatchedCacheSize = 0;
    }
    let byTurn = this.unmatchedCache.get(portKey);
    if (!byTurn) this.unmatchedCache.set(portKey, (byTurn = new Map()));
    let byPair = byTurn.get(turnKey);
    if (!byPair) byTurn.set(turnKey, (byPair = new Map()));
    byPair.set(pairKey, cls);
    this.unmatchedCacheSize++;
    return cls;
  }

  /**
   * A flow the review would report — in scope, not ignored, and unexpected (no rule, no
   * expectation) or allowed only by a time window — that an allow entry covers: expected, with
   * the approval as its evidence (one object per such flow: they are the few the review would
   * have listed). Any other flow keeps its classification.
   */
  private approved(flow: FlowIdentity, hit: ExpectationHit | null, c: Classification): Classification {
    if (c.ignored) return c;
    const reportable = hit === null ? c.rule === null : hit.kind === 'window' && c.how === 'window' && c.rule !== null;
    if (!reportable) return c;
    if (c.srcRoles.length === 0 && c.dstRoles.length === 0 && c.srcSite === null && c.dstSite === null) return c;
    const a = this.allow.match(flow);
    if (a === null) return c;
    return {
      rule: c.rule, nearestRule: c.nearestRule, how: c.how, evidence: this.explain.approved(a), srcRoles: c.srcRoles,
      dstRoles: c.dstRoles, srcSite: c.srcSite, dstSite: c.dstSite, ignored: false, approved: a.line,
    };
  }

  /**
   * Expectation hits and ignore entries: one object per flow (few flows), evidence written out.
   * Kept apart from classifyShared(), whose lookups V8 then optimises without this (see serviceClassification).
   */
  private classifiedAlone(flow: FlowIdentity, hit: ExpectationHit | null, src: AddrInfo, dst: AddrInfo, ign: IgnoreEntry | null): Classification {
    if (hit) {
      const how = hit.kind === 'window' ? 'window' : 'expectation';
      if (hit.rule) return this.alone(hit.rule, null, how, hit.evidence, src, dst, ign);
      const fo = this.followOns.attribute(hit, flow, src, dst);
      if (fo) return this.alone(fo.f.id, null, how, this.explain.followOnHit(hit.evidence, fo.parent, fo.f), src, dst, ign);
    }
    const m = this.matcher.find(flow, src, dst);
    if (m) return this.alone(m.entry.rule.id, null, 'direct', renderEvidence(this.explain.matched(m, flow), flow), src, dst, ign);
    if (hit) {
      // Announced by an inspector, but no rule allows such a channel between these roles.
      const how = hit.kind === 'window' ? 'window' : 'expectation';
      return this.alone(null, null, how, this.explain.uncoveredHit(hit.evidence, flow, src, dst), src, dst, ign);
    }
    const miss = this.explain.unmatched(flow, src, dst);
    return this.alone(null, miss.nearestRule, 'none', renderEvidence(miss.evidence, flow), src, dst, ign);
  }

  private alone(
    rule: string | null, nearestRule: string | null, how: MatchHow, evidence: string, src: AddrInfo, dst: AddrInfo, ign: IgnoreEntry | null,
  ): Classification {
    return {
      rule,
      nearestRule,
      how,
      evidence: ign ? this.explain.ignored(evidence, ign) : evidence,
      srcRoles: src.roles as string[],
      dstRoles: dst.roles as string[],
      srcSite: src.site,
      dstSite: dst.site,
      ignored: ign !== null,
    };
  }
}
