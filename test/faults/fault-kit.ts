/**
 * What the fault-injection tests share: running the compiled CLI (synchronously or as a child
 * to kill), a synthetic capture of many flows, a preload that slows file reads down so that a
 * child can be caught mid-read, the state of a database (captures, flows, duplicates, SQLite's
 * integrity check), and the check that no output carries a stack trace.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
export { manyUdpFlows, slowReadsPreload } from '../helpers/capture-files.js';

export const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
export const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));
export const NOT_BUILT_MESSAGE = 'dist/ not built: fault tests skipped (run `npm run build`, as `npm test` does)';
export const SITE = join(PROJECT_ROOT, 'fixtures/example/site.yaml');
export const ESTATE = join(PROJECT_ROOT, 'fixtures/example/estate.pcap');
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI child: internal-error logs go to `stateDir` (XDG_STATE_HOME), not
 * the machine's temporary folder.
 */
export function cliEnv(stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', XDG_STATE_HOME: stateDir, ...extra };
}

/** Runs `flowaudit ARGS` to its end (node options such as --import before the launcher). */
export function cli(args: string[], o: { env: NodeJS.ProcessEnv; input?: Buffer; nodeArgs?: string[]; timeoutMs?: number; cwd?: string }): CliResult {
  const r = spawnSync(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], {
    cwd: o.cwd ?? PROJECT_ROOT, encoding: 'utf8', env: o.env, input: o.input, timeout: o.timeoutMs ?? 60_000, maxBuffer: 1 << 26,
  });
  // EPIPE: the command stopped before it read all of its standard input, which some tests mean.
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'EPIPE') throw new Error(`flowaudit ${args.join(' ')}: ${r.error.message}; stderr: ${r.stderr}`);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A running `flowaudit ARGS` child, its output collected, and a promise of how it ended. */
export interface CliChild {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  ended: Promise<CliResult>;
}

export function startCli(args: string[], o: { env: NodeJS.ProcessEnv; nodeArgs?: string[]; stdin?: Buffer }): CliChild {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], {
    cwd: PROJECT_ROOT, env: o.env, stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => { out.stdout += String(d); });
  child.stderr!.on('data', (d) => { out.stderr += String(d); });
  if (o.stdin) child.stdin!.end(o.stdin);
  const ended = new Promise<CliResult>((resolve) => {
    child.on('close', (status, signal) => resolve({ status, signal, stdout: out.stdout, stderr: out.stderr }));
  });
  return { child, out, ended };
}

/** A stack trace or the head of one, as Node prints them ("    at f (file.js:1:2)", "TypeError: ..."). */
const STACK_SHAPES: [RegExp, string][] = [
  [/\n\s+at .+:\d+:\d+/, 'a stack frame'],
  [/(^|\n)\s*at (async )?[\w.<>]+ \(/, 'a stack frame'],
  [/(^|\n)\s*(\w*Error|Uncaught \w+)(: |\n)/, 'an error printed by Node'],
  [/node:internal\//, 'a Node internal module'],
  [/file:\/\/\//, 'a module URL'],
  [/\n\s*\^\s*\n/, "Node's source caret"],
];

/** Fails when `text` (a command's stdout or stderr) holds anything shaped like a stack trace. */
export function expectNoStackTrace(text: string, what: string): void {
  for (const [re, name] of STACK_SHAPES) {
    expect(re.test(text), `${what} contains ${name}:\n${text.slice(0, 2000)}`).toBe(false);
  }
}

/** Both outputs of a run, checked. */
export function expectCleanOutput(r: CliResult, what: string): void {
  expectNoStackTrace(r.stderr, `${what}: stderr`);
  expectNoStackTrace(r.stdout, `${what}: stdout`);
}

/** The lines a run wrote to stderr. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

export interface DbState {
  captures: { id: number; source: string; status: string; error: string | null; packets: number }[];
  flows: number;
  /** Flows minus distinct ids, and minus distinct (proto, 5-tuple, start, capture). */
  duplicateIds: number;
  duplicateFlows: number;
  integrity: string;
}

/** What a database holds, read with a connection of the test's own (null when there is no database yet). */
export function dbState(db: string): DbState | null {
  if (!existsSync(db)) return null;
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => (d.prepare(sql).get() as { n: number }).n;
    const flows = one('SELECT COUNT(*) AS n FROM flow_data');
    return {
      captures: d.prepare('SELECT id, source, status, error, packets FROM captures ORDER BY id').all() as DbState['captures'],
      flows,
      duplicateIds: flows - one('SELECT COUNT(DISTINCT id) AS n FROM flow_data'),
      duplicateFlows: flows - one('SELECT COUNT(*) AS n FROM (SELECT DISTINCT capture_id, proto, src, sport, dst, dport, start FROM flow_data)'),
      integrity: (d.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '),
    };
  } finally {
    d.close();
  }
}

/** The flow count of a capture's rows, or 0 while the database or its tables do not exist yet. */
export function storedFlows(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT COUNT(*) AS n FROM flow_data').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
