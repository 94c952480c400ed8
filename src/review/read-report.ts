/**
 * Reads a JSON report (`flowaudit audit|report --format json`, docs/contracts.md) for a diff.
 * Checks the parts a diff reads, and names the first one that is wrong by its JSON path, so a
 * file that is not a report (or a report of something else) fails in one line, not deep inside
 * the comparison.
 */
import { readTextFile, FileTooLarge } from '../util/read-text.js';
import { oneLine, UserError } from '../util/errors.js';
import type { DiffableReport } from './diff.js';

/** Reports larger than this are refused by their size (a report lists every finding flow). */
export const REPORT_LIMIT = 1024 * 1024 * 1024;

type Check = (v: unknown) => string | null;

const str: Check = (v) => (typeof v === 'string' ? null : 'a string');
const strOrNull: Check = (v) => (v === null || typeof v === 'string' ? null : 'a string or null');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'true or false');
const count: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'a whole number');
const strList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'a list of strings');

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${typeof v} ${s.slice(0, 37)}...` : s;
}

class Walker {
  constructor(private readonly file: string) {}

  fail(path: string, want: string, got: unknown): never {
    throw new UserError(`${this.file}: not a flowaudit JSON report: ${path} should be ${want}, is ${describe(got)}`);
  }

  object(v: unknown, path: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'an object', v);
    return v as Record<string, unknown>;
  }

  list(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'a list', v);
    return v;
  }

  fields(o: Record<string, unknown>, path: string, checks: Record<string, Check>): void {
    for (const [k, check] of Object.entries(checks)) {
      const why = check(o[k]);
      if (why !== null) this.fail(`${path}.${k}`, why, o[k]);
    }
  }

  items(v: unknown, path: string, checks: Record<string, Check>): void {
    this.list(v, path).forEach((x, i) => this.fields(this.object(x, `${path}[${i}]`), `${path}[${i}]`, checks));
  }
}

const GROUP: Record<string, Check> = {
  id: str, section: str, kind: str, proto: str, service: str, ports: str, srcLabel: str, dstLabel: str, rule: strOrNull,
  reason: str, count, exampleHosts: strList,
};

/** Checks that `value` (parsed from `file`) has what a diff reads; returns it typed. */
export function asReport(value: unknown, file: string): DiffableReport {
  const w = new Walker(file);
  const r = w.object(value, '$');
  const s = w.object(r.summary, '$.summary');
  w.fields(s, '$.summary', { verdict: str, clean: bool, generatedAt: str, siteFile: str, siteHash: str, catalogHash: str, catalogs: strList });
  if (s.window !== null) {
    w.fields(w.object(s.window, '$.summary.window'), '$.summary.window', {
      start: (v) => (typeof v === 'number' ? null : 'a number'), end: (v) => (typeof v === 'number' ? null : 'a number'), text: str,
    });
  }
  w.items(r.missing, '$.missing', { rule: str, dst: str, proto: str, ports: str, dstRole: str, reason: str });
  // Reports written before declared hosts were checked have no silentHosts: none then.
  if (r.silentHosts !== undefined) {
    w.items(r.silentHosts, '$.silentHosts', { status: str, host: str, roles: strList, rules: strList, reason: str });
  }
  const g = w.object(r.groups, '$.groups');
  w.items(g.unexpected, '$.groups.unexpected', GROUP);
  w.items(g.wanCache, '$.groups.wanCache', GROUP);
  w.items(r.rules, '$.rules', { id: str, flows: count });
  return {
    summary: s as unknown as DiffableReport['summary'],
    missing: r.missing as DiffableReport['missing'],
    silentHosts: (r.silentHosts ?? []) as DiffableReport['silentHosts'],
    groups: g as unknown as DiffableReport['groups'],
    rules: r.rules as DiffableReport['rules'],
  };
}

/** Reads and checks a JSON report file; every problem is a UserError naming the file. */
export function readReportFile(file: string): DiffableReport {
  let text: string;
  try {
    text = readTextFile(file, REPORT_LIMIT);
  } catch (e) {
    if (e instanceof FileTooLarge) throw new UserError(e.message);
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${file}: cannot read the report (${err.code ?? err.message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(oneLine(`${file}: not a flowaudit JSON report: ${(e as Error).message}`));
  }
  return asReport(value, file);
}
