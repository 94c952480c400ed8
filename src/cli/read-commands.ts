/** `flowaudit read` (ingest) and `flowaudit flows` (browse what is stored). */
import { Command, Option } from 'commander';
import { loadSiteContext } from './site-context.js';
import { TIME_BACKWARDS } from '../capture/capture-reader.js';
import type { IngestResult } from '../pipeline/ingest.js';
import { ingestWithThreads, recordClassification } from '../pipeline/ingest-run.js';
import { openFlowStore } from '../store/open-store.js';
import { protoNumber } from '../util/proto.js';
import { TUNNELLED_INNER_PREFIX } from '../decode/decoded-packet.js';
import { clearProgress, progressReporter } from './progress.js';
import { flowToCsv, flowToJson, flowsTable, CSV_COLUMNS } from './flows-format.js';
import { DEFAULT_FORWARD_WAIT, forwardAfterRun, spoolTarget } from './estate-commands.js';
import { nonNegativeNumber, parsePort, positiveInteger, sensorOf, sensorOption, threadsOption, timeoutOptions, timeoutsFrom, type TimeoutOpts } from './options.js';
import { UserError } from '../util/errors.js';

/** Says on stderr why a run asked to go parallel did not (unless quiet). */
export function noticeOnStderr(quiet: boolean): (message: string) => void {
  return (message) => { if (!quiet) process.stderr.write(`flowaudit: ${message}\n`); };
}

/**
 * Signals while captures are read: the first SIGINT or SIGTERM stops the run where it is (its
 * captures are left 'partial'; the command then says so in one line and exits 130), a second
 * one quits at once. `dispose()` gives the signals back their default (the process ends).
 */
export function interruptOnSignals(): { interrupted: () => string | null; dispose: () => void } {
  let signal: string | null = null;
  const on = (sig: NodeJS.Signals) => {
    if (signal !== null) {
      process.stderr.write(`flowaudit: ${sig} again: quit at once; the captures being read are left partial\n`);
      process.exit(130);
    }
    signal = sig;
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    interrupted: () => signal,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

/** One line per capture on stderr; returns true when every capture was read whole. */
export function reportIngest(res: IngestResult, quiet: boolean): boolean {
  let ok = true;
  for (const c of res.captures) {
    if (c.error) {
      ok = false;
      process.stderr.write(`flowaudit: ${c.error} (capture stored as partial: ${c.summary?.packets ?? 0} packets and the flows before the damage kept)\n`);
    }
    if (quiet) continue;
    if (c.skipped === 'duplicate') {
      process.stderr.write(`${c.source}: already stored (same sha256, capture #${c.captureId}); nothing added\n`);
    } else if (c.summary) {
      const errs = Object.entries(c.decodeErrors).filter(([k]) => k !== 'non-ip' && k !== 'tunnelled-inner' && k !== TIME_BACKWARDS && !k.startsWith(TUNNELLED_INNER_PREFIX));
      const errText = errs.length ? `; not decoded: ${errs.map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
      const back = c.decodeErrors[TIME_BACKWARDS];
      const backText = back ? `; ${TIME_BACKWARDS} ${back} (decoded, out of time order)` : '';
      process.stderr.write(`${c.source}: ${c.summary.format}, ${c.summary.packets} packets, ${c.flows} flows, ${c.status}${errText}${backText}\n`);
    }
  }
  return ok;
}

export function registerReadCommands(program: Command): void {
  sensorOption(threadsOption(timeoutOptions(
    program
      .command('read')
      .description("ingest capture files into the database ('-' reads stdin)")
      .argument('<capture...>', 'pcap / pcapng files (gzip allowed), or - for stdin')
      .requiredOption('--db <file>', 'database to write: a SQLite file or a postgresql://user@host/db URL')
      .option('--site <file>', 'site file: classify flows while reading')
      .addOption(new Option('--tap-side <side>', 'where the tap sits relative to a WAN optimizer').choices(['lan', 'wan']))
      .option('--no-hash', 'skip the whole-file sha256 (re-reads are then recognised by size and head/tail hash)')
      .option('--spool <file>', 'with a PostgreSQL --db: read into this local SQLite spool, then forward it (flows wait there while the database is unreachable)')
      .addOption(new Option('--forward-wait <seconds>', 'with --spool: keep trying this long to reach the database').argParser(nonNegativeNumber('--forward-wait')).default(DEFAULT_FORWARD_WAIT))
      .option('-q, --quiet', 'no progress or summary on stderr'),
  ))).action(async (captures: string[], o: { db: string; site?: string; tapSide?: 'lan' | 'wan'; quiet?: boolean; hash: boolean; threads: number; sensor?: string;
    spool?: string; forwardWait: number } & TimeoutOpts) => {
    const target = spoolTarget(o.db, o.spool);
    const ctx = o.site ? await loadSiteContext(o.site) : null;
    const store = openFlowStore(target.store);
    const signals = interruptOnSignals();
    try {
      const res = await ingestWithThreads(
        captures.map((name) => ({ name })),
        {
          store, classifier: ctx?.classifier ?? null, catalog: ctx?.catalog ?? null, site: ctx?.site ?? null, tapSide: o.tapSide ?? null, sensor: sensorOf(o),
          timeouts: timeoutsFrom(o), onProgress: progressReporter(!!o.quiet), hashFiles: o.hash, onNotice: noticeOnStderr(!!o.quiet),
          interrupted: signals.interrupted,
        },
        o.threads, noticeOnStderr(!!o.quiet),
      );
      clearProgress(!!o.quiet);
      if (ctx) recordClassification(store, ctx);
      if (!reportIngest(res, !!o.quiet)) process.exitCode = 2;
    } finally {
      signals.dispose();
      store.close();
    }
    if (target.forwardTo) await forwardAfterRun(target.store, target.forwardTo, o.forwardWait, !!o.quiet);
  });

  program
    .command('flows')
    .description('list stored flows')
    .requiredOption('--db <file>', 'database: a SQLite file or a postgresql://user@host/db URL')
    .option('--where <expr>', 'filter: comparisons field OP value joined by and / or / not, with parentheses, e.g. '
      + '"dport=445 and not (state=SF or state=S1)". OP: = != < > <= >= ~ !~; ~ is a glob (* any text, ? one character, '
      + '[abc] one of them) over the whole value, or "contains" when the pattern has none of them. src, dst and host '
      + '(either end) take an address, a CIDR or a range a-b. Fields: host port proto src dst sport dport state history '
      + 'rule match capture vlan origpackets resppackets origbytes respbytes start end duration tunnel')
    .option('--host <addr>', 'only flows with this address at either end')
    .option('--port <n>', 'only flows with this port at either end', parsePort)
    .addOption(new Option('--proto <p>', 'only this protocol').choices(['tcp', 'udp', 'icmp', 'icmpv6']))
    .option('--rule <id>', 'only flows classified under this rule')
    .option('--capture <id>', 'only flows of this capture id', positiveInteger)
    .option('--limit <n>', 'at most this many flows', positiveInteger)
    .addOption(new Option('--format <fmt>', 'output format').choices(['text', 'json', 'jsonl', 'csv']).default('text'))
    .action((o: { db: string; where?: string; host?: string; port?: number; proto?: string; rule?: string; capture?: number; limit?: number; format: string }) => {
      const store = openFlowStore(o.db, { mustExist: true });
      try {
        if (o.capture !== undefined && !store.captures().some((c) => c.id === o.capture)) {
          const ids = store.captures().map((c) => c.id);
          throw new UserError(`${store.location}: no capture with id ${o.capture} (${ids.length ? `stored: ${ids.join(', ')}` : 'no captures stored yet'})`);
        }
        const protoNum = o.proto ? protoNumber(o.proto) ?? undefined : undefined;
        const it = store.flows({ where: o.where, host: o.host, port: o.port, proto: protoNum, rule: o.rule, limit: o.limit,
          captureIds: o.capture !== undefined ? [o.capture] : undefined });
        const out = process.stdout;
        if (o.format === 'jsonl') {
          for (const f of it) out.write(JSON.stringify(flowToJson(f)) + '\n');
        } else if (o.format === 'json') {
          out.write('[');
          let first = true;
          for (const f of it) {
            out.write((first ? '\n' : ',\n') + JSON.stringify(flowToJson(f)));
            first = false;
          }
          out.write(first ? ']\n' : '\n]\n');
        } else if (o.format === 'csv') {
          out.write(CSV_COLUMNS.join(',') + '\n');
          for (const f of it) out.write(flowToCsv(f) + '\n');
        } else {
          out.write(flowsTable([...it]) + '\n');
        }
      } finally {
        store.close();
      }
    });
}
