/**
 * Entry point of the decode stage: link layer → network → transport into one reused
 * DecodedPacket. Nothing throws out of here: every packet ends as decoded, non-IP, or an
 * error counted by reason (a bounds slip in a layer is caught and counted as truncated).
 */
import {
  DecodedPacket, INNER_ETHERNET, INNER_NONE, KIND_ERROR, R_EMPTY, R_TRUNCATED_TUNNEL, REASONS,
} from './decoded-packet.js';
import { decodeEthernet, decodeLink } from './link-layer.js';
import { decodeIPByVersion } from './network-layer.js';

export function decodePacket(p: DecodedPacket, b: Buffer, off: number, caplen: number, linkType: number): void {
  p.reset();
  p.tunnel = 0;
  if (caplen === 0) {
    p.reason = R_EMPTY;
    return;
  }
  try {
    decodeLink(p, b, off, off + caplen, linkType);
  } catch {
    // Defensive: a read past a bound inside a layer means the packet was shorter than it claimed.
    p.kind = KIND_ERROR;
    p.reason = R_TRUNCATED_TUNNEL;
  }
}

/**
 * Decodes the packet that the last decoded one carries (VXLAN, GRE, ...) into p, keeping the
 * outer VLAN tags. Returns false when there is nothing inside.
 */
export function decodeInner(p: DecodedPacket, b: Buffer): boolean {
  if (p.innerKind === INNER_NONE) return false;
  const kind = p.innerKind;
  const off = p.innerOff;
  const end = p.innerEnd;
  const tunnel = p.innerTunnel;
  const vc = p.vlanCount, v0 = p.vlan0, v1 = p.vlan1;
  p.reset();
  p.vlanCount = vc; p.vlan0 = v0; p.vlan1 = v1;
  p.tunnel = tunnel;
  try {
    if (kind === INNER_ETHERNET) decodeEthernet(p, b, off, end);
    else decodeIPByVersion(p, b, off, end);
  } catch {
    p.kind = KIND_ERROR;
    p.reason = R_TRUNCATED_TUNNEL;
  }
  return true;
}

export { DecodedPacket, REASONS };
