import { describe, expect, it } from 'vitest';
import { count } from '../../src/audit/format.js';

describe('count', () => {
  it('groups thousands exactly as the en-US locale does, for whole numbers of every length and sign', () => {
    const values = [0, -0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10_000, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890,
      Number.MAX_SAFE_INTEGER, -1, -999, -1000, -1_234_567, Number.MIN_SAFE_INTEGER];
    for (let p = 1; p < 1e15; p *= 7) values.push(p, p - 1, p + 1, -p);
    for (const v of values) expect(count(v), String(v)).toBe(v.toLocaleString('en-US'));
  });

  it('leaves fractions, huge and non-finite numbers to the locale', () => {
    for (const v of [1.5, 1234.5678, -0.25, 2 ** 60, Infinity, NaN]) expect(count(v)).toBe(v.toLocaleString('en-US'));
    expect(count(1234.5678)).toBe('1,234.568');
  });
});
