/**
 * `flowaudit capture` (live capture into the database) and `flowaudit interfaces`: options,
 * and the capture shown on stderr. The capture itself is pipeline/live-capture-run.ts.
 */
import { userInfo } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LiveCounters } from '../capture/live-capture.js';
import { listInterfaces, type CaptureDevice } from '../capture/live-interfaces.js';
import { loadSiteContext } from './site-context.js';
import { runLiveCapture, type LiveCaptureEvents } from '../pipeline/live-capture-run.js';
import { UserError } from '../util/errors.js';
import { DEFAULT_FORWARD_WAIT, forwardAfterRun, spoolTarget } from './estate-commands.js';
import { redactPgUrl } from '../store/pg-store.js';
import { nonNegativeNumber, parseCount, positiveDuration, positiveNumber, sensorOf, sensorOption, timeoutOptions, timeoutsFrom, type TimeoutOpts } from './options.js';

interface CaptureOpts extends TimeoutOpts {
  interface: string;
  db: string;
  site?: string;
  filter?: string;
  snaplen: number;
  bufferSize: number;
  duration?: number;
  packets?: number;
  write?: string;
  writeSize?: number;
  writeEvery?: number;
  user?: string;
  flushEvery: number;
  immediate: boolean;
  quiet?: boolean;
  spool?: string;
  forwardEvery: number;
  forwardWait: number;
  sensor?: string;
}

export const DEFAULT_SNAPLEN = 262144;
export const DEFAULT_BUFFER_MIB = 256;

function snaplenArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 262144) throw new InvalidArgumentError(`'${v}' is not a snapshot length (0-262144 bytes; 0 = whole packets)`);
  return n === 0 ? DEFAULT_SNAPLEN : n;
}

export function registerCaptureCommands(program: Command): void {
  sensorOption(timeoutOptions(
    program
      .command('capture')
      .description('capture live traffic on an interface: classify flows as they close and store them')
      .requiredOption('-i, --interface <name>', 'interface to capture on (see: flowaudit interfaces)')
      .requiredOption('--db <file>', 'database to write: a SQLite file or a postgresql://user@host/db URL')
      .option('--site <file>', 'site file: classify flows as they are stored')
      .option('-f, --filter <bpf>', "capture filter, tcpdump syntax (e.g. 'not port 22')")
      .addOption(new Option('-s, --snaplen <bytes>', 'bytes kept of each packet (0 = whole packets)').argParser(snaplenArg).default(DEFAULT_SNAPLEN))
      .addOption(new Option('-B, --buffer-size <MiB>', 'kernel capture buffer').argParser(positiveNumber('--buffer-size')).default(DEFAULT_BUFFER_MIB))
      .addOption(new Option('--duration <time>', 'stop after this long: a duration (90s, 30m, 2h; no unit: seconds)').argParser(positiveDuration))
      .addOption(new Option('-c, --packets <n>', 'stop after this many packets').argParser(parseCount))
      .option('-w, --write <file>', 'also keep the raw packets (pcapng; classic pcap when the name ends in .pcap)')
      .addOption(new Option('--write-size <MB>', 'with --write: start a new file after this many MB').argParser(positiveNumber('--write-size')))
      .addOption(new Option('--write-every <time>', 'with --write: start a new file every so long: a duration (10m, 1h; no unit: seconds)').argParser(positiveDuration))
      .option('--user <name>', 'user to run as once the interface is open (default when root: the sudo user, else nobody)')
      .addOption(new Option('--flush-every <time>', 'write finished flows at least this often: a duration (500ms, 5s, 1m; no unit: seconds); a crash loses at most this much')
        .argParser(positiveDuration).default(5, '5s'))
      .option('--spool <file>', 'with a PostgreSQL --db: write into this local SQLite spool and forward it as the capture runs (nothing is lost while the database is unreachable)')
      .addOption(new Option('--forward-every <time>', 'with --spool: forward this often: a duration (no unit: seconds)').argParser(positiveDuration).default(5, '5s'))
      .addOption(new Option('--forward-wait <seconds>', 'with --spool: at the end, keep trying this long to reach the database')
        .argParser(nonNegativeNumber('--forward-wait')).default(DEFAULT_FORWARD_WAIT))
      .option('--immediate', 'hand each packet over as it arrives (default: the kernel batches them, up to 1 s delay; immediate costs ~4x the CPU)')
      .option('-q, --quiet', 'no progress or summary on stderr'),
  )).action(async (o: CaptureOpts) => {
    const code = await runCapture(o);
    if (code !== 0) process.exitCode = code;
  });

  program
    .command('interfaces')
    .description('list the interfaces live capture can use')
    .addOption(new Option('--format <fmt>', 'output format').choices(['text', 'json']).default('text'))
    .action((o: { format: string }) => {
      const list = listInterfaces();
      if (o.format === 'json') {
        process.stdout.write(JSON.stringify({ tcpdump: list.tcpdump, interfaces: list.devices }, null, 2) + '\n');
        return;
      }
      process.stdout.write(interfacesTable(list.devices) + '\n');
      if (!list.tcpdump) process.stderr.write('flowaudit: tcpdump is not installed: live capture is unavailable (apt-get install tcpdump)\n');
    });
}

export function interfacesTable(devices: CaptureDevice[]): string {
  const head = ['name', 'link type', 'flags', 'mtu', 'addresses'];
  const rows = devices.map((d) => [
    d.name,
    d.linkType ?? '-',
    [d.up ? 'up' : 'down', d.running ? 'running' : '', d.loopback ? 'loopback' : ''].filter(Boolean).join(','),
    d.mtu !== null ? String(d.mtu) : '-',
    d.addresses.length ? d.addresses.join(' ') : (d.description ?? '-'),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

/** Runs one capture to its end, showing it on stderr; returns the exit status. */
async function runCapture(o: CaptureOpts): Promise<number> {
  if ((o.writeSize !== undefined || o.writeEvery !== undefined) && !o.write) {
    throw new UserError('--write-size and --write-every rotate the --write file: give --write too');
  }
  const target = spoolTarget(o.db, o.spool);
  const timeouts = timeoutsFrom(o);
  // Loaded as the invoking user, before the interface is opened: mistakes fail fast.
  const ctx = o.site ? await loadSiteContext(o.site) : null;
  const source = `live:${o.interface}`;
  const quiet = !!o.quiet;
  const tty = !quiet && !!process.stderr.isTTY;
  const started = Date.now();
  let last = { t: performance.now(), packets: 0, bytes: 0 };

  const events: LiveCaptureEvents = {
    started(info) {
      if (quiet) return;
      process.stderr.write(`flowaudit: capturing on ${o.interface} (link type ${info.linkTypeName ?? 'unknown'}, snaplen ${info.snaplen}, ` +
        `buffer ${o.bufferSize} MiB${o.filter ? `, filter '${o.filter}'` : ''}) as user ${info.user ?? currentUserName()}` +
        `${o.duration ? ` for ${clock(o.duration)}` : ''}; Ctrl-C stops\n`);
    },
    stopping(sig) {
      if (tty) clearLine();
      if (!quiet) process.stderr.write(`flowaudit: ${sig}: stopping — writing open flows (${sig === 'SIGINT' ? 'Ctrl-C' : sig} again to quit at once)\n`);
    },
    quitNow(sig) {
      process.stderr.write(`flowaudit: ${sig} again: quit without flushing open flows; capture left 'partial'\n`);
      process.exit(130);
    },
    dropping(c) {
      if (quiet) return;
      if (tty) clearLine();
      process.stderr.write(`flowaudit: warning: packets are being dropped (${dropText(c)}) — raise --buffer-size, narrow --filter or lower --snaplen\n`);
    },
    tick(p, c, wireBytes) {
      if (!tty) return;
      const now = performance.now();
      const dt = Math.max(0.001, (now - last.t) / 1000);
      const pps = (p.packets - last.packets) / dt;
      const bps = ((wireBytes - last.bytes) * 8) / dt;
      last = { t: now, packets: p.packets, bytes: wireBytes };
      const elapsed = (Date.now() - started) / 1000;
      const line = `${source} ${clock(elapsed)}${o.duration ? `/${clock(o.duration)}` : ''}  ${si(pps, 'pkt/s')}  ${si(bps, 'b/s')}  ` +
        `drops ${c.drops ?? '?'} kernel, ${c.ifDrops ?? '?'} if  flows ${p.activeFlows} active, ${p.flows} seen  ${p.packets} pkts`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
    },
    forwarding(state) {
      if (tty) clearLine();
      if (!state.ok) process.stderr.write(`flowaudit: warning: ${state.error.message}; flows wait in the spool ${o.spool} (trying again every ${o.forwardEvery} s)\n`);
      else if (!quiet) process.stderr.write(`flowaudit: forwarding the spool to ${redactPgUrl(o.db)} (spool #${state.result.spoolNo})\n`);
    },
  };

  const { result: res, counters: c, stopReason, rawFiles } = await runLiveCapture({
    iface: o.interface, db: target.store, filter: o.filter, snaplen: o.snaplen, bufferMiB: o.bufferSize,
    duration: o.duration, packets: o.packets, write: o.write,
    writeBytes: o.writeSize ? o.writeSize * 1e6 : undefined, writeSeconds: o.writeEvery,
    user: o.user, flushEverySeconds: o.flushEvery, immediate: o.immediate, timeouts, ctx, sensor: sensorOf(o),
    forward: target.forwardTo ? { url: target.forwardTo, everySeconds: o.forwardEvery } : undefined,
  }, events);
  if (tty) clearLine();
  if (target.forwardTo) await forwardAfterRun(target.store, target.forwardTo, o.forwardWait, quiet);

  const out = res.captures[0];
  const parsed = out?.summary?.packets ?? 0;
  let code = 0;
  if (out?.error) {
    process.stderr.write(`flowaudit: ${out.error} (capture stored as partial: ${parsed} packets and their flows kept)\n`);
    code = 2;
  }
  if (c.captured !== null && c.captured !== parsed) {
    process.stderr.write(`flowaudit: warning: tcpdump wrote ${c.captured} packets but ${parsed} were read\n`);
  }
  if (!quiet && out) {
    const secs = (Date.now() - started) / 1000;
    // "received by filter" counts dropped packets too; what is left arrived after the stop.
    const late = c.received !== null && c.captured !== null ? c.received - (c.drops ?? 0) - c.captured : 0;
    process.stderr.write(`${source}: ${parsed} packets, ${out.flows} flows in ${secs.toFixed(1)} s; ` +
      `received by filter ${c.received ?? 'unknown'}, dropped: ${dropText(c)}` +
      `${late > 0 ? `, ${late} arrived after the stop` : ''}` +
      `${stopReason ? ` (stopped: ${stopReason})` : ''}; capture #${out.captureId}, ${out.status}\n`);
    if (rawFiles.length) process.stderr.write(`raw packets: ${rawFiles.join(', ')}\n`);
  }
  return code;
}

function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

function dropText(c: LiveCounters): string {
  const f = (v: number | null) => (v === null ? '?' : String(v));
  return `kernel ${f(c.drops)}, interface ${f(c.ifDrops)}`;
}

function clearLine(): void {
  process.stderr.write('\r\x1b[K');
}

function clock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
}

function si(v: number, unit: string): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)} G${unit}`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)} M${unit}`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k${unit}`;
  return `${Math.round(v)} ${unit}`;
}
