/**
 * Site file loading and validation (contract in docs/contracts.md), and address parsing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAddressExpr } from '../../src/catalog/address-index.js';
import { loadCatalogs } from '../../src/catalog/rules-loader.js';
import { checkSiteAgainstCatalog, loadSite, loadSiteWithCatalogs, parseSite } from '../../src/catalog/site-file.js';
import { UserError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'flowaudit-site-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The message of the UserError `fn` throws (fails the test when it does not throw one). */
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

const DESIGN_EXAMPLE = `catalogs: [altiris-ds-5.5, 1e-platform]      # which rules/ files apply
roles:
  altiris.deployment-server: [10.0.0.5]
  altiris.client: [10.1.0.0/16, 10.2.0.10-10.2.0.99]
sites:
  hq: [10.0.0.0/16]
  branch-leeds: [10.20.0.0/16]
params:
  1e.switch_port: 4001
ignore:
  - { from: 10.0.0.0/8, to: 10.0.0.53, proto: udp, port: 53 }
require: [1e.master-to-smtp]
optional: [altiris.aclient-to-server]
`;

describe('site file', () => {
  it('reads the contract example into numeric ranges', () => {
    const p = join(dir, 'site.yaml');
    writeFileSync(p, DESIGN_EXAMPLE);
    const site = loadSite(p);
    expect(site.file).toBe(p);
    expect(site.catalogs).toEqual(['altiris-ds-5.5', '1e-platform']);
    expect(site.roles.get('altiris.deployment-server')).toEqual([{ family: 4, lo: 0x0a000005n, hi: 0x0a000005n, text: '10.0.0.5' }]);
    expect(site.roles.get('altiris.client')).toEqual([
      { family: 4, lo: 0x0a010000n, hi: 0x0a01ffffn, text: '10.1.0.0/16' },
      { family: 4, lo: 0x0a02000an, hi: 0x0a020063n, text: '10.2.0.10-10.2.0.99' },
    ]);
    expect([...site.sites.keys()]).toEqual(['hq', 'branch-leeds']);
    expect(site.params).toEqual(new Map([['1e.switch_port', 4001]]));
    expect(site.ignore).toHaveLength(1);
    expect(site.ignore[0]).toMatchObject({
      from: [{ family: 4, lo: 0x0a000000n, hi: 0x0affffffn }],
      to: [{ family: 4, lo: 0x0a000035n, hi: 0x0a000035n }],
      proto: 'udp',
      ports: [{ lo: 53, hi: 53 }],
      line: 11,
    });
    expect(site.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(site.lines?.roles.get('altiris.client')).toBe(4);
    expect(site.require).toEqual([{ id: '1e.master-to-smtp', line: 12, field: 'require[0]' }]);
    expect(site.optional).toEqual([{ id: 'altiris.aclient-to-server', line: 13, field: 'optional[0]' }]);
    // And it is consistent with the catalogs it names.
    expect(() => checkSiteAgainstCatalog(site, loadCatalogs(site.catalogs))).not.toThrow();
  });

  it('accepts IPv6 addresses, CIDRs and ranges (quoted) and a single address without a list', () => {
    const site = parseSite(
      `catalogs: sccm-2007
roles:
  sccm.client: ["2001:db8:1::/48", "2001:db8:2::10-2001:db8:2::20"]
  sccm.management-point: "2001:db8::5"
  sccm.site-server: 10.0.0.1
`,
      'v6.yaml',
    );
    expect(site.catalogs).toEqual(['sccm-2007']);
    const c = site.roles.get('sccm.client')!;
    expect(c[0]).toMatchObject({ family: 6, lo: 0x20010db8000100000000000000000000n, hi: 0x20010db80001ffffffffffffffffffffn });
    expect(c[1]).toMatchObject({ family: 6, lo: 0x20010db8000200000000000000000010n, hi: 0x20010db8000200000000000000000020n });
    expect(site.roles.get('sccm.management-point')).toEqual([{ family: 6, lo: 0x20010db8000000000000000000000005n, hi: 0x20010db8000000000000000000000005n, text: '2001:db8::5' }]);
    expect(site.roles.get('sccm.site-server')![0]).toMatchObject({ family: 4, lo: 0x0a000001n });
  });

  it('ignore entries may name roles of the same file, port ranges and lists', () => {
    const site = parseSite(
      `catalogs: [sccm-2007]
roles:
  sccm.client: [10.1.0.0/16]
ignore:
  - {from: sccm.client, proto: tcp, port: [8080, 9000-9010]}
  - {to: "2001:db8::/32"}
`,
      'ign.yaml',
    );
    expect(site.ignore[0]).toMatchObject({ from: [{ lo: 0x0a010000n }], to: null, proto: 'tcp', ports: [{ lo: 8080, hi: 8080 }, { lo: 9000, hi: 9010 }], line: 5 });
    expect(site.ignore[1]).toMatchObject({ from: null, proto: null, ports: null, line: 6 });
  });

  // Each case: site text, expected "file:line: field" and message fragment.
  const errorCases: [string, string, number, string, RegExp][] = [
    ['bad IPv4', 'catalogs: [sccm-2007]\nroles:\n  sccm.client: [10.1.0.0/16, 10.300.0.1]\n', 3, 'roles.sccm.client[1]', /"10\.300\.0\.1" is not an IPv4 or IPv6 address/],
    ['bad prefix length', 'catalogs: [sccm-2007]\nroles:\n  sccm.client: 10.1.0.0/33\n', 3, 'roles.sccm.client', /prefix \/33 is longer than 32 bits/],
    ['backwards range', 'catalogs: [sccm-2007]\nsites:\n  hq:\n    - 10.0.0.0/8\n    - 10.2.0.99-10.2.0.10\n', 5, 'sites.hq[1]', /ends before it starts/],
    ['mixed family range', 'catalogs: [x]\nroles:\n  a.b: ["10.0.0.1-2001:db8::1"]\n', 3, 'roles.a.b[0]', /mixes IPv4 and IPv6/],
    ['unknown top-level key', 'catalogs: [x]\nrole:\n  a.b: 10.0.0.1\n', 2, 'role', /unknown key "role"/],
    ['unknown key names every allowed key', 'catalogs: [x]\nrequired: [a.b]\n', 2, 'required', /unknown key "required" \(allowed: catalogs, roles, sites, params, ignore, allow, require, optional, strict\)/],
    ['role id without product', 'catalogs: [x]\nroles:\n  client: 10.0.0.1\n', 3, 'roles.client', /role ids look like "product.role"/],
    ['param not a port', 'catalogs: [x]\nparams:\n  1e.switch_port: 70000\n', 3, 'params.1e.switch_port', /expected a port number/],
    ['param as text', 'catalogs: [x]\nparams:\n  1e.switch_port: four thousand\n', 3, 'params.1e.switch_port', /expected a port number/],
    ['ignore unknown key', 'catalogs: [x]\nignore:\n  - {from: 10.0.0.1, dport: 53}\n', 3, 'ignore[0].dport', /unknown key "dport"/],
    ['ignore bad proto', 'catalogs: [x]\nignore:\n  - {from: 10.0.0.1, proto: tcpp}\n', 3, 'ignore[0].proto', /bad proto "tcpp"/],
    ['ignore bad port', 'catalogs: [x]\nignore:\n  - {from: 10.0.0.1, port: 99999}\n', 3, 'ignore[0].port', /out of range/],
    ['ignore unknown name', 'catalogs: [x]\nignore:\n  - {from: sccm.nobody}\n', 3, 'ignore[0].from', /nor a role listed under roles/],
    ['missing catalogs', 'roles:\n  a.b: 10.0.0.1\n', 1, 'catalogs', /missing "catalogs"/],
    ['YAML syntax', 'catalogs: [x\nroles: {}\n', 2, '(yaml)', /Flow sequence .* must .* end with a \]$/],
    ['YAML alias', 'catalogs: [x]\nroles:\n  a.b: &servers [10.0.0.1]\n  a.c: *servers\n', 4, 'roles.a.c',
      /^expected an address, CIDR or range as text \(got the YAML alias \*servers \(site files do not follow anchors and aliases: write the value out\)\)$/],
    ['unquoted IPv6 ending in ::', 'catalogs: [x]\nroles:\n  a.b:\n    - 2001:db8::\n', 4, 'roles.a.b[0]',
      /got a map with key "2001:db8:"; an IPv6 address ending in "::" reads as a map key in YAML: quote it \("2001:db8::"\)/],
    ['a number', 'catalogs: [x]\nroles:\n  a.b: [10]\n', 3, 'roles.a.b[0]', /\(got the number 10\)$/],
    ['a nested list', 'catalogs: [x]\nsites:\n  hq: [[10.0.0.1]]\n', 3, 'sites.hq[0]', /\(got a list inside the list\)$/],
  ];
  for (const [name, text, line, field, msg] of errorCases) {
    it(`reports ${name} with line and field`, () => {
      const message = userError(() => parseSite(text, 'bad.yaml'));
      const prefix = `bad.yaml:${line}: ${field}: `;
      const hit = message.split('\n').find((l) => l.includes(prefix));
      expect(hit, message).toBeDefined();
      expect(hit!.slice(hit!.indexOf(prefix) + prefix.length)).toMatch(msg);
    });
  }

  it('reports every problem at once, in line order', () => {
    const message = userError(() => parseSite('catalogs: [x]\nroles:\n  a.b: [1.2.3]\nparams:\n  a.p: -1\nextra: 1\n', 'multi.yaml'));
    expect(message.split('\n')).toEqual([
      'site file errors:',
      expect.stringMatching(/^multi\.yaml:3: roles\.a\.b\[0\]: /),
      expect.stringMatching(/^multi\.yaml:5: params\.a\.p: /),
      expect.stringMatching(/^multi\.yaml:6: extra: unknown key/),
    ]);
  });

  it('checkSiteAgainstCatalog names unknown roles and parameters with their lines', () => {
    const site = parseSite('catalogs: [1e-platform]\nroles:\n  1e.client: 10.1.0.0/16\n  1e.swich: 10.0.0.9\nparams:\n  1e.switch_prot: 4001\n', 'chk.yaml');
    const message = userError(() => checkSiteAgainstCatalog(site, loadCatalogs(site.catalogs)));
    expect(message).toContain('chk.yaml:4: roles.1e.swich: unknown role "1e.swich" (this catalog has: ');
    expect(message).toContain('chk.yaml:6: params.1e.switch_prot: unknown parameter "1e.switch_prot" (known: ');
    expect(message).toContain('1e.switch_port');
  });

  it('loadSiteWithCatalogs resolves a custom catalog next to the site file and applies params', () => {
    writeFileSync(
      join(dir, 'own.yaml'),
      `catalog: own\nprefix: own\nroles:\n  app: app server\nparams:\n  port: {default: 9000, doc: app port}\nrules:\n  - {id: to-app, from: internal, to: app, proto: tcp, port: "\${port}", source: {doc: runbook, ref: "section 2"}}\n`,
    );
    const p = join(dir, 'own-site.yaml');
    writeFileSync(p, 'catalogs: [./own.yaml, system-inmation]\nroles:\n  own.app: 10.9.0.1\nparams:\n  own.port: 9100\n');
    const { site, catalog } = loadSiteWithCatalogs(p);
    expect(catalog.ids).toEqual(['own', 'system-inmation']);
    expect(catalog.rules.find((r) => r.id === 'own.to-app')!.ports).toEqual([{ lo: 9100, hi: 9100 }]);
    expect(site.roles.get('own.app')![0].lo).toBe(0x0a090001n);
    writeFileSync(p, 'catalogs: [./missing.yaml]\n');
    expect(userError(() => loadSiteWithCatalogs(p))).toMatch(/catalog file not found: .*missing\.yaml/);
  });

  it('require and optional list rule ids, one or a list, with their lines and fields', () => {
    const site = parseSite('catalogs: [1e-platform]\nrequire: [1e.master-to-smtp, 1e.client-to-switch]\noptional: 1e.master-to-sql\n', 'req.yaml');
    expect(site.require).toEqual([
      { id: '1e.master-to-smtp', line: 2, field: 'require[0]' },
      { id: '1e.client-to-switch', line: 2, field: 'require[1]' },
    ]);
    expect(site.optional).toEqual([{ id: '1e.master-to-sql', line: 3, field: 'optional' }]);
    expect(() => checkSiteAgainstCatalog(site, loadCatalogs(site.catalogs))).not.toThrow();
    // Neither key: nothing to override.
    const plain = parseSite('catalogs: [1e-platform]\n', 'plain.yaml');
    expect(plain.require).toBeUndefined();
    expect(plain.optional).toBeUndefined();
    expect(parseSite('catalogs: [1e-platform]\nrequire: []\noptional:\n', 'empty.yaml')).toMatchObject({ require: [], optional: [] });
  });

  it('require and optional: a bad entry or an id under both keys names file, line and field', () => {
    const message = userError(() => parseSite(
      'catalogs: [1e-platform]\nrequire:\n  - 1e.master-to-smtp\n  - {id: x}\noptional:\n  - 42\n  - 1e.master-to-smtp\n', 'both.yaml'));
    expect(message.split('\n')).toEqual([
      'site file errors:',
      expect.stringMatching(/^both\.yaml:4: require\[1\]: expected a rule id/),
      expect.stringMatching(/^both\.yaml:6: optional\[0\]: expected a rule id/),
      'both.yaml:7: optional[1]: rule "1e.master-to-smtp" is listed under both require and optional',
    ]);
  });

  it('checkSiteAgainstCatalog names unknown rule ids of require and optional with their lines', () => {
    const site = parseSite('catalogs: [sccm-2007]\nrequire:\n  - sccm.client-to-sup\n  - sccm.client-to-sub\noptional: [sccm.ss-to-dc-rpc-dynamic]\n', 'rules.yaml');
    const message = userError(() => checkSiteAgainstCatalog(site, loadCatalogs(site.catalogs)));
    expect(message.split('\n')).toEqual([
      'site file errors:',
      'rules.yaml:4: require[1]: unknown rule "sccm.client-to-sub" (loaded catalogs: sccm-2007; flowaudit rules list shows their rule ids)',
      'rules.yaml:5: optional[0]: unknown rule "sccm.ss-to-dc-rpc-dynamic" (a follow-on of sccm.ss-to-dc-rpc, which is the rule to list)',
    ]);
  });

  it('an unknown catalog id names the site file, line and field, a near id and every shipped id', () => {
    const p = join(dir, 'typo-site.yaml');
    writeFileSync(p, '# estate\ncatalogs:\n  - 1e-platform\n  - sccm-2008\nroles:\n  1e.client: 10.1.0.0/16\n');
    expect(userError(() => loadSiteWithCatalogs(p))).toBe(
      `site file error: ${p}:4: catalogs[1]: unknown catalog "sccm-2008" (did you mean "sccm-2007"?); shipped catalogs: `
      + '1e-platform, altiris-ds-5.5, dell-wdm, sccm-2007, system-inmation, windows-infra; a catalog file of your own is named by its path (ending in .yaml)',
    );
    writeFileSync(p, 'catalogs: nothing-like-it\n');
    expect(userError(() => loadSiteWithCatalogs(p))).toMatch(new RegExp(`^site file error: ${p}:1: catalogs: unknown catalog "nothing-like-it"; shipped catalogs: 1e-platform, `));
  });

  it('a CIDR with host bits set is read as its network, with a warning naming file, line and field', () => {
    const site = parseSite('catalogs: [x]\nroles:\n  a.b:\n    - 10.0.0.5\n    - 10.0.1.1/24\nsites:\n  hq: "2001:db8::1/64"\nignore:\n  - { from: 10.9.9.9/8 }\n', 'hb.yaml');
    expect(site.roles.get('a.b')![1]).toMatchObject({ lo: 0x0a000100n, hi: 0x0a0001ffn });
    expect(site.warnings).toEqual([
      'hb.yaml:5: roles.a.b[1]: "10.0.1.1/24" has host bits set: read as the network 10.0.1.0/24',
      'hb.yaml:7: sites.hq: "2001:db8::1/64" has host bits set: read as the network 2001:db8::/64',
      'hb.yaml:9: ignore[0].from: "10.9.9.9/8" has host bits set: read as the network 10.0.0.0/8',
    ]);
    expect(parseSite(DESIGN_EXAMPLE, 'ok.yaml').warnings).toEqual([]);
  });

  it('a missing site file is a UserError, not a stack trace', () => {
    expect(userError(() => loadSite(join(dir, 'nope.yaml')))).toMatch(/cannot read site file .*nope\.yaml: ENOENT/);
  });
});

describe('address expressions', () => {
  it('IPv4 single, CIDR (host bits masked), range', () => {
    expect(parseAddressExpr('192.168.1.1')).toEqual({ family: 4, lo: 0xc0a80101n, hi: 0xc0a80101n, text: '192.168.1.1' });
    expect(parseAddressExpr('192.168.1.77/24')).toMatchObject({ lo: 0xc0a80100n, hi: 0xc0a801ffn });
    expect(parseAddressExpr('0.0.0.0/0')).toMatchObject({ lo: 0n, hi: 0xffffffffn });
    expect(parseAddressExpr('10.0.0.1 - 10.0.0.9')).toMatchObject({ lo: 0x0a000001n, hi: 0x0a000009n });
  });
  it('IPv6 single, compressed, CIDR, range, v4-mapped', () => {
    expect(parseAddressExpr('::1')).toMatchObject({ family: 6, lo: 1n, hi: 1n });
    expect(parseAddressExpr('fe80::/10')).toMatchObject({ lo: 0xfe80n << 112n, hi: (0xfec0n << 112n) - 1n });
    expect(parseAddressExpr('2001:db8::1-2001:db8::ff')).toMatchObject({ lo: 0x20010db8000000000000000000000001n, hi: 0x20010db80000000000000000000000ffn });
    expect(parseAddressExpr('::ffff:10.0.0.1')).toMatchObject({ family: 6, lo: 0xffff0a000001n });
  });
  it('rejects malformed input with a reason', () => {
    expect(() => parseAddressExpr('1.2.3')).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => parseAddressExpr('1.2.3.4/x')).toThrow(/bad prefix length/);
    expect(() => parseAddressExpr('2001:db8::/129')).toThrow(/longer than 128 bits/);
    expect(() => parseAddressExpr('2001:db8:::1')).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => parseAddressExpr('')).toThrow(/empty/);
  });
});

describe('address lists in files (@FILE)', () => {
  it('reads one address, CIDR or range per line beside the site file, and its text is part of the site hash', () => {
    writeFileSync(join(dir, 'clients.txt'), '# branch clients\n10.1.0.5\n\n10.2.0.0/24   # a subnet\n10.3.0.1-10.3.0.9\n');
    const p = join(dir, 'listed.yaml');
    writeFileSync(p, 'catalogs: [sccm-2007]\nroles:\n  sccm.client: ["@clients.txt", 10.9.0.1]\n');
    const site = loadSite(p);
    expect(site.roles.get('sccm.client')!.map((r) => [r.lo, r.hi])).toEqual([
      [0x0a010005n, 0x0a010005n], [0x0a020000n, 0x0a0200ffn], [0x0a030001n, 0x0a030009n], [0x0a090001n, 0x0a090001n],
    ]);
    const before = site.hash;
    writeFileSync(join(dir, 'clients.txt'), '10.1.0.6\n');
    expect(loadSite(p).hash).not.toBe(before);
  });

  it('a bad line names the list file and line, and the site file entry that named it', () => {
    writeFileSync(join(dir, 'bad.txt'), '10.1.0.5\n10.1.0.300\n');
    const p = join(dir, 'bad-list.yaml');
    writeFileSync(p, 'catalogs: [sccm-2007]\nroles:\n  sccm.client: "@bad.txt"\n');
    expect(userError(() => loadSite(p))).toMatch(new RegExp(`:3: roles\\.sccm\\.client: ${join(dir, 'bad.txt')}:2: .*\\(in the address list named at .*bad-list\\.yaml:3: roles\\.sccm\\.client\\)`));
    writeFileSync(p, 'catalogs: [sccm-2007]\nroles:\n  sccm.client: "@missing.txt"\n');
    expect(userError(() => loadSite(p))).toMatch(/roles\.sccm\.client: cannot read address list .*missing\.txt: ENOENT/);
  });
});

describe('site file: allow (site-local approvals)', () => {
  const HEAD = 'catalogs: [sccm-2007]\nroles:\n  sccm.client: [10.0.1.0/24]\n  sccm.sql-server: [10.0.0.30]\nallow:\n';

  it('reads an entry: the ignore matcher, reason, by, date and rule, and what was written', () => {
    const site = parseSite(HEAD + [
      '  - from: sccm.client',
      '    to: sccm.sql-server',
      '    proto: tcp',
      '    port: 1433',
      '    reason: "inventory script: reads the site database"',
      '    by: alice',
      '    date: 2026-03-01',
      '    rule: sccm.mp-sql',
      '  - { to: [10.0.0.9, 10.0.0.10], port: [80, 8000-8010], reason: web proxy }',
    ].join('\n') + '\n', 's.yaml');
    expect(site.ignore).toEqual([]);
    expect(site.allow).toHaveLength(2);
    expect(site.allow![0]).toMatchObject({
      from: [{ lo: 0x0a000100n, hi: 0x0a0001ffn }], to: [{ lo: 0x0a00001en }], proto: 'tcp', ports: [{ lo: 1433, hi: 1433 }],
      reason: 'inventory script: reads the site database', by: 'alice', date: '2026-03-01', rule: 'sccm.mp-sql',
      fromText: ['sccm.client'], toText: ['sccm.sql-server'], portText: '1433', line: 6,
    });
    expect(site.allow![1]).toMatchObject({
      from: null, fromText: null, toText: ['10.0.0.9', '10.0.0.10'], portText: '80, 8000-8010', by: null, date: null, rule: null, line: 14,
      ports: [{ lo: 80, hi: 80 }, { lo: 8000, hi: 8010 }],
    });
  });

  it('a site file without allow: has none (undefined), and an empty one too', () => {
    expect(parseSite('catalogs: [sccm-2007]\n', 's.yaml').allow).toBeUndefined();
    expect(parseSite('catalogs: [sccm-2007]\nallow: []\n', 's.yaml').allow).toBeUndefined();
  });

  const cases: [string, string, number, string, RegExp][] = [
    ['missing reason', '  - { from: sccm.client, port: 1433, by: alice }\n', 6, 'allow[0].reason', /^missing "reason" \(why this flow is accepted\)$/],
    ['empty reason', '  - { from: sccm.client, reason: "" }\n', 6, 'allow[0].reason', /^expected text: why this flow is accepted/],
    ['bad date', '  - from: sccm.client\n    reason: ok\n    date: 01/03/2026\n', 8, 'allow[0].date', /^expected a date as YYYY-MM-DD \(got "01\/03\/2026"\)$/],
    ['impossible date', '  - { from: sccm.client, reason: ok, date: 2026-02-30 }\n', 6, 'allow[0].date', /^no such date "2026-02-30"$/],
    ['unknown key', '  - { from: sccm.client, reason: ok, approver: bob }\n', 6, 'allow[0].approver',
      /^unknown key "approver" \(allowed: from, to, proto, port, reason, by, date, rule\)$/],
    ['no matcher', '  - { reason: everything is fine }\n', 6, 'allow[0]', /^an empty allow entry would allow everything$/],
    ['bad port', '  - { to: sccm.sql-server, port: 70000, reason: ok }\n', 6, 'allow[0].port', /out of range/],
    ['not a list', '', 5, 'allow', /^expected a list of \{from, to, proto, port, reason, by, date, rule\}$/],
  ];
  for (const [name, entry, line, field, msg] of cases) {
    it(`reports ${name} as FILE:LINE: FIELD`, () => {
      const text = name === 'not a list' ? HEAD.replace('allow:\n', 'allow: yes\n') : HEAD + entry;
      const message = userError(() => parseSite(text, 'site.yaml'));
      const prefix = `site.yaml:${line}: ${field}: `;
      const hit = message.split('\n').find((l) => l.includes(prefix));
      expect(hit, message).toBeDefined();
      expect(hit!.slice(hit!.indexOf(prefix) + prefix.length)).toMatch(msg);
    });
  }

  it('a rule id the catalogs do not have is an error on the entry\'s line', () => {
    const site = parseSite(HEAD + '  - { from: sccm.client, reason: ok, rule: sccm.no-such-rule }\n', 'site.yaml');
    const message = userError(() => checkSiteAgainstCatalog(site, loadCatalogs(['sccm-2007'])));
    expect(message).toMatch(/site\.yaml:6: allow\[0\]\.rule: unknown rule "sccm\.no-such-rule"/);
  });
});
