/**
 * Acceptance on the shared corpus: on every capture tagged dcerpc (../shared/corpus/MANIFEST.tsv),
 * the follow-on connections that an endpoint-mapper or DCOM announcement claims with the
 * pipeline's own reader on TCP 135 (DceRpcInspector) are those the endpoint-mapper reference
 * reader (test/helpers/epm-reference.ts, ept_map only) makes claim, or more: unchanged or
 * stronger. Both runs are the real ingest into a SQLite store; only the reader on TCP 135
 * differs (IngestOptions.inspectors). The corpus has no site file, so no rule is named: what is
 * compared is the claim itself (expectation kind, announcing flow, evidence). The test prints
 * every claimed flow and the flows that gained an announcement.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTO_TCP } from '../../src/flow/flow-record.js';
import { createInspectorRegistry, INSPECTORS, InspectorRegistry } from '../../src/inspect/registry.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openFlowStore } from '../../src/store/open-store.js';
import { CORPUS, HAVE_CORPUS, NO_CORPUS_MESSAGE, corpusFile, manifest } from '../helpers/corpus.js';
import { EpmInspector } from '../helpers/epm-reference.js';
import { keyOf } from '../helpers/run-pipeline.js';

if (!HAVE_CORPUS) console.warn(NO_CORPUS_MESSAGE);

/** The reference: EpmInspector on TCP 135, every other inspector as the pipeline registers it. */
function referenceRegistry(): InspectorRegistry {
  const r = new InspectorRegistry();
  r.register(PROTO_TCP, 135, () => new EpmInspector());
  for (const spec of Object.values(INSPECTORS)) for (const port of spec.wellKnown) r.register(spec.proto, port, spec.create);
  return r;
}

interface Claim {
  flow: string;
  kind: string;
  parent: string;
  evidence: string;
}

const dir = mkdtempSync(join(tmpdir(), 'fa-dcerpc-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

/** Every flow of the capture an announcement claimed (window claims cannot occur: no catalog). */
async function claims(path: string, inspectors: InspectorRegistry): Promise<Map<string, Claim>> {
  const store = openFlowStore(join(dir, `run-${++runs}.db`));
  try {
    const res = await ingest([{ name: path }], { store, inspectors, hashFiles: false });
    const ids = res.captures.map((c) => c.captureId).filter((x): x is number => x !== null);
    const flows = [...store.flows({ captureIds: ids })];
    const byId = new Map(flows.map((f) => [f.id, f]));
    const out = new Map<string, Claim>();
    for (const f of flows) {
      if (!f.expectation) continue;
      const parent = byId.get(f.expectation.parentFlowId);
      out.set(keyOf(f), { flow: keyOf(f), kind: f.expectation.kind, parent: parent ? keyOf(parent) : `#${f.expectation.parentFlowId}`, evidence: f.expectation.evidence });
    }
    return out;
  } finally {
    store.close();
  }
}

const show = (c: Claim) => `${c.flow} <- ${c.kind} from ${c.parent}: ${c.evidence.replace(/ in flow #\d+$/, '')}`;

describe.skipIf(!HAVE_CORPUS)('follow-on connections on the corpus captures tagged dcerpc: unchanged or stronger', () => {
  const rows = HAVE_CORPUS ? manifest().filter((r) => r.tags.includes('dcerpc')) : [];

  it('the reference registry differs from the pipeline\'s only on TCP 135', () => {
    const ours = createInspectorRegistry();
    const ref = referenceRegistry();
    expect(ref.inspectorFor({ proto: PROTO_TCP, dport: 135 })).toBeInstanceOf(EpmInspector);
    expect(ours.inspectorFor({ proto: PROTO_TCP, dport: 135 })).not.toBeInstanceOf(EpmInspector);
    for (const spec of Object.values(INSPECTORS)) {
      for (const port of spec.wellKnown) {
        if (port === 135) continue;
        expect(ref.inspectorFor({ proto: spec.proto, dport: port })?.constructor).toBe(ours.inspectorFor({ proto: spec.proto, dport: port })?.constructor);
      }
    }
  });

  it('every flow an announcement claimed with the reference reader is claimed the same way by the pipeline\'s', async () => {
    expect(rows.length, `captures tagged dcerpc in ${CORPUS}/MANIFEST.tsv`).toBeGreaterThan(0);
    const listed: string[] = [];
    const gained: string[] = [];
    const changed: string[] = [];
    let claimedBoth = 0;
    for (const row of rows) {
      const path = corpusFile(row.path);
      expect(existsSync(path), `${path} (listed in MANIFEST.tsv)`).toBe(true);
      const ours = await claims(path, createInspectorRegistry());
      const ref = await claims(path, referenceRegistry());
      for (const [flow, r] of ref) {
        const o = ours.get(flow);
        // Lost: a claim the reference makes that the pipeline does not make at all.
        expect(o, `${row.path}: ${show(r)} is no longer claimed`).toBeDefined();
        expect(o!.kind, `${row.path}: ${flow}`).toBe(r.kind);
        if (o!.evidence !== r.evidence || o!.parent !== r.parent) changed.push(`${row.path}: ${show(r)}  =>  ${show(o!)}`);
        claimedBoth++;
      }
      for (const [flow, o] of ours) {
        listed.push(`${row.path}: ${show(o)}`);
        if (!ref.has(flow)) gained.push(`${row.path}: ${show(o)}`);
      }
    }
    console.log(`dcerpc corpus: ${rows.length} captures; flows claimed by an announcement: ${listed.length} (reference: ${claimedBoth})\n`
      + (listed.length ? `  ${listed.join('\n  ')}\n` : '')
      + `flows that gained an announcement: ${gained.length ? `\n  ${gained.join('\n  ')}` : 'none'}\n`
      + `flows claimed through another announcement: ${changed.length ? `\n  ${changed.join('\n  ')}` : 'none'}`);
    expect(claimedBoth, 'some corpus flow is claimed by an endpoint-mapper announcement').toBeGreaterThan(0);
    // Same evidence and announcing flow wherever both claim a flow: DceRpcInspector words its ept_map evidence as the reference does.
    expect(changed).toEqual([]);
  });
});
