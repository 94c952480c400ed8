/**
 * One ingest run as the commands ask for it: in one pipeline, or in parallel workers when more
 * than one thread was asked for and the inputs allow it (capture files and a database file).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FlowStore } from '../store/types.js';
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
function classificationStamp(ctx: AnalysisContext): string {
  return `${ctx.catalog.hash}:${ctx.site.hash}`;
}

/** Meta keys: the stamp above, and the site file (absolute path) the stored flows were classified with. */
export const META_CLASSIFICATION = 'classification';
export const META_CLASSIFICATION_SITE = 'classification_site';

/** Whether the stored classifications came from this context's catalogs and site file. */
export function classifiedWith(store: FlowStore, ctx: AnalysisContext): boolean {
  return store.getMeta(META_CLASSIFICATION) === classificationStamp(ctx);
}

/** Records that the stored flows are classified with this context (its stamp and its site file). */
export function recordClassification(store: FlowStore, ctx: AnalysisContext): void {
  store.setMeta(META_CLASSIFICATION, classificationStamp(ctx));
  store.setMeta(META_CLASSIFICATION_SITE, resolve(ctx.site.file));
}

/**
 * The site file `report` can use without --site: the one the stored classification was made
 * with, while it still exists with the same content. Otherwise why it cannot be used (the
 * caller asks for --site with it).
 */
export function recordedSiteFile(store: FlowStore): { file: string } | { why: string } {
  const file = store.getMeta(META_CLASSIFICATION_SITE);
  if (file === null) return { why: 'its flows were not classified with a site file yet' };
  if (!existsSync(file)) return { why: `its flows were classified with ${file}, which no longer exists` };
  const siteHash = (store.getMeta(META_CLASSIFICATION) ?? '').split(':')[1];
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (e) {
    return { why: `its flows were classified with ${file}, which cannot be read now (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (createHash('sha256').update(text).digest('hex') !== siteHash) return { why: `${file} changed since its flows were classified with it` };
  if (store.unclassifiedCount() > 0) return { why: 'some of its flows were read without a site file' };
  return { file };
}

/** Ids of the captures a run stored or found stored. */
export function captureIdsOf(res: IngestResult): number[] {
  return res.captures.map((c) => c.captureId).filter((x): x is number => x !== null);
}
