/**
 * The lean columns a run keeps of the flows it wrote (store/kept-flows.ts) must read exactly as
 * the table reads them back: the same AuditFlow objects, in id order. Checked on real captures
 * through both writers (inline, from the TypeScript sources, and the compiled writer thread),
 * and on hand-made rows for the order (ids written out of order, dense and sparse), the nulls,
 * and the cases where the copy is given up.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { compiledPipeline, FIXTURE_CASES } from '../helpers/run-pipeline.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { loadSiteWithCatalogs } from '../../src/catalog/site-file.js';
import { createClassifier } from '../../src/classify/classifier.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { flowRow } from '../../src/store/flow-rows.js';
import { columnIndex } from '../../src/store/schema.js';
import { KeptFlowsBuilder, keptAuditFlows, keptIndex, type KeptFlows } from '../../src/store/kept-flows.js';
import type { Classification, FlowRecord } from '../../src/flow/flow-record.js';
import type { RowStore } from '../../src/store/types.js';

const dir = mkdtempSync(join(tmpdir(), 'fa-kept-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/**
 * Finding flows by id from the copy (nothing read back) are those read from the table: every
 * flow, in id order and in another order, and every third one.
 */
function expectSameFindingFlows(store: { findingFlowsById: RowStore['findingFlowsById'] }, kept: KeptFlows, ids: number[]): void {
  for (const pick of [ids, [...ids].reverse(), ids.filter((_, i) => i % 3 === 1)]) {
    const withCopy = [...store.findingFlowsById(pick, kept)];
    expect(withCopy.map((f) => f.id)).toEqual(pick);
    expect(withCopy).toEqual([...store.findingFlowsById(pick)]);
  }
}

const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/pipeline/flow-writer-worker.js'));

describe('kept flows of a read, against the table', () => {
  for (const [name, site, captures] of FIXTURE_CASES) {
    it(`${name}: the inline writer's copy reads as the table does`, async () => {
      const { site: s, catalog } = loadSiteWithCatalogs(join(PROJECT_ROOT, site));
      const store = openFlowStore(join(dir, `inline-${n++}.db`));
      try {
        const res = await ingest(captures.map((c) => ({ name: join(PROJECT_ROOT, c) })), {
          store, classifier: createClassifier(catalog, s), catalog, site: s, keepFlows: true,
        });
        expect(res.kept).not.toBeNull();
        expect(res.kept!.rows).toBe(res.flowsWritten);
        const table = [...store.auditFlows([])];
        expect(table.length).toBeGreaterThan(0);
        expect([...store.auditFlows([], res.kept)]).toEqual(table);
        expectSameFindingFlows(store, res.kept!, table.map((f) => f.id));
      } finally {
        store.close();
      }
    });
  }

  it.skipIf(!BUILT)('every fixture: the writer thread\'s copy reads as the table does (classified there too)', async () => {
    const p = await compiledPipeline();
    for (const [, site, captures] of FIXTURE_CASES) {
      const { site: s, catalog } = p.loadSiteWithCatalogs(join(PROJECT_ROOT, site));
      const store = p.openFlowStore(join(dir, `threaded-${n++}.db`));
      try {
        // classifyHereFirst 0: the writer thread classifies every flow, and keeps what it stored.
        const res = await p.ingest(captures.map((c) => ({ name: join(PROJECT_ROOT, c) })), {
          store, classifier: p.createClassifier(catalog, s), catalog, site: s, keepFlows: true, classifyHereFirst: 0,
        });
        expect(res.kept, site).not.toBeNull();
        expect(res.kept!.rows).toBe(res.flowsWritten);
        const table = [...store.auditFlows([])];
        expect([...store.auditFlows([], res.kept)], site).toEqual(table);
        expectSameFindingFlows(store, res.kept!, table.map((f) => f.id));
      } finally {
        store.close();
      }
    }
  });

  it('without keepFlows nothing is kept', async () => {
    const [, site, captures] = FIXTURE_CASES[0]!;
    const { site: s, catalog } = loadSiteWithCatalogs(join(PROJECT_ROOT, site));
    const store = openFlowStore(join(dir, `none-${n++}.db`));
    try {
      const res = await ingest(captures.map((c) => ({ name: join(PROJECT_ROOT, c) })), { store, classifier: createClassifier(catalog, s), catalog, site: s });
      expect(res.kept).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

/** A flow as the flow table hands it on, with the fields the tests vary. */
function flow(id: number, over: Partial<FlowRecord> = {}): FlowRecord & { captureId: number } {
  return {
    id, captureId: 1, proto: 6, ipVersion: 4, src: `10.0.0.${id % 250}`, sport: 40000 + (id % 1000), dst: '10.0.1.1', dport: 445,
    originatorGuessed: id % 3 === 0, origPackets: 3 + (id % 4), respPackets: id % 7, origBytes: 180 + id, respBytes: 120 * (id % 9), origIpBytes: 240, respIpBytes: 160,
    origPayloadBytes: 0, respPayloadBytes: 0, start: 1700000000 + id / 8, end: 1700000001.5 + id / 8, state: id % 2 ? 'SF' : 'S0',
    history: 'ShAdDaFf', vlans: [], synOptions: [2, 4, 8, 1, 3], synAckOptions: id % 5 ? [2, 4] : [],
    communityId: `1:${createHash('sha1').update(String(id)).digest('base64')}`, endReason: 'end', tunnel: null, expectation: null, classification: null, ...over,
  } as FlowRecord & { captureId: number };
}

const RULE: Classification = { rule: 'r1', how: 'direct', evidence: null, srcRoles: ['client'], dstRoles: ['server'], srcSite: null, dstSite: null, ignored: false, nearestRule: null };

/** Writes `flows` to a new SQLite file in the order given, keeping them; returns the store and the copy. */
function writeAndKeep(flows: (FlowRecord & { captureId: number })[]): { store: RowStore; kept: KeptFlows | null } {
  const store = openFlowStore(join(dir, `rows-${n++}.db`)) as RowStore;
  const capture = store.beginCapture({ source: 'hand-made', format: 'pcap', sha256: null, fingerprint: null, size: null, tapSide: null });
  const withCapture = flows.map((f) => ({ ...f, captureId: capture }));
  store.writeFlows(withCapture);
  const b = new KeptFlowsBuilder();
  b.add(withCapture.map((f) => flowRow(f, store.classId(f.classification))));
  return { store, kept: b.finish() };
}

describe('kept flows, hand-made rows', () => {
  it('written out of id order (dense ids), with and without expectation and classification: read back in id order as stored', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => i + 1);
    // Flows end (and are written) in another order than they start (and are numbered).
    const order = [...ids].sort((a, b) => ((a * 7919) % 3001) - ((b * 7919) % 3001));
    const flows = order.map((id) => flow(id, {
      expectation: id % 4 === 0 ? { kind: 'epm', parentFlowId: id - 1, rule: 'r1', evidence: 'epm map' } : null,
      classification: id % 3 === 0 ? null : { ...RULE, rule: `r${id % 5}` },
    }));
    const { store, kept } = writeAndKeep(flows);
    try {
      expect(kept!.rows).toBe(3000);
      const fromCopy = [...store.auditFlows([], kept)];
      expect(fromCopy.map((f) => f.id)).toEqual(ids);
      expect(fromCopy).toEqual([...store.auditFlows([])]);
      expect(fromCopy.some((f) => f.expectation !== null) && fromCopy.some((f) => f.classification === null)).toBe(true);
      expectSameFindingFlows(store, kept!, ids);
    } finally {
      store.close();
    }
  });

  it('sparse ids (far apart ranges) are sorted, not slotted, and read the same', () => {
    const ids = [5, 1, 9_000_000, 70_000_000_001, 3, 70_000_000_000, 123_456];
    const { store, kept } = writeAndKeep(ids.map((id) => flow(id, { classification: RULE })));
    try {
      // Row numbers (write order) of the ids in ascending order.
      expect([...keptIndex(kept!).order]).toEqual([1, 4, 0, 6, 2, 5, 3]);
      const fromCopy = [...store.auditFlows([], kept)];
      expect(fromCopy.map((f) => f.id)).toEqual([...ids].sort((a, b) => a - b));
      expect(fromCopy).toEqual([...store.auditFlows([])]);
      expectSameFindingFlows(store, kept!, ids);
      expect(keptIndex(kept!).rowOf(4)).toBe(-1);
      expect(keptIndex(kept!).rowOf(70_000_000_000)).toBe(5);
    } finally {
      store.close();
    }
  });

  it('an empty community ID reads back empty; a flow the copy does not hold is a fault, never skipped', () => {
    const { store, kept } = writeAndKeep([flow(1, { communityId: '' }), flow(2)]);
    try {
      expectSameFindingFlows(store, kept!, [1, 2]);
      expect([...store.findingFlowsById([1], kept)][0]!.communityId).toBe('');
      expect(() => [...store.findingFlowsById([1, 3], kept)]).toThrow(/flow 3 is not in the flows kept of the read/);
    } finally {
      store.close();
    }
  });

  it('an empty copy reads as no flows', () => {
    const b = new KeptFlowsBuilder();
    expect([...keptAuditFlows(b.finish()!, new Map())]).toEqual([]);
  });

  it('is given up past its row limit, and says why', () => {
    const b = new KeptFlowsBuilder(100);
    const rows = Array.from({ length: 60 }, (_, i) => flowRow(flow(i + 1), null));
    b.add(rows);
    expect(b.givenUp).toBeNull();
    b.add(rows);
    expect(b.givenUp).toBe('more than 100 flows');
    expect(b.finish()).toBeNull();
  });

  it('is given up on a value it could not give back as the table would (never a wrong copy)', () => {
    const bad: [string, (r: unknown[]) => void][] = [
      ['a port that is not an integer', (r) => { r[columnIndex('sport')] = '445'; }],
      ['a missing address', (r) => { r[columnIndex('src')] = null; }],
      ['an expectation without its parent', (r) => { r[columnIndex('exp_kind')] = 'epm'; r[columnIndex('exp_parent')] = null; }],
      ['a negative class id', (r) => { r[columnIndex('class_id')] = -2; }],
      ['a byte count that is not a number', (r) => { r[columnIndex('orig_bytes')] = null; }],
      ['an expectation rule that is not a text', (r) => { r[columnIndex('exp_rule')] = 7; }],
      ['a community ID longer than the copy keeps', (r) => { r[columnIndex('community_id')] = `1:${'A'.repeat(30)}`; }],
      ['a community ID that is not ASCII', (r) => { r[columnIndex('community_id')] = '1:é'; }],
    ];
    for (const [what, spoil] of bad) {
      const b = new KeptFlowsBuilder();
      const row = flowRow(flow(1), 3);
      spoil(row);
      b.add([flowRow(flow(2), 3), row]);
      expect(b.givenUp, what).toMatch(/a row the copy cannot hold/);
      expect(b.finish(), what).toBeNull();
    }
  });
});
