/**
 * `flowaudit flows --where "dport=445 and not (state=SF or state=S1)"`: a small filter language
 * turned into parameterised SQL. The grammar (docs/contracts.md, "Command line"):
 *
 *   expr       := term ('or' term)*
 *   term       := factor ('and' factor)*
 *   factor     := 'not' factor | '(' expr ')' | comparison
 *   comparison := FIELD OP VALUE        OP: = != < > <= >= ~ !~
 *   VALUE      := a word without blanks or parentheses, or 'quoted' / "quoted" text
 *
 * Keywords are case-insensitive. Only whitelisted fields and operators exist and every value is
 * a bound parameter, so nothing a user types reaches SQL as text. A mistake is reported with
 * the column it was found at.
 *
 * Comparisons are two-valued: one on a field the flow has no value for (the rule of an
 * unclassified flow) is false, and `not` makes it true. `~` matches a glob (`*` any text, `?`
 * one character, `[abc]` one of a set), case-sensitive, against the whole value; a pattern
 * without any of those characters matches anywhere in the value ("contains"). Address fields
 * (`src`, `dst`, `host`) take a single address, a CIDR or a range `a-b` with `=` and `!=`.
 */
import { parseAddressExpr } from '../catalog/address-index.js';
import { canonicalAddress, formatIp, parseAddressFast } from '../util/ip.js';
import { protoNumber } from '../util/proto.js';
import { UserError } from '../util/errors.js';

type Kind = 'number' | 'text' | 'address' | 'list';

interface FieldDef {
  column: string;
  kind: Kind;
  /** The column may hold NULL (comparisons on it are wrapped so NULL reads as false). */
  nullable?: boolean;
}

const FIELDS: Record<string, FieldDef> = {
  proto: { column: 'f.proto', kind: 'number' },
  src: { column: 'f.src', kind: 'address' },
  dst: { column: 'f.dst', kind: 'address' },
  sport: { column: 'f.sport', kind: 'number' },
  dport: { column: 'f.dport', kind: 'number' },
  state: { column: 'f.state', kind: 'text' },
  history: { column: 'f.history', kind: 'text' },
  rule: { column: 'f.rule', kind: 'text', nullable: true },
  match: { column: 'f.match_how', kind: 'text', nullable: true },
  capture: { column: 'f.capture_id', kind: 'number' },
  vlan: { column: 'f.vlans', kind: 'list' },
  origpackets: { column: 'f.orig_packets', kind: 'number' },
  resppackets: { column: 'f.resp_packets', kind: 'number' },
  origbytes: { column: 'f.orig_bytes', kind: 'number' },
  respbytes: { column: 'f.resp_bytes', kind: 'number' },
  start: { column: 'f.start', kind: 'number' },
  end: { column: 'f.end', kind: 'number' },
  duration: { column: '(f.end - f.start)', kind: 'number' },
  tunnel: { column: 'f.tunnel', kind: 'text', nullable: true },
};
/** Fields that stand for either end of the flow. */
const EITHER_END: Record<string, { a: FieldDef; b: FieldDef }> = {
  host: { a: FIELDS.src!, b: FIELDS.dst! },
  port: { a: FIELDS.sport!, b: FIELDS.dport! },
};
const FIELD_NAMES = ['host', 'port', ...Object.keys(FIELDS)];
const OPERATORS = ['<=', '>=', '!=', '!~', '=', '<', '>', '~'] as const;
type Op = (typeof OPERATORS)[number];
const KEYWORDS = new Set(['and', 'or', 'not']);

/** The SQL function that tests an address against a range (registered by the store). */
export const ADDRESS_IN_RANGE = 'flowaudit_addr_in';

export interface WhereSql {
  sql: string;
  args: (string | number)[];
  /** SQL functions the expression calls, by name: register them on the connection first. */
  functions: Record<string, (...args: unknown[]) => unknown>;
}

/** `addr` (flow address text) lies in [lo, hi] of `family`; bounds as decimal text (IPv6 needs bigint). */
function addressInRange(addr: unknown, family: unknown, lo: unknown, hi: unknown): number {
  if (typeof addr !== 'string') return 0;
  const a = parseAddressFast(addr);
  if (a === null || a.family !== family) return 0;
  return a.value >= BigInt(lo as string) && a.value <= BigInt(hi as string) ? 1 : 0;
}

/**
 * The SQL a store runs: SQLite's, or PostgreSQL's — where an address range is an `inet`
 * comparison instead of a registered function, a glob a regular expression, text compares
 * byte-wise as in SQLite (COLLATE "C"), and `end` is quoted. Both give the same flows.
 */
export type WhereDialect = 'sqlite' | 'postgres';

export function parseWhere(expr: string, dialect: WhereDialect = 'sqlite'): WhereSql {
  return new WhereParser(expr, dialect).parse();
}

/**
 * A glob as SQLite's GLOB reads it (`*` any text, `?` one character, `[abc]`, `[^abc]`, `[a-z]`
 * one of a set) as an anchored POSIX regular expression for PostgreSQL's `~`.
 */
export function globToRegex(glob: string): string {
  let out = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      // As GLOB: a ']' right after '[' or '[^' belongs to the set.
      let j = i + 1;
      if (glob[j] === '^') j++;
      if (glob[j] === ']') j++;
      const close = glob.indexOf(']', j);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      const negate = glob[i + 1] === '^';
      const set = glob.slice(i + (negate ? 2 : 1), close).replace(/\\/g, '\\\\');
      out += `[${negate ? '^' : ''}${set}]`;
      i = close;
    } else out += /[.^$+(){}|\\\]]/.test(c) ? `\\${c}` : c;
  }
  return out + '$';
}

class WhereParser {
  private pos = 0;
  private readonly args: (string | number)[] = [];
  private readonly functions: WhereSql['functions'] = {};

  constructor(private readonly src: string, private readonly dialect: WhereDialect) {}

  /** A field's column as the dialect spells it (`end` is reserved in PostgreSQL). */
  private col(def: FieldDef): string {
    return this.dialect === 'postgres' ? def.column.replace(/\bf\.end\b/g, 'f."end"') : def.column;
  }

  parse(): WhereSql {
    this.blank();
    if (this.pos >= this.src.length) this.fail(this.pos, 'empty expression (write field=value, e.g. dport=445)');
    const sql = this.expr();
    this.blank();
    if (this.pos < this.src.length) {
      if (this.src[this.pos] === ')') this.fail(this.pos, "')' without a matching '('");
      this.fail(this.pos, `expected 'and', 'or' or the end, found '${this.wordAt(this.pos)}'`);
    }
    return { sql, args: this.args, functions: this.functions };
  }

  private fail(at: number, message: string): never {
    throw new UserError(`--where: at column ${at + 1}: ${message}`);
  }

  private blank(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  /** The text from `at` to the next blank or parenthesis (for messages). */
  private wordAt(at: number): string {
    const m = /^[^\s()]*/.exec(this.src.slice(at))![0];
    return m || this.src[at] || '';
  }

  /** A keyword at the current position (not part of a longer word); consumed when found. */
  private keyword(k: string): boolean {
    this.blank();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (!m || m[0].toLowerCase() !== k) return false;
    this.pos += m[0].length;
    return true;
  }

  private expr(): string {
    const parts = [this.term()];
    while (this.keyword('or')) parts.push(this.term());
    return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  }

  private term(): string {
    const parts = [this.factor()];
    while (this.keyword('and')) parts.push(this.factor());
    return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
  }

  private factor(): string {
    this.blank();
    const before = this.previousWord();
    if (this.pos >= this.src.length) this.fail(this.pos, `expected a field name${before ? ` after '${before}'` : ''} (fields: ${FIELD_NAMES.join(', ')})`);
    if (this.keyword('not')) return `NOT (${this.factor()})`;
    if (this.src[this.pos] === '(') {
      const open = this.pos++;
      const inner = this.expr();
      this.blank();
      if (this.src[this.pos] !== ')') {
        this.fail(this.pos, this.pos >= this.src.length ? `'(' at column ${open + 1} is not closed` : `expected ')' or 'and'/'or', found '${this.wordAt(this.pos)}'`);
      }
      this.pos++;
      return `(${inner})`;
    }
    return this.comparison();
  }

  /** The last word before the current position (for "expected ... after 'and'"). */
  private previousWord(): string {
    const m = /(\S+)\s*$/.exec(this.src.slice(0, this.pos));
    return m ? m[1]! : '';
  }

  private comparison(): string {
    const at = this.pos;
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail(at, `expected a field name, found '${this.wordAt(at)}' (fields: ${FIELD_NAMES.join(', ')})`);
    const name = m[0].toLowerCase();
    if (KEYWORDS.has(name)) this.fail(at, `expected a field name, found the keyword '${m[0]}'`);
    const def = FIELDS[name];
    const either = EITHER_END[name];
    if (!def && !either) this.fail(at, `unknown field '${m[0]}' (fields: ${FIELD_NAMES.join(', ')})`);
    this.pos += m[0].length;
    this.blank();
    const opAt = this.pos;
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
    if (!op) this.fail(opAt, `expected an operator (${OPERATORS.join(' ')}) after '${m[0]}'${this.pos < this.src.length ? `, found '${this.wordAt(opAt)}'` : ''}`);
    this.pos += op.length;
    const value = this.value(op);
    if (either) {
      if (op !== '=' && op !== '!=') this.fail(opAt, `${name} (either end) compares with = or != only`);
      const a = this.compare(name, either.a, '=', value);
      const b = this.compare(name, either.b, '=', value);
      return op === '=' ? `(${a} OR ${b})` : `NOT (${a} OR ${b})`;
    }
    return this.compare(name, def!, op, value);
  }

  private value(op: Op): { text: string; at: number; quoted: boolean } {
    this.blank();
    const at = this.pos;
    const c = this.src[this.pos];
    if (c === undefined || c === ')') this.fail(at, `expected a value after '${op}'`);
    if (c === '"' || c === "'") {
      const close = this.src.indexOf(c, this.pos + 1);
      if (close < 0) this.fail(at, `the quote ${c} is not closed`);
      this.pos = close + 1;
      return { text: this.src.slice(at + 1, close), at, quoted: true };
    }
    if (c === '(') this.fail(at, `expected a value after '${op}', found '('`);
    const text = this.wordAt(at);
    this.pos += text.length;
    return { text, at, quoted: false };
  }

  private bind(v: string | number): string {
    this.args.push(v);
    return '?';
  }

  /** Two-valued: a comparison with NULL on a nullable column is false (so NOT makes it true). */
  private twoValued(def: FieldDef, sql: string): string {
    return def.nullable ? `COALESCE(${sql}, ${this.dialect === 'postgres' ? 'false' : '0'})` : sql;
  }

  private compare(name: string, def: FieldDef, op: Op, v: { text: string; at: number; quoted: boolean }): string {
    const col = this.col(def);
    const pg = this.dialect === 'postgres';
    if (op === '~' || op === '!~') {
      const pattern = /[*?[]/.test(v.text) ? v.text : `*${v.text}*`;
      const textCol = def.kind === 'number' ? `CAST(${col} AS TEXT)` : col;
      const sql = this.twoValued(def, pg ? `${textCol} ~ ${this.bind(globToRegex(pattern))}` : `${textCol} GLOB ${this.bind(pattern)}`);
      return op === '~' ? sql : `NOT (${sql})`;
    }
    const isNull = !v.quoted && v.text.toLowerCase() === 'null';
    if (isNull) {
      if (!def.nullable) this.fail(v.at, `${name} always has a value: null makes no sense here`);
      if (op !== '=' && op !== '!=') this.fail(v.at, `${name} ${op} null makes no sense (use = or !=)`);
      return `${col} IS ${op === '=' ? '' : 'NOT '}NULL`;
    }
    const sqlOp = op === '!=' ? '<>' : op;
    switch (def.kind) {
      case 'number': {
        const n = this.number(name, v);
        return `${col} ${sqlOp} ${this.bind(n)}`;
      }
      case 'text':
        return this.twoValued(def, `${col} ${sqlOp} ${this.bind(v.text)}${pg && sqlOp !== '=' && sqlOp !== '<>' ? ' COLLATE "C"' : ''}`);
      case 'list': {
        if (op !== '=' && op !== '!=') this.fail(v.at - op.length, `${name} compares with =, !=, ~ or !~`);
        if (!/^\d+$/.test(v.text)) this.fail(v.at, `${name} needs a number, got '${v.text}'`);
        // Stored as "12,34": match one whole item.
        const sql = `(',' || ${col} || ',') LIKE ${this.bind(`%,${Number(v.text)},%`)}`;
        return op === '=' ? sql : `NOT (${sql})`;
      }
      case 'address':
        return this.address(name, col, op, v);
    }
  }

  private number(name: string, v: { text: string; at: number }): number {
    if (name === 'proto') {
      const p = protoNumber(v.text.toLowerCase());
      if (p !== null) return p;
    }
    if (/^-?\d+(\.\d+)?$/.test(v.text)) return Number(v.text);
    if ((name === 'start' || name === 'end') && /^\d{4}-\d\d-\d\d/.test(v.text)) {
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v.text) ? v.text : `${v.text}Z`);
      if (Number.isFinite(t)) return t / 1000;
      this.fail(v.at, `${name} needs epoch seconds or an ISO 8601 time, got '${v.text}'`);
    }
    this.fail(v.at, `${name} needs a number${name === 'proto' ? ' or a protocol name (tcp, udp, icmp, ...)' : ''}, got '${v.text}'`);
  }

  private address(name: string, col: string, op: Op, v: { text: string; at: number }): string {
    if (op !== '=' && op !== '!=') this.fail(v.at - op.length, `${name} compares with = or != (an address, a CIDR or a range a-b), or ~ (a glob)`);
    const single = canonicalAddress(v.text);
    if (single !== null) return `${col} ${op === '=' ? '=' : '<>'} ${this.bind(single)}`;
    let range;
    try {
      range = parseAddressExpr(v.text);
    } catch (e) {
      this.fail(v.at, `${name} needs an address, a CIDR or a range a-b: ${(e as Error).message}`);
    }
    if (this.dialect === 'postgres') {
      // The column is text: as inet, ordered by family, then address (a /32 or /128 each).
      const lo = formatIp(range.family, range.lo);
      const hi = formatIp(range.family, range.hi);
      const sql = `(family(${col}::inet) = ${this.bind(range.family)} AND ${col}::inet BETWEEN ${this.bind(lo)}::inet AND ${this.bind(hi)}::inet)`;
      return op === '=' ? sql : `NOT ${sql}`;
    }
    this.functions[ADDRESS_IN_RANGE] = addressInRange;
    const sql = `${ADDRESS_IN_RANGE}(${col}, ${this.bind(range.family)}, ${this.bind(range.lo.toString())}, ${this.bind(range.hi.toString())})`;
    return op === '=' ? sql : `NOT (${sql})`;
  }
}
