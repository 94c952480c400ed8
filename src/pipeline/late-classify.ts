/**
 * Late classification: flows that cannot open follow-on windows and were not claimed by an
 * expectation classify the same whenever it is done (see FlowClassifier.needsEarly), so the
 * ingest leaves them for the store stage. With a database file that is the writer thread, which
 * rebuilds the classifier from the catalog and site (plain data, cloned to it) and fills the
 * classification columns of each row before inserting it: the packet path does not pay for it.
 */
import { createClassifier } from '../catalog/classifier.js';
import type { Catalog, FlowClassifier, Site } from '../catalog/types.js';
import type { Classification, FlowRecord } from '../flow/flow-record.js';
import { classificationColumns, ROW } from '../store/sqlite-store.js';

/** What the store stage needs to classify on its own (structured-cloneable). */
export interface LateClassification {
  catalog: Catalog;
  site: Site;
}

/** Classifies, in place, the flows of a batch that were left for later. */
export function classifyLate(classifier: FlowClassifier, flows: readonly FlowRecord[]): void {
  for (const f of flows) if (f.classification === null) f.classification = classifier.classify(f, null);
}

/**
 * Row form (flowRow order) of the same: fills the classification columns of rows that have
 * none. Most flows share a classification object (same role sets, port and sites), so its
 * column values are built once per object, not joined per row.
 */
export class RowClassifier {
  private readonly classifier: FlowClassifier;
  private readonly columns = new Map<Classification, unknown[]>();

  constructor(spec: LateClassification) {
    this.classifier = createClassifier(spec.catalog, spec.site);
  }

  classifyRows(rows: unknown[][]): void {
    for (const r of rows) {
      if (r[ROW.matchHow] !== null) continue;
      const c = this.classifier.classify({
        proto: r[ROW.proto] as number, src: r[ROW.src] as string, sport: r[ROW.sport] as number,
        dst: r[ROW.dst] as string, dport: r[ROW.dport] as number,
        originatorGuessed: r[ROW.originatorGuessed] === 1, start: r[ROW.start] as number,
      }, null);
      let cols = this.columns.get(c);
      if (cols === undefined) {
        cols = classificationColumns(c);
        // Only direct matches are shared objects worth remembering; the others are per flow.
        if (c.how === 'direct') {
          if (this.columns.size >= 10_000) this.columns.clear();
          this.columns.set(c, cols);
        }
      }
      for (let k = 0; k < cols.length; k++) r[ROW.rule + k] = cols[k];
    }
  }
}
