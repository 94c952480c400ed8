/**
 * Helpers shared by the human report formats (text, md, html): number and flow formatting,
 * role labels, and neutralising control characters. Any string that came from a packet or
 * a file may contain terminal escape sequences or markup; each format escapes for its own
 * medium, and `clean` removes what no medium should ever receive raw.
 */
import type { AuditResult, FindingGroup, FlowExample } from '../audit/types.js';
import { fmtRange } from '../audit/format.js';
import { roleTitle } from '../catalog/role-title.js';

/**
 * Replace C0/C1 control characters (ESC, BEL, CR, NUL, ...) with a visible \xNN form, so
 * a hostile string cannot move the cursor, recolour a terminal or hide text. Newlines and
 * tabs become spaces: every report cell is one line.
 */
export function clean(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return s.replace(/[\t\n]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** 12345 -> "12,345". */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  return n.toLocaleString('en-US');
}

/** "10.0.0.1:445" or "[2001:db8::1]:445". */
export function hostPort(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** One flow as "10.1.0.5:51234 → 10.0.0.5:4444" (ICMP: "a → b icmp 8/0"). */
export function flowText(f: Pick<FlowExample, 'proto' | 'src' | 'sport' | 'dst' | 'dport'>): string {
  if (f.proto === 'icmp' || f.proto === 'icmpv6') return `${f.src} → ${f.dst} (${f.proto} type ${f.sport} code ${f.dport})`;
  if (f.proto !== 'tcp' && f.proto !== 'udp' && f.proto !== 'sctp') return `${f.src} → ${f.dst} (${f.proto})`;
  return `${hostPort(f.src, f.sport)} → ${hostPort(f.dst, f.dport)}`;
}

/** Example flow with its state: "10.1.0.5:51234 → 10.0.0.5:4444 S0". */
export function exampleText(f: FlowExample): string {
  return f.state ? `${flowText(f)} ${f.state}` : flowText(f);
}

/** "sccm.client+x" -> "Client + X" using the catalog's role titles; site labels as they are. */
export function labelTitle(label: string, titles: Record<string, string>): string {
  if (label.startsWith('site:') || label.startsWith('(')) return label;
  return label.split('+').map((r) => roleTitle(titles, r)).join(' + ');
}

/** "3 → 1" distinct hosts per side ("10000+ → 1" when the count was capped). */
export function hostsText(g: FindingGroup): string {
  const plus = g.hostsCapped ? '+' : '';
  return `${num(g.srcHosts)}${plus} → ${num(g.dstHosts)}${plus}`;
}

export function seenText(g: FindingGroup): string {
  return fmtRange(g.firstSeen, g.lastSeen);
}

export const WAN_STATUS_TEXT: Record<string, string> = {
  violation: 'VIOLATION',
  'must-not-cache': 'must not cache',
  cacheable: 'cacheable',
};

export const UNEXPECTED_KIND_TEXT: Record<string, string> = {
  'no-rule': 'no rule',
  'role-mismatch': 'role mismatch',
  'port-scan': 'port scan',
  'window-only': 'window only',
};

/** Kinds of the groups of flows only a time window allows. */
export const WINDOW_KIND_TEXT: Record<string, string> = {
  window: 'window',
  doubtful: 'DOUBTFUL',
};

/**
 * The title of the section of flows only a time window allows, and whether a report shows it:
 * when it lists flows, or when a strict review turned them into unexpected findings (said so).
 */
export function windowOnlySection(r: AuditResult): { show: boolean; title: string; strictNote: string | null } {
  const c = r.summary.counts;
  const doubtful = c.windowOnlyDoubtful ? `, ${num(c.windowOnlyDoubtful)} doubtful` : '';
  return {
    show: c.windowOnly > 0 || r.summary.strict,
    title: `Allowed only by time window — weaker evidence — ${num(c.windowOnly)} flow${c.windowOnly === 1 ? '' : 's'} ` +
      `in ${num(c.windowOnlyGroups)} group${c.windowOnlyGroups === 1 ? '' : 's'}${doubtful}`,
    strictNote: r.summary.strict
      ? 'Strict review: a flow only a time window allows is reported under unexpected traffic (kind window only); only announced ports count as evidence.'
      : null,
  };
}

/** What the section says about flows only a time window allows. */
export const WINDOW_ONLY_ABOUT =
  'Follow-on connections (after Altiris TCP 402, or RPC 135 without a decoded endpoint-mapper reply) that no announcement ' +
  'named: only the time window after their control flow allows them. The window kept them because the connection was accepted ' +
  'on a port no other service owns; a port several clients reached through windows of their own is doubtful (a listening service).';

/** Short headline numbers used by every human format. */
export function headline(r: AuditResult): { label: string; value: string; tone: 'bad' | 'warn' | 'ok' | 'info' }[] {
  const c = r.summary.counts;
  return [
    { label: 'Unexpected flows', value: num(c.unexpected), tone: c.unexpected ? 'bad' : 'ok' },
    { label: 'Missing expected flows', value: num(c.missing), tone: c.missing ? 'warn' : 'ok' },
    { label: 'WAN-cache violations', value: num(c.wanCacheViolations), tone: c.wanCacheViolations ? 'bad' : 'ok' },
    { label: 'Must-not-cache crossings', value: num(c.wanCacheMustNotCache), tone: c.wanCacheMustNotCache ? 'warn' : 'ok' },
    { label: 'Cacheable crossings', value: num(c.wanCacheCacheable), tone: 'info' },
    { label: 'Flows analysed', value: num(r.summary.flows.analysed), tone: 'info' },
  ];
}

/**
 * What the missing section's title adds for the declared hosts nobody reached:
 * "; 2 declared hosts nobody reached (1 more optional)", or nothing when there are none.
 */
export function silentHostsTitle(c: AuditResult['summary']['counts']): string {
  if (c.silentHosts === 0 && c.silentHostsOptional === 0) return '';
  const optional = c.silentHostsOptional ? ` (${num(c.silentHostsOptional)} more optional)` : '';
  return `; ${num(c.silentHosts)} declared host${c.silentHosts === 1 ? '' : 's'} nobody reached${optional}`;
}

/** Default number of groups per section the human formats print before cutting off. */
export const DEFAULT_MAX_GROUPS = 200;

/**
 * Groups are sorted largest (or most severe) first; beyond `max` the human formats print a
 * one-line "N more" note instead of thousands of rows — JSON and CSV still list every flow.
 */
export function limitGroups<T>(groups: readonly T[], max: number | undefined): { shown: readonly T[]; hidden: number } {
  const m = max === undefined ? DEFAULT_MAX_GROUPS : Math.max(1, max);
  return groups.length <= m ? { shown: groups, hidden: 0 } : { shown: groups.slice(0, m), hidden: groups.length - m };
}

export function moreGroupsText(hidden: number, shownBelow = false): string {
  return shownBelow
    ? `… ${hidden.toLocaleString('en-US')} more smaller group${hidden === 1 ? '' : 's'}`
    : `… ${hidden.toLocaleString('en-US')} more smaller group${hidden === 1 ? '' : 's'} not shown; the JSON and CSV reports list every flow`;
}
