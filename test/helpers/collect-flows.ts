/** Runs capture → decode → flow table without a database and returns the flows (for tests). */
import { readCaptureFile, type ReadSummary } from '../../src/capture/capture-reader.js';
import { DecodedPacket, KIND_ERROR, KIND_NON_IP } from '../../src/decode/decoded-packet.js';
import { decodeInner, decodePacket } from '../../src/decode/decoder.js';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { FlowTable, type FlowTimeouts } from '../../src/flow/flow-table.js';

/** Timeouts long enough that flows end only on port reuse or end of capture, like tshark's streams. */
export const TSHARK_LIKE: Partial<FlowTimeouts> = { tcp: 1e12, udp: 1e12, icmp: 1e12, other: 1e12, tcpClosed: 1e12, active: 1e12 };

export async function collectFlows(path: string, timeouts: Partial<FlowTimeouts> = TSHARK_LIKE): Promise<{ flows: FlowRecord[]; summary: ReadSummary; errors: Map<number, number> }> {
  const flows: FlowRecord[] = [];
  const table = new FlowTable({ onEnd: (f) => flows.push(f) }, timeouts);
  const p = new DecodedPacket();
  const errors = new Map<number, number>();
  const summary = await readCaptureFile(path, (batch) => {
    for (let i = 0; i < batch.count; i++) {
      decodePacket(p, batch.data, batch.offset[i]!, batch.caplen[i]!, batch.linkType[i]!);
      for (let depth = 0; depth < 5; depth++) {
        if (p.kind === KIND_ERROR) { errors.set(p.reason, (errors.get(p.reason) ?? 0) + 1); break; }
        if (p.kind === KIND_NON_IP) break;
        table.add(p, batch.wirelen[i]!, batch.ts, i, batch.data);
        if (p.innerKind === 0 || !decodeInner(p, batch.data)) break;
      }
    }
  });
  table.flush('eoc');
  return { flows, summary, errors };
}
