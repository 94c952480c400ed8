/** Loads the site file, the catalogs it names, and the classifier built from both. */
import type { Catalog, FlowClassifier, Site } from '../catalog/types.js';

export interface AnalysisContext {
  site: Site;
  catalog: Catalog;
  classifier: FlowClassifier;
}

export async function loadAnalysisContext(sitePath: string): Promise<AnalysisContext> {
  throw new Error(`site files not wired yet (${sitePath})`);
}
