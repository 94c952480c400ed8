/**
 * A suggestion written as a site file: YAML that `flowaudit audit` accepts as it is, with the
 * evidence and confidence of every entry, the undecided and left-out hosts, and proposed WAN
 * sites as comments. Deterministic: the same suggestion gives the same bytes.
 */
import type { Suggestion } from './suggest.js';

export interface RenderOptions {
  /** The captures the suggestion was made from, as the user named them. */
  captures: readonly string[];
  /** Catalogs to list when no role got a host (a site file needs one). */
  fallbackCatalogs: readonly string[];
}

/** Marker of an undecided host's comment line: "# undecided HOST: one of ROLE, ROLE -- evidence". */
export const UNDECIDED_MARK = 'undecided';
/** Marker of a left-out host's comment line: "# left out HOST: why". */
export const LEFT_OUT_MARK = 'left out';

function addr(a: string): string {
  return a.includes(':') ? `"${a}"` : a;
}

export function renderSuggestion(s: Suggestion, opts: RenderOptions): string {
  const out: string[] = [];
  out.push('# DRAFT site file, written by `flowaudit site suggest` from observed traffic.');
  out.push(`# Captures: ${opts.captures.join(', ')}`);
  out.push('# Review it before you rely on it: every role below was inferred from which services a host');
  out.push('# answered and which it used, against the catalogs\' rules, and a capture shows only what');
  out.push('# happened while it ran. Each entry says why and how sure (high, medium, low); hosts whose role');
  out.push('# could not be decided and hosts left out are listed as comments at the end of `roles`.');
  const catalogs = s.catalogs.length ? s.catalogs : opts.fallbackCatalogs;
  out.push(`catalogs: [${catalogs.join(', ')}]`);
  if (s.roles.size === 0) {
    out.push('roles: {}   # no host could be given a role');
  } else {
    out.push('roles:');
    for (const [role, entries] of s.roles) {
      if (entries.length === 1) {
        const e = entries[0]!;
        out.push(`  ${role}: [${addr(e.address)}]   # ${e.evidence} (${e.confidence})`);
      } else {
        out.push(`  ${role}:`);
        for (const e of entries) out.push(`    - ${addr(e.address)}   # ${e.evidence} (${e.confidence})`);
      }
    }
  }
  if (s.undecided.length) {
    out.push('  # Undecided: the evidence does not single out one role of these hosts (several products\' or');
    out.push('  # roles\' rules fit it equally well); give each its role by hand:');
    for (const u of s.undecided) {
      const what = u.holds ? `besides ${u.holds.join(', ')} (above), perhaps also one of` : 'one of';
      out.push(`  # ${UNDECIDED_MARK} ${u.host}: ${what} ${u.candidates.join(', ')} -- ${u.evidence}`);
      for (const c of u.candidates) out.push(`  # ${c}: [${addr(u.host)}]`);
    }
  }
  if (s.leftOut.length) {
    out.push('  # Left out: seen in the captures, with too little evidence for a role:');
    for (const l of s.leftOut) out.push(`  # ${LEFT_OUT_MARK} ${l.host}: ${l.why}`);
  }
  if (s.sites.length) {
    out.push('# WAN sites, proposed from the /16 groups of the hosts above. Without `sites` there are no');
    out.push('# WAN-cache findings: uncomment, rename and correct them to say where your WAN links are.');
    out.push('# sites:');
    for (const site of s.sites) out.push(`#   ${site.name}: [${site.cidr}]   # ${site.hosts} host${site.hosts === 1 ? '' : 's'}`);
  }
  return out.join('\n') + '\n';
}
