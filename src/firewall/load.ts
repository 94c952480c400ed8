/**
 * Reads a ruleset file: `nft -j list ruleset` JSON or `iptables-save` output, the type
 * recognised from the content (a JSON object, or iptables-save's `*table` / `:CHAIN` / `-A`
 * lines) unless the caller names it.
 */
import { FileTooLarge, readTextFile } from '../util/read-text.js';
import { UserError } from '../util/errors.js';
import { parseIptablesSave } from './iptables-save.js';
import { parseNftJson } from './nft-json.js';
import type { Ruleset, RulesetType } from './model.js';

/** Rulesets are read up to this size. */
export const RULESET_FILE_LIMIT = 64 * 1024 * 1024;

/** The type a ruleset's text is written in, or null when it is neither. */
export function detectRulesetType(text: string): RulesetType | null {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{')) return 'nft-json';
  for (const line of t.split(/\r?\n/, 200)) {
    const l = line.trim();
    if (l === '' || l.startsWith('#')) continue;
    return /^(\*\w+|:\S+\s+\S+|-A\s|\[\d+:\d+\]\s+-A\s|COMMIT$)/.test(l) ? 'iptables-save' : null;
  }
  return null;
}

export function parseRuleset(text: string, file: string, type?: RulesetType): Ruleset {
  const kind = type ?? detectRulesetType(text);
  if (kind === null) {
    throw new UserError(`${file}: neither nft -j list ruleset JSON nor iptables-save output (name the type with --type nft-json or --type iptables-save)`);
  }
  return kind === 'nft-json' ? parseNftJson(text.replace(/^\uFEFF/, ''), file) : parseIptablesSave(text, file);
}

export function loadRuleset(file: string, type?: RulesetType): Ruleset {
  let text: string;
  try {
    text = readTextFile(file, RULESET_FILE_LIMIT);
  } catch (e) {
    if (e instanceof FileTooLarge) throw new UserError(e.message);
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${file}: cannot read the ruleset: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'a directory' : err.message}`);
  }
  return parseRuleset(text, file, type);
}
