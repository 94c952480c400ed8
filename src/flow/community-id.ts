/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec):
 * sha1(seed, src addr, dst addr, proto, 0, sport, dport) over the endpoint-ordered tuple,
 * base64, prefixed "1:". ICMP "ports" are the type and the type of the matching reply.
 */
import { createHash } from 'node:crypto';
import { addressBytes } from '../util/ip-format.js';

// ICMP request/response pairs: type -> counterpart type.
const ICMP4_PAIRS = new Map<number, number>([[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [17, 18], [18, 17], [10, 9], [9, 10]]);
const ICMP6_PAIRS = new Map<number, number>([[128, 129], [129, 128], [133, 134], [134, 133], [135, 136], [136, 135], [130, 131], [131, 130], [144, 145], [145, 144], [146, 147], [147, 146]]);

export function communityId(
  version: number, proto: number,
  sa: readonly number[], sport: number,
  da: readonly number[], dport: number,
  seed = 0,
): string {
  let src = addressBytes(version, sa[0]!, sa[1] ?? 0, sa[2] ?? 0, sa[3] ?? 0);
  let dst = addressBytes(version, da[0]!, da[1] ?? 0, da[2] ?? 0, da[3] ?? 0);
  let sp = sport, dp = dport;
  let oneWay = false;
  if (proto === 1 || proto === 58) {
    // sport carries the ICMP type and dport the code; the hash uses type and counterpart type.
    const pairs = proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS;
    const type = sport;
    const other = pairs.get(type);
    sp = type;
    if (other === undefined) { dp = dport; oneWay = true; } else dp = other;
  }
  const cmp = Buffer.compare(src, dst);
  if (!oneWay && (cmp > 0 || (cmp === 0 && sp > dp))) {
    [src, dst] = [dst, src];
    [sp, dp] = [dp, sp];
  }
  const h = createHash('sha1');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(seed, 0);
  h.update(head);
  h.update(src);
  h.update(dst);
  const tail = Buffer.alloc(6);
  tail[0] = proto;
  tail[1] = 0;
  const hasPorts = proto === 6 || proto === 17 || proto === 132 || proto === 1 || proto === 58;
  if (hasPorts) {
    tail.writeUInt16BE(sp & 0xffff, 2);
    tail.writeUInt16BE(dp & 0xffff, 4);
    h.update(tail);
  } else h.update(tail.subarray(0, 2));
  return '1:' + h.digest('base64');
}
