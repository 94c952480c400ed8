/**
 * The writer-thread wire format must carry every column exactly as flowRow() would bind it,
 * and the classification of a flow classified before it was sent as its classifications key.
 */
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/flow/flow-record.js';
import { RowDecoder, RowEncoder } from '../../src/store/row-codec.js';
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
          rule: 'win.rpc-dynamic', nearestRule: null, how: 'expectation', evidence: 'quotes " and \\ and \u2028 and ünïcode, tab\t',
          srcRoles: ['sccm.client', '1e.client'], dstRoles: [], srcSite: 'hq', dstSite: null, ignored: true,
        },
      }),
      flow({ id: 43, proto: 1, sport: 8, dport: 0, endReason: 'eoc', classification: {
        rule: null, nearestRule: 'x.near', how: 'none', evidence: null, srcRoles: [], dstRoles: ['x'], srcSite: null, dstSite: 'leeds', ignored: false,
      } }),
    ];
    const m = new RowEncoder().encode(flows);
    // Through the structured clone a worker message goes through.
    const wire = structuredClone(m, { transfer: [m.nums.buffer as ArrayBuffer] });
    const { rows, classKeys } = new RowDecoder().decode(wire);
    // class_id is the writer's to fill in (from the key, or by classifying the row there).
    expect(rows).toEqual(flows.map((f) => flowRow(f, null)));
    expect(classKeys).toEqual([null, classKey(flows[1]!.classification!), classKey(flows[2]!.classification!)]);
    expect(JSON.parse(classKeys[1]!)).toEqual(['win.rpc-dynamic', 'expectation', 'quotes " and \\ and \u2028 and ünïcode, tab\t', 'sccm.client,1e.client', '', 'hq', null, 1, 0, null, null]);
    // The nearest rule of a near miss travels in the key too.
    expect(JSON.parse(classKeys[2]!).at(-2)).toBe('x.near');
    // Each address crosses once.
    expect(m.newAddrs).toEqual(['10.1.2.3', '2001:db8::10']);
  });

  it('sends each classification key once per batch, however many rows share it', () => {
    const shared = { rule: 'x.dns', nearestRule: null, how: 'direct' as const, evidence: 'x.dns: client -> DNS server, UDP 53', srcRoles: ['x.client'], dstRoles: ['x.dns'], srcSite: null, dstSite: null, ignored: false };
    const flows = [1, 2, 3, 4].map((id) => flow({ id, classification: id === 3 ? null : shared }));
    const m = new RowEncoder().encode(flows);
    expect(m.keys).toEqual([classKey(shared)]);
    expect(m.strs).not.toContain('x.dns');
    expect(new RowDecoder().decode(m).classKeys).toEqual([classKey(shared), classKey(shared), null, classKey(shared)]);
  });

  const send = (enc: RowEncoder, dec: RowDecoder, flows: FlowRecord[]) => {
    const m = enc.encode(flows);
    return { m, d: dec.decode(structuredClone(m, { transfer: [m.nums.buffer as ArrayBuffer] })) };
  };

  it('batch after batch: known addresses are sent as numbers only, row arrays are reused, nothing shows through', () => {
    const enc = new RowEncoder();
    const dec = new RowDecoder();
    const first = [flow({ tunnel: 'vxlan', vlans: [7] }), flow({ id: 42, dst: '10.0.0.1', expectation: { kind: 'epm', parentFlowId: 7, rule: 'r', evidence: 'e' } })];
    const a = send(enc, dec, first);
    expect(a.d.rows).toEqual(first.map((f) => flowRow(f, null)));
    const firstRow = a.d.rows[0];
    firstRow![firstRow!.length - 1] = 99; // the writer sets class_id in place
    const second = [flow({ id: 50, src: '10.0.0.1', dst: '10.9.9.9' })];
    const b = send(enc, dec, second);
    expect(b.m.newAddrs).toEqual(['10.9.9.9']);
    expect(b.d.rows[0]).toBe(firstRow);
    expect(b.d.rows).toEqual(second.map((f) => flowRow(f, null)));
  });

  it('when the address list is full both sides start afresh, between two batches', () => {
    const enc = new RowEncoder(4);
    const dec = new RowDecoder();
    const one = [flow({ src: '10.0.0.1', dst: '10.0.0.2' }), flow({ id: 2, src: '10.0.0.3', dst: '10.0.0.4' })];
    expect(send(enc, dec, one).d.rows).toEqual(one.map((f) => flowRow(f, null)));
    const two = [flow({ id: 3, src: '10.0.0.4', dst: '10.0.0.5' })];
    const b = send(enc, dec, two);
    expect(b.m.addrReset).toBe(true);
    expect(b.m.newAddrs).toEqual(['10.0.0.4', '10.0.0.5']);
    expect(b.d.rows).toEqual(two.map((f) => flowRow(f, null)));
  });

  it('an empty batch is an empty batch', () => {
    expect(new RowDecoder().decode(structuredClone(new RowEncoder().encode([])))).toEqual({ rows: [], classKeys: [] });
  });
});
