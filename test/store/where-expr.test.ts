/**
 * `flows --where`: the grammar (and/or/not, parentheses, comparisons, globs, CIDRs), errors that
 * name the column, values always bound as parameters, and — on the bundled example stored in a
 * real database — every expression selects exactly the flows a plain JavaScript predicate does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/classify/classifier.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openFlowStore } from '../../src/store/open-store.js';
import type { FlowStore, StoredFlow } from '../../src/store/types.js';
import { parseWhere } from '../../src/store/where-expr.js';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { join } from 'node:path';

describe('flows --where: the SQL it makes', () => {
  it('binds every value as a parameter, never as SQL text', () => {
    expect(parseWhere('dport=445 and state!=SF')).toMatchObject({ sql: '(f.dport = ? AND f.state <> ?)', args: [445, 'SF'] });
    expect(parseWhere('proto=udp')).toMatchObject({ sql: 'f.proto = ?', args: [17] });
    expect(parseWhere('host=10.0.0.5 AND port=53')).toMatchObject({
      sql: '((f.src = ? OR f.dst = ?) AND (f.sport = ? OR f.dport = ?))', args: ['10.0.0.5', '10.0.0.5', 53, 53],
    });
    expect(parseWhere('rule=null')).toMatchObject({ sql: 'f.rule IS NULL', args: [] });
    expect(() => parseWhere("src='1.2.3.4' or 1=1 --'")).toThrow(/at column 18: expected a field name, found '1=1'/);
    const hostile = parseWhere(`rule="x' OR 1=1; DROP TABLE flow_data; --"`);
    expect(hostile.sql).toBe('COALESCE(f.rule = ?, 0)');
    expect(hostile.args).toEqual(["x' OR 1=1; DROP TABLE flow_data; --"]);
  });

  it('~ is a glob over the whole value; text without wildcards matches anywhere', () => {
    expect(parseWhere('history~Sh*')).toMatchObject({ sql: 'f.history GLOB ?', args: ['Sh*'] });
    expect(parseWhere('history~T')).toMatchObject({ sql: 'f.history GLOB ?', args: ['*T*'] });
    expect(parseWhere('rule!~sccm.*')).toMatchObject({ sql: 'NOT (COALESCE(f.rule GLOB ?, 0))', args: ['sccm.*'] });
  });

  it('a CIDR or a range on an address field is a range test, a single address is compared canonically', () => {
    const w = parseWhere('src=10.0.0.0/16');
    expect(w.sql).toBe('flowaudit_addr_in(f.src, ?, ?, ?)');
    expect(w.args).toEqual([4, String(0x0a000000), String(0x0a00ffff)]);
    expect(Object.keys(w.functions)).toEqual(['flowaudit_addr_in']);
    expect(parseWhere('dst=2001:DB8:0::1')).toMatchObject({ sql: 'f.dst = ?', args: ['2001:db8::1'] });
    expect(parseWhere('host!=10.1.0.0/16').sql).toBe('NOT (flowaudit_addr_in(f.src, ?, ?, ?) OR flowaudit_addr_in(f.dst, ?, ?, ?))');
  });

  it('points at the column of a mistake', () => {
    const err = (e: string) => { try { parseWhere(e); } catch (x) { return (x as Error).message; } return 'no error'; };
    expect(err('state=SF and')).toBe(`--where: at column 13: expected a field name after 'and' (fields: host, port, proto, src, dst, sport, dport, state, history, rule, match, capture, vlan, origpackets, resppackets, origbytes, respbytes, start, end, duration, tunnel)`);
    expect(err('dport=445 and state=')).toBe("--where: at column 21: expected a value after '='");
    expect(err('dport=445 and state= )')).toBe("--where: at column 22: expected a value after '='");
    expect(err('dpor=3')).toMatch(/^--where: at column 1: unknown field 'dpor' \(fields: host, port, /);
    expect(err('dport=abc')).toBe("--where: at column 7: dport needs a number, got 'abc'");
    expect(err('dport')).toMatch(/^--where: at column 6: expected an operator \(<= >= != !~ = < > ~\) after 'dport'$/);
    expect(err('port>3')).toBe('--where: at column 5: port (either end) compares with = or != only');
    expect(err('(dport=1 or dport=2')).toBe("--where: at column 20: '(' at column 1 is not closed");
    expect(err('dport=1)')).toBe("--where: at column 8: ')' without a matching '('");
    expect(err('dport=1 dport=2')).toBe("--where: at column 9: expected 'and', 'or' or the end, found 'dport=2'");
    expect(err("rule='abc")).toBe('--where: at column 6: the quote \' is not closed');
    expect(err('src=10.0.0.0/33')).toMatch(/^--where: at column 5: src needs an address, a CIDR or a range a-b: prefix \/33 is longer than 32 bits/);
    expect(err('src>10.0.0.1')).toMatch(/^--where: at column 4: src compares with = or !=/);
    expect(err('state=null')).toBe('--where: at column 7: state always has a value: null makes no sense here');
    expect(err('')).toMatch(/^--where: at column 1: empty expression/);
    expect(err('and=1')).toBe("--where: at column 1: expected a field name, found the keyword 'and'");
  });
});

describe('flows --where on a stored capture: the same flows as a JavaScript predicate', () => {
  const tmp = new TempDir();
  let store: FlowStore;
  let all: StoredFlow[];
  beforeAll(async () => {
    const { site, catalog } = loadSiteWithCatalogs(join(PROJECT_ROOT, 'fixtures/example/site.yaml'));
    store = openFlowStore(tmp.name('where.db'));
    await ingest([{ name: join(PROJECT_ROOT, 'fixtures/example/estate.pcap') }], { store, classifier: createClassifier(catalog, site), catalog });
    all = [...store.flows()];
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  const v4 = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const in16 = (a: string, net: string) => !a.includes(':') && (v4(a) >>> 16) === (v4(net) >>> 16);
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const cases: [string, (f: StoredFlow) => boolean][] = [
    ['state=SF', (f) => f.state === 'SF'],
    ['state=SF or state=S0', (f) => f.state === 'SF' || f.state === 'S0'],
    ['dport=445 or dport=135', (f) => f.dport === 445 || f.dport === 135],
    ['not state=SF', (f) => f.state !== 'SF'],
    ['proto=tcp and not (state=SF or state=S0)', (f) => f.proto === 6 && f.state !== 'SF' && f.state !== 'S0'],
    ['src=10.20.0.0/16', (f) => in16(f.src, '10.20.0.0')],
    ['dst=10.0.0.0/16 and src!=10.0.0.0/16', (f) => in16(f.dst, '10.0.0.0') && !in16(f.src, '10.0.0.0')],
    ['host=10.0.0.0/16', (f) => in16(f.src, '10.0.0.0') || in16(f.dst, '10.0.0.0')],
    ['dst=10.0.0.1-10.0.0.30', (f) => !f.dst.includes(':') && v4(f.dst) >= v4('10.0.0.1') && v4(f.dst) <= v4('10.0.0.30')],
    ['history~Sh*', (f) => glob('Sh*').test(f.history)],
    ['history~D', (f) => f.history.includes('D')],
    ['rule=null', (f) => f.classification?.rule == null],
    ['not rule=null', (f) => f.classification?.rule != null],
    ['rule~sccm.*', (f) => glob('sccm.*').test(f.classification?.rule ?? '')],
    ['not rule~sccm.*', (f) => !glob('sccm.*').test(f.classification?.rule ?? '')],
    ['dport>=1024 and dport<49152', (f) => f.dport >= 1024 && f.dport < 49152],
    ['duration>1', (f) => f.end - f.start > 1],
    ['port=53', (f) => f.sport === 53 || f.dport === 53],
  ];
  for (const [expr, pred] of cases) {
    it(expr, () => {
      const got = [...store.flows({ where: expr })].map((f) => f.id);
      const want = all.filter(pred).map((f) => f.id);
      expect(got).toEqual(want);
      expect(got.length, 'the example must exercise this expression').toBeGreaterThan(0);
      if (expr.startsWith('not ') || expr.includes(' or ')) expect(got.length).toBeLessThan(all.length);
    });
  }
});
