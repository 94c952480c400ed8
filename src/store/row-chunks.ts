/**
 * Query rows in the form a reader thread sends them (sqlite-read-ahead.ts): a chunk of rows as
 * typed arrays, one cell each, with strings interned. The audit's lean flow columns repeat a
 * few hundred addresses, states and option lists, so a chunk carries each new string once;
 * typed arrays are moved to the receiving thread, not copied. Decoding makes each row again as
 * the array a raw SQLite row is, so the row decoders of flow-rows.ts serve both paths.
 */
import { ColumnInterner } from './column-interner.js';

/** What a cell holds (RowChunk.tags). */
const NULL = 0;
const NUMBER = 1;
const INTERNED = 2;

/** Strings interned at most before the table is emptied (a scan of many hosts stays bounded). */
const INTERN_LIMIT = 1 << 16;

export interface RowChunk {
  rows: number;
  width: number;
  /** Per cell: NULL, NUMBER or INTERNED. */
  tags: Uint8Array;
  /** Per cell: the number or the interned string's index. */
  values: Float64Array;
  /** The intern table was emptied before this chunk's strings were added. */
  reset: boolean;
  /** Strings this chunk added to the intern table, in index order. */
  interned: string[];
}

export class RowChunkEncoder {
  private readonly table: ColumnInterner;
  private tags: Uint8Array;
  private values: Float64Array;
  private rows = 0;
  private reset = false;
  /** The table's size when the last chunk was taken: the strings after it are the next chunk's. */
  private sent = 0;

  constructor(readonly width: number, readonly capacity: number) {
    this.tags = new Uint8Array(width * capacity);
    this.values = new Float64Array(width * capacity);
    this.table = new ColumnInterner(width);
  }

  get length(): number {
    return this.rows;
  }

  add(row: readonly unknown[]): void {
    if (this.rows === 0 && this.table.size > INTERN_LIMIT) {
      this.table.clear();
      this.sent = 0;
      this.reset = true;
    }
    const at = this.rows * this.width;
    for (let c = 0; c < this.width; c++) {
      const v = row[c];
      if (v === null || v === undefined) {
        this.tags[at + c] = NULL;
      } else if (typeof v === 'number') {
        this.tags[at + c] = NUMBER;
        this.values[at + c] = v;
      } else if (typeof v === 'string') {
        this.tags[at + c] = INTERNED;
        this.values[at + c] = this.table.number(c, v);
      } else {
        throw new Error(`row-chunks: column ${c} holds a ${typeof v}, not a number, text or null`);
      }
    }
    this.rows++;
  }

  /** The rows added since the last take(), as a chunk whose arrays the caller may transfer. */
  take(): RowChunk {
    const n = this.rows * this.width;
    const chunk: RowChunk = {
      rows: this.rows, width: this.width, tags: this.tags.slice(0, n), values: this.values.slice(0, n),
      reset: this.reset, interned: this.table.strings.slice(this.sent),
    };
    this.rows = 0;
    this.reset = false;
    this.sent = this.table.size;
    return chunk;
  }
}

export class RowChunkDecoder {
  private table: string[] = [];

  /**
   * The chunk's rows in order, each as an array of its cells. The same array is filled again
   * for each row: a caller copies what it keeps (the row decoders do).
   */
  *rows(chunk: RowChunk): IterableIterator<unknown[]> {
    if (chunk.reset) this.table = [];
    for (const s of chunk.interned) this.table.push(s);
    const { width, tags, values } = chunk;
    const table = this.table;
    const row: unknown[] = new Array(width);
    for (let r = 0, at = 0; r < chunk.rows; r++) {
      for (let c = 0; c < width; c++, at++) {
        const t = tags[at];
        row[c] = t === NUMBER ? values[at] : t === INTERNED ? table[values[at]!] : null;
      }
      yield row;
    }
  }
}
