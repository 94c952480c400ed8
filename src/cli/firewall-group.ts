/** `flowaudit firewall ...`: the command group that holds the firewall subcommands. */
import type { Command } from 'commander';
import { registerFirewallCheck } from './firewall-check-command.js';

export function registerFirewallCommands(program: Command): void {
  const firewall = program
    .command('firewall')
    .description('compare the stored flows with a firewall ruleset');
  registerFirewallCheck(firewall);
}
