/**
 * Every sentence the classifier writes, made from what matching found: why a rule matched,
 * which rules a flow came near and why they did not apply (with the nearest rule as data, for
 * Classification.nearestRule), what is known about two ends no rule connects, and the words
 * for follow-on windows, attributed announcements, ignore entries and approvals.
 *
 * Sentences that do not depend on the flow's own addresses and ports name them by the
 * placeholders of EVIDENCE_VARS, so that one sentence serves every flow between the same kinds
 * of ends (see Classification.evidenceVars); renderEvidence() writes them out for one flow.
 */
import { EVIDENCE_VARS, renderEvidence } from '../flow/flow-record.js';
import { roleTitle } from '../catalog/role-title.js';
import { protoTitle } from '../util/proto.js';
import type { AllowEntry, Catalog, FlowIdentity, FollowOn, IgnoreEntry, Rule, WindowJudged } from '../catalog/types.js';
import type { AddrInfo } from './address-classes.js';
import type { Entry, PortTables } from './port-tables.js';
import { isIcmp, nearRules, turnable, servicePort, type Match } from './rule-match.js';

function joinLimited(items: string[], max: number): string {
  const uniq = [...new Set(items)];
  return uniq.length <= max ? uniq.join(', ') : `${uniq.slice(0, max).join(', ')}, +${uniq.length - max} more`;
}

/** The placeholder of the flow's service port (the originator's ICMP type, else the responder's port). */
const servicePortVar = (flow: FlowIdentity): string => (isIcmp(flow.proto) ? EVIDENCE_VARS.sport : EVIDENCE_VARS.dport);

/** Why no rule covers a flow: the sentence, and the rule it names as the nearest (null when it names none). */
export interface Unmatched {
  evidence: string;
  nearestRule: string | null;
}

/** The part of a near miss that depends only on the port's slot and the two ends' role sets. */
interface NearShape {
  kind: 'from' | 'to' | 'both';
  /** Role titles of the side that does not fit ("from X to Y" when neither does). */
  allowed: string;
  /** The rules' ids, nearest first (at most three named). */
  ids: string;
  nearestRule: string;
}

const NEAR_CACHE_LIMIT = 10_000;

export class Explanation {
  /** Near-miss shapes by (proto, port's slot), then by the two ends' role sets (AddrInfo.sig). */
  private readonly nearCache = new Map<number, Map<number, NearShape>>();

  constructor(private readonly catalog: Catalog, private readonly ports: PortTables) {}

  // --- words ----------------------------------------------------------------------------------
  roleTitle(id: string): string {
    return roleTitle(this.catalog.roles, id);
  }

  /** `port` is a number, or the placeholder of the flow field it is (EVIDENCE_VARS). */
  private portWords(proto: number, port: number | string): string {
    return isIcmp(proto) ? `${protoTitle(proto)} type ${port}` : `${protoTitle(proto)} ${port}`;
  }

  // End words name the address by the placeholder of the flow field it is in ("{{src}} (no
  // role)"), so that the evidence of a flow without a rule is the same text for every flow
  // between the same kinds of ends, and is shared (see Classification.evidenceVars).
  /** "client" / "client and distribution point" / "10.1.2.3 (no role)" / "8.8.8.8 (internet)" */
  private endName(addr: string, i: AddrInfo): string {
    if (i.roles.length) return joinLimited(i.roles.map((r) => this.roleTitle(r)), 3);
    if (i.implied.length) return `${addr} (${joinLimited(i.implied.map((r) => this.roleTitle(r)), 3)})`;
    return i.pseudo === 'internal' ? `${addr} (no role)` : `${addr} (${i.pseudo})`;
  }

  private endSentence(addr: string, i: AddrInfo): string {
    const titles = (ids: readonly string[]) => [...new Set(ids.map((r) => this.roleTitle(r)))].join(' and ');
    if (i.roles.length) return `${addr} is ${titles(i.roles)}`;
    if (i.implied.length) return `${addr} is ${titles(i.implied)} (catalog default for ${i.pseudo === 'internal' ? 'this address' : i.pseudo})`;
    return i.pseudo === 'internal' ? `${addr} has no role` : `${addr} has no role (${i.pseudo})`;
  }

  private ids(entries: readonly Entry[]): string {
    return joinLimited(entries.map((e) => e.rule.id), 3);
  }

  // --- a rule matched -----------------------------------------------------------------------
  // Evidence depends only on the rule, the pass and the port, so it is built once per entry
  // and reused. A guessed originator turned round names the flow's fields by placeholder (its
  // responder as the originator, its originator's port as the service port).
  /** Why `m` matched (a port inside a wide range only, or turned round: by placeholder). */
  matched(m: Match, flow: FlowIdentity): string {
    // A port inside a wide range only (slot < 0) is named by placeholder, like a turned-round one.
    const port = m.pass === 'guessed-reversed' ? EVIDENCE_VARS.sport : this.ports.slot(flow.proto, m.port) < 0 ? servicePortVar(flow) : m.port;
    const key = (m.pass === 'direct' ? 0 : m.pass === 'both-reversed' ? 1 : 2) * 67_108_864 + flow.proto * 131_072 +
      (typeof port === 'number' ? port : 65_536);
    let ev = m.entry.evidence.get(key);
    if (ev === undefined) {
      ev = this.buildMatched(m, flow.proto, port);
      m.entry.evidence.set(key, ev);
    }
    return ev;
  }

  /** `port`: the matched port, or the placeholder that names it (see matched). */
  private buildMatched(m: Match, proto: number, port: number | string): string {
    const r = m.entry.rule;
    const from = joinLimited(r.from.map((x) => this.roleTitle(x)), 3);
    const to = joinLimited(r.to.map((x) => this.roleTitle(x)), 3);
    const note =
      m.pass === 'both-reversed'
        ? ' (row is <->: either side may connect)'
        : m.pass === 'guessed-reversed'
          ? ` (originator was guessed; matched with ${EVIDENCE_VARS.dst} as originator)`
          : '';
    return `${r.id}: ${from} -> ${to}, ${this.portWords(proto, port)}${note}`;
  }

  // --- no rule matched ----------------------------------------------------------------------
  /** Why no rule covers a flow without an expectation hit (placeholders for its own fields). */
  unmatched(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): Unmatched {
    return this.nearMiss(flow, src, dst) ?? {
      evidence: `no catalog rule for ${this.portWords(flow.proto, servicePortVar(flow))}; ${this.endSentence(EVIDENCE_VARS.src, src)}, ${this.endSentence(EVIDENCE_VARS.dst, dst)}`,
      nearestRule: null,
    };
  }

  /** "The port is known, the roles are not the allowed ones", with the nearest rule; null when no rule uses the port. */
  private nearMiss(flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): Unmatched | null {
    let port = servicePort(flow);
    let portVar: string = servicePortVar(flow);
    let list = this.ports.candidates(flow.proto, port);
    let orig = src;
    let resp = dst;
    let origVar: string = EVIDENCE_VARS.src;
    let respVar: string = EVIDENCE_VARS.dst;
    if (list.length === 0 && turnable(flow)) {
      // Nothing on the responder port; the guessed originator may be the service side.
      const alt = this.ports.candidates(flow.proto, flow.sport);
      if (alt.length === 0) return null;
      list = alt;
      port = flow.sport;
      portVar = EVIDENCE_VARS.sport;
      orig = dst;
      resp = src;
      origVar = EVIDENCE_VARS.dst;
      respVar = EVIDENCE_VARS.src;
    }
    if (list.length === 0) return null;
    // Which rules are nearest depends only on proto, the port's slot (see PortTables) and the
    // two ends' role sets: cache that part; the port and the end names go in around it. Keyed
    // by port, nearly every unmatched flow on a dynamic port built a shape of its own.
    const slot = this.ports.slot(flow.proto, port);
    const shapeKey = slot > 0 ? flow.proto * 65_536 + port : slot - 1;
    let byPair = this.nearCache.get(shapeKey);
    if (!byPair) this.nearCache.set(shapeKey, (byPair = new Map()));
    const pairKey = orig.sig * 1_048_576 + resp.sig;
    let shape = byPair.get(pairKey);
    if (!shape) {
      shape = this.nearShape(port, list, orig, resp);
      if (byPair.size >= NEAR_CACHE_LIMIT) byPair.clear();
      byPair.set(pairKey, shape);
    }
    const what = this.portWords(flow.proto, portVar);
    const origName = this.endName(origVar, orig);
    const nearestRule = shape.nearestRule;
    if (shape.kind === 'from') return { evidence: `${what} is allowed from ${shape.allowed}, not from ${origName} (${shape.ids})`, nearestRule };
    const respName = this.endName(respVar, resp);
    if (shape.kind === 'to') return { evidence: `${what} from ${origName} is allowed to ${shape.allowed}, not to ${respName} (${shape.ids})`, nearestRule };
    return { evidence: `${what} is allowed from ${shape.allowed}, not from ${origName} to ${respName} (${shape.ids})`, nearestRule };
  }

  /** The nearest rules (nearRules) in words: the roles they allow on the side that does not fit, and their ids. */
  private nearShape(port: number, all: readonly Entry[], orig: AddrInfo, resp: AddrInfo): NearShape {
    const near = nearRules(port, all, orig, resp);
    const sideTitles = (e: Entry, side: 'from' | 'to') =>
      (e.rule.direction === 'both' ? [...e.rule[side], ...e.rule[side === 'from' ? 'to' : 'from']] : e.rule[side]).map((r) => this.roleTitle(r));
    const titles = (side: 'from' | 'to') => joinLimited(near.rules.flatMap((e) => sideTitles(e, side)), 6);
    const allowed = near.kind === 'from' ? titles('from') : near.kind === 'to' ? titles('to') : `${titles('from')} to ${titles('to')}`;
    return { kind: near.kind, allowed, ids: this.ids(near.rules), nearestRule: near.rules[0]!.rule.id };
  }

  // --- expectation hits, ignore entries, follow-on windows ----------------------------------
  /** A hit that names no rule, credited to a follow-on channel of `parent`. */
  followOnHit(hitEvidence: string, parent: Rule, f: FollowOn): string {
    return `${hitEvidence} (${f.title ?? f.id}, after ${parent.id})`;
  }

  /** A hit no rule allows between these ends (written out for the flow: hits are never shared). */
  uncoveredHit(hitEvidence: string, flow: FlowIdentity, src: AddrInfo, dst: AddrInfo): string {
    const srcWords = renderEvidence(this.endSentence(EVIDENCE_VARS.src, src), flow);
    const dstWords = renderEvidence(this.endSentence(EVIDENCE_VARS.dst, dst), flow);
    return `${hitEvidence}; no catalog rule covers this channel (${srcWords}, ${dstWords})`;
  }

  /** Evidence of a flow an ignore entry covers. */
  ignored(evidence: string, ign: IgnoreEntry): string {
    return `${evidence}; ignored by site file line ${ign.line}: ${ign.text}`;
  }

  /**
   * Evidence of a flow an allow entry approved: "approved by NAME on DATE: REASON (rule ID;
   * site file line N)", leaving out what the entry does not say.
   */
  approved(a: AllowEntry): string {
    const who = `${a.by !== null ? ` by ${a.by}` : ''}${a.date !== null ? ` on ${a.date}` : ''}`;
    return `approved${who}: ${a.reason} (${a.rule !== null ? `rule ${a.rule}; ` : ''}site file line ${a.line})`;
  }

  /** A window's evidence up to its two ends (FollowOnPlan.evidenceHead): follow-on, parent rule, the parent's port. */
  windowHead(f: FollowOn, parent: Rule, flowProto: number, port: number): string {
    return `${f.title ?? f.id} within ${f.within} s after ${parent.id} (${protoTitle(flowProto)} ${port} `;
  }

  /** A window's evidence after its two ends (FollowOnPlan.evidenceTail). */
  windowTail(f: FollowOn): string {
    return ')' + (f.via === 'epm' ? ' (time window: used when no endpoint-mapper reply names the port)' : '');
  }

  // --- declined window hits (window-judge.ts) -------------------------------------------------
  /** A window hit on the well-known port of another service. */
  windowServicePort(proto: number, port: number, service: string): string {
    return `${this.portWords(proto, port)} is the well-known port of ${service}, not a dynamic port`;
  }

  /** A window hit on a connection nobody accepted. */
  windowNotAccepted(flow: Pick<WindowJudged, 'state' | 'respPackets'>): string {
    const words = NOT_ACCEPTED[flow.state] ?? (flow.respPackets === 0 ? 'was never answered' : 'was reset before any data');
    return `the connection ${words} (${flow.state})`;
  }

  /** Evidence of a flow whose window hit was declined and that no rule covers otherwise. */
  declinedWindow(evidence: string, hitEvidence: string, objection: string): string {
    return `${evidence}; not the follow-on of the time window open then (${hitEvidence}): ${objection}`;
  }
}

/** How a connection the window declines ended, by Zeek conn_state (see tcpAccepted). */
const NOT_ACCEPTED: Readonly<Record<string, string>> = {
  S0: 'was never answered',
  REJ: 'was refused',
  RSTOS0: 'was abandoned unanswered',
  SH: 'was abandoned unanswered',
  RSTO: 'was reset by its originator before any data',
  RSTR: 'was reset by the responder before any data',
};
