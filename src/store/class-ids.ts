/**
 * The classifications row of each classification, remembered per connection, for both stores.
 *
 * Rows are deduplicated here, in memory, not by a unique index: a new key lands at a random leaf
 * of such an index, and with evidence naming dynamic ports (15 k distinct keys on the 10M bench)
 * those scattered page writes cost more than the narrower flow rows saved. Another connection
 * writing at the same time may add an equal row; both read back the same.
 */
import type { Classification } from '../flow/flow-record.js';
import { classificationColumns } from './flow-rows.js';
import { classKeyOfColumns } from './schema.js';

/** Distinct classifications remembered per connection (beyond that, equal rows may repeat). */
export const CLASS_CACHE_LIMIT = 100_000;

export class ClassIdCache {
  /** Ids by key (the newest CLASS_CACHE_LIMIT rows, loaded on first use), and by Classification object. */
  private byKey = new Map<string, number>();
  private loaded = false;
  private byObject = new Map<Classification, number>();

  /**
   * @param load the newest `limit` rows as [key, id], newest first
   * @param insert inserts a row (the key and the CLASS_COLUMNS values) and returns its id
   */
  constructor(
    private readonly load: (limit: number) => [string, number][],
    private readonly insert: (key: string, columns: readonly unknown[]) => number,
  ) {}

  /** The classifications row of a classification (inserted when new); null for an unclassified flow. */
  classId(c: Classification | null): number | null {
    if (c === null) return null;
    let id = this.byObject.get(c);
    if (id === undefined) {
      const cols = classificationColumns(c);
      id = this.classIdOfKey(classKeyOfColumns(cols), cols);
      // Per-flow objects (expectation matches, sentences naming an address) would fill it: bounded.
      if (this.byObject.size >= 20_000) this.byObject.clear();
      this.byObject.set(c, id);
    }
    return id;
  }

  /** Same, from the key classKeyOfColumns() made (the writer thread receives keys, not objects). */
  classIdOfKey(key: string, columns?: readonly unknown[]): number {
    if (!this.loaded) {
      this.loaded = true;
      for (const [k, id] of this.load(CLASS_CACHE_LIMIT)) if (!this.byKey.has(k)) this.byKey.set(k, id);
    }
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.insert(key, columns ?? (JSON.parse(key) as unknown[]));
      if (this.byKey.size >= CLASS_CACHE_LIMIT) this.byKey.clear();
      this.byKey.set(key, id);
    }
    return id;
  }

  /** Runs `run`; a rolled-back transaction takes the rows it inserted with it, so the cache forgets them too. */
  forgetOnFailure<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.byKey.clear();
      this.byObject.clear();
      this.loaded = false;
      throw e;
    }
  }
}
