import { describe, expect, it } from 'vitest';
import { parseWhere } from '../../src/store/where-expr.js';

describe('flows --where expressions', () => {
  it('turns clauses into parameterised SQL, never into SQL text', () => {
    expect(parseWhere("dport=445 and state!=SF")).toEqual({ sql: 'f.dport = ? AND f.state <> ?', args: [445, 'SF'] });
    expect(parseWhere('proto=udp')).toEqual({ sql: 'f.proto = ?', args: [17] });
    expect(parseWhere('host=10.0.0.5 AND port=53')).toEqual({
      sql: '(f.src = ? OR f.dst = ?) AND (f.sport = ? OR f.dport = ?)', args: ['10.0.0.5', '10.0.0.5', 53, 53],
    });
    expect(parseWhere('rule=null')).toEqual({ sql: 'f.rule IS NULL', args: [] });
    expect(parseWhere('history~T')).toEqual({ sql: 'f.history LIKE ?', args: ['%T%'] });
    // A hostile value stays a bound value.
    const w = parseWhere("src='1.2.3.4' or 1=1 --'");
    expect(w.sql).toBe('f.src = ?');
    expect(w.args).toEqual(["1.2.3.4' or 1=1 --"]); // outer quotes removed, the rest bound as-is
  });

  it('rejects unknown fields, bad numbers and unreadable clauses with a clear message', () => {
    expect(() => parseWhere('dpor=3')).toThrow(/unknown field 'dpor'/);
    expect(() => parseWhere('dport=abc')).toThrow(/dport needs a number/);
    expect(() => parseWhere('dport')).toThrow(/cannot read 'dport'/);
    expect(() => parseWhere('port>3')).toThrow(/port supports only '='/);
  });
});
