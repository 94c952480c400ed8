/**
 * Late classification: flows that cannot open follow-on windows and were not claimed by an
 * expectation classify the same whenever it is done (see FlowClassifier.needsEarly), so the
 * ingest classifies them after they end: the first flows of a read itself (classifyLate), the
 * rest in the store stage. With a database file that is the writer thread, which builds a
 * classifier from the catalog and site (plain data, cloned to it) and fills the classification
 * column of each row before inserting it: on a long capture the packet path does not pay for it.
 */
import { createClassifier } from '../classify/classifier.js';
import type { Catalog, FlowClassifier, Site } from '../catalog/types.js';
import type { Classification, FlowRecord } from '../flow/flow-record.js';
import { ROW } from '../store/row-codec.js';

/** What the store stage needs to classify on its own (structured-cloneable). */
export interface LateClassification {
  catalog: Catalog;
  site: Site;
}

/** Classifies, in place, the flows of a batch that were left for later. */
export function classifyLate(classifier: FlowClassifier, flows: readonly FlowRecord[]): void {
  for (const f of flows) if (f.classification === null) f.classification = classifier.classifyShared(f, null);
}

/**
 * One identity object for every row classified: the classifier keeps nothing of it, and an
 * object per row was young garbage whose scavenges also rescan the reused row arrays (old
 * objects that point at each batch's new values).
 */
const ROW_IDENTITY = { proto: 0, src: '', sport: 0, dst: '', dport: 0, originatorGuessed: false, start: 0 };

/**
 * Row form (flowRow order) of the same: classifies the rows that were sent without a
 * classification and sets their class_id (`classId` maps a classification to its
 * classifications row; most flows share a classification object, so that is a map lookup).
 */
export class RowClassifier {
  private readonly classifier: FlowClassifier;

  constructor(spec: LateClassification) {
    this.classifier = createClassifier(spec.catalog, spec.site);
  }

  /** `pending[i]` says row i still needs classifying. */
  classifyRows(rows: unknown[][], pending: (i: number) => boolean, classId: (c: Classification) => number | null): void {
    const id = ROW_IDENTITY;
    for (let i = 0; i < rows.length; i++) {
      if (!pending(i)) continue;
      const r = rows[i]!;
      id.proto = r[ROW.proto] as number;
      id.src = r[ROW.src] as string;
      id.sport = r[ROW.sport] as number;
      id.dst = r[ROW.dst] as string;
      id.dport = r[ROW.dport] as number;
      id.originatorGuessed = r[ROW.originatorGuessed] === 1;
      id.start = r[ROW.start] as number;
      r[ROW.classId] = classId(this.classifier.classifyShared(id, null));
    }
  }
}
