/**
 * The estate's sensors: `flowaudit forward` (drain a sensor's spool into a PostgreSQL database)
 * and `flowaudit status` (per sensor: what is stored, when its spool last reached the database,
 * what it still held). `--spool` on read and capture is handled with spoolTarget().
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { forwardWithRetry, type ForwardResult } from '../store/forward.js';
import { redactPgUrl } from '../store/pg-store.js';
import { isDatabaseUrl, openFlowStore } from '../store/open-store.js';
import { sensorStatus, type SensorStatus } from '../store/sensor-status.js';
import { StoreError, UserError } from '../util/errors.js';
import { nonNegativeNumber } from './options.js';

/** How long read waits for an unreachable database before leaving the flows in the spool. */
export const DEFAULT_FORWARD_WAIT = 30;

/**
 * Where read and capture write: the --db itself, or with --spool a local SQLite spool that is
 * forwarded to the --db (which must then be PostgreSQL).
 */
export function spoolTarget(db: string, spool: string | undefined): { store: string; forwardTo: string | null } {
  if (spool === undefined) return { store: db, forwardTo: null };
  if (!isDatabaseUrl(db)) throw new UserError(`--spool forwards to a PostgreSQL database: --db must be postgresql://..., not '${db}'`);
  if (isDatabaseUrl(spool)) throw new UserError(`--spool names a local SQLite file, not '${redactPgUrl(spool)}'`);
  return { store: spool, forwardTo: db };
}

/**
 * Forwards a spool after a run, trying for `waitSeconds` while the database is unreachable.
 * Not reaching it is not a failure of the run: the flows are safe in the spool, and the line on
 * stderr says how they get there.
 */
export async function forwardAfterRun(spool: string, url: string, waitSeconds: number, quiet: boolean): Promise<void> {
  const r = await forwardWithRetry(spool, url, waitSeconds);
  if (r.error) {
    process.stderr.write(`flowaudit: ${r.error.message}; the flows wait in the spool ${spool} and are forwarded by the next run with it, `
      + `or by: flowaudit forward --spool ${spool} --db ${redactPgUrl(url)}\n`);
  } else if (!quiet) {
    process.stderr.write(forwardedLine(r.result, url));
  }
}

function forwardedLine(r: ForwardResult, url: string): string {
  return `forwarded ${r.flows} flows to ${redactPgUrl(url)} (spool #${r.spoolNo}; ${r.completed} capture${r.completed === 1 ? '' : 's'} completed`
    + `${r.removed ? `, ${r.removed} replaced` : ''}); ${r.backlog ? `${r.backlog} flows still in the spool` : 'spool drained'}\n`;
}

export function registerEstateCommands(program: Command): void {
  program
    .command('forward')
    .description("forward a sensor's spool (read or capture --spool) into its PostgreSQL database")
    .requiredOption('--spool <file>', 'the SQLite spool the sensor wrote')
    .requiredOption('--db <url>', 'PostgreSQL database: postgresql://user@host:port/db')
    .addOption(new Option('--wait <seconds>', 'keep trying this long while the database cannot be reached').argParser(nonNegativeNumber('--wait')).default(0))
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (o: { spool: string; db: string; wait: number; quiet?: boolean }) => {
      spoolTarget(o.db, o.spool);
      if (!existsSync(o.spool)) throw new UserError(`${o.spool}: no such spool`);
      const r = await forwardWithRetry(o.spool, o.db, o.wait, {
        onRetry: (e, n) => { if (!o.quiet && n === 1) process.stderr.write(`flowaudit: ${e.message}; trying again for ${o.wait} s\n`); },
      });
      if (r.error) throw new StoreError(`${r.error.message} (the spool ${o.spool} keeps its ${r.backlog} flows)`, r.error.code);
      if (!o.quiet) process.stderr.write(forwardedLine(r.result, o.db));
    });

  program
    .command('status')
    .description('per sensor: captures, packets, drops, window, and for spooled sensors the last forward and backlog')
    .requiredOption('--db <file|url>', 'SQLite file or PostgreSQL database')
    .addOption(new Option('--format <fmt>', 'output format').choices(['text', 'json']).default('text'))
    .action((o: { db: string; format: string }) => {
      const store = openFlowStore(o.db, { mustExist: true });
      let rows: SensorStatus[];
      const now = new Date();
      try {
        rows = sensorStatus(store.captures(), store.spools(), now);
      } finally {
        store.close();
      }
      if (o.format === 'json') process.stdout.write(JSON.stringify({ generatedAt: now.toISOString(), sensors: rows }, null, 2) + '\n');
      else process.stdout.write(statusTable(rows));
    });
}

const when = (ts: number | null) => (ts === null ? '-' : new Date(ts * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

function ago(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/** One line per sensor. */
export function statusTable(rows: readonly SensorStatus[]): string {
  if (!rows.length) return 'no captures stored yet\n';
  const head = ['sensor', 'captures', 'partial', 'packets', 'drops', 'first packet', 'newest packet', 'last forward', 'backlog'];
  const body = rows.map((s) => [
    s.sensor ?? '(unnamed)', String(s.captures), String(s.partial), String(s.packets),
    s.drops === null && s.ifDrops === null ? '-' : String((s.drops ?? 0) + (s.ifDrops ?? 0)),
    when(s.firstTs), when(s.lastTs), s.spools.length ? ago(s.lagSeconds) : 'direct', s.spools.length ? `${s.backlogFlows} flows` : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}
