/**
 * Strings numbered in the order first seen, for the text columns of rows that repeat a few
 * texts (addresses, states, option lists): what the reader thread's chunks (row-chunks.ts) and
 * the writer's copy of a read (kept-flows.ts) carry instead of a string per cell. A column often
 * repeats the row before (a flow's state, its option lists), and each row's text is a string
 * of its own (SQLite and JSON.parse make them), so each column's last string is compared first:
 * two short strings cost less to compare than a new one to hash for the table.
 */
export class ColumnInterner {
  private readonly table = new Map<string, number>();
  /** Per column, the last string numbered and its number. */
  private readonly previous: (string | undefined)[];
  private readonly previousNumber: number[];
  /** The strings numbered so far, by number. */
  readonly strings: string[] = [];

  constructor(columns: number) {
    this.previous = new Array<string | undefined>(columns).fill(undefined);
    this.previousNumber = new Array<number>(columns).fill(0);
  }

  get size(): number {
    return this.strings.length;
  }

  /** The number of `s`, a text of column `column` (0 <= column < columns). */
  number(column: number, s: string): number {
    if (s === this.previous[column]) return this.previousNumber[column]!;
    let k = this.table.get(s);
    if (k === undefined) {
      k = this.strings.length;
      this.strings.push(s);
      this.table.set(s, k);
    }
    this.previous[column] = s;
    this.previousNumber[column] = k;
    return k;
  }

  /** Forgets every string: numbering starts again at 0. */
  clear(): void {
    this.table.clear();
    this.strings.length = 0;
    this.previous.fill(undefined);
  }
}
