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
  ];
}

/** The per-flow lists, which are written item by item. */
const ITEM_LISTS = new Set(['unexpected', 'wanCache', 'windowOnly']);

export function writeJson(r: AuditResult, out: Sink, opts: JsonOptions = {}): void {
  const pretty = opts.pretty !== false;
  // At depth 1 (a section's value) and depth 2 (an item of a list), as JSON.stringify indents them.
  const nl1 = pretty ? '\n  ' : '';
  const nl2 = pretty ? '\n    ' : '';
  const value = (v: unknown, nl: string) => {
    const text = pretty ? JSON.stringify(v, null, 2) : JSON.stringify(v);
    return pretty ? text.replace(/\n/g, nl) : text;
  };
  out('{');
  let firstSection = true;
  for (const [key, v] of sections(r)) {
    if (v === undefined) continue; // as JSON.stringify leaves out a key without a value
    out(`${firstSection ? '' : ','}${nl1}${JSON.stringify(key)}:${pretty ? ' ' : ''}`);
    firstSection = false;
    if (!ITEM_LISTS.has(key)) {
      out(value(v, nl1));
      continue;
    }
    let first = true;
    let chunk = '[';
    for (const item of v as Iterable<unknown>) {
      chunk += `${first ? '' : ','}${nl2}${value(item, nl2)}`;
      first = false;
      // Pieces of ~64 KiB: few sink calls, little text held.
      if (chunk.length >= 65536) {
        out(chunk);
        chunk = '';
      }
    }
    out(`${chunk}${first ? '' : nl1}]`);
  }
  out(pretty ? '\n}\n' : '}\n');
}
