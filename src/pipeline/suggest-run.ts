/**
 * `site suggest` as one job: read the captures (no site file yet, so nothing is classified),
 * observe what each host answered and used, and infer a draft site file from the catalogs.
 */
import { listCatalogIds, loadCatalogs } from '../catalog/rules-loader.js';
import type { Catalog } from '../catalog/types.js';
import { observe } from '../review/observe.js';
import { renderSuggestion } from '../review/render.js';
import { CATALOG_ORDER, suggestSite, type Suggestion } from '../review/suggest.js';
import type { CaptureInput, IngestOptions, IngestResult } from './ingest.js';
import { captureIdsOf, ingestWithThreads } from './ingest-run.js';

/** The catalogs a suggestion considers: the ids or files given, else every shipped catalog. */
export function suggestionCatalogs(refs: readonly string[] | null): Catalog {
  return loadCatalogs(refs && refs.length ? [...refs] : listCatalogIds());
}

export interface SuggestRun {
  ingest: IngestResult;
  suggestion: Suggestion;
  /** The draft site file. */
  text: string;
}

export async function suggestFromCaptures(
  inputs: CaptureInput[], opts: Omit<IngestOptions, 'classifier' | 'catalog' | 'site'>, catalog: Catalog,
  threads: number, notice: (message: string) => void, afterIngest?: (res: IngestResult) => void,
): Promise<SuggestRun> {
  const res = await ingestWithThreads(inputs, { ...opts, classifier: null, catalog: null, site: null }, threads, notice);
  afterIngest?.(res);
  const flows = opts.store.flows({ captureIds: captureIdsOf(res), ordered: false });
  const suggestion = suggestSite(observe(flows), catalog);
  const fallback = [...catalog.ids].sort((a, b) => rankOf(a) - rankOf(b));
  return { ingest: res, suggestion, text: renderSuggestion(suggestion, { captures: inputs.map((i) => i.name), fallbackCatalogs: fallback }) };
}

function rankOf(id: string): number {
  const i = CATALOG_ORDER.indexOf(id);
  return i < 0 ? CATALOG_ORDER.length - 1.5 : i;
}
