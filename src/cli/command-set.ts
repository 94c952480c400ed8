/**
 * Every command group of the CLI, registered in the order `--help` lists them.
 * Add a group by exporting `register(program)` from its module and listing it here.
 */
import type { Command } from 'commander';
import { registerAuditCommands } from './audit-commands.js';
import { registerCaptureCommands } from './capture-commands.js';
import { registerFirewallCommands } from './firewall-group.js';
import { registerReadCommands } from './read-commands.js';
import { registerRulesCommands } from './rules-commands.js';

export const COMMAND_GROUPS: ((program: Command) => void)[] = [
  registerAuditCommands,
  registerReadCommands,
  registerCaptureCommands,
  registerRulesCommands,
  registerFirewallCommands,
];
