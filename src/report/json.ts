/**
 * JSON report (docs/contracts.md, "JSON report"): `{ summary, unexpected, missing, wanCache }` with one
 * item per flow (each naming its `group`), plus the extra sections (windowOnly, groups,
 * informational, matrix, timeline, rules). Validated in tests against schema/report.schema.json.
 *
 * Written as it is built: the per-flow lists are stringified item by item as the audit's item
 * lists rebuild them from the store, so the text of a large report never sits in memory. The
 * bytes are exactly those of JSON.stringify over the whole object (test/report/json-stream.test.ts).
 */
import type { AuditResult } from '../audit/types.js';
import { collect, type Sink } from './sink.js';

export interface JsonOptions {
  /** Indent with two spaces (default true); false prints one line for piping. */
  pretty?: boolean;
}

export function renderJson(r: AuditResult, opts: JsonOptions = {}): string {
  return collect((out) => writeJson(r, out, opts));
}

/** The sections in contract order: the contract keys first, as a human reading the file sees them. */
function sections(r: AuditResult): [string, unknown][] {
  return [
    ['summary', r.summary],
    ['unexpected', r.unexpected],
    ['missing', r.missing],
    ['wanCache', r.wanCache],
    ['silentHosts', r.silentHosts],
    ['windowOnly', r.windowOnly],
    ['informational', r.informational],
    ['groups', r.groups],
    ['roleTitles', r.roleTitles],
    ['matrix', r.matrix],
    ['timeline', r.timeline],
    ['rules', r.rules],
    ['unusedRules', r.unusedRules],
    ['approvals', r.approvals],
    ['sensors', r.sensors],
    ['coverageGaps', r.coverageGaps],
  ];
}

/**
 * How deep the writer opens containers itself before handing a value to JSON.stringify: objects
 * at nesting 0 and 1 (the report, the sections), lists down to nesting 2 (the per-flow sections
 * and the lists of `groups`), their elements stringified BATCH at a time. Nothing larger than a
 * batch of items or groups is ever one string (the groups of a big audit are tens of megabytes).
 */
const OBJECT_DEPTH = 2;
const LIST_DEPTH = 3;

export function writeJson(r: AuditResult, out: Sink, opts: JsonOptions = {}): void {
  const pretty = opts.pretty !== false;
  const emit = out;
  const indent = (depth: number) => (pretty ? '\n' + '  '.repeat(depth) : '');
  const indents: string[] = [];
  const whole = (v: unknown, depth: number) => {
    if (!pretty) return JSON.stringify(v);
    const text = JSON.stringify(v, null, 2);
    return depth === 0 ? text : text.replaceAll('\n', indents[depth] ??= indent(depth));
  };
  // Writes `v` at nesting `depth` exactly as JSON.stringify(whole report, null, 2) would.
  const value = (v: unknown, depth: number): void => {
    const list = isList(v);
    if (list ? depth >= LIST_DEPTH : depth >= OBJECT_DEPTH || !isPlainObject(v)) {
      emit(whole(v, depth));
      return;
    }
    let first = true;
    if (list) {
      // Elements stringified whole, BATCH to a call.
      emit('[');
      const batch: unknown[] = [];
      const flush = () => {
        emit((first ? '' : ',') + elementsJson(batch, depth + 1, pretty));
        first = false;
        batch.length = 0;
      };
      for (const el of v as Iterable<unknown>) {
        batch.push(el);
        if (batch.length === BATCH) flush();
      }
      if (batch.length > 0) flush();
      emit(first ? ']' : `${indent(depth)}]`);
      return;
    }
    emit('{');
    for (const [key, el] of Object.entries(v as Record<string, unknown>)) {
      if (el === undefined || typeof el === 'function' || typeof el === 'symbol') continue; // no key, as JSON.stringify
      emit(`${first ? '' : ','}${indent(depth + 1)}${JSON.stringify(key)}:${pretty ? ' ' : ''}`);
      value(el, depth + 1);
      first = false;
    }
    emit(first ? '}' : `${indent(depth)}}`);
  };
  value(Object.fromEntries(sections(r)), 0);
  emit('\n');
}

/**
 * Elements of a list stringified by one JSON.stringify call: half the cost of a call per element
 * (and no re-indenting copy of each), measured on the 10M benchmark's 50,000 items. Few enough
 * that a batch of items lives no longer than the batch of flows they are built from.
 */
const BATCH = 64;

/** `list` nested `depth - 1` objects deep, so that its elements sit at nesting `depth`. */
function nested(list: unknown[], depth: number): unknown {
  let v: unknown = list;
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

/** Characters before the first element and after the last in nested()'s text, by depth and indent. */
const FRAMES = new Map<string, [number, number]>();

function frame(depth: number, pretty: boolean): [number, number] {
  const key = `${depth}${pretty}`;
  let f = FRAMES.get(key);
  if (!f) {
    const t = pretty ? JSON.stringify(nested([0], depth), null, 2) : JSON.stringify(nested([0], depth));
    f = [t.lastIndexOf('[') + 1, t.length - t.lastIndexOf('0') - 1];
    FRAMES.set(key, f);
  }
  return f;
}

/**
 * Elements (at least one) at nesting `depth`, exactly as JSON.stringify writes them inside the
 * whole report: each preceded by its newline and indent, separated by commas; an element with
 * no JSON value is null, as in any array.
 */
export function elementsJson(elements: unknown[], depth: number, pretty: boolean): string {
  const [open, close] = frame(depth, pretty);
  const t = pretty ? JSON.stringify(nested(elements, depth), null, 2) : JSON.stringify(nested(elements, depth));
  return t.slice(open, t.length - close);
}

/** An array or an audit item list (iterated, never held whole). */
function isList(v: unknown): boolean {
  return Array.isArray(v) || (typeof v === 'object' && v !== null && Symbol.iterator in v && typeof (v as { length?: unknown }).length === 'number');
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
