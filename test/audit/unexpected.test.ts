/**
 * UnexpectedDetector.judge() looks up the rules a port can match in the classifier's port
 * tables (one candidate list per stretch of ports), and caches judgements. Checked here against the rule-by-rule scan it replaces,
 * for every port of every protocol the rules use, on hand-built rules with the awkward cases
 * (wide and overlapping ranges, "<->" rules, ports resolved to none, portless protocols) and on
 * all shipped catalogs together.
 */
import { describe, expect, it } from 'vitest';
import { UnexpectedDetector } from '../../src/audit/unexpected.js';
import { hasPorts, portInRanges, protoMatches } from '../../src/catalog/rule-match.js';
import { listCatalogIds, loadCatalogs } from '../../src/catalog/rules-loader.js';
import type { Catalog, Rule } from '../../src/catalog/types.js';
import type { Classification } from '../../src/flow/flow-record.js';
import { PROTO_TCP, PROTO_UDP } from '../../src/util/proto.js';
import { catalog, cls, rule, RULES } from '../helpers/audit-fixtures.js';

const PROTO_ICMP = 1;
const PROTO_SCTP = 132;

/** The judgement as the detector used to make it: every rule tested against the flow's ports. */
function reference(cat: Catalog, flow: { proto: number; sport: number; dport: number; originatorGuessed: boolean }, c: Classification):
  { kind: string; nearest: string | null } {
  const rules = cat.rules.filter((r) => r.proto !== 'ip');
  const on = (port: number) => rules.filter((r) => protoMatches(r.proto, flow.proto) && (!hasPorts(r.proto) || (r.ports.length > 0 && portInRanges(port, r.ports))));
  const bySport = flow.originatorGuessed
    ? on(flow.sport).filter((r) => hasPorts(r.proto))
    : rules.filter((r) => r.direction === 'both' && hasPorts(r.proto) && r.ports.length > 0 && protoMatches(r.proto, flow.proto) && portInRanges(flow.sport, r.ports));
  const onDport = on(flow.dport);
  const candidates = rules.filter((r) => onDport.includes(r) || bySport.includes(r));
  const named = c.nearestRule;
  if (candidates.length === 0 && !named) return { kind: 'no-rule', nearest: null };
  if (named && cat.rules.some((r) => r.id === named)) return { kind: 'role-mismatch', nearest: named };
  let best: Rule | undefined;
  let bestScore = -1;
  for (const r of candidates) {
    const score = (r.from.some((x) => c.srcRoles.includes(x)) ? 2 : 0) + (r.to.some((x) => c.dstRoles.includes(x)) ? 2 : 0);
    if (score > bestScore) { best = r; bestScore = score; }
  }
  return { kind: 'role-mismatch', nearest: best?.id ?? null };
}

/** Every port as dport (then as sport, guessed and not) of each protocol: judge() == reference(). */
function mismatches(cat: Catalog, classes: Classification[], ports: number[]): string[] {
  const det = new UnexpectedDetector(cat);
  const bad: string[] = [];
  for (const proto of [PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_SCTP]) {
    // Rules of portless protocols cover every port alike: a few ports say as much as all of them.
    const protoPorts = proto === PROTO_TCP || proto === PROTO_UDP ? ports : ports.filter((p) => p % 4099 === 0);
    for (const c of classes) {
      for (const port of protoPorts) {
        for (const f of [
          { proto, sport: 50_000, dport: port, originatorGuessed: false },
          { proto, sport: port, dport: 50_000, originatorGuessed: false },
          { proto, sport: port, dport: 445, originatorGuessed: true },
        ]) {
          const j = det.judge(f, c);
          const got = { kind: j.kind, nearest: j.nearest?.id ?? null };
          const want = reference(cat, f, c);
          if (got.kind !== want.kind || got.nearest !== want.nearest) bad.push(`${JSON.stringify(f)} ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
        }
      }
    }
  }
  return bad;
}

const EVERY_PORT = Array.from({ length: 65536 }, (_, p) => p);

describe('UnexpectedDetector.judge', () => {
  it('names the same kind and nearest rule as a rule-by-rule scan, on every port', () => {
    const rules = [
      ...RULES,
      rule({ id: 'x.dynamic', from: ['sccm.client'], to: ['sccm.dp'], ports: [{ lo: 1024, hi: 65535 }], portsText: '1024-65535' }),
      rule({ id: 'x.overlap', from: ['sccm.dp'], to: ['sccm.client'], ports: [{ lo: 8000, hi: 8600 }, { lo: 80, hi: 81 }], portsText: '80-81|8000-8600' }),
      rule({ id: 'x.both', from: ['sccm.site-server'], to: ['sccm.sql'], direction: 'both', proto: 'udp', ports: [{ lo: 0, hi: 0 }, { lo: 65535, hi: 65535 }], portsText: '0|65535' }),
      rule({ id: 'x.none', from: ['sccm.client'], to: ['sccm.sql'], ports: [], portsText: 'not in use' }),
      rule({ id: 'x.ping', from: ['sccm.client'], to: ['sccm.dp'], proto: 'icmp' }),
      rule({ id: 'x.any', from: ['sccm.client'], to: ['sccm.dp'], proto: 'ip' }),
    ];
    const classes = [
      cls(),
      cls({ srcRoles: ['sccm.client'], dstRoles: ['sccm.sql'] }),
      cls({ srcRoles: ['sccm.site-server'], dstRoles: ['sccm.client'] }),
      cls({ srcRoles: ['sccm.dp'], dstRoles: ['sccm.dp'], nearestRule: 'sccm.mp-to-sql' }),
    ];
    expect(mismatches(catalog(rules), classes, EVERY_PORT)).toEqual([]);
  });

  it('does so on the shipped catalogs, for the ports their ranges start and end at and their neighbours', () => {
    const cat = loadCatalogs(listCatalogIds());
    const ports = new Set<number>([0, 1, 65534, 65535]);
    for (const r of cat.rules) for (const p of r.ports) for (const x of [p.lo - 1, p.lo, p.hi, p.hi + 1]) if (x >= 0 && x <= 65535) ports.add(x);
    const roles = [...cat.roles.keys()];
    const classes = [cls(), cls({ srcRoles: roles.slice(0, 2), dstRoles: roles.slice(2, 4) }), cls({ srcRoles: roles.slice(5, 6), dstRoles: roles.slice(0, 1) })];
    expect(ports.size).toBeGreaterThan(50);
    expect(mismatches(cat, classes, [...ports])).toEqual([]);
  });

  it('gives the same judgement object for flows it judges alike (the audit relies on it being shared, not changed)', () => {
    const det = new UnexpectedDetector(catalog());
    const c = cls({ srcRoles: ['sccm.client'] });
    const a = det.judge({ proto: PROTO_TCP, sport: 50_001, dport: 1433, originatorGuessed: false }, c);
    const b = det.judge({ proto: PROTO_TCP, sport: 61_000, dport: 1433, originatorGuessed: false }, c);
    expect(a).toBe(b);
    expect(a).toMatchObject({ kind: 'role-mismatch', nearest: { id: 'sccm.mp-to-sql' } });
  });
});
