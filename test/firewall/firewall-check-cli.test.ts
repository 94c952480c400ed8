/**
 * `flowaudit firewall check` through the compiled CLI, on databases the real CLI reads from the
 * product fixtures' violations.pcap with their site.yaml: the hand-written rulesets of
 * test/firewall/rulesets (an nftables one made by the real nft, an iptables-save one) give
 * exactly the per-rule hits, unused rules, blocked expected flows, too-broad accepts and
 * undetermined flows worked out by hand in the comments. Every JSON report validates against
 * schema/firewall-check.schema.json. Needs `npm run build`; skipped with a message otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
if (!BUILT) console.warn('dist/src/cli/main.js not found: firewall check CLI tests skipped (run npm run build)');

const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema/firewall-check.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const tmp = mkdtempSync(join(tmpdir(), 'fa-fwcheck-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function flowaudit(args: string[]) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/flowaudit'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
  });
}

/** Reads a product's violations.pcap with its site file into a fresh database; returns its path. */
function productDb(product: string): string {
  const db = join(tmp, `${product}.db`);
  const r = flowaudit(['read', `fixtures/products/${product}/violations.pcap`, '--site', `fixtures/products/${product}/site.yaml`, '--db', db, '-q']);
  expect(r.status, r.stderr).toBe(0);
  return db;
}

function check(args: string[], status = 0): any {
  const r = flowaudit(['firewall', 'check', '--format', 'json', ...args]);
  expect(r.stderr.replace(/^re-classified.*\n/m, '')).toBe('');
  expect(r.status).toBe(status);
  const report = JSON.parse(r.stdout);
  expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  return report;
}

/** rule id -> [hits, undetermined, verdicts]. */
function hits(report: any): Record<string, [number, number, number]> {
  return Object.fromEntries(report.rules.map((r: any) => [r.id, [r.hits, r.undetermined, r.verdicts]]));
}
const flows = (items: any[]) => items.map((f) => `${f.flowId} ${f.proto} ${f.src}:${f.sport} > ${f.dst}:${f.dport} ${f.verdictText}`);

describe.skipIf(!BUILT)('firewall check: nftables (sccm-forward.json, made by nft) over the SCCM violations', () => {
  let db = '';
  beforeAll(() => { db = productDb('sccm-2007'); });
  const ruleset = 'test/firewall/rulesets/sccm-forward.json';

  // The flows: 1 client->MP 80 (expected), 2 MP->SQL 1433 (expected), 3 site server->SQL 1433
  // (expected, sccm.ss-sql, required), 4 client->SQL 1433, 5 client->SQL UDP 1434, 6 client->DC
  // 49667, 7 Leeds client->DP 3389 (unexpected), 8 MP->DC 135 (expected).
  it('forwarded: hits per rule, shadowed and unused rules, the jump/return path, iifname undetermined', () => {
    const r = check(['--ruleset', ruleset, '--db', db]);
    expect(hits(r)).toEqual({
      'inet filter forward #1': [8, 0, 0], // ip daddr 10.0.0.0/8 counter: every flow, no verdict
      'inet filter forward #2': [0, 0, 0], // ct state vmap: a new flow is in none of its states
      'inet filter forward #3': [1, 0, 1], // tcp dport { 80, 443 } to the MP
      'inet filter forward #4': [1, 0, 1], // @sql_clients (an interval set: 10.0.0.21-10.0.0.22) to SQL
      'inet filter forward #5': [2, 0, 2], // drop 1433: the site server (not in the set) and the client
      'inet filter forward #6': [0, 0, 0], // the same match, accept: shadowed by #4 and #5
      'inet filter forward #7': [1, 0, 1], // ip saddr . tcp dport @mgmt (a concatenation): MP -> DC 135
      'inet filter forward #8': [2, 0, 0], // 10.0.1.0/24 jump clients: flows 5 and 6
      'inet filter forward #9': [0, 1, 1], // iifname: the 3389 flow cannot be evaluated
      'inet filter forward #10': [1, 0, 1], // flow 6 after clients #2 returned
      'inet filter clients #1': [1, 0, 1], // udp dport 1434 accept
      'inet filter clients #2': [1, 0, 0], // tcp dport 49152-65535 return
      'inet filter clients #3': [0, 0, 0],
      'inet filter input #1': [0, 0, 0], // no --local: nothing is evaluated on input
      'inet filter input #2': [0, 0, 0],
    });
    expect(r.unusedRules).toEqual(['inet filter forward #2', 'inet filter forward #6', 'inet filter clients #3', 'inet filter input #1', 'inet filter input #2']);
    expect(flows(r.blocked)).toEqual(['3 tcp 10.0.0.20:49840 > 10.0.0.30:1433 drop (rule inet filter forward #5)']);
    expect(r.blocked[0]).toMatchObject({ catalogRule: 'sccm.ss-sql', required: null, category: 'expected', chain: 'inet filter forward' });
    expect(flows(r.tooBroad)).toEqual([
      '5 udp 10.0.1.21:49880 > 10.0.0.30:1434 accept (rule inet filter clients #1)',
      '6 tcp 10.0.1.21:49883 > 10.0.0.10:49667 accept (rule inet filter forward #10)',
    ]);
    expect(flows(r.undetermined)).toEqual([
      '7 tcp 10.20.1.40:49980 > 10.20.0.5:3389 undetermined (rule inet filter forward #9: iifname (interface) cannot be evaluated: flow records do not say which interface a packet used)',
    ]);
    expect(r.summary.flows).toEqual({
      evaluated: 8, accept: 5, drop: 2, reject: 0, undetermined: 1, expected: 4, unexpected: 4, ignored: 0, outOfScope: 0, unclassified: 0,
    });
    expect(r.summary.classification).toBe('stored');
    expect(r.summary.window).toEqual({ start: 1709542801, end: 1709542808.002 });
    expect(r.rules.find((x: any) => x.id === 'inet filter forward #5')).toMatchObject({ firstSeen: 1709542802.5, handle: expect.any(Number), where: `${ruleset}: nftables[11].rule` });
    expect(r.chains.find((c: any) => c.id === 'inet filter forward')).toMatchObject({ hook: 'forward', policy: 'drop', policyVerdicts: 0 });
  });

  it('--site and --local: the DC is the firewall, so flows to it pass input (reject, then an unknown meta mark); --fail-on blocked exits 1', () => {
    const r = check(['--ruleset', ruleset, '--db', db, '--site', 'fixtures/products/sccm-2007/site.yaml', '--local', '10.0.0.10', '--fail-on', 'blocked'], 1);
    expect(r.summary.classification).toBe('site');
    expect(r.summary.local).toEqual(['10.0.0.10']);
    expect(flows(r.blocked)).toEqual([
      '3 tcp 10.0.0.20:49840 > 10.0.0.30:1433 drop (rule inet filter forward #5)',
      '8 tcp 10.0.0.21:49880 > 10.0.0.10:135 reject (rule inet filter input #1)',
    ]);
    expect(r.blocked.map((f: any) => [f.catalogRule, f.required, f.path])).toEqual([['sccm.ss-sql', true, 'forward'], ['sccm.mp-to-dc-rpc', false, 'local-in']]);
    expect(r.summary.counts).toMatchObject({ blocked: 2, blockedRequired: 1, tooBroad: 1, undetermined: 2 });
    expect(flows(r.tooBroad)).toEqual(['5 udp 10.0.1.21:49880 > 10.0.0.30:1434 accept (rule inet filter clients #1)']);
    expect(flows(r.undetermined)).toEqual([
      "6 tcp 10.0.1.21:49883 > 10.0.0.10:49667 undetermined (rule inet filter input #2: meta mark cannot be evaluated from a flow record)",
      '7 tcp 10.20.1.40:49980 > 10.20.0.5:3389 undetermined (rule inet filter forward #9: iifname (interface) cannot be evaluated: flow records do not say which interface a packet used)',
    ]);
    // Flow 6 now goes to input: the clients chain's return and forward #10 see nothing.
    expect(r.unusedRules).toEqual(['inet filter forward #2', 'inet filter forward #6', 'inet filter forward #7', 'inet filter forward #10', 'inet filter clients #2', 'inet filter clients #3']);
  });

  it('text, md, csv and html carry the same findings', () => {
    const args = ['firewall', 'check', '--ruleset', ruleset, '--db', db];
    const text = flowaudit([...args, '--format', 'text']).stdout;
    expect(text).toMatch(/Would break the product: expected flows the ruleset blocks \(1\)\n.*\n.*\n  10\.0\.0\.20:49840 → 10\.0\.0\.30:1433 +drop \(rule inet filter forward #5\)/);
    expect(text).toMatch(/inet filter forward #6 .* UNUSED/);
    const md = flowaudit([...args, '--format', 'md']).stdout;
    expect(md).toContain('| 10.0.1.21:49880 → 10.0.0.30:1434 | accept (rule inet filter clients #1) | unexpected |');
    const csv = flowaudit([...args, '--format', 'csv']).stdout.trim().split('\n');
    expect(csv[0]!.startsWith('section,id,proto,src,sport,dst,dport,path,verdict,firewall_rule')).toBe(true);
    expect(csv.filter((l) => l.startsWith('blocked,')).length).toBe(1);
    expect(csv.filter((l) => l.startsWith('rule,')).length).toBe(15);
    const out = join(tmp, 'fw.html');
    const h = flowaudit([...args, '--format', 'html', '-o', out, '-q']);
    expect(h.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    expect(html).toContain('<td>undetermined (rule inet filter forward #9: iifname (interface) cannot be evaluated');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe.skipIf(!BUILT)('firewall check: iptables-save (altiris-forward.rules) over the Altiris violations', () => {
  let db = '';
  beforeAll(() => { db = productDb('altiris-ds-5.5'); });

  // The flows: 1 402 (expected), 2 50210 (expected), 3 3389, 4 8080, 5 50230, 6 50220, 7 23
  // (unexpected), 8 UDP 69 (expected, altiris.pxe-mtftp) — all clients to 10.0.0.50.
  it('user chain with RETURN, multiport, a shadowed rule, -i and -m limit undetermined, the FORWARD policy', () => {
    const r = check(['--ruleset', 'test/firewall/rulesets/altiris-forward.rules', '--db', db, '--site', 'fixtures/products/altiris-ds-5.5/site.yaml']);
    expect(r.summary.ruleset).toMatchObject({ type: 'iptables-save', families: [4], chains: 4, rules: 14, ignored: ['table nat (only the filter table is evaluated)'] });
    expect(hits(r)).toEqual({
      'filter FORWARD #1': [0, 0, 0], // --state RELATED,ESTABLISHED: never a first packet
      'filter FORWARD #2': [7, 0, 0], // -j ALTIRIS: every TCP flow
      'filter FORWARD #3': [0, 0, 0], // UDP 69 to the wrong server
      'filter FORWARD #4': [1, 0, 1], // TCP 23, after ALTIRIS #6 returned
      'filter FORWARD #5': [0, 1, 1], // -i eth1 ... 3389: undetermined
      'filter FORWARD #6': [0, 1, 0], // -m limit -j LOG: cannot be evaluated, but has no verdict
      'filter FORWARD #7': [0, 0, 0], // ! -s 10.0.0.0/8
      'filter ALTIRIS #1': [1, 0, 1], // 402
      'filter ALTIRIS #2': [2, 0, 2], // multiport 50200:50210,50230
      'filter ALTIRIS #3': [0, 0, 0], // 402 drop: shadowed by #1
      'filter ALTIRIS #4': [1, 0, 1], // -s 10.0.1.20 50220 REJECT
      'filter ALTIRIS #5': [1, 0, 1], // 8080 --ctstate NEW
      'filter ALTIRIS #6': [1, 0, 0], // 23 RETURN
      'filter ALTIRIS #7': [0, 0, 0], // iprange
    });
    expect(r.unusedRules).toEqual(['filter FORWARD #1', 'filter FORWARD #3', 'filter FORWARD #7', 'filter ALTIRIS #3', 'filter ALTIRIS #7']);
    expect(flows(r.blocked)).toEqual(['8 udp 10.0.1.77:2075 > 10.0.0.50:69 drop (policy of filter FORWARD)']);
    expect(r.blocked[0]).toMatchObject({ catalogRule: 'altiris.pxe-mtftp', firewallRule: null, chain: 'filter FORWARD' });
    expect(flows(r.tooBroad)).toEqual([
      '4 tcp 10.0.1.16:50301 > 10.0.0.50:8080 accept (rule filter ALTIRIS #5)',
      '5 tcp 10.0.1.16:50304 > 10.0.0.50:50230 accept (rule filter ALTIRIS #2)',
      '7 tcp 10.0.1.20:49843 > 10.0.0.50:23 accept (rule filter FORWARD #4)',
    ]);
    expect(flows(r.undetermined)).toEqual([
      '3 tcp 10.0.1.16:50298 > 10.0.0.50:3389 undetermined (rule filter FORWARD #5: -i eth1 (interface) cannot be evaluated: flow records do not say which interface a packet used)',
    ]);
    expect(r.chains.find((c: any) => c.id === 'filter FORWARD')).toMatchObject({ policy: 'drop', policyVerdicts: 1 });
    expect(r.rules.find((x: any) => x.id === 'filter ALTIRIS #4').where).toBe('test/firewall/rulesets/altiris-forward.rules:26');
  });

  it('--fail-on undetermined exits 1; an IPv6 ruleset leaves IPv4 flows undetermined', () => {
    check(['--ruleset', 'test/firewall/rulesets/altiris-forward.rules', '--db', db, '--fail-on', 'undetermined'], 1);
    const v6 = join(tmp, 'v6.rules');
    writeFileSync(v6, '# Generated by ip6tables-save v1.8.9\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -s 2001:db8::/32 -j ACCEPT\nCOMMIT\n');
    const r = check(['--ruleset', v6, '--db', db]);
    expect(r.summary.ruleset.families).toEqual([6]);
    expect(r.summary.flows.undetermined).toBe(8);
    expect(r.undetermined[0].verdictText).toBe('undetermined (the ruleset filters IPv6 only; this is an IPv4 flow)');
    expect(r.unusedRules).toEqual(['filter FORWARD #1']);
  });
});

describe.skipIf(!BUILT)('firewall check: input errors are one line and exit 2', () => {
  let db = '';
  beforeAll(() => { db = productDb('dell-wdm'); });
  const run = (ruleset: string, text: string, extra: string[] = []) => {
    const file = join(tmp, ruleset);
    writeFileSync(file, text);
    return flowaudit(['firewall', 'check', '--ruleset', file, '--db', db, ...extra]);
  };

  it.each([
    ['bad.json', '{"nftables": [{"table": {"family": "inet", "name": "t"}}, {"chain": {"family": "inet", "table": "t", "name": "c"}},\n {"rule": {"family": "inet", "table": "t", "chain": "c", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "10.0.0.300"}}]}}]}',
      /^flowaudit: \S+bad\.json: nftables\[2\]\.rule\.expr\[0\]\.match\.right: "10\.0\.0\.300" is not an IPv4 or IPv6 address, CIDR or range\n$/],
    ['syntax.json', '{"nftables": [\n  {"table": }\n]}', /^flowaudit: \S+syntax\.json: not JSON: line 2, column 13: /],
    ['jump.json', '{"nftables": [{"chain": {"family": "ip", "table": "t", "name": "c", "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}, {"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"jump": {"target": "nowhere"}}]}}]}',
      /^flowaudit: \S+jump\.json: nftables\[1\]\.rule\.expr\[0\]\.jump\.target: no chain nowhere in table ip t\n$/],
    ['bad.rules', '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n-A FORWARD -p tcp --dport 80x -j ACCEPT\nCOMMIT\n',
      /^flowaudit: \S+bad\.rules:4: --dport '80x' is not a port or a range lo:hi\n$/],
    ['undeclared.rules', '*filter\n:FORWARD DROP [0:0]\n\n-A FORWARD -j ACCEPT\n-A OUTPUT -j ACCEPT\nCOMMIT\n',
      /^flowaudit: \S+undeclared\.rules:5: -A OUTPUT: chain OUTPUT is not declared/],
    ['badaddr.rules', '*filter\n:FORWARD DROP [0:0]\n-A FORWARD -s 10.1.2.3.4 -j ACCEPT\nCOMMIT\n', /^flowaudit: \S+badaddr\.rules:3: -s '10\.1\.2\.3\.4': /],
    ['nocommit.rules', '*filter\n:FORWARD DROP [0:0]\n-A FORWARD -j ACCEPT\n', /^flowaudit: \S+nocommit\.rules:3: table \*filter has no COMMIT\n$/],
    ['neither.txt', 'hello\n', /^flowaudit: \S+neither\.txt: neither nft -j list ruleset JSON nor iptables-save output \(name the type with --type/],
  ])('%s', (name, text, message) => {
    const r = run(name, text);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--type overrides the detection; a bad --local or --fail-on is a usage error', () => {
    const r = run('forced.rules', '{"nftables": []}', ['--type', 'iptables-save']);
    expect(r.stderr).toMatch(/forced\.rules:1: '\{"nftables": \[\]\}' outside a table/);
    expect(r.status).toBe(2);
    const l = run('ok.rules', '*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n', ['--local', '10.0.0.999']);
    expect(l.stderr).toMatch(/^flowaudit: --local: "10\.0\.0\.999" is not an IPv4 or IPv6 address/);
    expect(l.status).toBe(2);
    const f = run('ok.rules', '*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n', ['--fail-on', 'broken']);
    expect(f.stderr).toMatch(/^flowaudit: --fail-on: unknown kind 'broken' \(use blocked, too-broad, undetermined\)/);
    expect(f.status).toBe(2);
  });
});
