/**
 * Every command group of the CLI, registered in the order `--help` lists them.
 * Add a group by exporting `register(program)` from its module and listing it here.
 */
import type { Command } from 'commander';
import { registerApproveCommands } from './approve-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerCaptureCommands } from './capture-commands.js';
import { registerDiffCommands } from './diff-commands.js';
import { registerEstateCommands } from './estate-commands.js';
import { registerFirewallCommands } from './firewall-commands.js';
import { registerReadCommands } from './read-commands.js';
import { registerRulesCommands } from './rules-commands.js';
import { registerSiteCommands } from './site-commands.js';

export const COMMAND_GROUPS: ((program: Command) => void)[] = [
  registerAuditCommands,
  registerReadCommands,
  registerCaptureCommands,
  registerEstateCommands,
  registerRulesCommands,
  registerSiteCommands,
  registerDiffCommands,
  registerApproveCommands,
  registerFirewallCommands,
];
