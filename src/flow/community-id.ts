/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec):
 * sha1(seed, src addr, dst addr, proto, 0, sport, dport) over the endpoint-ordered tuple,
 * base64, prefixed "1:". ICMP "ports" are the type and the type of the matching reply (or the
 * code for one-way messages, which are not reordered).
 */
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_SCTP, PROTO_TCP, PROTO_UDP } from '../util/proto.js';
import { sha1Short } from '../util/sha1-short.js';

// ICMP request/response pairs: type -> counterpart type.
const ICMP4_PAIRS = new Map<number, number>([[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [17, 18], [18, 17], [10, 9], [9, 10]]);
const ICMP6_PAIRS = new Map<number, number>([[128, 129], [129, 128], [133, 134], [134, 133], [135, 136], [136, 135], [130, 131], [131, 130], [139, 140], [140, 139], [144, 145], [145, 144]]);

const MSG = new Uint8Array(64);
const DIGEST = new Uint8Array(20);

function writeAddr(at: number, version: number, w: ArrayLike<number>, off: number): number {
  const words = version === 4 ? 1 : 4;
  for (let i = 0; i < words; i++) {
    const v = w[off + i] ?? 0;
    MSG[at++] = v >>> 24;
    MSG[at++] = (v >>> 16) & 0xff;
    MSG[at++] = (v >>> 8) & 0xff;
    MSG[at++] = v & 0xff;
  }
  return at;
}

/** Compares two addresses given as 32-bit words, as unsigned big-endian byte strings. */
function cmpAddr(version: number, a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
  const words = version === 4 ? 1 : 4;
  for (let i = 0; i < words; i++) {
    const x = (a[ao + i] ?? 0) >>> 0, y = (b[bo + i] ?? 0) >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * @param sa  address words of the originator, starting at sao (IPv4: one word)
 * @param da  address words of the responder, starting at dao
 */
export function communityId(
  version: number, proto: number,
  sa: ArrayLike<number>, sao: number, sport: number,
  da: ArrayLike<number>, dao: number, dport: number,
  seed = 0,
): string {
  let sp = sport, dp = dport;
  let oneWay = false;
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    // sport carries the ICMP type and dport the code; the hash uses type and counterpart type.
    const other = (proto === PROTO_ICMP ? ICMP4_PAIRS : ICMP6_PAIRS).get(sport);
    if (other === undefined) oneWay = true;
    else dp = other;
  }
  let src = sa, dst = da, so = sao, dso = dao;
  const c = cmpAddr(version, sa, sao, da, dao);
  if (!oneWay && (c > 0 || (c === 0 && sp > dp))) {
    src = da; dst = sa; so = dao; dso = sao;
    const t = sp; sp = dp; dp = t;
  }
  let at = 0;
  MSG[at++] = (seed >>> 8) & 0xff;
  MSG[at++] = seed & 0xff;
  at = writeAddr(at, version, src, so);
  at = writeAddr(at, version, dst, dso);
  MSG[at++] = proto;
  MSG[at++] = 0;
  if (proto === PROTO_TCP || proto === PROTO_UDP || proto === PROTO_SCTP || proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    MSG[at++] = (sp >>> 8) & 0xff;
    MSG[at++] = sp & 0xff;
    MSG[at++] = (dp >>> 8) & 0xff;
    MSG[at++] = dp & 0xff;
  }
  sha1Short(MSG, at, DIGEST);
  return '1:' + Buffer.from(DIGEST.buffer, DIGEST.byteOffset, 20).toString('base64');
}
