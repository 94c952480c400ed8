/** Loads the site file, the catalogs it names, and the classifier built from both. */
import { createClassifier } from '../classify/classifier.js';
import { loadSiteWithCatalogs } from '../catalog/site-file.js';
import type { Catalog, FlowClassifier, Site } from '../catalog/types.js';

export interface AnalysisContext {
  site: Site;
  catalog: Catalog;
  classifier: FlowClassifier;
}

export async function loadAnalysisContext(sitePath: string): Promise<AnalysisContext> {
  const { site, catalog } = loadSiteWithCatalogs(sitePath);
  return { site, catalog, classifier: createClassifier(catalog, site) };
}
