/**
 * One ingest run as the commands ask for it: in one pipeline, or in parallel workers when more
 * than one thread was asked for and the inputs allow it (capture files and a database file).
 */
import type { AnalysisContext } from './analysis-context.js';
import { ingest, type CaptureInput, type IngestOptions, type IngestResult } from './ingest.js';
import { canIngestInParallel, ingestParallel } from './ingest-parallel.js';

/** ingest(), or the parallel ingest; `notice` hears why a parallel run fell back to one thread. */
export async function ingestWithThreads(
  inputs: CaptureInput[], opts: IngestOptions, threads: number, notice: (message: string) => void,
): Promise<IngestResult> {
  if (threads > 1) {
    if (canIngestInParallel(inputs, opts)) return ingestParallel(inputs, opts, threads);
    notice('--threads needs capture files and a database file; reading in one thread');
  }
  return ingest(inputs, opts);
}

/** The meta value that says which catalog + site file the stored classifications came from. */
export function classificationStamp(ctx: AnalysisContext): string {
  return `${ctx.catalog.hash}:${ctx.site.hash}`;
}

/** Ids of the captures a run stored or found stored. */
export function captureIdsOf(res: IngestResult): number[] {
  return res.captures.map((c) => c.captureId).filter((x): x is number => x !== null);
}
