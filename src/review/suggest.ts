/**
 * A draft site file from observed traffic: which hosts hold which catalog roles, inferred from
 * the services each host answered (a listener on a rule's port: a candidate for the rule's
 * `to` roles) and the services it asked others for (a candidate for the rule's `from` roles).
 *
 * Decisions are made in rounds. A role is decided for a host when it explains more of the
 * host's traffic than any other role; a flow counts fully when the other end already holds a
 * role on the rule's other side (or that side is a catalog default such as "internal"), half
 * when the other end is still undecided, not at all when the other end holds other roles.
 * Roles anchored on decided peers are committed first, so ambiguous ports (1433 for several
 * products' SQL Servers) are settled by who used them. Conservative: a tie between roles of one
 * product is left to the user with its candidates; a host with too little evidence is left out;
 * a second role from what a host only initiated needs two flows that fit it (answering on a
 * port is stronger evidence than connecting to one). Between products, a host is kept only on
 * evidence that singles the product out (a port only its rules name, or flows anchored on peers of
 * its roles while no other product's rules fit as well): otherwise it is left undecided with the
 * best-fitting roles of each product. Pure: observations and catalog in, data out.
 */
import { portInRanges } from '../catalog/rule-match.js';
import type { Catalog, PortRange, Rule, Site } from '../catalog/types.js';
import { AddressClasses } from '../classify/address-classes.js';
import { compareAddr, v4Number, type Edge, type Observations } from './observe.js';

export type Confidence = 'high' | 'medium' | 'low';

/** One address entry of a role: a host, or a /24 of hosts that all behave the same. */
export interface RoleEntry {
  /** "10.0.0.21" or "10.0.1.0/24". */
  address: string;
  hosts: string[];
  evidence: string;
  confidence: Confidence;
}

/** A host whose role could not be decided between candidates. */
export interface UndecidedHost {
  host: string;
  /**
   * Roles the draft gives the host (absent when it gives none): its flows to an undecided host
   * may add one of the candidates, depending on what that host is.
   */
  holds?: string[];
  candidates: string[];
  evidence: string;
}

/** A host seen in the captures that the draft leaves out, and why. */
export interface LeftOutHost {
  host: string;
  why: string;
}

export interface ProposedSite {
  name: string;
  cidr: string;
  hosts: number;
}

export interface Suggestion {
  /** Catalog ids whose roles got hosts, in the order the site file lists them. */
  catalogs: string[];
  /** Role id -> entries, role ids sorted. */
  roles: Map<string, RoleEntry[]>;
  undecided: UndecidedHost[];
  leftOut: LeftOutHost[];
  sites: ProposedSite[];
}

export interface SuggestOptions {
  /** Hosts of one role in one /24 needed to write the /24 instead of the addresses (default 4). */
  cidrMinHosts?: number;
  /**
   * Catalog order preferred in the site file: when two catalogs allow the same flow the first
   * listed names it. Ids not listed here keep the catalog's own order, before `last`.
   */
  catalogOrder?: readonly string[];
}

/**
 * Product catalogs before the generic Windows infrastructure catalog, as the bundled example
 * lists them, so that a product's own rule names its flows (sccm.ss-to-dc-rpc, not win.rpc).
 */
export const CATALOG_ORDER: readonly string[] = ['sccm-2007', '1e-platform', 'altiris-ds-5.5', 'dell-wdm', 'system-inmation', 'windows-infra'];

/** Rule ports wider than this are dynamic ranges: a connection there says little about a role. */
const NARROW_PORTS = 16;

/** One way a rule can explain an edge: the roles its originator and its responder would hold. */
interface Orientation {
  rule: Rule;
  clientRoles: string[];
  serverRoles: string[];
}

interface HostScore {
  score: number;
  answered: number;
  initiated: number;
  anchored: boolean;
  edges: Set<number>;
  /** Per edge index, the orientations that gave it (for the evidence text). */
  rules: Set<string>;
}

function narrow(ports: readonly PortRange[]): PortRange[] {
  return ports.filter((p) => p.hi - p.lo < NARROW_PORTS);
}

/** Rules whose protocol and (narrow) ports cover an edge's service. */
function rulesFor(catalog: Catalog): (e: Edge) => Rule[] {
  const cache = new Map<string, Rule[]>();
  const narrowPorts = new Map(catalog.rules.map((r) => [r, narrow(r.ports)]));
  return (e) => {
    const key = `${e.proto}/${e.port}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = catalog.rules.filter((r) => r.proto === e.proto && portInRanges(e.port, narrowPorts.get(r)!));
      cache.set(key, hit);
    }
    return hit;
  };
}

/** A site that gives no address a role: what an address is by the catalogs' defaults alone. */
function emptySite(catalog: Catalog): Site {
  return { file: '', catalogs: catalog.ids, roles: new Map(), sites: new Map(), params: new Map(), ignore: [], hash: '' };
}

export function suggestSite(obs: Observations, catalog: Catalog, opts: SuggestOptions = {}): Suggestion {
  // Roles a site file can give: catalog roles without a default (pseudo-roles and defaults are the catalogs' own).
  const proposable = (role: string) => {
    const def = catalog.roles.get(role);
    return def !== undefined && (def.default?.length ?? 0) === 0;
  };
  const classes = new AddressClasses(catalog, emptySite(catalog));
  const productOf = (role: string) => catalog.roles.get(role)?.product ?? role.split('.')[0]!;
  const edges = obs.edges.filter((e) => e.answered > 0);
  const rulesOf = rulesFor(catalog);

  // Peers per host per `<->` rule with two different sides: the side with more peers is the `to` side.
  const bothDegree = new Map<string, Set<string>>();
  for (const e of edges) {
    for (const r of rulesOf(e)) {
      if (r.direction !== 'both') continue;
      for (const [h, p] of [[e.client, e.server], [e.server, e.client]] as const) {
        const k = `${r.id} ${h}`;
        let s = bothDegree.get(k);
        if (!s) bothDegree.set(k, s = new Set());
        s.add(p);
      }
    }
  }
  const degree = (r: Rule, h: string) => bothDegree.get(`${r.id} ${h}`)?.size ?? 0;

  const orientations: Orientation[][] = edges.map((e) => {
    const out: Orientation[] = [];
    for (const r of rulesOf(e)) {
      const same = r.from.length === r.to.length && r.from.every((x) => r.to.includes(x));
      if (r.direction === 'one-way' || same) {
        out.push({ rule: r, clientRoles: r.from, serverRoles: r.to });
        continue;
      }
      const ds = degree(r, e.server);
      const dc = degree(r, e.client);
      if (ds >= dc) out.push({ rule: r, clientRoles: r.from, serverRoles: r.to });
      if (dc >= ds) out.push({ rule: r, clientRoles: r.to, serverRoles: r.from });
    }
    return out;
  });

  const edgesOf = new Map<string, number[]>();
  edges.forEach((e, i) => {
    for (const h of [e.client, e.server]) {
      let l = edgesOf.get(h);
      if (!l) edgesOf.set(h, l = []);
      l.push(i);
    }
  });
  const hosts = [...edgesOf.keys()].sort(compareAddr);
  const productsOn = orientations.map((os) => new Set(os.map((o) => o.rule.product)));
  interface Decision { host: string; roles: string[]; score: HostScore; tie: boolean; candidates: string[] }
  interface RunResult { roles: Map<string, Set<string>>; evidence: Map<string, HostScore>; ties: Map<string, Decision> }
  const broad = (role: string) => catalog.roles.get(role)?.default?.includes('internal') ?? false;
  const barredFrom = new Map<string, Set<string>>(); // host -> products it holds no role of
  const contested = new Map<string, string[]>(); // host -> products left to the user (candidates)
  /** A peer barred from a product as contested is unknown to it, not known to be something else. */
  const opaque = (h: string, x: string) => (barredFrom.get(h)?.has(x) ?? false) && !(contested.get(h)?.includes(x) ?? false);

  /**
   * One product's roles, inferred from its own rules only: a host may be a client of several
   * products, so each product is decided on its own. `barred` hosts hold no role of it.
   */
  const runProduct = (product: string, barred: (h: string) => boolean): RunResult => {
    const roles = new Map<string, Set<string>>();
    const rolesOf = (h: string) => roles.get(h) ?? new Set<string>();
    const evidence = new Map<string, HostScore>(); // "host role" -> what decided it
    const mine = (o: Orientation) => o.rule.product === product;

    /** 1: the peer holds a role of that side (or has it by default), 0.5: undecided, 0: it cannot. */
    const fit = (peer: string, side: readonly string[]): number => {
      const implied = classes.info(peer).match;
      if (side.some((r) => implied.has(r))) return 1;
      if (barred(peer)) return opaque(peer, product) ? 0 : 0.5;
      const pr = rolesOf(peer);
      if (side.some((r) => pr.has(r))) return 1;
      return pr.size > 0 ? 0 : 0.5;
    };
    const explained = (h: string, i: number): boolean => {
      const e = edges[i]!;
      const have = rolesOf(h);
      const implied = classes.info(h).match; // a catalog default covers it (1E Cloud: the internet)
      return orientations[i]!.some((o) => mine(o) && (e.server === h ? o.serverRoles : o.clientRoles).some((r) => have.has(r) || implied.has(r)));
    };
    const scoresOf = (h: string): Map<string, HostScore> => {
      const scores = new Map<string, HostScore>();
      if (barred(h)) return scores;
      for (const i of edgesOf.get(h)!) {
        if (explained(h, i)) continue;
        const e = edges[i]!;
        const answering = e.server === h;
        const best = new Map<string, { w: number; rule: string }>();
        for (const o of orientations[i]!) {
          if (!mine(o)) continue;
          const w = fit(answering ? e.client : e.server, answering ? o.clientRoles : o.serverRoles);
          if (w === 0) continue;
          for (const r of answering ? o.serverRoles : o.clientRoles) {
            if (!proposable(r)) continue;
            const b = best.get(r);
            if (!b || b.w < w) best.set(r, { w, rule: o.rule.id });
          }
        }
        // Only the best-fitting roles count, and they share the flow: a port that many roles
        // explain says little about each of them.
        const top = Math.max(0, ...[...best.values()].map((b) => b.w));
        const winners = [...best].filter(([, b]) => b.w === top);
        for (const [r, b] of winners) {
          const w = b.w / winners.length;
          let sc = scores.get(r);
          if (!sc) scores.set(r, sc = { score: 0, answered: 0, initiated: 0, anchored: false, edges: new Set(), rules: new Set() });
          sc.score += w;
          if (answering) sc.answered += w; else sc.initiated += w;
          if (b.w === 1) sc.anchored = true;
          sc.edges.add(i);
          sc.rules.add(b.rule);
        }
      }
      return scores;
    };
    /** The role a host should take now (a clear winner), a tie, or null. */
    const decide = (h: string): Decision | null => {
      // Enough for a role: a port the host answered on that few roles explain, or what it used
      // adding up to one flow only this role explains with a known peer (or two with unknown peers).
      const scores = [...scoresOf(h)];
      const acceptable = scores.filter(([, sc]) => (sc.answered >= 0.5 || sc.score >= 1)
        // Unanchored, on ports other products' rules also name: not this product's to decide alone.
        && (sc.anchored || [...sc.edges].some((i) => productsOn[i]!.size === 1)));
      if (acceptable.length === 0) {
        const shared = scores.filter(([, sc]) => sc.answered >= 0.5 || sc.score >= 1);
        if (shared.length === 0) return null;
        const others = new Set<string>();
        for (const [, sc] of shared) for (const i of sc.edges) for (const o of orientations[i]!) {
          for (const r of edges[i]!.server === h ? o.serverRoles : o.clientRoles) if (proposable(r)) others.add(r);
        }
        return { host: h, roles: [], score: shared[0]![1], tie: true, candidates: [...others].sort() };
      }
      acceptable.sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
      const top = acceptable[0]![1].score;
      const tied = acceptable.filter(([, sc]) => Math.abs(sc.score - top) < 1e-9);
      if (tied.length === 1) return { host: h, roles: [tied[0]![0]], score: tied[0]![1], tie: false, candidates: [] };
      return { host: h, roles: tied.map(([r]) => r), score: tied[0]![1], tie: true, candidates: tied.map(([r]) => r).sort() };
    };
    const commit = (d: Decision) => {
      let set = roles.get(d.host);
      if (!set) roles.set(d.host, set = new Set());
      for (const r of d.roles) {
        set.add(r);
        evidence.set(`${d.host} ${r}`, d.score);
      }
    };
    for (let round = 0; round < 100_000; round++) {
      const decisions = hosts.map(decide).filter((d): d is Decision => d !== null);
      const clear = decisions.filter((d) => !d.tie);
      // Decisions anchored on decided peers first; else the strongest evidence.
      let now = clear.filter((d) => d.score.anchored);
      if (now.length === 0 && clear.length) {
        const best = Math.max(...clear.map((d) => d.score.score));
        now = clear.filter((d) => d.score.score === best);
      }
      if (now.length === 0) break;
      now.forEach(commit);
    }
    const ties = new Map<string, Decision>();
    for (const h of hosts) {
      const d = decide(h);
      if (d?.tie) ties.set(h, d);
    }
    return { roles, evidence, ties };
  };

  /**
   * How well product `x`'s rules explain edge `i` with host `h` on its side, given x's decided
   * roles: 1 when the peer holds a role of the rule's other side, 0.5 when the peer is unknown to
   * x, 0 when it cannot. `own` limits h's side to these roles (the roles h holds in x). A
   * catalog default that covers every internal address (win.domain-member) says nothing of a
   * peer, so it counts as unknown here.
   */
  const fitOf = (run: RunResult, x: string, h: string, i: number, own: ReadonlySet<string> | null): number => {
    const e = edges[i]!;
    const answering = e.server === h;
    const peer = answering ? e.client : e.server;
    const peerBarred = opaque(peer, x);
    const peerRoles = run.roles.get(peer) ?? new Set<string>();
    const implied = classes.info(peer).match;
    let best = 0;
    for (const o of orientations[i]!) {
      if (o.rule.product !== x) continue;
      const mineSide = answering ? o.serverRoles : o.clientRoles;
      if (!mineSide.some((r) => (own ? own.has(r) : proposable(r)))) continue;
      const other = answering ? o.clientRoles : o.serverRoles;
      let w: number;
      if (other.some((r) => implied.has(r) && !broad(r))) w = 1;
      else if (other.some((r) => peerRoles.has(r))) w = 1;
      else if (other.some((r) => implied.has(r))) w = 0.5;
      else if (peerBarred || peerRoles.size > 0) w = 0;
      else w = 0.5;
      if (w > best) best = w;
    }
    return best;
  };

  /**
   * A product keeps a host only on evidence that singles it out: an edge of the host that only
   * this product's rules name (1E's Switch port, Altiris' 402), or flows anchored on peers that
   * hold its roles while no other product's rules fit any of the host's flows as well and every
   * service the host answered that another product explains is one this product explains too.
   * Otherwise (ports such as 80, 443 and 1433 that several products use, seen with peers whose
   * product is not known) the product is barred from the host and the host is contested: left
   * to the user with the best-fitting roles of every product that fits. Returns whether
   * anything changed.
   */
  const groundingPass = (current: Map<string, RunResult>): boolean => {
    let changed = false;
    for (const h of hosts) {
      const held = [...current].filter(([, r]) => r.roles.has(h));
      if (held.length === 0) continue;
      const mine = edgesOf.get(h)!;
      for (const [p, run] of held) {
        const own = run.roles.get(h)!;
        const fitP = mine.map((i) => fitOf(run, p, h, i, own));
        if (mine.some((i, k) => fitP[k]! > 0 && productsOn[i]!.size === 1)) continue;
        const rivals: string[] = [];
        let rivalAnchored = false;
        let uncovered = false;
        for (const [q, qrun] of current) {
          if (q === p || qrun.roles.has(h) || (barredFrom.get(h)?.has(q) && !contested.get(h)?.includes(q))) continue;
          let fits = false;
          mine.forEach((i, k) => {
            const w = fitOf(qrun, q, h, i, null);
            if (w === 0) return;
            fits = true;
            if (w === 1) rivalAnchored = true;
            if (edges[i]!.server === h && fitP[k] === 0) uncovered = true;
          });
          if (fits) rivals.push(q);
        }
        if (rivals.length === 0) continue;
        if (fitP.some((w) => w === 1) && !rivalAnchored && !uncovered) continue;
        contested.set(h, [...new Set([...(contested.get(h) ?? []), p, ...rivals])].sort());
        barredFrom.set(h, new Set([...(barredFrom.get(h) ?? []), p]));
        changed = true;
      }
    }
    return changed;
  };

  /** A product's roles that explain the most of a host's flows (the candidates of a contested host). */
  const bestRoles = (run: RunResult, x: string, h: string): string[] => {
    const count = new Map<string, number>();
    for (const i of edgesOf.get(h) ?? []) {
      const e = edges[i]!;
      const answering = e.server === h;
      const got = new Set<string>();
      for (const o of orientations[i]!) {
        if (o.rule.product !== x) continue;
        for (const r of answering ? o.serverRoles : o.clientRoles) {
          if (!proposable(r) || got.has(r)) continue;
          if (fitOf(run, x, h, i, new Set([r])) > 0) got.add(r);
        }
      }
      for (const r of got) count.set(r, (count.get(r) ?? 0) + 1);
    }
    const top = Math.max(0, ...count.values());
    return top === 0 ? [] : [...count].filter(([, n]) => n === top).map(([r]) => r).sort();
  };

  // Each product on its own; then a host that answers the same flows for two products keeps
  // the product that explains more of its traffic (a listener serves one product), and the
  // products are decided again without it.
  let runs = new Map<string, RunResult>();
  for (let pass = 0; pass < 20; pass++) {
    runs = new Map(catalog.ids.map((p) => [p, runProduct(p, (h) => barredFrom.get(h)?.has(p) ?? false)]));
    let changed = false;
    for (const h of hosts) {
      const held = [...runs].filter(([, r]) => r.roles.has(h));
      if (held.length < 2) continue;
      const served = held.map(([p, r]) => {
        const answered = new Set<number>();
        let all = 0;
        for (const role of r.roles.get(h)!) {
          const ev = r.evidence.get(`${h} ${role}`)!;
          for (const i of ev.edges) { all++; if (edges[i]!.server === h) answered.add(i); }
        }
        return { p, answered, all };
      });
      for (const a of served) for (const b of served) {
        if (a.p >= b.p || ![...a.answered].some((i) => b.answered.has(i))) continue;
        if (a.all === b.all) {
          contested.set(h, [...new Set([...(contested.get(h) ?? []), a.p, b.p])].sort());
          for (const p of [a.p, b.p]) barredFrom.set(h, new Set([...(barredFrom.get(h) ?? []), p]));
        } else {
          const loser = a.all < b.all ? a.p : b.p;
          barredFrom.set(h, new Set([...(barredFrom.get(h) ?? []), loser]));
        }
        changed = true;
      }
    }
    if (!changed) changed = groundingPass(runs);
    if (!changed) break;
  }
  const roles = new Map<string, Set<string>>();
  const evidence = new Map<string, HostScore>();
  const ties = new Map<string, Decision[]>();
  for (const [, r] of runs) {
    for (const [h, set] of r.roles) {
      let mineSet = roles.get(h);
      if (!mineSet) roles.set(h, mineSet = new Set());
      for (const role of set) {
        mineSet.add(role);
        evidence.set(`${h} ${role}`, r.evidence.get(`${h} ${role}`)!);
      }
    }
    for (const [h, d] of r.ties) ties.set(h, [...(ties.get(h) ?? []), d]);
  }
  const rolesOf = (h: string) => roles.get(h) ?? new Set<string>();
  /** Evidence of a host left to the user: the given flows, and the rules that would give it those roles. */
  const evidenceFor = (h: string, among: readonly number[], candidates: ReadonlySet<string>): HostScore => {
    const rules = new Set<string>();
    for (const i of among) for (const o of orientations[i]!) {
      if ((edges[i]!.server === h ? o.serverRoles : o.clientRoles).some((r) => candidates.has(r))) rules.add(o.rule.id);
    }
    return { score: 0, answered: 0, initiated: 0, anchored: false, edges: new Set(among), rules };
  };

  // What is left: ties (undecided, with candidates) and hosts without any role.
  const undecided: UndecidedHost[] = [];
  const leftOut: LeftOutHost[] = [];
  const seen = [...obs.hosts.keys()].sort(compareAddr);
  for (const h of seen) {
    // A host decided in one product is not undecided for the ties of another.
    const d = rolesOf(h).size > 0 ? undefined : ties.get(h);
    const both = rolesOf(h).size > 0 ? undefined : contested.get(h);
    if (d || both) {
      const candidates = [...new Set([...(d ?? []).flatMap((x) => x.candidates),
        ...(both ?? []).flatMap((p) => bestRoles(runs.get(p)!, p, h))])].sort();
      const score = both ? evidenceFor(h, edgesOf.get(h) ?? [], new Set(candidates)) : d![0]!.score;
      undecided.push({ host: h, candidates, evidence: describe(h, score, edges, rolesOf) });
      continue;
    }
    if (rolesOf(h).size > 0) continue;
    const c = obs.hosts.get(h)!;
    const why = c.answered === 0
      ? `${c.flows} flow${c.flows === 1 ? '' : 's'}, none answered`
      : !edgesOf.has(h) || edgesOf.get(h)!.every((i) => orientations[i]!.length === 0)
        ? `${c.flows} flow${c.flows === 1 ? '' : 's'}, on no port of the catalogs' rules`
        : `${c.flows} flow${c.flows === 1 ? '' : 's'}: too little evidence for any role`;
    leftOut.push({ host: h, why });
  }

  // A decided host whose flows reach an undecided one may hold a further role, depending on
  // what that host turns out to be (a client of an undecided web server): it keeps its roles
  // and is listed too, with the roles those flows could add.
  const open = new Map(undecided.map((u) => [u.host, new Set(u.candidates)]));
  for (const h of hosts) {
    const have = rolesOf(h);
    if (have.size === 0) continue;
    const extra = new Set<string>();
    const via: number[] = [];
    for (const i of edgesOf.get(h)!) {
      const e = edges[i]!;
      const answering = e.server === h;
      const peerCandidates = open.get(answering ? e.client : e.server);
      if (!peerCandidates) continue;
      const fitting = orientations[i]!.filter((o) => (answering ? o.clientRoles : o.serverRoles).some((r) => peerCandidates.has(r)));
      // Roles the host holds already explain this flow with one of the peer's candidates: nothing to add.
      if (fitting.some((o) => (answering ? o.serverRoles : o.clientRoles).some((r) => have.has(r)))) continue;
      let used = false;
      for (const o of fitting) {
        for (const r of answering ? o.serverRoles : o.clientRoles) {
          if (proposable(r) && !have.has(r)) { extra.add(r); used = true; }
        }
      }
      if (used) via.push(i);
    }
    if (extra.size === 0) continue;
    const candidates = [...extra].sort();
    undecided.push({ host: h, holds: [...have].sort(), candidates, evidence: describe(h, evidenceFor(h, via, extra), edges, rolesOf) });
  }
  undecided.sort((a, b) => compareAddr(a.host, b.host));

  // Roles -> entries (a /24 when enough hosts of it all hold the same roles).
  const minHosts = opts.cidrMinHosts ?? 4;
  const byRole = new Map<string, string[]>();
  for (const h of hosts) for (const r of rolesOf(h)) {
    let l = byRole.get(r);
    if (!l) byRole.set(r, l = []);
    l.push(h);
  }
  const roleKey = (h: string) => [...rolesOf(h)].sort().join(',');
  const net24 = (h: string): string | null => {
    const n = v4Number(h);
    return n === null ? null : `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.0/24`;
  };
  const roleEntries = new Map<string, RoleEntry[]>();
  for (const role of [...byRole.keys()].sort()) {
    const hs = byRole.get(role)!;
    const groups = new Map<string, string[]>();
    for (const h of hs) {
      const n = net24(h);
      if (n === null) continue;
      let g = groups.get(n);
      if (!g) groups.set(n, g = []);
      g.push(h);
    }
    const entries: RoleEntry[] = [];
    const inCidr = new Set<string>();
    for (const [net, g] of groups) {
      if (g.length < minHosts) continue;
      // Every host of that /24 with a role (or left undecided) behaves the same.
      const others = seen.filter((h) => net24(h) === net && (rolesOf(h).size > 0 || undecided.some((u) => u.host === h)));
      if (!others.every((h) => roleKey(h) === roleKey(g[0]!))) continue;
      for (const h of g) inCidr.add(h);
      const anchored = g.filter((h) => evidence.get(`${h} ${role}`)?.anchored).length;
      entries.push({
        address: net, hosts: g,
        evidence: `${g.length} hosts of this /24 ${describeRole(g.map((h) => [h, evidence.get(`${h} ${role}`)!]), edges)}`,
        confidence: anchored >= minHosts ? 'high' : 'medium',
      });
    }
    for (const h of hs) {
      if (inCidr.has(h)) continue;
      const s = evidence.get(`${h} ${role}`)!;
      entries.push({ address: h, hosts: [h], evidence: describe(h, s, edges, rolesOf), confidence: confidenceOf(s) });
    }
    entries.sort((a, b) => compareAddr(a.address.split('/')[0]!, b.address.split('/')[0]!));
    roleEntries.set(role, entries);
  }

  // Catalogs whose roles got hosts, in the preferred order.
  const order = opts.catalogOrder ?? CATALOG_ORDER;
  const used = catalog.ids.filter((id) => [...roleEntries.keys()].some((r) => productOf(r) === id));
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length - 1 - 0.5 : i; // unknown catalogs: before the last (infrastructure) one
  };
  const catalogs = [...used].sort((a, b) => rank(a) - rank(b) || catalog.ids.indexOf(a) - catalog.ids.indexOf(b));

  // Proposed WAN sites: one per /16 of the hosts given a role or left undecided.
  const sixteen = new Map<string, number>();
  for (const h of seen) {
    if (rolesOf(h).size === 0 && !undecided.some((u) => u.host === h)) continue;
    const n = v4Number(h);
    if (n === null) continue;
    const k = `${n >>> 24}.${(n >>> 16) & 255}.0.0/16`;
    sixteen.set(k, (sixteen.get(k) ?? 0) + 1);
  }
  const sites = [...sixteen].sort((a, b) => compareAddr(a[0].split('/')[0]!, b[0].split('/')[0]!))
    .map(([cidr, n]) => ({ name: `net-${cidr.split('.').slice(0, 2).join('-')}`, cidr, hosts: n }));

  return { catalogs, roles: roleEntries, undecided, leftOut, sites };
}

function confidenceOf(s: HostScore): Confidence {
  if (s.anchored && s.score >= 2) return 'high';
  if (s.anchored || s.score >= 2) return 'medium';
  return 'low';
}

/** "answered tcp/80 from 12 hosts, tcp/443 from 3 hosts; asked 10.0.0.30 for tcp/1433". */
function describe(h: string, s: HostScore, edges: readonly Edge[], rolesOf: (h: string) => Set<string>): string {
  void rolesOf;
  const answered = new Map<string, Set<string>>();
  const asked = new Map<string, Set<string>>();
  for (const i of [...s.edges].sort((a, b) => a - b)) {
    const e = edges[i]!;
    const svc = `${e.proto}/${e.port}`;
    const [m, peer] = e.server === h ? [answered, e.client] : [asked, e.server];
    let set = m.get(svc);
    if (!set) m.set(svc, set = new Set());
    set.add(peer);
  }
  const parts: string[] = [];
  const list = (m: Map<string, Set<string>>, verb: string, prep: string) => {
    if (m.size === 0) return;
    const svcs = [...m].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
    parts.push(`${verb} ${svcs.map(([svc, peers]) => `${svc} ${prep} ${peers.size === 1 ? [...peers][0] : `${peers.size} hosts`}`).join(', ')}`);
  };
  list(answered, 'answered', 'from');
  list(asked, 'used', 'on');
  const rules = s.rules.size === 0 ? '' : ` (rule${s.rules.size === 1 ? '' : 's'} ${[...s.rules].sort().join(', ')})`;
  return `${parts.join('; ')}${rules}`;
}

/** Evidence of a /24 entry: which services its hosts used or answered, by rule. */
function describeRole(members: [string, HostScore][], edges: readonly Edge[]): string {
  const rules = new Set<string>();
  let answered = 0;
  for (const [h, s] of members) {
    for (const r of s.rules) rules.add(r);
    for (const i of s.edges) if (edges[i]!.server === h) answered++;
  }
  return `${answered > 0 ? 'answered or used' : 'used'} the same services (rule${rules.size === 1 ? '' : 's'} ${[...rules].sort().join(', ')})`;
}
