/**
 * `flowaudit firewall ...`: firewall rules from the site file and its catalogs. Each subcommand
 * is one entry of FIREWALL_SUBCOMMANDS, registered under the `firewall` group.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FIREWALL_FORMATS, renderFirewall, type FirewallFormat } from '../firewall/index.js';
import { firewallPolicy } from '../pipeline/firewall-run.js';
import { openFlowStore } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import { loadSiteContext } from './site-context.js';
import { registerFirewallCheck } from './firewall-check-command.js';

function parseFormat(v: string): FirewallFormat {
  if (!(FIREWALL_FORMATS as readonly string[]).includes(v)) throw new UserError(`--format: unknown format '${v}' (use ${FIREWALL_FORMATS.join(', ')})`);
  return v as FirewallFormat;
}

interface ExportOpts {
  site: string;
  db?: string;
  format: FirewallFormat;
  output?: string;
  onlyObserved?: boolean;
  quiet?: boolean;
}

function registerExport(firewall: Command): void {
  firewall
    .command('export')
    .description('write the catalogs\' rules, as the site applies them, as firewall rules (each commented with its rule id and seed citation)')
    .requiredOption('--site <file>', 'site file (roles, sites, catalogs)')
    .option('--db <file>', 'database of audited flows (a SQLite file or a postgresql:// URL): observed counts per rule, and dynamic ranges narrowed to the ports used')
    .requiredOption('--format <fmt>', `output format: ${FIREWALL_FORMATS.join(', ')}`, parseFormat)
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .option('--only-observed', 'only rules that saw traffic (needs --db)')
    .option('-q, --quiet', 'nothing on stderr but errors')
    .action(async (o: ExportOpts) => {
      if (o.onlyObserved && !o.db) throw new UserError('--only-observed needs --db (the database of audited flows that says which rules saw traffic)');
      const ctx = await loadSiteContext(o.site);
      const store = o.db ? openFlowStore(o.db, { mustExist: true }) : undefined;
      try {
        const policy = firewallPolicy(ctx, {
          store, onlyObserved: o.onlyObserved,
          onReclassified: (n) => { if (!o.quiet) process.stderr.write(`re-classified ${n} stored flows with ${o.site}\n`); },
        });
        const text = renderFirewall(policy, o.format);
        if (o.output) {
          writeFileSync(o.output, text);
          if (!o.quiet) process.stderr.write(`${policy.rules.length} rules written to ${o.output}\n`);
        } else process.stdout.write(text);
      } finally {
        store?.close();
      }
    });
}

/** The subcommands of `flowaudit firewall`, in the order `--help` lists them. */
const FIREWALL_SUBCOMMANDS: ((firewall: Command) => void)[] = [registerExport, registerFirewallCheck];

export function registerFirewallCommands(program: Command): void {
  const firewall = program.command('firewall').description('firewall rules: export them from the site file and its catalogs, or check a ruleset against the stored flows');
  for (const register of FIREWALL_SUBCOMMANDS) register(firewall);
}
