/**
 * Small naming and formatting helpers shared by the audit (for reason texts) and the
 * report formats. Times are printed in UTC with an explicit "UTC" so a report reads the
 * same wherever it is opened (and tests are deterministic).
 */
import { hasPorts } from '../catalog/rule-match.js';
import type { PortRange, Rule } from '../catalog/types.js';
import { serviceName } from '../util/proto.js';


/** "8530,8531", "49152-65535" — the machine-ish form used in JSON/CSV `ports`. */
export function portsText(ranges: readonly PortRange[]): string {
  if (ranges.length === 0) return 'any';
  return ranges.map((r) => (r.lo === r.hi ? String(r.lo) : `${r.lo}-${r.hi}`)).join(',');
}

/** "8530/8531" — the form a sentence reads best with. */
export function portsProse(ranges: readonly PortRange[]): string {
  if (ranges.length === 0) return 'any port';
  return ranges.map((r) => (r.lo === r.hi ? String(r.lo) : `${r.lo}-${r.hi}`)).join('/');
}

/** Compress a list of ports into ranges ("1-1024,3389"). */
export function compressPorts(ports: Iterable<number>): PortRange[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const out: PortRange[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p === last.hi + 1) last.hi = p;
    else out.push({ lo: p, hi: p });
  }
  return out;
}

/** "TCP 8530/8531" for a rule. */
export function ruleService(rule: Pick<Rule, 'proto' | 'ports'>): string {
  const p = rule.proto.toUpperCase();
  return hasPorts(rule.proto) ? `${p} ${portsProse(rule.ports)}` : p;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The largest |epoch seconds| a Date can hold (±100,000,000 days). */
const DATE_LIMIT_SECONDS = 8.64e12;

/**
 * Whether `ts` (epoch seconds) can be printed as a date. Captures hold only times from 1970 to
 * 2100 (capture-reader.ts); a database written before that check may hold anything.
 */
export function printableTime(ts: number | null | undefined): ts is number {
  return typeof ts === 'number' && Number.isFinite(ts) && Math.abs(ts) <= DATE_LIMIT_SECONDS;
}

/** What a time that cannot be printed as a date reads as. */
export const INVALID_TIME = 'invalid time';

/** "2024-03-01T09:00:00.000Z", '' for no time, INVALID_TIME for a number no date can hold. */
export function isoTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined) return '';
  return printableTime(ts) ? new Date(ts * 1000).toISOString() : INVALID_TIME;
}

/** "2024-03-01 09:00:00 UTC"; '-' for no time, INVALID_TIME for a number no date can hold. */
export function fmtTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined) return '-';
  if (!printableTime(ts)) return INVALID_TIME;
  return `${fmtDate(ts)} ${fmtClock(ts)} UTC`;
}

function fmtDate(ts: number): string {
  const d = new Date(Math.floor(ts * 1000));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function fmtClock(ts: number): string {
  const d = new Date(Math.floor(ts * 1000));
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** "2024-03-01 09:00:00–09:45:10 UTC" (date once when both ends fall on the same day). */
export function fmtRange(start: number | null, end: number | null): string {
  if (start === null || end === null) return fmtTime(start ?? end);
  if (!printableTime(start) || !printableTime(end)) return `${fmtTime(start)} – ${fmtTime(end)}`;
  if (fmtDate(start) === fmtDate(end)) return `${fmtDate(start)} ${fmtClock(start)}–${fmtClock(end)} UTC`;
  return `${fmtTime(start)} – ${fmtTime(end)}`;
}

/** "between 2024-03-01 09:00:00 and 09:45:10 UTC" for finding sentences. */
export function fmtWindowProse(start: number, end: number): string {
  if (printableTime(start) && printableTime(end) && fmtDate(start) === fmtDate(end)) return `between ${fmtDate(start)} ${fmtClock(start)} and ${fmtClock(end)} UTC`;
  return `between ${fmtTime(start)} and ${fmtTime(end)}`;
}

/**
 * 10000 -> "10,000" (fixed locale so reports do not depend on the machine). Whole numbers are
 * grouped here: toLocaleString goes through ICU at ~2 µs a call, and a scan-heavy audit names
 * tens of thousands of counts; anything else is left to it.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(n < 0 ? -n : n);
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** Seconds as "45m 10s", "2h 03m", "12s". */
export function fmtDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`;
}

/** "tcp/445 (smb)", "udp/4011", "icmp type 8 code 0". */
export function serviceLabel(proto: string, sport: number, dport: number): string {
  if (proto === 'icmp' || proto === 'icmpv6') return `${proto} type ${sport} code ${dport}`;
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return proto;
  const name = serviceName(proto, dport);
  return name ? `${proto}/${dport} (${name})` : `${proto}/${dport}`;
}

const labelOfRoles = new WeakMap<readonly string[], string>();

/**
 * Label of one flow end for grouping and the role matrix: its roles ("a+b"), else its
 * WAN site ("site:leeds (no role)"), else "(no role)".
 */
export function endLabel(roles: readonly string[], site: string | null): string {
  if (roles.length > 0) {
    // A store's classifications share their role lists: sorted and joined once per list.
    let label = labelOfRoles.get(roles);
    if (label === undefined) labelOfRoles.set(roles, (label = [...roles].sort().join('+')));
    return label;
  }
  if (site) return `site:${site} (no role)`;
  return '(no role)';
}


/**
 * Lower-case a title for use mid-sentence ("Management point" -> "management point"),
 * but leave acronyms alone ("SQL Server" stays).
 */
export function midSentence(title: string): string {
  // "Management point" reads "management point" inside a sentence; a name whose other words are
  // capitalised too ("Deployment Server", "Configuration Manager console") is a proper name.
  const rest = title.split(/\s+/).slice(1);
  if (title.length > 1 && /^[A-Z][a-z]/.test(title) && !rest.some((w) => /^[A-Z]/.test(w))) {
    return title[0]!.toLowerCase() + title.slice(1);
  }
  return title;
}

/** "client or management point". */
export function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
