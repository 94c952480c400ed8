/**
 * The evaluation's corners on small rulesets written here: implied families and protocols
 * (never undone by a negation), goto against jump, loops, verdict maps, comparisons, IPv6
 * prefixes, multiport --ports on either end, and the content detection of the ruleset type.
 */
import { describe, expect, it } from 'vitest';
import { PATHS, RulesetEvaluator, packetOf } from '../../src/firewall/evaluate.js';
import { detectRulesetType, parseRuleset } from '../../src/firewall/load.js';
import { verdictText } from '../../src/firewall/check.js';

const flow = (proto: number, src: string, sport: number, dst: string, dport: number) => packetOf({ proto, src, sport, dst, dport })!;

/** An nft JSON ruleset of one table `ip t` (or the family given) from chains and their rules' expressions. */
function nft(chains: { name: string; base?: { hook: string; policy: string }; rules: unknown[][] }[], family = 'ip', sets: unknown[] = []) {
  const items: unknown[] = [{ table: { family, name: 't' } }, ...sets];
  for (const c of chains) {
    items.push({ chain: { family, table: 't', name: c.name, ...(c.base ? { type: 'filter', hook: c.base.hook, prio: 0, policy: c.base.policy } : {}) } });
  }
  for (const c of chains) for (const expr of c.rules) items.push({ rule: { family, table: 't', chain: c.name, expr } });
  return new RulesetEvaluator(parseRuleset(JSON.stringify({ nftables: items }), 'test.json'));
}
const m = (left: unknown, right: unknown, op = '==') => ({ match: { op, left, right } });
const ip = (field: string) => ({ payload: { protocol: 'ip', field } });
const tcp = (field: string) => ({ payload: { protocol: 'tcp', field } });
const th = (field: string) => ({ payload: { protocol: 'th', field } });
const fwd = (ev: RulesetEvaluator, p: ReturnType<typeof flow>) => verdictText(ev.evaluate(p, PATHS.forward));

describe('nft evaluation', () => {
  it('a negated address match implies IPv4: an IPv6 flow does not match it', () => {
    const ev = nft([{ name: 'f', base: { hook: 'forward', policy: 'accept' }, rules: [[m(ip('saddr'), { prefix: { addr: '10.0.0.0', len: 8 } }, '!='), { drop: null }]] }], 'inet');
    expect(fwd(ev, flow(6, '192.0.2.1', 1000, '10.0.0.1', 80))).toBe('drop (rule inet t f #1)');
    expect(fwd(ev, flow(6, '10.1.1.1', 1000, '10.0.0.1', 80))).toBe('accept (policy of inet t f)');
    expect(fwd(ev, flow(6, '2001:db8::1', 1000, '2001:db8::2', 80))).toBe('accept (policy of inet t f)');
  });

  it('a port match implies its protocol, negated too; th dport needs a transport with ports', () => {
    const ev = nft([{ name: 'f', base: { hook: 'forward', policy: 'accept' }, rules: [
      [m(tcp('dport'), 22, '!='), { drop: null }],
      [m(th('dport'), { range: [0, 10] }), { reject: null }],
    ] }]);
    expect(fwd(ev, flow(17, '10.0.0.1', 5, '10.0.0.2', 53))).toBe('accept (policy of ip t f)');
    expect(fwd(ev, flow(6, '10.0.0.1', 5, '10.0.0.2', 80))).toBe('drop (rule ip t f #1)');
    expect(fwd(ev, flow(17, '10.0.0.1', 5, '10.0.0.2', 7))).toBe('reject (rule ip t f #2)');
    expect(fwd(ev, flow(1, '10.0.0.1', 8, '10.0.0.2', 0))).toBe('accept (policy of ip t f)'); // ICMP type 8 code 0
  });

  it('comparisons, a goto that does not come back, and a verdict map that jumps', () => {
    const ev = nft([
      { name: 'f', base: { hook: 'forward', policy: 'drop' }, rules: [
        [m(tcp('dport'), 1024, '<'), { goto: { target: 'low' } }],
        [{ vmap: { key: tcp('dport'), data: { set: [[8080, { jump: { target: 'web' } }], [{ range: [9000, 9100] }, { accept: null }]] } } }],
        [m(tcp('dport'), 8080), { accept: null }],
      ] },
      { name: 'low', rules: [[m(tcp('dport'), 22), { accept: null }]] },
      { name: 'web', rules: [[m(ip('saddr'), '10.0.0.1'), { drop: null }]] },
    ]);
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.2', 22))).toBe('accept (rule ip t low #1)');
    // goto: the end of `low` returns to the base chain's caller: its policy, not rule #2.
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.2', 80))).toBe('drop (policy of ip t f)');
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.2', 9050))).toBe('accept (rule ip t f #2)');
    expect(fwd(ev, flow(6, '10.0.0.1', 5000, '10.0.0.2', 8080))).toBe('drop (rule ip t web #1)');
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.2', 8080))).toBe('accept (rule ip t f #3)'); // jump came back
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.2', 5000))).toBe('drop (policy of ip t f)'); // not in the map
  });

  it('a loop of jumps is undetermined, not an endless evaluation', () => {
    const ev = nft([
      { name: 'f', base: { hook: 'forward', policy: 'accept' }, rules: [[{ jump: { target: 'a' } }]] },
      { name: 'a', rules: [[{ jump: { target: 'b' } }]] },
      { name: 'b', rules: [[{ jump: { target: 'a' } }]] },
    ]);
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.2', 22))).toMatch(/^undetermined \(rule ip t [ab] #1: more than 256 jumps: a loop\)$/);
  });

  it('an unknown condition does not matter when another one is false, or when the rule has no verdict', () => {
    const ev = nft([{ name: 'f', base: { hook: 'forward', policy: 'drop' }, rules: [
      [m({ meta: { key: 'iifname' } }, 'eth0'), m(tcp('dport'), 22), { accept: null }],
      [{ limit: { rate: 10, per: 'second' } }, { counter: null }],
      [m(ip('daddr'), '@servers'), { accept: null }],
    ] }], 'ip', [{ set: { family: 'ip', table: 't', name: 'servers', type: 'ipv4_addr', flags: ['interval'], elem: [{ range: ['10.0.0.1', '10.0.0.5'] }, { elem: { val: { prefix: { addr: '10.9.0.0', len: 16 } }, comment: 'x' } }] } }]);
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.3', 80))).toBe('accept (rule ip t f #3)');
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.9.200.1', 80))).toBe('accept (rule ip t f #3)');
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.6', 80))).toBe('drop (policy of ip t f)');
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.3', 22))).toBe('undetermined (rule ip t f #1: iifname (interface) cannot be evaluated: flow records do not say which interface a packet used)');
    const e = ev.evaluate(flow(6, '10.0.0.9', 5000, '10.0.0.3', 80), PATHS.forward);
    expect(e.unknown.map((r) => r.id)).toEqual(['ip t f #2']); // the limit rule was reached, its outcome did not matter
  });

  it('accept in one base chain goes on to the next; priority orders them', () => {
    const items = {
      nftables: [
        { table: { family: 'inet', name: 'a' } },
        { chain: { family: 'inet', table: 'a', name: 'late', type: 'filter', hook: 'forward', prio: 10, policy: 'accept' } },
        { chain: { family: 'inet', table: 'a', name: 'early', type: 'filter', hook: 'forward', prio: -10, policy: 'accept' } },
        { chain: { family: 'inet', table: 'a', name: 'nat', type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept' } },
        { rule: { family: 'inet', table: 'a', chain: 'early', expr: [{ accept: null }] } },
        { rule: { family: 'inet', table: 'a', chain: 'late', expr: [m(tcp('dport'), 23), { drop: null }] } },
      ],
    };
    const rs = parseRuleset(JSON.stringify(items), 'x.json');
    expect(rs.ignored).toEqual(['chain inet a nat (type nat, hook postrouting)']);
    const ev = new RulesetEvaluator(rs);
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.3', 23))).toBe('drop (rule inet a late #1)');
    expect(fwd(ev, flow(6, '10.0.0.9', 5000, '10.0.0.3', 80))).toBe('accept (policy of inet a late)');
    expect(verdictText(ev.evaluate(flow(6, '10.0.0.9', 5000, '10.0.0.3', 23), PATHS['local-in']))).toBe('accept (no filter chain on its path)');
  });
});

describe('iptables-save evaluation', () => {
  const ipt = (rules: string) => new RulesetEvaluator(parseRuleset(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:U - [0:0]\n${rules}COMMIT\n`, 'x.rules'));

  it('--ports matches either end; ! -p; dotted masks; -g', () => {
    const ev = ipt('-A FORWARD -p udp -m multiport --ports 53,123 -j ACCEPT\n-A FORWARD -s 10.1.0.0/255.255.0.0 ! -p tcp -j REJECT\n-A FORWARD -p tcp -g U\n-A FORWARD -j ACCEPT\n-A U -p tcp --dport 22 --syn -j ACCEPT\n');
    expect(fwd(ev, flow(17, '10.0.0.1', 53, '10.0.0.2', 4000))).toBe('accept (rule filter FORWARD #1)');
    expect(fwd(ev, flow(17, '10.1.0.1', 54, '10.0.0.2', 4000))).toBe('reject (rule filter FORWARD #2)');
    expect(fwd(ev, flow(6, '10.1.0.1', 5000, '10.0.0.2', 22))).toBe('accept (rule filter U #1)');
    expect(fwd(ev, flow(6, '10.1.0.1', 5000, '10.0.0.2', 80))).toBe('drop (policy of filter FORWARD)'); // goto: no way back to #4
    expect(fwd(ev, flow(1, '10.1.0.1', 8, '10.0.0.2', 0))).toBe('reject (rule filter FORWARD #2)');
  });

  it('unknown targets, modules and options are undetermined, and say which', () => {
    const ev = ipt('-A FORWARD -p tcp --dport 80 -j CT --notrack\n-A FORWARD -p tcp -m set --match-set blocked src -j DROP\n-A FORWARD -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT\n');
    expect(fwd(ev, flow(6, '10.0.0.1', 5000, '10.0.0.2', 80))).toBe('undetermined (rule filter FORWARD #1: target CT cannot be evaluated)');
    expect(fwd(ev, flow(6, '10.0.0.1', 5000, '10.0.0.2', 81))).toBe("undetermined (rule filter FORWARD #2: match module 'set' cannot be evaluated)");
    expect(fwd(ev, flow(17, '10.0.0.1', 5000, '10.0.0.2', 81))).toBe("undetermined (rule filter FORWARD #3: match module 'mac' cannot be evaluated)");
  });
});

describe('ruleset type detection', () => {
  it.each([
    ['{"nftables": []}', 'nft-json'],
    ['\uFEFF  {"nftables": []}', 'nft-json'],
    ['# Generated by iptables-save v1.8.9\n*filter\n', 'iptables-save'],
    ['\n:INPUT ACCEPT [0:0]\n', 'iptables-save'],
    ['[3:180] -A INPUT -j ACCEPT\n', 'iptables-save'],
    ['table inet filter {\n}\n', null],
    ['', null],
  ])('%j -> %s', (text, type) => {
    expect(detectRulesetType(text)).toBe(type);
  });
});
