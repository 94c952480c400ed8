/** `flowaudit audit` (read + audit in one go) and `flowaudit report` (audit a stored database). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { failOn } from '../audit/audit.js';
import type { AuditResult } from '../audit/types.js';
import { loadSiteContext } from './site-context.js';
import { auditStored, readAndAudit, reclassifyIfStale } from '../pipeline/audit-run.js';
import { recordedSiteFile } from '../pipeline/ingest-run.js';
import { csvFileNames, REPORT_FORMATS, writeReport as writeReportTo, type ReportFormat } from '../report/index.js';
import { writeOutput } from './report-output.js';
import { openFlowStore } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import { parseKinds, sensorOf, sensorOption, threadsOption, timeoutOptions, timeoutsFrom, type TimeoutOpts } from './options.js';
import { auditProgressReporter, clearProgress, progressReporter } from './progress.js';
import { interruptOnSignals, noticeOnStderr, reportIngest } from './read-commands.js';
import { baselineOf, type Baseline } from './baseline.js';

const FAIL_KINDS = ['unexpected', 'missing', 'wan-cache'] as const;
type FailKind = (typeof FAIL_KINDS)[number];

function parseFailOn(v: string): FailKind[] {
  return parseKinds(v, FAIL_KINDS);
}

interface OutputOpts {
  format: ReportFormat;
  output?: string;
  failOn?: string;
  quiet?: boolean;
  strict?: boolean;
  baseline?: string;
}

function outputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <fmt>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to this file (csv: FILE-<section>.csv when FILE has no .csv)')
    .option('--fail-on <kinds>', `exit 1 when findings of these kinds exist (${FAIL_KINDS.join(',')})`)
    .option('--strict', 'strict review: flows only a time window allows are unexpected (announced ports only; also `strict: true` in the site file)')
    .option('--baseline <report.json>', 'html: add a "Changes since" section, the diff of this earlier JSON report against this audit')
    .option('-q, --quiet', 'no progress or summary on stderr');
}

/** Writes the report where the user asked and sets the exit code --fail-on calls for. */
function writeReport(result: AuditResult, o: OutputOpts, baseline: Baseline | null = null): void {
  if (o.format === 'csv' && o.output && !o.output.endsWith('.csv')) {
    for (const f of csvFileNames(result, o.output)) writeOutput(f.name, (out) => writeReportTo(result, 'csv', out, { csvSection: f.section }));
  } else {
    const color = !o.output && o.format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR;
    writeOutput(o.output, (out) => writeReportTo(result, o.format, out, { color, changes: baseline?.changes(result) }));
  }
  if (o.output && !o.quiet) process.stderr.write(`report written to ${o.output}\n`);
  const kinds = o.failOn ? parseFailOn(o.failOn) : [];
  if (kinds.length && failOn(result, kinds) && process.exitCode === undefined) process.exitCode = 1;
}

/** `--strict` makes the review strict; without it the site file's `strict` decides. */
function strictOf(o: OutputOpts): { strict?: boolean } {
  return o.strict ? { strict: true } : {};
}

export function registerAuditCommands(program: Command): void {
  outputOptions(sensorOption(threadsOption(timeoutOptions(
    program
      .command('audit')
      .description('read captures and audit them against the site file (the main job)')
      .argument('<capture...>', 'pcap / pcapng files (gzip allowed), or - for stdin')
      .requiredOption('--site <file>', 'site file (roles, sites, catalogs)')
      .option('--db <file>', 'keep flows and findings in this database: a SQLite file or a postgresql:// URL (default: a temporary SQLite file, removed afterwards)')
      .addOption(new Option('--tap-side <side>', 'where the tap sits relative to a WAN optimizer').choices(['lan', 'wan']))
      .option('--no-hash', 'skip the whole-file sha256'),
  )))).action(async (captures: string[], o: OutputOpts & TimeoutOpts & { site: string; db?: string; tapSide?: 'lan' | 'wan'; hash: boolean; threads: number; sensor?: string }) => {
    if (o.failOn) parseFailOn(o.failOn); // usage errors before any work
    const baseline = baselineOf(o);
    const ctx = await loadSiteContext(o.site);
    const tmp = o.db ? null : mkdtempSync(join(tmpdir(), 'flowaudit-'));
    const store = openFlowStore(o.db ?? join(tmp!, 'audit.db'));
    const signals = interruptOnSignals();
    try {
      let whole = true;
      const { result } = await readAndAudit(captures.map((name) => ({ name })), {
        store, tapSide: o.tapSide ?? null, sensor: sensorOf(o), timeouts: timeoutsFrom(o), onProgress: progressReporter(!!o.quiet), hashFiles: o.hash, onNotice: noticeOnStderr(!!o.quiet),
        interrupted: signals.interrupted,
      }, ctx, o.threads, noticeOnStderr(!!o.quiet), (res) => {
        signals.dispose(); // the audit is quick: a signal now ends the process
        clearProgress(!!o.quiet);
        whole = reportIngest(res, !!o.quiet);
      }, { ...strictOf(o), onProgress: auditProgressReporter(!!o.quiet) });
      clearProgress(!!o.quiet);
      writeReport(result, o, baseline);
      if (!whole) process.exitCode = 2;
    } finally {
      signals.dispose();
      store.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  });

  outputOptions(
    program
      .command('report')
      .description('audit flows already stored in a database (re-classifies them when the site file or catalogs changed)')
      .requiredOption('--db <file>', 'database written by read/audit/capture: a SQLite file or a postgresql://user@host/db URL')
      .option('--site <file>', 'site file (default: the one the stored flows were classified with, while it is unchanged)')
      .option('--capture <ids>', 'only these capture ids (comma-separated; default: all)'),
  ).action(async (o: OutputOpts & { db: string; site?: string; capture?: string }) => {
    if (o.failOn) parseFailOn(o.failOn);
    const baseline = baselineOf(o);
    const store = openFlowStore(o.db, { mustExist: true });
    try {
      let site = o.site;
      if (site === undefined) {
        const recorded = recordedSiteFile(store);
        if ('why' in recorded) throw new UserError(`${store.location}: ${recorded.why}: name the site file with --site FILE`);
        site = recorded.file;
        if (!o.quiet) process.stderr.write(`site file: ${site} (the stored flows were classified with it)\n`);
      }
      const ctx = await loadSiteContext(site);
      const all = store.captures();
      if (!all.length) throw new UserError(`${store.location}: no captures stored yet (run flowaudit read first)`);
      const ids = o.capture ? o.capture.split(',').map((s) => Number(s.trim())) : all.map((c) => c.id);
      for (const id of ids) if (!all.some((c) => c.id === id)) throw new UserError(`${store.location}: no capture with id ${id}`);
      const n = reclassifyIfStale(store, ctx);
      if (n !== null && !o.quiet) process.stderr.write(`re-classified ${n} stored flows with ${site}\n`);
      const result = auditStored(store, ctx, ids, { ...strictOf(o), onProgress: auditProgressReporter(!!o.quiet) });
      clearProgress(!!o.quiet);
      writeReport(result, o, baseline);
    } finally {
      store.close();
    }
  });
}
