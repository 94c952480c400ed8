/** `flowaudit site suggest`: a draft site file from what the captures show. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { suggestFromCaptures, suggestionCatalogs } from '../pipeline/suggest-run.js';
import { openFlowStore } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import { threadsOption, timeoutOptions, timeoutsFrom, type TimeoutOpts } from './options.js';
import { clearProgress, progressReporter } from './progress.js';
import { interruptOnSignals, noticeOnStderr, reportIngest } from './read-commands.js';

interface SuggestOpts extends TimeoutOpts {
  catalogs?: string;
  output?: string;
  db?: string;
  hash: boolean;
  threads: number;
  quiet?: boolean;
}

export function registerSiteCommands(program: Command): void {
  const site = program
    .command('site')
    .description('work on site files: suggest a draft from captures');

  threadsOption(timeoutOptions(
    site
      .command('suggest')
      .description('read captures and write a draft site file (roles inferred from the traffic against the catalogs) for you to review')
      .argument('<capture...>', 'pcap / pcapng files (gzip allowed), or - for stdin')
      .option('--catalogs <ids>', 'consider only these catalogs (comma-separated ids or catalog files; default: every shipped catalog)')
      .option('-o, --output <file>', 'write the draft site file here (default: standard output)')
      .option('--db <file>', 'keep the flows in this database: a SQLite file or a postgresql:// URL (default: a temporary SQLite file, removed afterwards)')
      .option('--no-hash', 'skip the whole-file sha256')
      .option('-q, --quiet', 'no progress or summary on stderr'),
  )).action(async (captures: string[], o: SuggestOpts) => {
    const refs = o.catalogs === undefined ? null : o.catalogs.split(',').map((s) => s.trim()).filter(Boolean);
    if (refs !== null && refs.length === 0) throw new UserError('--catalogs: no catalog id given');
    const catalog = suggestionCatalogs(refs); // usage errors before any work
    const tmp = o.db ? null : mkdtempSync(join(tmpdir(), 'flowaudit-'));
    const store = openFlowStore(o.db ?? join(tmp!, 'suggest.db'));
    const signals = interruptOnSignals();
    try {
      let whole = true;
      const run = await suggestFromCaptures(captures.map((name) => ({ name })), {
        store, tapSide: null, timeouts: timeoutsFrom(o), onProgress: progressReporter(!!o.quiet), hashFiles: o.hash,
        onNotice: noticeOnStderr(!!o.quiet), interrupted: signals.interrupted,
      }, catalog, o.threads, noticeOnStderr(!!o.quiet), (res) => {
        signals.dispose();
        clearProgress(!!o.quiet);
        whole = reportIngest(res, !!o.quiet);
      });
      if (o.output) {
        writeFileSync(o.output, run.text);
        if (!o.quiet) {
          const s = run.suggestion;
          process.stderr.write(`draft site file written to ${o.output}: ${s.roles.size} roles, ${s.undecided.length} hosts undecided, `
            + `${s.leftOut.length} left out; review it before use\n`);
        }
      } else {
        process.stdout.write(run.text);
      }
      if (!whole) process.exitCode = 2;
    } finally {
      signals.dispose();
      store.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  });
}
