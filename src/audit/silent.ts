/**
 * Declared but silent: a host the site file declares for a role that answers on catalog rules,
 * which no flow of the audited captures reached on any of them ("server locator point
 * 10.0.0.13: declared in the site file, reached by nobody on any of its 6 rules between ...").
 * A missing path says one service was not used; a silent host says the host was not used at
 * all, which points at the host (down, moved, never installed, or outside the tap) rather than
 * at a client.
 *
 * What counts, and why:
 * - **Hosts** are the single addresses the site file lists for a role (an entry such as
 *   10.0.0.13, or a /32 or /128), each on its own, as long as the role lists a handful of them
 *   (at most MAX_HOSTS_PER_ROLE). A CIDR or range wider than one address is not a host: which of
 *   its addresses are live is unknown, and most of a client range is silent in any capture. A
 *   role listing more single addresses than that is a population written out, not named servers.
 *   The missing-path check still covers both.
 * - **Its rules** are the catalog rules on which it answers: those naming one of its roles as a
 *   `to` role, and the `<->` rules naming one on either side (a `<->` row has no fixed
 *   responder). Only rules this site can match count: the other side must have addresses (in
 *   the site file, or a catalog default such as "internet") besides this host. A host without
 *   such a rule is not expected to be reached and is never silent.
 * - **Reached** means a flow the classifier matched to one of those rules with the host as
 *   responder: the flow's responder, either end on a `<->` rule, and the originator too when the
 *   flow table only guessed the originator (the classifier may have matched it turned round). A
 *   follow-on of one of the rules (dynamic RPC, FTP data) with the host at either end counts for
 *   its rule, since a follow-on may run the other way. Answered or not: an attempt nobody
 *   answered is the missing path's finding ("tried ... but no connection was answered"), and it
 *   shows the role in use.
 * - **Ignored flows count as reaching it.** An ignore entry says a flow is known and accepted,
 *   not that it did not happen; the host served its role in it. The missing-path check counts
 *   them the same way.
 * - **Missing or informational.** Declaring a host is the site saying it expects the host to be
 *   used, so a silent host is a missing finding whatever the catalog's `required` says. Only when
 *   the site file lists every one of its rules under `optional:` is it informational.
 *
 * Streaming: `observe` sees every flow and looks both ends up in one map of the declared hosts.
 */
import type { Catalog, Rule, Site } from '../catalog/types.js';
import type { AuditFlow } from '../store/types.js';
import type { SilentHostItem } from './types.js';
import { canonicalAddress, formatIp } from '../util/ip.js';
import { roleTitle } from '../catalog/role-title.js';
import { count, fmtWindowProse, midSentence } from './format.js';
import type { MissingContext } from './missing.js';

/** A role listing more single addresses than this is a population, not named hosts (see above). */
export const MAX_HOSTS_PER_ROLE = 32;

interface Host {
  text: string;
  family: 4 | 6;
  value: bigint;
  /** Declared roles on which it answers some rule of this site, in the site file's order. */
  roles: string[];
  /** Ids of the rules it answers on, in catalog order, and as a set. */
  rules: string[];
  ruleSet: Set<string>;
  /** Of those, the rules on which it may be either end of a matched flow (`<->`). */
  eitherEnd: Set<string>;
  reached: boolean;
  /** Flows with the host at one end that did not reach it on one of its rules. */
  otherFlows: number;
}

export class SilentHostTracker {
  /** Declared single-address hosts by address text as flows carry it. */
  private readonly hosts = new Map<string, Host>();
  /** Follow-on rule id -> the rule it follows. */
  private readonly followOnParent = new Map<string, string>();

  constructor(private readonly catalog: Catalog, private readonly site: Site) {
    for (const r of catalog.rules) for (const f of r.then) this.followOnParent.set(f.id, r.id);
    const declared = new Map<string, { family: 4 | 6; value: bigint; roles: string[] }>();
    for (const [role, ranges] of site.roles) {
      const singles = ranges.filter((r) => r.lo === r.hi);
      if (singles.length > MAX_HOSTS_PER_ROLE) continue;
      for (const r of singles) {
        const text = canonicalAddress(formatIp(r.family, r.lo));
        if (text === null) continue;
        let d = declared.get(text);
        if (!d) declared.set(text, (d = { family: r.family, value: r.lo, roles: [] }));
        if (!d.roles.includes(role)) d.roles.push(role);
      }
    }
    for (const [text, d] of declared) {
      const host: Host = { text, family: d.family, value: d.value, roles: [], rules: [], ruleSet: new Set(), eitherEnd: new Set(), reached: false, otherFlows: 0 };
      const answering = new Set<string>();
      for (const rule of catalog.rules) this.addRule(host, d.roles, rule, answering);
      host.roles = d.roles.filter((r) => answering.has(r));
      if (host.rules.length > 0) this.hosts.set(text, host);
    }
  }

  /**
   * Add `rule` to the host's rules when it answers on it and the other side can reach it;
   * `answering` collects the roles it answers in.
   */
  private addRule(host: Host, declaredRoles: readonly string[], rule: Rule, answering: Set<string>): void {
    const both = rule.direction === 'both';
    let answers = false;
    for (const role of declaredRoles) {
      const asTo = rule.to.includes(role);
      const asFrom = both && rule.from.includes(role);
      if (!asTo && !asFrom) continue;
      const others = asTo && asFrom ? [...rule.from, ...rule.to] : asTo ? rule.from : rule.to;
      if (!this.reachableFrom(others, host)) continue;
      answers = true;
      answering.add(role);
    }
    if (!answers) return;
    host.rules.push(rule.id);
    host.ruleSet.add(rule.id);
    if (both) host.eitherEnd.add(rule.id);
  }

  /** True when one of `roles` has an address other than `host` in this site. */
  private reachableFrom(roles: readonly string[], host: Host): boolean {
    return roles.some((role) => {
      const ranges = this.site.roles.get(role);
      // A role the site file does not mention has its catalog default, if any.
      if (ranges === undefined) return (this.catalog.roles.get(role)?.default?.length ?? 0) > 0;
      return ranges.some((r) => r.family !== host.family || r.lo !== host.value || r.hi !== host.value);
    });
  }

  /** Record one analysed flow (classified or not). */
  observe(flow: AuditFlow): void {
    if (this.hosts.size === 0) return;
    const src = this.hosts.get(flow.src);
    const dst = this.hosts.get(flow.dst);
    if (src === undefined && dst === undefined) return;
    const rule = flow.classification?.rule ?? null;
    const parent = rule === null ? undefined : this.followOnParent.get(rule);
    const id = parent ?? rule;
    if (dst !== undefined) {
      if (id !== null && dst.ruleSet.has(id)) dst.reached = true;
      else dst.otherFlows++;
    }
    if (src !== undefined && src !== dst) {
      const asResponder = id !== null && src.ruleSet.has(id) &&
        (parent !== undefined || src.eitherEnd.has(id) || flow.originatorGuessed);
      if (asResponder) src.reached = true;
      else src.otherFlows++;
    }
  }

  finish(ctx: MissingContext): SilentHostItem[] {
    const optional = new Set((this.site.optional ?? []).map((r) => r.id));
    const out: SilentHostItem[] = [];
    for (const h of this.hosts.values()) {
      if (h.reached) continue;
      out.push(this.item(h, h.rules.every((id) => optional.has(id)) ? 'optional' : 'missing', ctx));
    }
    return out;
  }

  private item(h: Host, status: SilentHostItem['status'], ctx: MissingContext): SilentHostItem {
    const title = h.roles.map((r) => midSentence(roleTitle(this.catalog.roles, r))).join(' and ');
    const n = h.rules.length;
    const on = n === 1 ? `its one rule (${h.rules[0]})` : `any of its ${count(n)} rules`;
    const when = ctx.window ? fmtWindowProse(ctx.window.start, ctx.window.end) : 'in the analysed traffic';
    let reason = `${title} ${h.text}: declared in the site file, reached by nobody on ${on} ${when}`;
    reason += h.otherFlows === 0
      ? '; no analysed flow involves it'
      : `; it took part in ${count(h.otherFlows)} other flow${h.otherFlows === 1 ? '' : 's'}`;
    if (status === 'optional') reason += `; the site file makes ${n === 1 ? 'it' : 'every one of them'} optional`;
    if (ctx.lossNote) reason += `; ${ctx.lossNote}`;
    if (ctx.decodeNote) reason += `; ${ctx.decodeNote}`;
    return {
      status,
      host: h.text,
      roles: [...h.roles],
      roleTitle: title,
      rules: [...h.rules],
      otherFlows: h.otherFlows,
      reason,
      window: ctx.window,
      lossMayExplain: ctx.lossNote !== null,
      decodeMayExplain: !!ctx.decodeNote,
    };
  }
}
