/** `flowaudit firewall check`: evaluate the stored flows against an nftables or iptables ruleset. */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseAddressExpr } from '../catalog/address-index.js';
import { loadRuleset } from '../firewall/load.js';
import { RULESET_TYPES, type RulesetType } from '../firewall/model.js';
import type { FirewallCheckResult } from '../firewall/check-types.js';
import { firewallCheckStored } from '../pipeline/firewall-check-run.js';
import { renderFirewallCheck } from '../report/firewall-check.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { openFlowStore } from '../store/open-store.js';
import { UserError } from '../util/errors.js';
import type { NumericRange } from '../util/ip.js';
import { parseKinds } from './options.js';
import { loadSiteContext } from './site-context.js';

export const FIREWALL_FAIL_KINDS = ['blocked', 'too-broad', 'undetermined'] as const;
type FailKind = (typeof FIREWALL_FAIL_KINDS)[number];

/** "10.0.0.1,192.0.2.0/24" -> ranges; a bad entry is a usage error naming it. */
function parseLocal(v: string | undefined): { text: string; ranges: NumericRange[] } {
  if (!v) return { text: '', ranges: [] };
  const ranges = v.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    try {
      return parseAddressExpr(s);
    } catch (e) {
      throw new UserError(`--local: ${(e as Error).message}`);
    }
  });
  return { text: v, ranges };
}

function failed(r: FirewallCheckResult, kinds: FailKind[]): boolean {
  return kinds.some((k) => (k === 'blocked' ? r.blocked.length : k === 'too-broad' ? r.tooBroad.length : r.undetermined.length) > 0);
}

interface CheckOpts {
  ruleset: string;
  db: string;
  site?: string;
  type?: RulesetType;
  local?: string;
  format: ReportFormat;
  output?: string;
  failOn?: string;
  quiet?: boolean;
}

export function registerFirewallCheck(firewall: Command): void {
  firewall
    .command('check')
    .description('evaluate every stored flow against a ruleset (nft -j list ruleset, iptables-save): rule hits, unused rules, '
      + 'expected flows it would block, unexpected flows it accepts')
    .requiredOption('--ruleset <file>', 'the ruleset: nft -j list ruleset output or iptables-save output')
    .requiredOption('--db <file>', 'database written by read/audit/capture: a SQLite file or a postgresql://user@host/db URL')
    .option('--site <file>', "site file: judge flows as the audit does (default: the classifications stored in the database)")
    .addOption(new Option('--type <type>', 'ruleset type (default: recognised from the content)').choices([...RULESET_TYPES]))
    .option('--local <addrs>', "the firewall's own addresses (comma-separated addresses, CIDRs, ranges): flows to them are "
      + 'evaluated on the input hook, from them on output; all others as forwarded')
    .addOption(new Option('--format <fmt>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to this file')
    .option('--fail-on <kinds>', `exit 1 when flows of these kinds exist (${FIREWALL_FAIL_KINDS.join(',')})`)
    .option('-q, --quiet', 'no notes on stderr')
    .action(async (o: CheckOpts) => {
      const kinds = o.failOn ? parseKinds(o.failOn, FIREWALL_FAIL_KINDS) : [];
      const local = parseLocal(o.local);
      const ruleset = loadRuleset(o.ruleset, o.type);
      const ctx = o.site ? await loadSiteContext(o.site) : null;
      const store = openFlowStore(o.db, { mustExist: true });
      try {
        if (!store.captures().length) throw new UserError(`${store.location}: no captures stored yet (run flowaudit read first)`);
        const result = firewallCheckStored(store, ruleset, ctx, {
          local,
          onReclassified: (n) => { if (!o.quiet) process.stderr.write(`re-classified ${n} stored flows with ${o.site}\n`); },
        });
        const text = renderFirewallCheck(result, o.format);
        if (o.output) {
          writeFileSync(o.output, text);
          if (!o.quiet) process.stderr.write(`report written to ${o.output}\n`);
        } else {
          process.stdout.write(text);
        }
        if (failed(result, kinds)) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
}
