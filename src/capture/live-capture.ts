/**
 * The live-capture engine: a `tcpdump` child process that opens the interface, applies the BPF
 * filter in the kernel, drops root (-Z) and streams classic pcap on its stdout (-w - -U). The
 * pcap stream goes through the same reader, decoder, flow table, classifier and store as a file.
 *
 * Why tcpdump and not the `cap` addon (docs/live-capture.md has the measurements): tcpdump
 * gives kernel timestamps in every record, kernel and interface drop counters (on SIGUSR1 and
 * at exit), privilege dropping, and a pipe whose back-pressure turns a slow consumer into
 * counted kernel drops instead of silent loss. `cap` has none of these.
 *
 * Counters: tcpdump prints "N packets captured, N packets received by filter, N packets
 * dropped by kernel[, N packets dropped by interface]" on stderr when sent SIGUSR1 (one line)
 * and when it exits (one per line). They are 32-bit and wrap; sampled every second or so, the
 * deltas are unwrapped into exact 64-bit totals here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { openStream, type ByteSource } from './byte-source.js';
import { UserError } from '../util/errors.js';
import { linkTypeByName } from '../util/proto.js';

export interface LiveOptions {
  iface: string;
  /** BPF filter in tcpdump syntax; empty for everything. */
  filter?: string;
  /** Bytes kept of each packet (tcpdump -s); 0 means the whole packet (262144). */
  snaplen: number;
  /** Kernel capture buffer in MiB (tcpdump -B, which takes KiB). */
  bufferMiB: number;
  /** Stop after this many packets (tcpdump -c). */
  packets?: number;
  /** Drop root to this user once the interface is open (tcpdump -Z); null keeps the current user. */
  user: string | null;
  /** Deliver each packet as soon as it arrives (--immediate-mode, per-packet writes). */
  immediate: boolean;
  /** Path of tcpdump; found on PATH (and /usr/sbin, /sbin) when not given. */
  tcpdump?: string;
}

/** Counters of one capture, exact (unwrapped) totals; null until tcpdump first reported them. */
export interface LiveCounters {
  /** Packets tcpdump wrote to the pipe. */
  captured: number | null;
  /** Packets that passed the filter, whether or not they were dropped afterwards. */
  received: number | null;
  /** Packets the kernel dropped because the capture buffer was full. */
  drops: number | null;
  /** Packets the interface (NIC) dropped: rx_missed_errors + rx_fifo_errors since the start. */
  ifDrops: number | null;
  /** True once the counters printed at exit were read. */
  final: boolean;
}

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/local/sbin'];

/** tcpdump's packet buffer timeout (pcap_set_timeout 1000 ms): the kernel's block retire timeout. */
export const BLOCK_TIMEOUT_MS = 1000;

/** Path of the tcpdump executable (FLOWAUDIT_TCPDUMP when set), or null when it is not installed. */
export function findTcpdump(explicit?: string): string | null {
  const chosen = explicit ?? process.env.FLOWAUDIT_TCPDUMP;
  const candidates = chosen ? [chosen] : [
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'tcpdump')),
    ...EXTRA_DIRS.map((d) => join(d, 'tcpdump')),
  ];
  for (const c of candidates) {
    try {
      accessSync(c, fsConstants.X_OK);
      return c;
    } catch { /* next */ }
  }
  return null;
}

export const TCPDUMP_MISSING = 'live capture needs tcpdump: install tcpdump (apt-get install tcpdump)';

/** tcpdump's argument list for the options (exported for tests). */
export function tcpdumpArgs(o: LiveOptions): string[] {
  const args = ['-i', o.iface, '-w', '-', '-U', '-n', '-s', String(o.snaplen || 262144),
    '-B', String(Math.max(1, Math.round(o.bufferMiB * 1024)))];
  if (o.immediate) args.push('--immediate-mode');
  if (o.packets !== undefined && o.packets > 0) args.push('-c', String(o.packets));
  if (o.user) args.push('-Z', o.user);
  args.push('--');
  if (o.filter && o.filter.trim()) args.push(o.filter);
  return args;
}

export interface ListeningInfo {
  linkTypeName: string;
  linkType: number | null;
  snaplen: number | null;
}

/** Parses "listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes". */
export function parseListening(line: string): ListeningInfo | null {
  const m = /listening on .*?, link-type (\S+)(?: \([^)]*\))?, (?:snapshot length|capture size) (\d+) bytes/.exec(line);
  if (!m) return null;
  return { linkTypeName: m[1]!, linkType: linkTypeByName(m[1]!), snaplen: Number(m[2]) };
}

/** One "N packets X" phrase of tcpdump's statistics. */
type StatKey = 'captured' | 'received' | 'drops' | 'ifDrops';
const STAT_RE = /(\d+) packets? (captured|received by filter|dropped by kernel|dropped by interface)/g;
const STAT_KEY: Record<string, StatKey> = {
  captured: 'captured', 'received by filter': 'received', 'dropped by kernel': 'drops', 'dropped by interface': 'ifDrops',
};

export function parseStatPhrases(line: string): Partial<Record<StatKey, number>> | null {
  let out: Partial<Record<StatKey, number>> | null = null;
  for (const m of line.matchAll(STAT_RE)) (out ??= {})[STAT_KEY[m[2]!]!] = Number(m[1]);
  return out;
}

/**
 * Turns tcpdump's stderr into counters. A report is one line (SIGUSR1: "tcpdump: 5 packets
 * captured, 5 packets received by filter, 0 packets dropped by kernel") or several (at exit:
 * one phrase per line). "dropped by interface" is printed only when non-zero, so a report
 * without it means 0 — known only when the next line is not that phrase.
 */
export class StatsParser {
  private raw: Partial<Record<StatKey, number>> = {};
  private pendingKernel = false;
  private readonly totals = { captured: new Counter(), received: new Counter(), drops: new Counter(), ifDrops: new Counter() };
  /** Non-statistics lines (warnings, errors), newest last. */
  readonly messages: string[] = [];
  final = false;
  reports = 0;

  line(text: string): void {
    const st = parseStatPhrases(text);
    if (this.pendingKernel) {
      if (st && st.ifDrops !== undefined && Object.keys(st).length === 1) {
        this.raw.ifDrops = st.ifDrops;
        this.commit();
        return;
      }
      this.raw.ifDrops = 0;
      this.commit();
    }
    if (!st) {
      if (text.trim()) this.messages.push(text.trim());
      if (this.messages.length > 50) this.messages.shift();
      return;
    }
    Object.assign(this.raw, st);
    if (st.drops !== undefined) {
      if (st.ifDrops !== undefined) this.commit();
      else if (/^tcpdump: /.test(text)) { this.raw.ifDrops = 0; this.commit(); } // the one-line form is complete
      else this.pendingKernel = true;
    }
  }

  /** The stream ended: a report still waiting for its "dropped by interface" line is complete. */
  end(): void {
    if (this.pendingKernel) {
      this.raw.ifDrops = 0;
      this.commit();
    }
  }

  private commit(): void {
    this.pendingKernel = false;
    for (const k of ['captured', 'received', 'drops', 'ifDrops'] as const) {
      const v = this.raw[k];
      if (v !== undefined) this.totals[k].observe(v);
    }
    this.raw = {};
    this.reports++;
  }

  counters(): LiveCounters {
    return {
      captured: this.totals.captured.value, received: this.totals.received.value,
      drops: this.totals.drops.value, ifDrops: this.totals.ifDrops.value, final: this.final,
    };
  }
}

/** A monotonic 32-bit counter sampled now and then, unwrapped into an exact total. */
export class Counter {
  private last: number | null = null;
  value: number | null = null;
  observe(raw32: number): void {
    if (this.last === null) this.value = raw32;
    else this.value! += (raw32 - this.last) >>> 0;
    this.last = raw32;
  }
}

/** Maps tcpdump's failure messages to the user's terms. */
export function explainFailure(iface: string, messages: string[], user: string | null, filter?: string): string {
  const text = messages.join('\n');
  const first = messages.find((m) => /^tcpdump: /.test(m))?.replace(/^tcpdump: /, '') ?? messages[0] ?? 'tcpdump exited';
  if (/You don't have permission|Operation not permitted|Permission denied.*socket|Attempt to create packet socket failed/i.test(text)) {
    return `capturing on ${iface} needs root or CAP_NET_RAW (run with sudo, or grant tcpdump the capability: setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump))`;
  }
  if (/No such device|doesn't exist|no such interface|SIOCGIFHWADDR|not found/i.test(text) && !/user/i.test(first)) {
    return `unknown interface '${iface}' (list them with: flowaudit interfaces)`;
  }
  if (/That device is not up|is not up/i.test(text)) return `interface ${iface} is down (bring it up first: ip link set ${iface} up)`;
  if (/can't parse filter expression|syntax error|illegal|unknown host|expression rejects all packets/i.test(text)) {
    // tcpdump's own words say what is wrong with the expression: pass them through whole.
    const said = messages.filter((m) => /^tcpdump: /.test(m)).join('; ') || first;
    return `--filter${filter ? ` '${filter}'` : ''} is not a valid capture filter: ${said}`;
  }
  if (/Couldn't find user|couldn't change to|initgroups|setgid|setuid/i.test(text)) {
    return `--user ${user ?? ''}: ${first}`;
  }
  if (/invalid packet buffer size|buffer size/i.test(text)) return `--buffer-size: ${first}`;
  if (/snaplen|snapshot length/i.test(text)) return `--snaplen: ${first}`;
  return `tcpdump: ${first}`;
}

/**
 * A running tcpdump. `start()` resolves once it is listening (interface open, filter set,
 * privileges dropped) and rejects with a UserError when it cannot capture.
 */
export class LiveCapture {
  readonly stats = new StatsParser();
  listening: ListeningInfo | null = null;
  readonly exited: Promise<EngineExit>;
  private child: ChildProcess;
  private exitInfo: EngineExit | null = null;
  private stopping = false;
  private killTimer: NodeJS.Timeout | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
  private closedResolve!: (e: EngineExit) => void;

  private constructor(readonly options: LiveOptions, readonly tcpdumpPath: string) {
    this.exited = new Promise((r) => { this.closedResolve = r; });
    // A process group of its own: Ctrl-C in the terminal reaches only flowaudit, which then stops
    // tcpdump once the last capture block is handed over (stop()). If flowaudit is killed
    // outright, tcpdump ends at its next write (SIGPIPE); any other exit ends it here.
    const child = spawn(tcpdumpPath, tcpdumpArgs(options), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const onExit = () => this.kill();
    process.on('exit', onExit);
    let tail = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      tail += chunk;
      let nl: number;
      while ((nl = tail.indexOf('\n')) >= 0) {
        const line = tail.slice(0, nl);
        tail = tail.slice(nl + 1);
        this.onLine(line);
      }
    });
    child.stderr!.on('end', () => {
      if (tail) this.onLine(tail);
      tail = '';
    });
    // 'close' comes after the process exited and both pipes ended: the counters are final.
    child.on('close', (code, signal) => {
      process.off('exit', onExit);
      this.stats.end();
      this.stats.final = this.stats.reports > 0;
      this.exitInfo = { code, signal };
      if (this.killTimer) clearTimeout(this.killTimer);
      if (this.stopTimer) clearTimeout(this.stopTimer);
      this.closedResolve(this.exitInfo);
    });
  }

  private listeners: ((line: string) => void)[] = [];
  private onLine(line: string): void {
    if (!this.listening) {
      const l = parseListening(line);
      if (l) this.listening = l;
    }
    this.stats.line(line);
    for (const f of this.listeners) f(line);
  }

  /** Spawns tcpdump and waits until it listens; throws UserError when it cannot. */
  static async start(options: LiveOptions): Promise<LiveCapture> {
    const path = findTcpdump(options.tcpdump);
    if (!path) throw new UserError(TCPDUMP_MISSING);
    const cap = new LiveCapture(options, path);
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(new UserError(why));
      cap.child.once('error', (e: NodeJS.ErrnoException) => {
        fail(e.code === 'ENOENT' ? TCPDUMP_MISSING : `cannot start tcpdump: ${e.message}`);
      });
      cap.listeners.push(() => { if (cap.listening) resolve(); });
      void cap.exited.then(() => {
        if (cap.listening) return resolve();
        fail(explainFailure(options.iface, cap.stats.messages, options.user, options.filter));
      });
    });
    return cap;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  get stdout(): Readable {
    return this.child.stdout!;
  }

  /** Asks for fresh counters (tcpdump prints them on SIGUSR1 on Linux and the BSDs). */
  requestCounters(): void {
    if (this.running && !this.stopping && process.platform !== 'win32') this.signal('SIGUSR1');
  }

  /**
   * Stops cleanly: tcpdump flushes, prints its final counters and closes the pipe. Without
   * immediate mode the kernel hands packets over in blocks that it retires at the latest after
   * tcpdump's 1 s timeout, and a block not yet retired when tcpdump exits is never delivered;
   * so tcpdump is told to stop only once every packet that arrived before the stop request
   * has been handed over.
   */
  stop(graceMs = 5000): void {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    const send = () => {
      this.signal('SIGINT');
      this.killTimer = setTimeout(() => this.kill(), graceMs);
      this.killTimer.unref();
    };
    if (this.options.immediate) send();
    else this.stopTimer = setTimeout(send, BLOCK_TIMEOUT_MS + 100);
  }

  /** Ends tcpdump at once (no final counters). */
  kill(): void {
    if (this.running) this.signal('SIGKILL');
  }

  private signal(sig: NodeJS.Signals): void {
    try {
      this.child.kill(sig);
    } catch { /* already gone */ }
  }

  counters(): LiveCounters {
    return this.stats.counters();
  }

  /**
   * Why the capture ended early, or null: tcpdump exiting by itself with an error (the
   * interface went away) — not a stop we asked for, nor the -c count being reached.
   */
  failure(): string | null {
    if (!this.exitInfo) return null;
    if (this.stopping && (this.exitInfo.signal === 'SIGKILL')) return 'tcpdump did not stop within 5 s and was killed: its final counters are unknown';
    if (this.stopping) return null;
    if (this.exitInfo.code === 0) return null;
    const why = this.stats.messages.filter((m) => !/^tcpdump: listening on/.test(m) && !/^\d+ packets? /.test(m)).pop();
    return `capture engine stopped: ${why ?? `tcpdump exited with ${this.exitInfo.signal ?? `status ${this.exitInfo.code}`}`}`;
  }

  /**
   * The pcap byte stream. It reports its end only after tcpdump has exited and its final
   * counters were read, so the capture row is closed with exact drop numbers.
   */
  async source(): Promise<ByteSource> {
    const inner = await openStream(this.child.stdout!);
    const exited = this.exited;
    return {
      size: null,
      gzip: false,
      async read(buf: Buffer, off: number, len: number): Promise<number> {
        const n = await inner.read(buf, off, len);
        if (n === 0) await exited;
        return n;
      },
      close: () => inner.close(),
    };
  }
}

/** True when tcpdump can be run at all (for `interfaces` and tests). */
export function tcpdumpVersion(path: string | null = findTcpdump()): string | null {
  if (!path) return null;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (r.error) return null;
  return `${r.stdout}${r.stderr}`.split('\n').filter(Boolean).join('; ');
}
