/**
 * `flowaudit diff OLD NEW`: what changed between two audits. Each side is a JSON report
 * (`flowaudit audit|report --format json`) or a database with the captures to audit,
 * `FILE.db#ID[,ID...]` (all its captures without `#`); a database side is audited as `report`
 * does it, with `--site` (or `--old-site` / `--new-site`), else the site file its flows were
 * classified with.
 */
import { closeSync, openSync, readSync, writeFileSync, existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_FACTOR, DIFF_FAIL_KINDS, diffFails, diffReports, type DiffFailKind, type DiffableReport } from '../review/diff.js';
import { readReportFile } from '../review/read-report.js';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../report/diff/index.js';
import { auditStored, reclassifyIfStale } from '../pipeline/audit-run.js';
import { recordedSiteFile } from '../pipeline/ingest-run.js';
import { isDatabaseUrl, openFlowStore } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import { loadSiteContext } from './site-context.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** `--fail-on new,resolved` of diff. */
export function parseDiffFailOn(v: string): DiffFailKind[] {
  const kinds = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of kinds) {
    if (!(DIFF_FAIL_KINDS as readonly string[]).includes(k)) throw new UserError(`--fail-on: unknown kind '${k}' (use ${DIFF_FAIL_KINDS.join(', ')})`);
  }
  return kinds as DiffFailKind[];
}

function parseFactor(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(v) || !(n > 1)) throw new InvalidArgumentError(`--factor must be a number above 1 (got '${v}')`);
  return n;
}

function isDatabase(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(16);
    return readSync(fd, buf, 0, 16, 0) === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/** A side named as `FILE#IDS` (a database and capture ids), or null when it is not one. */
function databaseSpec(spec: string): { db: string; ids: number[] | null } | null {
  const hash = spec.lastIndexOf('#');
  if (hash > 0 && !existsSync(spec) && (existsSync(spec.slice(0, hash)) || isDatabaseUrl(spec.slice(0, hash)))) {
    const db = spec.slice(0, hash);
    const ids = spec.slice(hash + 1).split(',').map((s) => s.trim());
    if (ids.some((s) => !/^\d+$/.test(s) || Number(s) < 1)) throw new UserError(`${spec}: after '#' come capture ids, e.g. ${db}#1 or ${db}#1,2`);
    return { db, ids: ids.map(Number) };
  }
  return isDatabase(spec) || isDatabaseUrl(spec) ? { db: spec, ids: null } : null;
}

/** Audits the captures of a database side, as `flowaudit report` does. */
async function auditDatabase(db: string, wanted: number[] | null, siteOpt: string | undefined, quiet: boolean): Promise<{ report: DiffableReport; label: string }> {
  const store = openFlowStore(db, { mustExist: true });
  try {
    let site = siteOpt;
    if (site === undefined) {
      const recorded = recordedSiteFile(store);
      if ('why' in recorded) throw new UserError(`${store.location}: ${recorded.why}: name the site file with --site FILE`);
      site = recorded.file;
    }
    const ctx = await loadSiteContext(site);
    const all = store.captures();
    if (!all.length) throw new UserError(`${store.location}: no captures stored yet (run flowaudit read first)`);
    const ids = wanted ?? all.map((c) => c.id);
    for (const id of ids) if (!all.some((c) => c.id === id)) throw new UserError(`${store.location}: no capture with id ${id}`);
    const n = reclassifyIfStale(store, ctx);
    if (n !== null && !quiet) process.stderr.write(`re-classified ${n} stored flows of ${store.location} with ${site}\n`);
    return { report: auditStored(store, ctx, ids), label: `${store.location}#${ids.join(',')}` };
  } finally {
    store.close();
  }
}

async function loadSide(spec: string, site: string | undefined, quiet: boolean): Promise<{ report: DiffableReport; label: string }> {
  const db = databaseSpec(spec);
  if (db) return auditDatabase(db.db, db.ids, site, quiet);
  return { report: readReportFile(spec), label: spec };
}

interface DiffOpts {
  format: DiffFormat;
  output?: string;
  failOn?: string;
  factor: number;
  site?: string;
  oldSite?: string;
  newSite?: string;
  quiet?: boolean;
}

export function registerDiffCommands(program: Command): void {
  program
    .command('diff')
    .description('what changed between two audits: new, resolved and persisting findings, missing services, WAN-cache status, rule flow counts')
    .argument('<old>', 'the earlier audit: a JSON report (audit/report --format json), or a database FILE#CAPTURE_IDS (all captures without #)')
    .argument('<new>', 'the later audit, as OLD')
    .addOption(new Option('--format <fmt>', 'output format').choices([...DIFF_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the diff to this file')
    .option('--fail-on <kinds>', `exit 1 when there are changes of these kinds (${DIFF_FAIL_KINDS.join(',')})`)
    .addOption(new Option('--factor <n>', 'list rules whose flow count grew or shrank by this factor or more').argParser(parseFactor).default(DEFAULT_FACTOR))
    .option('--site <file>', 'site file to audit database sides with (default: the one their flows were classified with)')
    .option('--old-site <file>', 'site file for the OLD database side (overrides --site)')
    .option('--new-site <file>', 'site file for the NEW database side (overrides --site)')
    .option('-q, --quiet', 'nothing on stderr but errors')
    .action(async (oldSpec: string, newSpec: string, o: DiffOpts) => {
      const kinds = o.failOn ? parseDiffFailOn(o.failOn) : [];
      const a = await loadSide(oldSpec, o.oldSite ?? o.site, !!o.quiet);
      const b = await loadSide(newSpec, o.newSite ?? o.site, !!o.quiet);
      const diff = diffReports(a.report, b.report, { factor: o.factor, oldLabel: a.label, newLabel: b.label });
      const text = renderDiff(diff, o.format);
      if (o.output) {
        writeFileSync(o.output, text);
        if (!o.quiet) process.stderr.write(`diff written to ${o.output}\n`);
      } else {
        process.stdout.write(text.endsWith('\n') ? text : text + '\n');
      }
      if (kinds.length && diffFails(diff, kinds) && process.exitCode === undefined) process.exitCode = 1;
    });
}
