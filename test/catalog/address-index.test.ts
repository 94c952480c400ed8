/**
 * The interval index agrees with a brute-force scan on random ranges and addresses, and the
 * address expressions read without ip-num agree with those read with it. (The address parsers
 * themselves are tested in test/util/ip.test.ts.)
 */
import { IPv4, IPv6 } from 'ip-num';
import { describe, expect, it } from 'vitest';
import { AddressIndex, orderByKey, parseAddressExpr, parseCheckedAddressExpr, parseListedAddressExpr } from '../../src/catalog/address-index.js';
import { parseIPv4Fast } from '../../src/util/ip.js';
import { isPseudoRole, SPECIAL_USE_TEXT } from '../../src/classify/classifier.js';
import { listCatalogIds, loadCatalogs } from '../../src/catalog/rules-loader.js';
import type { AddressRange } from '../../src/catalog/types.js';
import { prng as rng } from '../helpers/rng.js';

function v4Text(n: number): string {
  return IPv4.fromNumber(n).toString();
}

describe('AddressIndex vs brute force', () => {
  const rand = rng(42);
  const int = (max: number) => Math.floor(rand() * max);
  // Ranges clustered in 10.0.0.0/16 so that they overlap a lot, plus a few wide ones.
  const entries: { range: AddressRange; value: string }[] = [];
  for (let i = 0; i < 300; i++) {
    const base = 0x0a000000 + int(65536);
    const kind = int(3);
    let text: string;
    if (kind === 0) text = v4Text(base);
    else if (kind === 1) text = `${v4Text(base)}/${16 + int(17)}`;
    else text = `${v4Text(base)}-${v4Text(Math.min(0x0a00ffff, base + int(2000)))}`;
    entries.push({ range: parseAddressExpr(text), value: `role${int(40)}` });
  }
  entries.push({ range: parseAddressExpr('0.0.0.0/0'), value: 'everything' });
  entries.push({ range: parseAddressExpr('255.255.255.255'), value: 'last' });
  for (let i = 0; i < 100; i++) {
    const hi = BigInt(int(16)) << 4n;
    const lo = BigInt(int(1 << 20));
    const base = (0x20010db8n << 96n) | (hi << 80n) | lo;
    const size = BigInt(int(5000));
    const text = int(2) === 0 ? `${IPv6.fromBigInt(base).toString()}/${100 + int(29)}` : `${IPv6.fromBigInt(base).toString()}-${IPv6.fromBigInt(base + size).toString()}`;
    entries.push({ range: parseAddressExpr(text), value: `v6role${int(20)}` });
  }
  const index = new AddressIndex(entries);

  const brute = (family: 4 | 6, v: bigint) => {
    const out: string[] = [];
    for (const e of entries) if (e.range.family === family && v >= e.range.lo && v <= e.range.hi && !out.includes(e.value)) out.push(e.value);
    return out.sort();
  };

  it('IPv4: 20000 random addresses (clustered and anywhere), by text and by number', () => {
    for (let i = 0; i < 20000; i++) {
      const n = i % 4 === 0 ? int(2 ** 32) : 0x0a000000 + int(70000);
      const expected = brute(4, BigInt(n));
      expect([...index.lookupV4(n)].sort()).toEqual(expected);
      expect([...index.lookup(v4Text(n))].sort()).toEqual(expected);
    }
  });

  it('IPv4 edges: range boundaries and their neighbours', () => {
    for (const e of entries.filter((x) => x.range.family === 4)) {
      for (const v of [e.range.lo - 1n, e.range.lo, e.range.hi, e.range.hi + 1n]) {
        if (v < 0n || v > 0xffffffffn) continue;
        expect([...index.lookupV4(Number(v))].sort()).toEqual(brute(4, v));
      }
    }
  });

  it('IPv6: random addresses in and around the ranges', () => {
    const v6 = entries.filter((x) => x.range.family === 6);
    for (let i = 0; i < 5000; i++) {
      const e = v6[int(v6.length)];
      const v = e.range.lo - 10n + BigInt(int(20000));
      const expected = brute(6, v);
      expect([...index.lookupV6(v)].sort()).toEqual(expected);
      expect([...index.lookup(IPv6.fromBigInt(v).toString())].sort()).toEqual(expected);
    }
  });

  it('keeps the number of segments linear in the number of ranges', () => {
    expect(index.segmentCount).toBeLessThanOrEqual(2 * entries.length + 1);
  });

  it('unparseable text has no labels; a bounded cache still answers right', () => {
    expect(index.lookup('not-an-address')).toEqual([]);
    const tiny = new AddressIndex([{ range: parseAddressExpr('10.0.0.0/8'), value: 'x' }], 2);
    for (let i = 0; i < 10; i++) {
      expect(tiny.lookup(`10.0.0.${i}`)).toEqual(['x']);
      expect(tiny.lookup(`11.0.0.${i}`)).toEqual([]);
    }
  });

  it('answers a repeated address from its cache (the same list), still right', () => {
    const addrs = Array.from({ length: 2000 }, () => v4Text(0x0a000000 + int(65536)));
    const first = addrs.map((a) => index.lookup(a));
    for (let i = 0; i < addrs.length; i++) {
      const again = index.lookup(addrs[i]);
      expect(again).toBe(first[i]);
      expect([...new Set(again)].sort()).toEqual(brute(4, BigInt(parseIPv4Fast(addrs[i]))));
    }
  });
});

describe('parseCheckedAddressExpr (no ip-num) reads what ip-num accepted the same way', () => {
  it('the classifier constants, every shipped catalog default and awkward forms', () => {
    const catalog = loadCatalogs(listCatalogIds());
    const defaults = [...catalog.roles.values()].flatMap((r) => r.default ?? []).filter((d) => !isPseudoRole(d));
    expect(defaults.length).toBeGreaterThan(0);
    const awkward = [
      ' 10.0.0.5 ', '10.1.2.3/16', '10.2.0.10-10.2.0.99', '0.0.0.0/0', '255.255.255.255/32',
      '2001:db8::1', '2001:DB8::/32', '2001:db8::1-2001:db8::ff', 'fe80::1%eth0', '::ffff:10.0.0.1', '::/0',
    ];
    for (const text of [...SPECIAL_USE_TEXT, ...defaults, ...awkward]) {
      expect(parseCheckedAddressExpr(text), text).toEqual(parseAddressExpr(text));
    }
  });
  it('still rejects what is not an address expression', () => {
    for (const bad of ['', '10.0.0.0/33', '1.2.3', '10.0.0.9-10.0.0.1', '10.0.0.1-::1', 'host.example', '::1/129']) {
      expect(() => parseAddressExpr(bad), bad).toThrow();
      expect(() => parseCheckedAddressExpr(bad), bad).toThrow();
    }
  });
});

describe('address lists read on the fast path', () => {
  it('parseListedAddressExpr agrees with parseAddressExpr: bounds, text and the same refusals', () => {
    const rand = rng(7);
    const int = (max: number) => Math.floor(rand() * max);
    const texts = [
      '0.0.0.0', '255.255.255.255', '10.0.0.1/24', '10.0.0.0/0', '10.0.0.0/32', '192.168.1.1/33', '01.2.3.4', '1.2.3', '256.1.1.1',
      '1.2.3.4/08', ' 10.1.2.3 ', '10.0.0.1-10.0.0.9', '2001:db8::1', '2001:db8::/32', 'fe80::1%eth0', 'host', '1.2.3.4/', '1.2.3.4.5',
    ];
    for (let i = 0; i < 2000; i++) texts.push(int(2) ? v4Text(int(2 ** 32)) : `${v4Text(int(2 ** 32))}/${int(33)}`);
    const outcome = (f: (t: string) => AddressRange, t: string) => {
      try {
        const r = f(t);
        return { family: r.family, lo: r.lo, hi: r.hi, text: r.text };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    for (const t of texts) expect(outcome(parseListedAddressExpr, t), t).toEqual(outcome(parseAddressExpr, t));
  });

  it('an index of 200,000 single addresses and overlapping CIDRs answers like a brute-force scan', () => {
    const rand = rng(11);
    const int = (max: number) => Math.floor(rand() * max);
    const entries: { range: AddressRange; value: string }[] = [];
    for (let i = 0; i < 200_000; i++) entries.push({ range: parseListedAddressExpr(v4Text(0x0a400000 + int(1 << 22))), value: 'client' });
    entries.push({ range: parseAddressExpr('10.64.0.0/12'), value: 'site' }, { range: parseAddressExpr('10.70.0.0/16'), value: 'lab' });
    const index = new AddressIndex(entries);
    const singles = new Set(entries.slice(0, 200_000).map((e) => Number(e.range.lo)));
    for (let i = 0; i < 5000; i++) {
      const a = 0x0a400000 + int(1 << 22);
      const want = [...(singles.has(a) ? ['client'] : []), ...(a < 0x0a500000 ? ['site'] : []), ...((a >>> 16) === 0x0a46 ? ['lab'] : [])];
      expect([...index.lookupV4(a)].sort(), v4Text(a)).toEqual(want.sort());
    }
  });
});

describe('the ends of the IPv4 space', () => {
  it('ranges ending at 255.255.255.255, many of them, are indexed and found (bounds up to 2^32 in the packed sort)', () => {
    const entries: { range: AddressRange; value: string }[] = [];
    for (let i = 0; i < 1000; i++) entries.push({ range: parseListedAddressExpr(`10.9.${i >> 8}.${i & 255}`), value: 'client' });
    entries.push({ range: parseAddressExpr('255.255.255.255'), value: 'broadcast' });
    entries.push({ range: parseAddressExpr('0.0.0.0/0'), value: 'everything' });
    entries.push({ range: parseAddressExpr('255.255.255.0/24'), value: 'top' });
    entries.push({ range: parseAddressExpr('255.255.255.255'), value: 'broadcast-again' });
    const index = new AddressIndex(entries);
    expect([...index.lookup('255.255.255.255')]).toEqual(['broadcast', 'everything', 'top', 'broadcast-again']);
    expect([...index.lookup('255.255.255.254')]).toEqual(['everything', 'top']);
    expect([...index.lookup('0.0.0.0')]).toEqual(['everything']);
    expect([...index.lookup('10.9.3.231')]).toEqual(['client', 'everything']);
    expect([...index.lookup('10.9.3.232')]).toEqual(['everything']);
  });
});

describe('orderByKey', () => {
  it('is a permutation sorted by key (ties by index), with keys up to 2^32 and many entries', () => {
    const rand = rng(3);
    const keys = Array.from({ length: 5000 }, () => (rand() < 0.2 ? 2 ** 32 : Math.floor(rand() * 2 ** 32)));
    const order = orderByKey(keys);
    expect([...order].sort((a, b) => a - b)).toEqual(keys.map((_, i) => i));
    for (let i = 1; i < order.length; i++) {
      const a = order[i - 1]!;
      const b = order[i]!;
      expect(keys[a]! < keys[b]! || (keys[a] === keys[b] && a < b)).toBe(true);
    }
    expect(orderByKey([3n, 1n, 2n, 1n])).toEqual([1, 3, 2, 0]);
  });
});
