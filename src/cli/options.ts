/**
 * Option parsers and option groups shared by several commands. Parsers throw commander's
 * InvalidArgumentError or a UserError: both become one line on stderr and exit status 2.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIMEOUTS, type FlowTimeouts } from '../flow/flow-table.js';
import { UserError } from '../util/errors.js';
import { hostname } from 'node:os';

/** `--fail-on a,b`: the comma-separated kinds, each one of `allowed` (a usage error otherwise). */
export function parseKinds<K extends string>(v: string, allowed: readonly K[], option = '--fail-on'): K[] {
  const kinds = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of kinds) {
    if (!(allowed as readonly string[]).includes(k)) throw new UserError(`${option}: unknown kind '${k}' (use ${allowed.join(', ')})`);
  }
  return kinds as K[];
}

/** "90", "90s", "10m", "1h", "250ms" -> seconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`'${v}' is not a duration (examples: 90, 90s, 10m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * (unit === 'ms' ? 0.001 : unit === 's' ? 1 : unit === 'm' ? 60 : 3600);
}

/** A duration that must be longer than 0. */
export function positiveDuration(v: string): number {
  const s = parseDuration(v);
  if (!(s > 0)) throw new InvalidArgumentError(`'${v}' must be longer than 0`);
  return s;
}

export function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`'${v}' is not a whole number`);
  return n;
}

/** A port number, 0-65535. */
export function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || n > 65535) throw new InvalidArgumentError(`'${v}' is not a port number (0-65535)`);
  return n;
}

/** A whole number of at least 1 (an id, a limit). */
export function positiveInteger(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`'${v}' is not a whole number of at least 1`);
  return n;
}

export function positiveNumber(what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number (got '${v}')`);
    return n;
  };
}

export function nonNegativeNumber(what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new InvalidArgumentError(`${what} must be a number of 0 or more (got '${v}')`);
    return n;
  };
}

export interface TimeoutOpts {
  tcpTimeout?: number;
  udpTimeout?: number;
  activeTimeout?: number;
}

/** --tcp-timeout, --udp-timeout, --active-timeout (read, audit, capture). */
export function timeoutOptions(cmd: Command): Command {
  const d = DEFAULT_TIMEOUTS;
  return cmd
    .addOption(new Option('--tcp-timeout <seconds>', `a TCP flow idle this many seconds ends (a closed connection's flow ends ${d.tcpClosed} s after it closed)`)
      .argParser(Number).default(d.tcp, `${d.tcp} s`))
    .addOption(new Option('--udp-timeout <seconds>', 'a UDP or ICMP flow idle this many seconds ends').argParser(Number).default(d.udp, `${d.udp} s`))
    .addOption(new Option('--active-timeout <seconds>', 'a flow longer than this many seconds is exported and continued as a new one')
      .argParser(Number).default(d.active, `${d.active} s`));
}

export function timeoutsFrom(o: TimeoutOpts): Partial<FlowTimeouts> {
  const t: Partial<FlowTimeouts> = {};
  for (const [k, v] of Object.entries({ tcp: o.tcpTimeout, udp: o.udpTimeout, active: o.activeTimeout })) {
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v <= 0) throw new UserError(`--${k}-timeout must be a positive number of seconds`);
    (t as Record<string, number>)[k] = v;
  }
  if (t.udp !== undefined) { t.icmp = t.udp; t.other = t.udp; }
  return t;
}

/** `--threads` of read and audit (offline files only). */
export function threadsOption(cmd: Command): Command {
  return cmd.addOption(new Option('--threads <n>', 'worker threads, each keeping a share of the host pairs (capture files and a database file only; see README "Speed")')
    .argParser(threadCount).default(1));
}

function threadCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UserError(`--threads must be a whole number from 1 to 64, not "${v}"`);
  return n;
}

/** Longest sensor name `--sensor` takes. */
export const SENSOR_NAME_MAX = 64;

/**
 * `--sensor NAME`: the name recorded with every capture, so that one database of several sensors'
 * captures tells them apart. Non-empty, printable (no control characters), at most 64 characters.
 */
export function parseSensor(v: string): string {
  const name = v.trim();
  if (name === '') throw new UserError('--sensor: the sensor name is empty');
  if ([...name].length > SENSOR_NAME_MAX) throw new UserError(`--sensor: the sensor name is longer than ${SENSOR_NAME_MAX} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(name)) throw new UserError('--sensor: the sensor name holds a control character');
  return name;
}

/** `--sensor NAME` (default: the host name). */
export function sensorOption(cmd: Command): Command {
  return cmd.option('--sensor <name>', 'name of the sensor capturing, recorded with each capture (default: the host name)', parseSensor);
}

/** The sensor a command records: `--sensor`, else the host name. */
export function sensorOf(o: { sensor?: string }): string {
  return o.sensor ?? (hostname().slice(0, SENSOR_NAME_MAX) || 'localhost');
}
