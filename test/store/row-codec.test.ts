/**
 * The writer-thread wire format must carry every column exactly as flowRow() would bind it,
 * and the classification of a flow classified before it was sent as its classifications key.
 */
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { decodeRows, encodeFlows } from '../../src/store/row-codec.js';
import { classKey, flowRow } from '../../src/store/sqlite-store.js';

function flow(over: Partial<FlowRecord>): FlowRecord {
  return {
    id: 41, captureId: 3, proto: 6, src: '10.1.2.3', sport: 50123, dst: '2001:db8::10', dport: 443, ipVersion: 6,
    originatorGuessed: false, origPackets: 12, respPackets: 10, origBytes: 2_000_000_123, respBytes: 1.5e12,
    origIpBytes: 900, respIpBytes: 19000, origPayloadBytes: 500, respPayloadBytes: 18000,
    start: 1709539200.123456, end: 1709539201.000001, state: 'SF', history: 'ShADadFf',
    vlans: [], synOptions: [2, 4, 8, 1, 3], synAckOptions: [2], communityId: '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
    endReason: 'end', tunnel: null, expectation: null, classification: null, ...over,
  };
}

describe('row codec', () => {
  it('decodes to exactly the flowRow() parameters (numbers, nulls, lists, odd text)', () => {
    const flows = [
      flow({}),
      flow({
        id: 42, proto: 17, originatorGuessed: true, vlans: [100, 200], synOptions: [], synAckOptions: [], tunnel: 'vxlan',
        expectation: { kind: 'epm', parentFlowId: 7, rule: null, evidence: 'port 49668 announced by "EPM" reply in flow #7' },
        classification: {
          rule: 'win.rpc-dynamic', how: 'expectation', evidence: 'quotes " and \\ and \u2028 and ünïcode, tab\t',
          srcRoles: ['sccm.client', '1e.client'], dstRoles: [], srcSite: 'hq', dstSite: null, ignored: true,
        },
      }),
      flow({ id: 43, proto: 1, sport: 8, dport: 0, endReason: 'eoc', classification: {
        rule: null, how: 'none', evidence: null, srcRoles: [], dstRoles: ['x'], srcSite: null, dstSite: 'leeds', ignored: false,
      } }),
    ];
    const m = encodeFlows(flows);
    // Through the structured clone a worker message goes through.
    const wire = structuredClone(m, { transfer: [m.nums.buffer as ArrayBuffer] });
    const { rows, classKeys } = decodeRows(wire);
    // class_id is the writer's to fill in (from the key, or by classifying the row there).
    expect(rows).toEqual(flows.map((f) => flowRow(f, null)));
    expect(classKeys).toEqual([null, classKey(flows[1]!.classification!), classKey(flows[2]!.classification!)]);
    expect(JSON.parse(classKeys[1]!)).toEqual(['win.rpc-dynamic', 'expectation', 'quotes " and \\ and \u2028 and ünïcode, tab\t', 'sccm.client,1e.client', '', 'hq', null, 1]);
  });

  it('with a pool, row arrays are reused and nothing of the previous batch shows through', () => {
    const pool: unknown[][] = [];
    const first = [flow({ tunnel: 'vxlan', vlans: [7] }), flow({ id: 42, expectation: { kind: 'epm', parentFlowId: 7, rule: 'r', evidence: 'e' } })];
    const a = decodeRows(structuredClone(encodeFlows(first)), pool);
    expect(a.rows).toEqual(first.map((f) => flowRow(f, null)));
    a.rows[1]![a.rows[1]!.length - 1] = 99; // the writer sets class_id in place
    const second = [flow({ id: 50 })];
    const b = decodeRows(structuredClone(encodeFlows(second)), pool);
    expect(b.rows[0]).toBe(pool[0]);
    expect(b.rows).toEqual(second.map((f) => flowRow(f, null)));
    expect(pool.length).toBe(2);
  });

  it('an empty batch is an empty batch', () => {
    expect(decodeRows(structuredClone(encodeFlows([])))).toEqual({ rows: [], classKeys: [] });
  });
});
