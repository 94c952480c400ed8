import { describe, expect, it } from 'vitest';
import { RowChunkDecoder, RowChunkEncoder, type RowChunk } from '../../src/store/row-chunks.js';

/** Every row of the chunks, copied (the decoder refills one array). */
function decodeAll(chunks: RowChunk[]): unknown[][] {
  const d = new RowChunkDecoder();
  const out: unknown[][] = [];
  for (const c of chunks) for (const r of d.rows(c)) out.push([...r]);
  return out;
}

describe('row chunks', () => {
  it('give back numbers, texts and nulls cell for cell, across chunks', () => {
    const rows: unknown[][] = [
      [1, '10.0.0.1', 0.5, null, 'SF'],
      [2, '10.0.0.2', 1709539200.006352, 'rpc', 'SF'],
      [3, '10.0.0.1', -1, null, ''],
      [2 ** 53 - 1, 'é → ü', 0, 'ftp', 'S0'],
    ];
    const e = new RowChunkEncoder(5, 2);
    const chunks: RowChunk[] = [];
    for (const r of rows) {
      e.add(r);
      if (e.length === 2) chunks.push(e.take());
    }
    expect(chunks).toHaveLength(2);
    expect(decodeAll(chunks)).toEqual(rows);
  });

  it('send a repeated text once', () => {
    const e = new RowChunkEncoder(2, 8);
    e.add(['10.0.0.1', 'SF']);
    e.add(['10.0.0.1', 'SF']);
    const first = e.take();
    e.add(['10.0.0.1', 'S0']);
    const second = e.take();
    expect(first.interned).toEqual(['10.0.0.1', 'SF']);
    expect(second.interned).toEqual(['S0']);
    expect(decodeAll([first, second])).toEqual([['10.0.0.1', 'SF'], ['10.0.0.1', 'SF'], ['10.0.0.1', 'S0']]);
  });

  it('empty the intern table between chunks once it is large, and still decode every row', () => {
    const e = new RowChunkEncoder(1, 1000);
    const chunks: RowChunk[] = [];
    const rows: unknown[][] = [];
    for (let i = 0; i < 70_000; i++) {
      const r = [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`];
      rows.push(r);
      e.add(r);
      if (e.length === 1000) chunks.push(e.take());
    }
    expect(chunks.some((c) => c.reset)).toBe(true);
    expect(decodeAll(chunks)).toEqual(rows);
  });

  it('intern again, after the table is emptied, a text that repeats the row before', () => {
    const e = new RowChunkEncoder(2, 1000);
    const chunks: RowChunk[] = [];
    const rows: unknown[][] = [];
    for (let i = 0; i < 70_000; i++) {
      // Column 1 repeats row after row, across the table being emptied.
      const r = [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, i < 69_000 ? 'SF' : 'S0'];
      rows.push(r);
      e.add(r);
      if (e.length === 1000) chunks.push(e.take());
    }
    const reset = chunks.findIndex((c) => c.reset);
    expect(reset).toBeGreaterThan(0);
    expect(chunks[reset]!.interned).toContain('SF');
    expect(decodeAll(chunks)).toEqual(rows);
  });

  it('refuse a cell that is neither a number, a text nor null', () => {
    const e = new RowChunkEncoder(2, 4);
    expect(() => e.add([1, Buffer.from('x')])).toThrow(/column 1 holds a object/);
    expect(() => e.add([1n, 'x'])).toThrow(/column 0 holds a bigint/);
  });
});
