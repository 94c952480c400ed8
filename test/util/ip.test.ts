/**
 * The address parser and formatter: text forms against Node's own address grammar (net.isIP)
 * and its URL serializer (RFC 5952 compression), the numeric forms (decoder words, numbers,
 * bigints) against byte-level reference computations, and the parsers against ip-num.
 */
import { isIP, isIPv6 } from 'node:net';
import { IPv4, IPv6 } from 'ip-num';
import { describe, expect, it } from 'vitest';
import {
  canonicalAddress,
  IpCache, addressBytes, addressToString, formatIp, inRanges, ipv4ToString, ipv6ToString,
  parseAddressFast, parseIPv4Fast, parseIPv6Fast, stripZone,
} from '../../src/util/ip.js';
import { prng as rng } from '../helpers/rng.js';

/** A random 32-bit word, as the decoder keeps it (signed int32), biased towards zero groups. */
function randomWord(rand: () => number): number {
  const half = () => (rand() < 0.4 ? 0 : rand() < 0.1 ? 0xffff : Math.floor(rand() * 65536));
  return ((half() << 16) | half()) | 0;
}

/** The bigint the four words stand for (network order). */
function wordsValue(w: readonly number[]): bigint {
  return w.reduce((v, x) => (v << 32n) | BigInt(x >>> 0), 0n);
}

/** Network-order bytes of words, written with DataView (independent of addressBytes). */
function wordsBytes(w: readonly number[]): number[] {
  const dv = new DataView(new ArrayBuffer(w.length * 4));
  w.forEach((x, i) => dv.setUint32(i * 4, x >>> 0));
  return [...new Uint8Array(dv.buffer)];
}

/** RFC 5952 text of an IPv6 address as the WHATWG URL serializer writes it (hex groups only). */
function urlForm(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

describe('address parsing', () => {
  it('parses IPv4 and IPv6 forms to numbers', () => {
    expect(parseAddressFast('10.0.0.12')).toEqual({ family: 4, value: 0x0a00000cn });
    expect(parseAddressFast('::1')).toEqual({ family: 6, value: 1n });
    expect(parseAddressFast('2001:db8::12')!.value).toBe(0x20010db8000000000000000000000012n);
    expect(parseAddressFast('::ffff:10.0.0.1')!.value).toBe(0xffff0a000001n);
    expect(parseAddressFast('fe80::1%eth0')!.value).toBe(0xfe800000000000000000000000000001n);
    for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', 'x', '1:2:3:4:5:6:7:8:9', '']) expect(parseAddressFast(bad)).toBeNull();
  });

  it('formats canonically (RFC 5952 for IPv6)', () => {
    expect(formatIp(4, 0x0a00000cn)).toBe('10.0.0.12');
    expect(formatIp(6, parseAddressFast('2001:0db8:0000:0000:0000:0000:0000:0012')!.value)).toBe('2001:db8::12');
    expect(formatIp(6, parseAddressFast('2001:db8:0:1:0:0:0:1')!.value)).toBe('2001:db8:0:1::1');
    expect(formatIp(6, parseAddressFast('2001:db8:0:1:1:1:1:1')!.value)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIp(6, 0n)).toBe('::');
  });

  it('matches ranges of the same family only', () => {
    const ranges = [
      { family: 4 as const, lo: 0x0a010000n, hi: 0x0a01ffffn },
      { family: 6 as const, lo: 0x20010db8n << 96n, hi: (0x20010db8n << 96n) | 0xffffffffffffffffn },
    ];
    expect(inRanges(parseAddressFast('10.1.200.3')!, ranges)).toBe(true);
    expect(inRanges(parseAddressFast('10.2.0.1')!, ranges)).toBe(false);
    expect(inRanges(parseAddressFast('2001:db8::99')!, ranges)).toBe(true);
    expect(inRanges(parseAddressFast('2001:db9::1')!, ranges)).toBe(false);
    // 10.1.0.1 and ::a01:1 have the same value; the family tells them apart.
    expect(inRanges({ family: 6, value: 0x0a010001n }, ranges)).toBe(false);
  });

  it('IpCache answers what the parser answers, and stays bounded', () => {
    const cache = new IpCache(4);
    for (let round = 0; round < 3; round++) {
      for (const t of ['10.0.0.1', '2001:db8::1', 'nonsense', '10.0.0.2', '::ffff:1.2.3.4', '10.0.0.1']) {
        expect(cache.get(t)).toEqual(parseAddressFast(t));
      }
    }
    expect((cache as unknown as { map: Map<string, unknown> }).map.size).toBeLessThanOrEqual(4);
  });
});

describe('address words to text', () => {
  it('IPv4: every byte value in every position, signed and unsigned words', () => {
    for (let pos = 0; pos < 4; pos++) {
      for (let byte = 0; byte < 256; byte++) {
        const bytes = [7, 7, 7, 7];
        bytes[pos] = byte;
        const word = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) | 0;
        const text = bytes.join('.');
        expect(ipv4ToString(word)).toBe(text);
        expect(ipv4ToString(word >>> 0)).toBe(text);
        expect(addressToString(4, word, 0, 0, 0)).toBe(text);
        expect(parseIPv4Fast(text)).toBe(word >>> 0);
        expect([...addressBytes(4, word, 0, 0, 0)]).toEqual(bytes);
      }
    }
    expect(ipv4ToString(0)).toBe('0.0.0.0');
    expect(ipv4ToString(-1)).toBe('255.255.255.255');
  });

  it('IPv4: random words round-trip through text and bytes', () => {
    const rand = rng(1);
    for (let i = 0; i < 20000; i++) {
      const w = (Math.floor(rand() * 2 ** 32)) | 0;
      const text = ipv4ToString(w);
      expect(isIP(text)).toBe(4);
      expect(parseIPv4Fast(text)).toBe(w >>> 0);
      expect(parseAddressFast(text)).toEqual({ family: 4, value: BigInt(w >>> 0) });
      expect(formatIp(4, BigInt(w >>> 0))).toBe(text);
      expect([...addressBytes(4, w, 0, 0, 0)]).toEqual(wordsBytes([w]));
    }
  });

  it('IPv6: random words agree with the URL serializer, Node\'s grammar, the parser and the bytes', () => {
    const rand = rng(2);
    for (let i = 0; i < 20000; i++) {
      const w = [randomWord(rand), randomWord(rand), randomWord(rand), randomWord(rand)];
      if (rand() < 0.05) { w[0] = 0; w[1] = 0; w[2] = 0xffff; } // IPv4-mapped
      const value = wordsValue(w);
      const text = ipv6ToString(w[0]!, w[1]!, w[2]!, w[3]!);
      const mapped = w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
      expect(text).toBe(mapped ? `::ffff:${ipv4ToString(w[3]!)}` : urlForm(text));
      expect(addressToString(6, w[0]!, w[1]!, w[2]!, w[3]!)).toBe(text);
      expect(addressToString(6, w[0]! >>> 0, w[1]! >>> 0, w[2]! >>> 0, w[3]! >>> 0)).toBe(text);
      expect(isIPv6(text)).toBe(true);
      expect(parseIPv6Fast(text)).toBe(value);
      expect(parseAddressFast(text)).toEqual({ family: 6, value });
      expect(formatIp(6, value)).toBe(urlForm(text));
      expect([...addressBytes(6, w[0]!, w[1]!, w[2]!, w[3]!)]).toEqual(wordsBytes(w));
    }
  });

  it('IPv6 compression: the longest zero run of two or more groups, the first on a tie', () => {
    const cases: [string, string][] = [
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['1:0:0:0:0:0:0:0', '1::'],
      ['fe80:0:0:0:0:0:0:0', 'fe80::'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
      ['0:1:0:0:1:0:0:0', '0:1:0:0:1::'],
      ['0:0:1:0:0:0:1:0', '0:0:1::1:0'],
    ];
    for (const [long, short] of cases) {
      const v = parseIPv6Fast(long)!;
      expect(formatIp(6, v), long).toBe(short);
      const w = [0, 1, 2, 3].map((k) => Number((v >> BigInt(96 - 32 * k)) & 0xffffffffn));
      expect(ipv6ToString(w[0]!, w[1]!, w[2]!, w[3]!), long).toBe(short);
      expect(parseIPv6Fast(short)).toBe(v);
    }
  });

  it('IPv4-mapped: the flow table writes the dotted tail, formatIp hex groups; both read back the same', () => {
    const w = [0, 0, 0xffff, 0x0a000001];
    expect(ipv6ToString(w[0]!, w[1]!, w[2]!, w[3]!)).toBe('::ffff:10.0.0.1');
    expect(addressToString(6, 0, 0, 0xffff, 0x0a000001 | 0)).toBe('::ffff:10.0.0.1');
    expect(formatIp(6, 0xffff0a000001n)).toBe('::ffff:a00:1');
    expect(parseIPv6Fast('::ffff:10.0.0.1')).toBe(0xffff0a000001n);
    expect(parseIPv6Fast('::ffff:a00:1')).toBe(0xffff0a000001n);
    expect(parseIPv6Fast('0:0:0:0:0:ffff:10.0.0.1')).toBe(0xffff0a000001n);
    // Only ::ffff:0:0/96 is written dotted: not the SIIT form (::ffff:0:a.b.c.d), not a non-zero prefix.
    expect(ipv6ToString(0, 0, 0xffff0000 | 0, 0x01020304)).toBe('::ffff:0:102:304');
    expect(ipv6ToString(0, 1, 0xffff, 0x01020304)).toBe('::1:0:ffff:102:304');
    expect(ipv6ToString(0, 0, 0xffff, 0)).toBe('::ffff:0.0.0.0');
  });
});

describe('text to numbers', () => {
  it('rejects what is not an address', () => {
    const bad4 = ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', 'a.b.c.d', '1.2.3.4 ', ' 1.2.3.4', '1234.1.1.1', '1.2.3.-4',
      '1.2.3.4.', '.1.2.3.4', '0x1.2.3.4', '1.2.3.4%eth0', '1,2,3,4'];
    for (const t of bad4) {
      expect(parseIPv4Fast(t), t).toBe(-1);
      expect(parseAddressFast(t), t).toBeNull();
    }
    const bad6 = ['1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', ':::', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:',
      '1.2.3.4::', '1:1.2.3.4::', '::1.2.3.4:1', '::1.2.3', '::256.1.1.1', '1:2:3:4:5:6::7.8.9.10', '1:2:3:4:5:6:7:1.2.3.4',
      ' ::1', '::1 ', '::+1', '::-1', '::0x1', '[::1]'];
    for (const t of bad6) {
      expect(parseIPv6Fast(t), t).toBeNull();
      expect(parseAddressFast(t), t).toBeNull();
      expect(isIP(t), t).toBe(0);
    }
  });

  it('a zone does not change the address', () => {
    expect(stripZone('fe80::1%eth0')).toBe('fe80::1');
    expect(stripZone('10.0.0.1')).toBe('10.0.0.1');
    expect(parseIPv6Fast('fe80::1%eth0')).toBe(parseIPv6Fast('fe80::1'));
    expect(parseIPv6Fast('fe80::1%25')).toBe(parseIPv6Fast('fe80::1'));
  });

  it('reads decimal octets with leading zeros as decimal, where Node and ip-num refuse them', () => {
    // Flow text never has them; site files are validated with ip-num before these parsers see them.
    expect(parseIPv4Fast('010.001.000.009')).toBe(0x0a010009);
    expect(parseIPv6Fast('::ffff:010.0.0.1')).toBe(0xffff0a000001n);
    expect(isIP('010.001.000.009')).toBe(0);
    expect(() => IPv4.fromString('010.001.000.009')).toThrow();
  });

  it('accepts exactly what Node accepts, on mutated addresses (leading-zero octets aside)', () => {
    const rand = rng(3);
    const int = (n: number) => Math.floor(rand() * n);
    const alphabet = '0123456789abcdefABCDEFg:.% ';
    const hexGroup = () => {
      const g = Math.floor(rand() * 65536).toString(16).slice(0, 1 + int(4));
      return rand() < 0.3 ? g.toUpperCase() : g;
    };
    const v4 = () => [0, 1, 2, 3].map(() => String(rand() < 0.2 ? 255 : int(256))).join('.');
    const candidate = (): string => {
      if (rand() < 0.3) return v4();
      const groups = Array.from({ length: 8 }, () => (rand() < 0.3 ? '0' : hexGroup()));
      let text: string;
      if (rand() < 0.2) text = `${groups.slice(0, 6).join(':')}:${v4()}`;
      else text = groups.join(':');
      if (rand() < 0.6) {
        // Compress a random run of groups (not necessarily zeros: the value changes, the text stays valid).
        const parts = text.split(':');
        const a = int(parts.length), b = a + 1 + int(parts.length - a);
        text = `${parts.slice(0, a).join(':')}::${parts.slice(b).join(':')}`;
      }
      if (rand() < 0.1) text += '%eth0';
      return text;
    };
    const mutate = (t: string): string => {
      const n = int(3);
      for (let k = 0; k < n; k++) {
        const at = int(t.length + 1);
        const c = alphabet[int(alphabet.length)]!;
        const op = int(3);
        t = op === 0 ? t.slice(0, at) + c + t.slice(at) : op === 1 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + c + t.slice(at + 1);
      }
      return t;
    };
    const leadingZeroOctet = (t: string) => /(^|[:.])0\d/.test(t.split('%')[0]!.split(':').pop()!) && t.includes('.');
    let accepted = 0;
    for (let i = 0; i < 40000; i++) {
      const t = rand() < 0.5 ? candidate() : mutate(candidate());
      // Node takes a zone of [0-9a-zA-Z-.:]{1,}; an empty or odd one is not what is tested here.
      if (leadingZeroOctet(t) || /%(?![0-9a-zA-Z.:-]+$)/.test(t)) continue;
      const ours = parseAddressFast(t);
      expect(ours === null ? 0 : ours.family, t).toBe(isIP(t));
      if (ours === null) continue;
      accepted++;
      if (ours.family === 6) expect(formatIp(6, ours.value), t).toBe(urlForm(stripZone(t)));
      else expect(formatIp(4, ours.value), t).toBe(new URL(`http://${t}/`).hostname);
    }
    expect(accepted).toBeGreaterThan(10000);
  });
});

describe('the parsers agree with ip-num', () => {
  const rand = rng(7);
  it('IPv4', () => {
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(rand() * 2 ** 32);
      expect(parseIPv4Fast(IPv4.fromNumber(n).toString())).toBe(n);
    }
  });
  it('IPv6 (RFC 5952 text, compressed, v4 tail)', () => {
    for (let i = 0; i < 5000; i++) {
      let v = 0n;
      for (let g = 0; g < 8; g++) v = (v << 16n) | BigInt(rand() < 0.4 ? 0 : Math.floor(rand() * 65536));
      expect(parseIPv6Fast(IPv6.fromBigInt(v).toString())).toBe(v);
    }
    expect(parseIPv6Fast('::')).toBe(0n);
    expect(parseIPv6Fast('::ffff:10.1.2.3')).toBe(0xffff0a010203n);
    expect(parseIPv6Fast('fe80::1%eth0')).toBe((0xfe80n << 112n) | 1n);
  });
});

describe('canonicalAddress', () => {
  it('canonicalAddress: the flow table\'s text for an address a protocol names (RFC 5952 IPv6, dotted quads, no zone)', () => {
    expect(canonicalAddress('2001:DB8:0:0::0001')).toBe('2001:db8::1');
    expect(canonicalAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalAddress('fe80::1:2:3:4:5:6')).toBe('fe80:0:1:2:3:4:5:6');
    expect(canonicalAddress('::ffff:10.0.0.5')).toBe('::ffff:10.0.0.5');
    expect(canonicalAddress('010.000.000.005')).toBe('10.0.0.5');
    for (const bad of ['fe80::1%eth0', '1::2::3', 'zz::1', '1:2:3', '300.1.1.1', '1:2:3:4:5:6:7:8:9']) expect(canonicalAddress(bad), bad).toBeNull();
  });
});
