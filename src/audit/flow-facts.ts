/**
 * Facts about a flow's outcome that more than one finding kind relies on.
 */
import type { FlowRecord } from '../flow/flow-record.js';

/**
 * True when a TCP responder accepted the connection: it sent something, and not just a
 * reset to the SYN (REJ), and the flow is not an unanswered attempt (S0, RSTOS0). Probes
 * and scans are not answered; real service use and optimizer inner channels are.
 */
export function tcpAnswered(flow: Pick<FlowRecord, 'respPackets' | 'state'>): boolean {
  if (flow.respPackets === 0) return false;
  return flow.state !== 'REJ' && flow.state !== 'RSTOS0' && flow.state !== 'S0';
}
