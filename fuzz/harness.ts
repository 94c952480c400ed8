/**
 * One fuzz case through the real pipeline, in this process: the reader, decoder, flow table,
 * inspectors, expectations and classifier (the bundled example's site file and catalogs) into
 * an in-memory store, as `flowaudit read --site` runs them — optionally followed by the audit
 * and every report format. Damage the reader reports (a capture stored `partial` with the byte
 * offset) is the expected outcome of a damaged file; a failure is anything else: an exception,
 * or a result that breaks what must always hold (more packets than the bytes can carry, flows
 * made of more packets than were read, a damaged capture stored as complete).
 */
import { join } from 'node:path';
import { runAudit } from '../src/audit/audit.js';
import { createClassifier } from '../src/classify/classifier.js';
import { loadSiteWithCatalogs } from '../src/catalog/site-file.js';
import { ingest } from '../src/pipeline/ingest.js';
import { renderReport, REPORT_FORMATS } from '../src/report/index.js';
import { openFlowStore } from '../src/store/open-store.js';
import { memorySource, PROJECT_ROOT } from './seeds.js';

export type CaseOutcome =
  | { failed: false; packets: number; flows: number; damaged: boolean }
  | { failed: true; kind: 'exception' | 'invariant'; message: string; stack: string };

export interface HarnessOptions {
  /** Site file to classify with (default: the bundled example's). */
  site?: string;
  /** Also audit the stored flows and render every report format. */
  reports?: boolean;
}

export interface Harness {
  run(bytes: Buffer, readSize?: number): Promise<CaseOutcome>;
}

/** Every record costs at least a 16-byte header (pcap) or a 16-byte block (pcapng SPB). */
const MIN_RECORD = 16;

export function createHarness(opts: HarnessOptions = {}): Harness {
  const { site, catalog } = loadSiteWithCatalogs(opts.site ?? join(PROJECT_ROOT, 'fixtures/example/site.yaml'));
  const classifier = createClassifier(catalog, site);
  return {
    async run(bytes: Buffer, readSize = Number.MAX_SAFE_INTEGER): Promise<CaseOutcome> {
      const store = openFlowStore(':memory:');
      try {
        const res = await ingest([{ name: 'fuzz-case', isFile: false, open: async () => memorySource(bytes, readSize) }], {
          store, classifier, catalog, site,
        });
        const c = res.captures[0]!;
        const packets = c.summary?.packets ?? 0;
        const flows = [...store.flows({ ordered: false })];
        const flowPackets = flows.reduce((n, f) => n + f.origPackets + f.respPackets, 0);
        const broken = (message: string): CaseOutcome => ({ failed: true, kind: 'invariant', message, stack: '' });
        if (packets > Math.floor(bytes.length / MIN_RECORD)) return broken(`${packets} packets read from ${bytes.length} bytes`);
        // A packet is at most one outer and four inner flows' packet.
        if (flowPackets > packets * 5) return broken(`flows hold ${flowPackets} packets of ${packets} read`);
        if (c.error !== null && c.status !== 'partial') return broken(`damaged capture stored as ${c.status}: ${c.error}`);
        if (opts.reports) {
          const result = runAudit({
            flows, captures: store.captures(), catalog, site, unusedExpectations: store.unusedExpectations(), now: new Date(0),
          });
          for (const f of REPORT_FORMATS) renderReport(result, f);
        }
        return { failed: false, packets, flows: flows.length, damaged: c.error !== null };
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        return { failed: true, kind: 'exception', message: `${err.name}: ${err.message}`, stack: err.stack ?? '' };
      } finally {
        store.close();
      }
    },
  };
}

/** What makes two failures the same bug: the message without numbers, and the first frame of the stack. */
export function failureSignature(o: Extract<CaseOutcome, { failed: true }>): string {
  const frame = o.stack.split('\n').find((l) => /^\s+at /.test(l))?.trim().replace(/:\d+:\d+\)?$/, '') ?? '';
  return `${o.kind}: ${o.message.replace(/\d+/g, 'N')}${frame ? ` ${frame}` : ''}`;
}
