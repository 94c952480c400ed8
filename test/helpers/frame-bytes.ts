/**
 * Header fields as bytes, for frames the fixture builder (fixtures/lib/packet-builder.ts) does
 * not make: big- and little-endian integers and an Ethernet header with any chain of tags.
 */

/** Big-endian. */
export function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

export function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** Little-endian. */
export function u16le(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff];
}

export function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

export const MAC_A = [0x02, 0, 0, 0, 0, 0xaa];
export const MAC_B = [0x02, 0, 0, 0, 0, 0xbb];

/** An Ethernet header with an arbitrary chain of (tpid, tci) tags before the final ethertype. */
export function ethHeader(etherType: number, tags: [number, number][] = []): number[] {
  return [...MAC_B, ...MAC_A, ...tags.flatMap(([tpid, tci]) => [...u16(tpid), ...u16(tci)]), ...u16(etherType)];
}
