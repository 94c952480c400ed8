/**
 * SHA-1 of a message of at most 55 bytes (one 64-byte block), in plain JS. The Community ID of
 * every flow is such a hash; node:crypto's createHash costs ~2 µs of object and native-call
 * overhead per call, this costs a fraction of that and allocates only the result string.
 */
const W = new Int32Array(80);
const BLOCK = new Uint8Array(64);

export function sha1Short(msg: Uint8Array, len: number, out: Uint8Array): void {
  if (len > 55) throw new RangeError('sha1Short handles at most 55 bytes');
  BLOCK.fill(0);
  BLOCK.set(msg.subarray(0, len));
  BLOCK[len] = 0x80;
  const bits = len * 8;
  BLOCK[62] = (bits >>> 8) & 0xff;
  BLOCK[63] = bits & 0xff;
  for (let i = 0; i < 16; i++) {
    W[i] = (BLOCK[i * 4]! << 24) | (BLOCK[i * 4 + 1]! << 16) | (BLOCK[i * 4 + 2]! << 8) | BLOCK[i * 4 + 3]!;
  }
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = 0x67452301, b = 0xefcdab89 | 0, c = 0x98badcfe | 0, d = 0x10325476, e = 0xc3d2e1f0 | 0;
  for (let i = 0; i < 80; i++) {
    let f: number, k: number;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc | 0; }
    else { f = b ^ c ^ d; k = 0xca62c1d6 | 0; }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  const h = [(0x67452301 + a) | 0, ((0xefcdab89 | 0) + b) | 0, ((0x98badcfe | 0) + c) | 0, (0x10325476 + d) | 0, ((0xc3d2e1f0 | 0) + e) | 0];
  for (let i = 0; i < 5; i++) {
    out[i * 4] = h[i]! >>> 24;
    out[i * 4 + 1] = (h[i]! >>> 16) & 0xff;
    out[i * 4 + 2] = (h[i]! >>> 8) & 0xff;
    out[i * 4 + 3] = h[i]! & 0xff;
  }
}
