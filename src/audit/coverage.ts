/**
 * Decode coverage: how many of the captured packets became flows' packets, and why the others
 * did not. A capture that decoded nothing (an unsupported link type) or very little cannot
 * show that a required flow is absent, so missing findings then carry a caveat, as they do
 * for lost packets.
 */
import type { CaptureInfo } from '../store/types.js';
import { SUPPORTED_LINKTYPES } from '../decode/link-layer.js';
import { TIME_BACKWARDS } from '../capture/capture-reader.js';
import { TUNNELLED_INNER_PREFIX } from '../decode/decoded-packet.js';
import type { DecodeCoverage } from './types.js';
import { count } from './format.js';

/**
 * Counts that are not "not decoded" reasons: non-IP frames, inner packets of tunnels, and
 * packets out of time order (decoded all the same).
 */
function isReason(key: string): boolean {
  return key !== 'non-ip' && key !== 'tunnelled-inner' && key !== TIME_BACKWARDS && !key.startsWith(TUNNELLED_INNER_PREFIX);
}

/** Coverage of one capture, from its packet count and stored decode counts. */
export function captureCoverage(c: Pick<CaptureInfo, 'packets' | 'decodeErrors' | 'linkTypes'>): DecodeCoverage {
  const reasons: Record<string, number> = {};
  let notDecoded = 0;
  for (const [k, n] of Object.entries(c.decodeErrors)) {
    if (!isReason(k) || !(n > 0)) continue;
    reasons[k] = n;
    notDecoded += n;
  }
  const nonIp = c.decodeErrors['non-ip'] ?? 0;
  const supported: readonly number[] = SUPPORTED_LINKTYPES;
  return {
    packets: c.packets,
    decoded: Math.max(0, c.packets - nonIp - notDecoded),
    nonIp,
    notDecoded,
    reasons,
    unsupportedLinkTypes: c.linkTypes.filter((t) => !supported.includes(t)),
  };
}

/** The coverage of several captures together. */
export function totalCoverage(parts: readonly DecodeCoverage[]): DecodeCoverage {
  const reasons: Record<string, number> = {};
  for (const p of parts) for (const [k, n] of Object.entries(p.reasons)) reasons[k] = (reasons[k] ?? 0) + n;
  const sum = (f: (p: DecodeCoverage) => number) => parts.reduce((n, p) => n + f(p), 0);
  return {
    packets: sum((p) => p.packets), decoded: sum((p) => p.decoded), nonIp: sum((p) => p.nonIp), notDecoded: sum((p) => p.notDecoded),
    reasons, unsupportedLinkTypes: [...new Set(parts.flatMap((p) => p.unsupportedLinkTypes))].sort((a, b) => a - b),
  };
}

/** "0 of 10 packets decoded; not decoded: unsupported-linktype 10; link type 9999 not supported". */
export function coverageText(c: DecodeCoverage): string {
  const parts = [`${count(c.decoded)} of ${count(c.packets)} packet${c.packets === 1 ? '' : 's'} decoded`];
  if (c.nonIp) parts.push(`${count(c.nonIp)} not IP (ARP, LLDP, ...)`);
  const reasons = Object.entries(c.reasons).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${count(n)}`);
  if (reasons.length) parts.push(`not decoded: ${reasons.join(', ')}`);
  if (c.unsupportedLinkTypes.length) {
    parts.push(`link type${c.unsupportedLinkTypes.length === 1 ? '' : 's'} ${c.unsupportedLinkTypes.join(', ')} not supported`);
  }
  return parts.join('; ');
}

/**
 * Set when the captures hold no packets, or fewer than half of the packets that were not
 * plain non-IP frames could be decoded: then a flow may be "missing" only because its packets
 * were never read. Null otherwise.
 */
export function coverageNote(c: DecodeCoverage): string | null {
  if (c.packets === 0) return 'the captures hold no packets, so the missing flows may simply not have been captured';
  if (c.decoded === 0) return `nothing was decoded (${coverageText(c)}), so the capture cannot show these flows`;
  if (c.notDecoded > c.decoded) return `only ${coverageText(c)}, so the undecoded packets may hold these flows`;
  return null;
}
