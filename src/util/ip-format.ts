/** Address words (as the decoder keeps them) to canonical text: dotted quad, RFC 5952 IPv6. */

export function ipv4ToString(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function ipv6ToString(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  // IPv4-mapped (::ffff:a.b.c.d) is written with the dotted tail, as RFC 5952 section 5 says.
  if (w0 === 0 && w1 === 0 && (w2 >>> 0) === 0xffff) return `::ffff:${ipv4ToString(w3 >>> 0)}`;
  // Longest run of two or more zero groups becomes '::' (first one on a tie).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (n: number) => n.toString(16);
  if (bestStart < 0) return g.map(hex).join(':');
  const head = g.slice(0, bestStart).map(hex).join(':');
  const tail = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

export function addressToString(version: number, w0: number, w1: number, w2: number, w3: number): string {
  return version === 4 ? ipv4ToString(w0 >>> 0) : ipv6ToString(w0 >>> 0, w1 >>> 0, w2 >>> 0, w3 >>> 0);
}

/** Address words to network-order bytes (for Community ID hashing). */
export function addressBytes(version: number, w0: number, w1: number, w2: number, w3: number): Buffer {
  const b = Buffer.allocUnsafe(version === 4 ? 4 : 16);
  b.writeUInt32BE(w0 >>> 0, 0);
  if (version === 6) {
    b.writeUInt32BE(w1 >>> 0, 4);
    b.writeUInt32BE(w2 >>> 0, 8);
    b.writeUInt32BE(w3 >>> 0, 12);
  }
  return b;
}
