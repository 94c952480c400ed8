/**
 * What more than one finding kind says of a flow. Whether a TCP connection was answered is
 * decided in flow/tcp-state.ts, beside tcpAccepted.
 */
import type { Classification } from '../flow/flow-record.js';
import type { FindingFlow } from '../store/types.js';
import type { FlowFacts } from './types.js';

/** What every per-flow finding item says of its flow: the ends' roles and sites, times, counts, ids. */
export function flowFacts(flow: FindingFlow, cls: Classification): FlowFacts {
  return {
    // The classification's own lists: a store shares them between flows, so the group key's
    // labels (endLabel) are worked out once per list, not once per item.
    srcRoles: cls.srcRoles,
    dstRoles: cls.dstRoles,
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
