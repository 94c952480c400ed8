/**
 * Zeek-compatible TCP endpoint states, history letters and conn_state
 * (zeek/scripts/base/protocols/conn/main.zeek). Kept as small integers so the flow table can
 * hold them in typed arrays.
 */
export const TCP_INACTIVE = 0;
export const TCP_SYN_SENT = 1;
export const TCP_SYN_ACK_SENT = 2;
export const TCP_PARTIAL = 3;
export const TCP_ESTABLISHED = 4;
export const TCP_CLOSED = 5;
export const TCP_RESET = 6;

/** History letters by bit index; upper case for the originator, lower case for the responder. */
export const HIST_LETTERS = 'SHADFRTWIQ^';
export const H_SYN = 0;      // S: SYN without ACK
export const H_SYNACK = 1;   // H: SYN+ACK
export const H_ACK = 2;      // A: pure ACK
export const H_DATA = 3;     // D: payload
export const H_FIN = 4;      // F
export const H_RST = 5;      // R
export const H_RETRANS = 6;  // T: retransmitted payload
export const H_ZEROWIN = 7;  // W: zero window advertised
export const H_INCONS = 8;   // I: inconsistent flags (SYN+RST ...)
export const H_MULTI = 9;    // Q: multi-flag (SYN+FIN, SYN+RST)
export const H_FLIP = 10;    // ^: originator decided against the first packet's direction

/** Zeek's conn_state() for TCP from the two endpoint states and payload sizes. */
export function tcpConnState(os: number, rs: number, origSize: number, respSize: number, history: string): string {
  const oInactive = os === TCP_INACTIVE || os === TCP_PARTIAL;
  const rInactive = rs === TCP_INACTIVE || rs === TCP_PARTIAL;
  if (rs === TCP_RESET) {
    if (os === TCP_SYN_SENT || os === TCP_SYN_ACK_SENT || (os === TCP_RESET && origSize === 0 && respSize === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === TCP_RESET) {
    if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === TCP_CLOSED && os === TCP_CLOSED) return 'SF';
  if (os === TCP_CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === TCP_CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === TCP_SYN_SENT && rs === TCP_INACTIVE) return 'S0';
  if (os === TCP_ESTABLISHED && rs === TCP_ESTABLISHED) return 'S1';
  return 'OTH';
}

/** Zeek's conn_state() for UDP (and, as Zeek does, the same idea for other protocols). */
export function udpConnState(origPackets: number, respPackets: number): string {
  if (origPackets > 0) return respPackets > 0 ? 'SF' : 'S0';
  return respPackets > 0 ? 'SHR' : 'OTH';
}

/**
 * True when a TCP responder answered: it sent something, and not just a reset to the SYN
 * (REJ), and the flow is not an unanswered attempt (S0, RSTOS0). Probes and scans are not
 * answered; real service use and optimizer inner channels are. Looser than tcpAccepted: a
 * half-open probe (SYN, SYN-ACK, reset) was answered, though not accepted for use.
 */
export function tcpAnswered(flow: { respPackets: number; state: string }): boolean {
  if (flow.respPackets === 0) return false;
  return flow.state !== 'REJ' && flow.state !== 'RSTOS0' && flow.state !== 'S0';
}

/**
 * True when a TCP connection was accepted by a listener and used: the responder answered
 * the SYN, and the connection was not reset by either side before any payload. Not accepted:
 * S0 (no answer), REJ (refused), RSTOS0 and SH (the originator gave up unanswered), and
 * RSTO or RSTR with no payload either way (a half-open probe: SYN, SYN-ACK, reset).
 * Connections seen without their start (OTH) count as accepted when the responder sent
 * something: there is no SYN to judge.
 */
export function tcpAccepted(f: { state: string; respPackets: number; origPayloadBytes: number; respPayloadBytes: number }): boolean {
  if (f.respPackets === 0) return false;
  switch (f.state) {
    case 'S0': case 'REJ': case 'RSTOS0': case 'SH':
      return false;
    case 'RSTO': case 'RSTR':
      return f.origPayloadBytes + f.respPayloadBytes > 0;
    default:
      return true;
  }
}
