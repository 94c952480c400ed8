/**
 * The main job, as `audit` and `report` run it: make sure the stored flows are classified with
 * the current site file and catalogs (re-classifying only when they are stale), audit them,
 * and keep the result in the store. Rendering is the caller's.
 */
import { createHash } from 'node:crypto';
import { runAudit, storeSource, type AuditProgress } from '../audit/audit.js';
import type { AuditResult } from '../audit/types.js';
import type { KeptFlows } from '../store/kept-flows.js';
import type { FlowStore } from '../store/types.js';
import type { AnalysisContext } from './analysis-context.js';
import type { CaptureInput, IngestOptions, IngestResult } from './ingest.js';
import { captureIdsOf, classifiedWith, ingestWithThreads, recordClassification } from './ingest-run.js';
import { reclassifyStored } from './reclassify.js';

/** How the audit judges, beyond the site file: `strict` (a strict review), else the site's `strict`. */
export interface AuditOptions {
  strict?: boolean;
  /** How far the audit got (flows counted, findings so far), for a progress line. */
  onProgress?: (p: AuditProgress) => void;
}

/**
 * Audits what the store holds for `captureIds` and saves the result with the store. The
 * result's item lists read the store as they are iterated: render it before closing the store.
 */
export function auditStored(
  store: FlowStore, ctx: AnalysisContext, captureIds: number[], opts: AuditOptions = {}, kept: KeptFlows | null = null,
): AuditResult {
  const captures = store.captures().filter((c) => captureIds.includes(c.id));
  const result = runAudit({
    source: storeSource(store, captureIds, kept),
    captures,
    // Conversations several sensors saw, to count once (none, at no cost, with one sensor).
    shared: store.sharedConversations(captureIds),
    catalog: ctx.catalog,
    site: ctx.site,
    unusedExpectations: store.unusedExpectations(captureIds),
    strict: opts.strict,
    onProgress: opts.onProgress,
  });
  store.saveReport(ctx.catalog.hash, ctx.site.hash, captureIds, storedForm(result));
  return result;
}

/** Groups per section the `findings` table keeps of an audit (the human formats' default cut). */
const STORED_GROUPS = 200;

/**
 * What the store keeps of an audit (the `findings` table): everything but the per-flow item
 * lists, which the flows and their classifications give again (their lengths are in the
 * summary), and of each section's groups the largest STORED_GROUPS (the summary counts them
 * all). A history of verdicts, not a second copy of the report: the groups of a scan-heavy
 * capture run to tens of megabytes.
 */
function storedForm(r: AuditResult): Omit<AuditResult, 'unexpected' | 'wanCache' | 'windowOnly'> {
  const { unexpected: _u, wanCache: _w, windowOnly: _t, ...rest } = r;
  const g = r.groups;
  return {
    ...rest,
    groups: {
      unexpected: g.unexpected.slice(0, STORED_GROUPS), missing: g.missing.slice(0, STORED_GROUPS),
      wanCache: g.wanCache.slice(0, STORED_GROUPS), windowOnly: g.windowOnly.slice(0, STORED_GROUPS),
    },
  };
}

export interface AuditRun {
  ingest: IngestResult;
  result: AuditResult;
}

/**
 * Reads the captures (classifying while reading) and audits them. A capture that was already
 * stored keeps its flows; they are re-classified when they were classified with another site
 * file or catalog. When every capture was read now, the audit counts, and builds its finding
 * items from, the columns the writer kept of the flows it wrote (store/kept-flows.ts) instead of
 * reading them back.
 */
export async function readAndAudit(
  inputs: CaptureInput[], opts: Omit<IngestOptions, 'classifier' | 'catalog' | 'site'>, ctx: AnalysisContext,
  threads: number, notice: (message: string) => void, afterIngest?: (res: IngestResult) => void, auditOpts: AuditOptions = {},
): Promise<AuditRun> {
  const { store } = opts;
  const res = await ingestWithThreads(
    inputs, { ...opts, classifier: ctx.classifier, catalog: ctx.catalog, site: ctx.site, keepFlows: true }, threads, notice,
  );
  afterIngest?.(res);
  const ids = captureIdsOf(res);
  const skipped = res.captures.some((c) => c.skipped);
  if (skipped && !classifiedWith(store, ctx)) {
    reclassifyStored(store, ctx.classifier, ctx.catalog, ids);
  }
  recordClassification(store, ctx);
  // The copy holds exactly the audited flows, as stored, when this run wrote all of them (a
  // capture skipped as stored already, or dropped as a duplicate at its end, is not in it).
  const kept = !skipped && res.kept && res.kept.rows === res.flowsWritten ? res.kept : null;
  delete res.kept; // held by the audit's item lists while the report is written, then let go with them
  return { ingest: res, result: auditStored(store, ctx, ids, auditOpts, kept) };
}

/**
 * Audits stored captures (`report`): every stored flow is re-classified first when the store's
 * classifications came from another site file or catalog, or some flows were read without one.
 * Returns how many flows were re-classified, or null when they were current.
 */
export function reclassifyIfStale(store: FlowStore, ctx: AnalysisContext): number | null {
  const estate = estateKey(store);
  if (classifiedWith(store, ctx) && store.unclassifiedCount() === 0 && (estate === null || store.getMeta(META_ESTATE) === estate)) {
    recordClassification(store, ctx); // the site file's path, when an earlier flowaudit did not record it
    return null;
  }
  const n = reclassifyStored(store, ctx.classifier, ctx.catalog);
  recordClassification(store, ctx);
  if (estate !== null) store.setMeta(META_ESTATE, estate);
  return n;
}

/** Meta key: estateKey() of the captures the stored flows were last classified together as. */
const META_ESTATE = 'classification_estate';

/**
 * Captures of several sensors are one estate: each sensor classified its own flows as it read
 * them, but an announcement or a window seen by one sensor may explain a flow another one saw,
 * and the verdict must not depend on how the traffic was cut between sensors. So a database
 * holding more than one sensor's captures is classified again, all of them together in start
 * order, whenever its set of captures changed since (a sha1 of their ids says which set). Null
 * for one sensor's captures: each read classified them as well as a joint pass would.
 */
function estateKey(store: FlowStore): string | null {
  const captures = store.captures();
  if (new Set(captures.map((c) => c.sensor ?? '')).size < 2) return null;
  const ids = captures.map((c) => `${c.id}:${c.status}`).sort().join(',');
  return createHash('sha1').update(ids).digest('hex');
}
