/**
 * `rules check` reports each kind of problem with the right file, line and field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules, formatProblem, parseCatalogText, parsePortExpr } from '../../src/catalog/catalog-file.js';
import { loadCatalog, loadCatalogs } from '../../src/catalog/rules-loader.js';
import { UserError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'flowaudit-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// A valid catalog; each test below breaks one line of it. Line numbers are 1-based.
const GOOD = `catalog: demo
prefix: demo
title: Demo product
roles:
  client: Client
  server: Server
params:
  app_port:
    default: 4000
    doc: Application port
rules:
  - id: client-to-server
    from: client
    to: server
    proto: tcp
    port: \${app_port}
    required: true
    source: {doc: seed.txt, ref: "Table 1: Client -> Server, TCP 4000"}
  - id: server-to-client-rpc
    from: server
    to: client
    proto: tcp
    port: 135
    then:
      - {id: rpc-dynamic, proto: tcp, port: 49152-65535, via: epm, within: 60}
    source: {doc: seed.txt, ref: "Table 1: Server -> Client, RPC 135"}
`;

function breakLine(lineNo: number, replacement: string): string {
  const lines = GOOD.split('\n');
  lines[lineNo - 1] = replacement;
  return lines.join('\n');
}

describe('rules check', () => {
  it('accepts the valid example', () => {
    expect(checkRules([write('good.yaml', GOOD)])).toEqual([]);
  });

  it('unknown role: names file, line and field', () => {
    const f = write('role.yaml', breakLine(14, '    to: [server, database]'));
    expect(checkRules([f])).toEqual([{ file: f, line: 14, field: 'rules[0].to', message: expect.stringContaining('unknown role "database"') }]);
  });

  it('bad port range (reversed range and out of range)', () => {
    const f = write('ports.yaml', breakLine(23, '    port: 5000-4000'));
    expect(checkRules([f])).toEqual([{ file: f, line: 23, field: 'rules[1].port', message: expect.stringMatching(/bad port range: range 5000-4000 ends before it starts/) }]);
    const g = write('ports2.yaml', breakLine(23, '    port: 70000'));
    expect(checkRules([g])).toEqual([{ file: g, line: 23, field: 'rules[1].port', message: expect.stringMatching(/out of range/) }]);
  });

  it('parameter without default (param defined without default, and param not defined)', () => {
    const f = write('param.yaml', breakLine(9, '    alternatives: [4001]'));
    expect(checkRules([f])).toEqual([{ file: f, line: 8, field: 'params.app_port', message: 'parameter without default' }]);
    const g = write('param2.yaml', breakLine(16, '    port: ${other_port}'));
    expect(checkRules([g])).toEqual([{ file: g, line: 16, field: 'rules[0].port', message: expect.stringContaining('parameter without default: ${other_port}') }]);
  });

  it('duplicate id within a file and across files', () => {
    const f = write('dup.yaml', breakLine(19, '  - id: client-to-server'));
    expect(checkRules([f])).toEqual([{ file: f, line: 19, field: 'rules[1].id', message: expect.stringContaining('duplicate id "demo.client-to-server"') }]);
    const a = write('a.yaml', GOOD);
    const b = write('b.yaml', GOOD.replace('catalog: demo', 'catalog: demo2'));
    const problems = checkRules([a, b]);
    // Same prefix: the prefix and all three ids (two rules, one follow-on) collide.
    expect(problems.map((p) => [p.file, p.line, p.field])).toEqual([
      [b, 1, 'prefix'],
      [b, 12, 'rules[0].id'],
      [b, 19, 'rules[1].id'],
      [b, 25, 'rules[1].then[0].id'],
    ]);
  });

  it('unknown key in a rule, in a follow-on and at the top', () => {
    const f = write('key.yaml', breakLine(17, '    requird: true'));
    expect(checkRules([f])).toEqual([{ file: f, line: 17, field: 'rules[0].requird', message: expect.stringContaining('unknown key "requird"') }]);
    const g = write('key2.yaml', breakLine(25, '      - {id: rpc-dynamic, proto: tcp, port: 49152-65535, via: epm, within: 60, wait: 5}'));
    expect(checkRules([g])).toEqual([{ file: g, line: 25, field: 'rules[1].then[0].wait', message: expect.stringContaining('unknown key') }]);
    const h = write('key3.yaml', 'version: 2\n' + GOOD);
    expect(checkRules([h])).toEqual([{ file: h, line: 1, field: 'version', message: expect.stringContaining('unknown key "version"') }]);
  });

  it('missing source citation (no source, empty ref)', () => {
    const f = write('src.yaml', breakLine(18, ''));
    expect(checkRules([f])).toEqual([{ file: f, line: 12, field: 'rules[0].source', message: expect.stringContaining('missing source citation') }]);
    const g = write('src2.yaml', breakLine(18, '    source: {doc: seed.txt, ref: ""}'));
    expect(checkRules([g])).toEqual([{ file: g, line: 18, field: 'rules[0].source.ref', message: expect.stringContaining('missing source citation') }]);
  });

  it('bad proto, in a rule and in a follow-on', () => {
    const f = write('proto.yaml', breakLine(15, '    proto: sctp'));
    expect(checkRules([f])).toEqual([{ file: f, line: 15, field: 'rules[0].proto', message: expect.stringContaining('bad proto "sctp"') }]);
    const g = write('proto2.yaml', breakLine(25, '      - {id: rpc-dynamic, proto: icmp, port: 49152-65535, via: epm, within: 60}'));
    expect(checkRules([g])).toEqual([{ file: g, line: 25, field: 'rules[1].then[0].proto', message: expect.stringContaining('bad proto') }]);
  });

  it('other value checks: via, direction, wan_cache, required, icmp without type', () => {
    const cases: [number, string, string, RegExp][] = [
      [25, '      - {id: rpc-dynamic, proto: tcp, port: 49152-65535, via: magic, within: 60}', 'rules[1].then[0].via', /via is one of/],
      [17, '    direction: sideways', 'rules[0].direction', /direction is "one-way"/],
      [17, '    wan_cache: sometimes', 'rules[0].wan_cache', /wan_cache is "never" or "allowed"/],
      [17, '    required: yes please', 'rules[0].required', /required is true or false/],
      [15, '    proto: icmp', 'rules[0].icmp_type', /missing "icmp_type"/],
    ];
    for (const [line, text, field, msg] of cases) {
      const f = write(`v${line}${field.replace(/\W/g, '')}.yaml`, breakLine(line, text));
      const problems = checkRules([f]);
      expect(problems.find((p) => p.field === field), `${field}: ${problems.map(formatProblem).join('; ')}`).toMatchObject({ file: f, line, message: expect.stringMatching(msg) });
    }
  });

  it('YAML syntax errors carry their line', () => {
    const f = write('syntax.yaml', breakLine(20, '    from: [client'));
    const problems = checkRules([f]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: f, field: '(yaml)' });
    expect(problems[0].line).toBeGreaterThanOrEqual(20);
  });

  it('loadCatalogs refuses a broken file with every problem in one UserError', () => {
    const f = write('broken.yaml', breakLine(15, '    proto: sctp').replace('to: server', 'to: nobody'));
    expect(() => loadCatalogs([f])).toThrow(UserError);
    try {
      loadCatalogs([f]);
    } catch (err) {
      expect((err as Error).message).toContain(`${f}:15: rules[0].proto: bad proto "sctp"`);
      expect((err as Error).message).toContain(`${f}:14: rules[0].to: unknown role "nobody"`);
    }
  });

  it('loads a custom catalog by path and qualifies ids, roles and params with the prefix', () => {
    const cat = loadCatalog(write('custom.yaml', GOOD));
    expect(cat.ids).toEqual(['demo']);
    expect([...cat.roles.keys()]).toEqual(['demo.client', 'demo.server']);
    expect(cat.params.get('demo.app_port')).toMatchObject({ default: 4000 });
    expect(cat.rules[0]).toMatchObject({ id: 'demo.client-to-server', from: ['demo.client'], to: ['demo.server'], ports: [{ lo: 4000, hi: 4000 }], portsText: '${app_port}', line: 12, required: true });
    expect(cat.rules[1].then[0]).toMatchObject({ id: 'demo.rpc-dynamic', ports: [{ lo: 49152, hi: 65535 }], via: 'epm', direction: 'same' });
  });

  it('an unknown catalog id is a UserError naming the shipped ones', () => {
    expect(() => loadCatalogs(['no-such-product'])).toThrow(/unknown catalog "no-such-product"; shipped catalogs: .*sccm-2007/);
  });
});

describe('source documents', () => {
  const rule = (doc: string) => `  - {id: r-${doc.length}, from: a, to: b, proto: tcp, port: 1, source: {doc: ${doc}, ref: row}}\n`;
  it('a document listed under sources gives its rules its title; others have none', () => {
    const p = parseCatalogText(`catalog: t\nprefix: t\nsources:\n  seed.txt: Product X 2.0\nroles:\n  a: a\n  b: b\nrules:\n${rule('seed.txt')}${rule('manual.pdf')}`, 't.yaml');
    expect(p.problems).toEqual([]);
    expect(p.rules.map((r) => r.rule.source)).toEqual([{ doc: 'seed.txt', ref: 'row', title: 'Product X 2.0' }, { doc: 'manual.pdf', ref: 'row' }]);
  });
  it('sources must map documents to titles', () => {
    const p = parseCatalogText(`catalog: t\nprefix: t\nsources:\n  seed.txt: 3\nroles:\n  a: a\n  b: b\nrules:\n${rule('seed.txt')}`, 't.yaml');
    expect(p.problems.map(formatProblem)).toEqual(['t.yaml:4: sources.seed.txt: expected the title of the document or product']);
  });
  it('every rule of a shipped catalog that cites a seed file cites it with its product title', () => {
    for (const r of loadCatalogs(['1e-platform', 'sccm-2007', 'altiris-ds-5.5', 'dell-wdm', 'system-inmation']).rules) {
      if (/^\d{3}_[0-9a-f]{16}\.txt$/.test(r.source.doc)) expect(r.source.title, r.id).toBeTruthy();
    }
  });
});

describe('port expressions', () => {
  it('parses singles, lists, ranges and parameters', () => {
    expect(parsePortExpr('80', 'p')).toEqual([{ lo: { n: 80 }, hi: { n: 80 } }]);
    expect(parsePortExpr('80, 1025-5000', 'p')).toEqual([
      { lo: { n: 80 }, hi: { n: 80 } },
      { lo: { n: 1025 }, hi: { n: 5000 } },
    ]);
    const sw = parsePortExpr('${switch_port}', '1e');
    expect(sw).toEqual([{ lo: { param: '1e.switch_port' }, hi: { param: '1e.switch_port' } }]);
    expect(parsePortExpr('${first}-${last}', 'x')).toEqual([{ lo: { param: 'x.first' }, hi: { param: 'x.last' } }]);
  });
  it('rejects garbage', () => {
    expect(parsePortExpr('http', 'p')).toMatch(/not a port number/);
    expect(parsePortExpr('0', 'p')).toMatch(/out of range/);
    expect(parsePortExpr('80,,81', 'p')).toMatch(/empty item/);
  });
});
