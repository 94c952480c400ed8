/**
 * Facts about a flow's outcome that more than one finding kind relies on.
 */
import type { Classification, FlowRecord } from '../flow/flow-record.js';
import type { StoredFlow } from '../store/types.js';
import type { FlowFacts } from './types.js';

/**
 * True when a TCP responder accepted the connection: it sent something, and not just a
 * reset to the SYN (REJ), and the flow is not an unanswered attempt (S0, RSTOS0). Probes
 * and scans are not answered; real service use and optimizer inner channels are.
 */
export function tcpAnswered(flow: Pick<FlowRecord, 'respPackets' | 'state'>): boolean {
  if (flow.respPackets === 0) return false;
  return flow.state !== 'REJ' && flow.state !== 'RSTOS0' && flow.state !== 'S0';
}

/** What every per-flow finding item says of its flow: the ends' roles and sites, times, counts, ids. */
export function flowFacts(flow: StoredFlow, cls: Classification): FlowFacts {
  return {
    srcRoles: [...cls.srcRoles],
    dstRoles: [...cls.dstRoles],
    srcSite: cls.srcSite,
    dstSite: cls.dstSite,
    start: flow.start,
    end: flow.end,
    state: flow.state,
    packets: flow.origPackets + flow.respPackets,
    bytes: flow.origBytes + flow.respBytes,
    flowId: flow.id,
    captureId: flow.captureId,
    capture: flow.capture,
    communityId: flow.communityId,
    group: '',
  };
}
