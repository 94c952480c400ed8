/**
 * Command-line wiring (commander). Each action parses options and calls into the pipeline,
 * store, audit and report stages; user mistakes become one-line messages and exit status 2.
 * Nothing reaches the terminal as a stack trace: an internal error (a bug) is one line naming
 * the file its full trace was written to (internalErrorLog), and exits 70.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { InterruptedError, UserError, oneLine } from '../util/errors.js';
import { COMMAND_GROUPS } from './command-set.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;
/** Stopped by SIGINT or SIGTERM (128 + 2, as a shell reports a process killed by SIGINT). */
export const EXIT_INTERRUPTED = 130;

const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('flowaudit')
    .description('Audit captured network traffic against vendor port catalogs')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMAND_GROUPS) register(program);
  program.addHelpText('after', `
A review, end to end (README, "The review loop"):
  flowaudit site suggest capture.pcap -o site.yaml            a draft site file from the traffic; edit it
  flowaudit audit capture.pcap --site site.yaml --db review.db --format json -o before.json
  flowaudit approve --db review.db --site site.yaml --group U3 --reason "why it is legitimate"
  flowaudit report --db review.db --site site.yaml --format json -o after.json
  flowaudit diff before.json after.json                       new, resolved and persisting findings`);
  return program;
}

/** What an operating-system error code means, for a message about a path the user named. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory', ENOSPC: 'no space left on the device', EROFS: 'read-only file system',
  EDQUOT: 'disk quota exceeded', EIO: 'input/output error', ENAMETOOLONG: 'file name too long', ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files', ENXIO: 'no such device',
};

/**
 * The one-line message of a failure the user can act on, or null when it is a bug. Besides
 * UserError: operating-system errors on a path (a file the user named or a folder to write to)
 * and SQLite failures that come from outside the program (disk full, read-only, damaged file).
 */
export function userMessage(err: unknown): string | null {
  if (err instanceof UserError) return oneLine(err.message);
  const e = err as NodeJS.ErrnoException | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return null;
  if (e.path) return `${e.path}: ${ERRNO_TEXT[e.code] ?? oneLine(e.message)}`;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'EROFS' || e.code === 'EIO') return `${ERRNO_TEXT[e.code]} (${oneLine(e.message)})`;
  if (/^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/.test(e.code)) return `database error: ${oneLine(e.message)}`;
  return null;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else is a usage error.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof InterruptedError) {
      process.stderr.write(`flowaudit: ${oneLine(err.message)}\n`);
      return EXIT_INTERRUPTED;
    }
    const message = userMessage(err);
    if (message !== null) {
      process.stderr.write(`flowaudit: ${message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/**
 * Where the full trace of an internal error goes: $XDG_STATE_HOME/flowaudit/ when that is
 * set, else the OS temporary folder; one file per error, named by time and process id.
 */
export function internalErrorLogDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_STATE_HOME ? join(env.XDG_STATE_HOME, 'flowaudit') : tmpdir();
}

/**
 * Writes the full report of an internal error to a file; returns its path, or why it could not.
 * It must not fail itself, whatever state the bug left: nothing here may throw.
 */
export function writeInternalErrorLog(err: unknown, argv: readonly string[] = process.argv): { path: string } | { failed: string } {
  let path = '(unknown)';
  try {
    const dir = internalErrorLogDir();
    path = join(dir, `flowaudit-internal-error-${Date.now()}-${process.pid}.log`);
    let time = String(Date.now());
    try { time = new Date().toISOString(); } catch { /* keep the epoch milliseconds */ }
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, [
      `flowaudit ${VERSION} internal error`, `time: ${time}`, `node: ${process.version} ${process.platform} ${process.arch}`,
      `command: ${argv.slice(2).join(' ')}`, '', traceOf(err), '',
    ].join('\n'), { mode: 0o600 });
    return { path };
  } catch (e) {
    return { failed: `${path}: ${oneLine(describe(e))}` };
  }
}

function describe(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'unprintable error';
  }
}

/** An error's stack, with its causes. */
function traceOf(e: unknown, depth = 0): string {
  const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : describe(e);
  const cause = e instanceof Error && e.cause !== undefined && depth < 5 ? `\ncaused by: ${traceOf(e.cause, depth + 1)}` : '';
  return text + cause;
}

/** Prints an internal error as one line (the trace goes to a file) and sets exit status 70. */
export function reportInternalError(err: unknown): void {
  process.exitCode = EXIT_INTERNAL;
  let what = 'unknown error';
  try {
    what = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  } catch { /* keep 'unknown error' */ }
  const log = writeInternalErrorLog(err);
  const where = 'path' in log
    ? `the full trace is in ${log.path}; please report it with that file`
    : `the trace could not be written (${log.failed})`;
  process.stderr.write(`flowaudit: internal error: ${oneLine(what)} (a bug: ${where})\n`);
}

export { Option };

const isEntry = process.argv[1] && import.meta.url.endsWith('/cli/main.js') && !process.env.FLOWAUDIT_NO_MAIN;
if (isEntry) {
  // A failure outside the command's own promise (a stream or worker event, a timer) is one line too.
  let reported = false;
  const fatal = (err: unknown) => {
    if (reported) return;
    reported = true;
    const message = userMessage(err);
    if (message !== null) {
      process.stderr.write(`flowaudit: ${message}\n`);
      process.exit(EXIT_USAGE);
    }
    reportInternalError(err);
    process.exit(EXIT_INTERNAL);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // The reader of the output went away (`flowaudit flows | head`): stop quietly, as tools do.
  for (const out of [process.stdout, process.stderr]) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') return fatal(e);
      reported = true;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    });
  }
  main(process.argv).then(
    (code) => { process.exitCode = code; },
    (err) => {
      reported = true;
      reportInternalError(err);
    },
  );
}
