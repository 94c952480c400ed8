/** `flowaudit approve`: unexpected flows of a stored audit become `allow:` entries of the site file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { auditStored, reclassifyIfStale } from '../pipeline/audit-run.js';
import { addAllowEntries, checkApprovals, planApprovals, type ApproveSelection } from '../review/approve.js';
import { openFlowStore } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import { loadSiteContext } from './site-context.js';

interface ApproveOpts {
  db: string;
  site: string;
  group?: string[];
  flow?: string[];
  where?: string;
  reason: string;
  by?: string;
  dryRun?: boolean;
  strict?: boolean;
  quiet?: boolean;
}

/** The OS user running flowaudit, for `by` when --by is not given. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** Today as YYYY-MM-DD, in local time (the day the person approving sees). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Group ids and flow ids may be given as several values or comma-separated. */
const split = (values: string[]): string[] => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function selectionOf(o: ApproveOpts, whereIds: () => ReadonlySet<number>): ApproveSelection {
  const given = [o.group, o.flow, o.where].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UserError('approve: name the flows to approve with exactly one of --group, --flow or --where');
  if (o.group) return { groups: split(o.group).map((g) => g.toUpperCase()) };
  if (o.flow) {
    return {
      flows: split(o.flow).map((v) => {
        if (!/^\d+$/.test(v)) throw new UserError(`--flow: "${v}" is not a flow id (a number, as the JSON report's flowId)`);
        return Number(v);
      }),
    };
  }
  return { where: o.where!, flowIds: whereIds() };
}

export function registerApproveCommands(program: Command): void {
  program
    .command('approve')
    .description('approve unexpected flows of a stored audit: add them to the site file as allow: entries (a backup is kept)')
    .requiredOption('--db <file>', 'database written by read/audit/capture: a SQLite file or a postgresql://user@host/db URL')
    .requiredOption('--site <file>', 'site file to add the approvals to (edited in place; FILE.bak keeps the previous version)')
    .option('--group <ids...>', 'finding groups of unexpected flows, e.g. U3 (as the reports name them)')
    .option('--flow <ids...>', 'unexpected flows by flow id')
    .option('--where <expr>', 'the unexpected flows among those this expression selects (as flowaudit flows --where)')
    .requiredOption('--reason <text>', 'why these flows are accepted (written into each entry)')
    .option('--by <name>', 'who approves them (default: the OS user name)')
    .option('--dry-run', 'print the YAML that would be added; change nothing')
    .option('--strict', 'strict review: flows only a time window allows count as unexpected, and can be approved')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (o: ApproveOpts) => {
      const reason = o.reason.trim();
      if (reason === '') throw new UserError('--reason: say why these flows are accepted');
      const by = (o.by ?? osUser()).trim() || 'unknown';
      const store = openFlowStore(o.db, { mustExist: true });
      try {
        const selection = selectionOf(o, () => new Set([...store.flows({ where: o.where })].map((f) => f.id)));
        const ctx = await loadSiteContext(o.site);
        const ids = store.captures().map((c) => c.id);
        if (!ids.length) throw new UserError(`${store.location}: no captures stored yet (run flowaudit read first)`);
        const n = reclassifyIfStale(store, ctx);
        if (n !== null && !o.quiet) process.stderr.write(`re-classified ${n} stored flows with ${o.site}\n`);
        const result = auditStored(store, ctx, ids, o.strict ? { strict: true } : {});
        const plan = planApprovals(result, selection, { reason, by, date: today() });
        const before = readFileSync(o.site, 'utf8');
        const edit = addAllowEntries(before, plan.map((p) => p.spec), o.site);
        const covers = checkApprovals(edit.text, o.site, ctx.catalog, result, plan.length);
        if (o.dryRun) process.stdout.write(edit.added);
        if (!o.quiet) {
          plan.forEach((p, i) => {
            const what = `${p.spec.proto ?? 'ip'}${p.spec.port !== undefined ? `/${p.spec.port}` : ''}`;
            process.stderr.write(`${p.group}: ${what} from ${String(p.spec.from)} to ${String(p.spec.to)}: covers ${covers[i]} unexpected flow${covers[i] === 1 ? '' : 's'}` +
              ` (${p.selected} selected)\n`);
          });
        }
        if (o.dryRun) {
          if (!o.quiet) process.stderr.write(`dry run: ${o.site} not changed\n`);
          return;
        }
        writeFileSync(`${o.site}.bak`, before);
        writeFileSync(o.site, edit.text);
        if (!o.quiet) {
          process.stderr.write(`backup of the site file written to ${o.site}.bak\n`);
          process.stderr.write(`added ${plan.length} allow entr${plan.length === 1 ? 'y' : 'ies'} to ${o.site} at line ${edit.line}\n`);
        }
      } finally {
        store.close();
      }
    });
}
