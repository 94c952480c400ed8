/**
 * One live capture, start to end: load nothing, decide nothing about display — the caller
 * (cli/capture-commands.ts) parses options, shows the events and chooses the exit status.
 *
 * Order: start the engine (tcpdump opens the interface and drops root itself), drop this
 * process to the same user, then open the store and any --write file as that user, and run the
 * same ingest pipeline as `read` with live housekeeping (idle expiry on a quiet link, periodic
 * flushes, counters every second). SIGINT/SIGTERM/SIGHUP stop cleanly; a second one quits at once.
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LiveCapture, type LiveCounters } from '../capture/live-capture.js';
import { captureUser, dropPrivileges, type TargetUser } from '../capture/live-privileges.js';
import { CaptureWriter } from '../capture/live-writer.js';
import type { PacketBatch } from '../capture/packet-batch.js';
import type { FlowTimeouts } from '../flow/flow-table.js';
import { forwardSpool, type ForwardResult } from '../store/forward.js';
import { openFlowStore } from '../store/open-store.js';
import type { FlowStore } from '../store/types.js';
import { UserError } from '../util/errors.js';
import type { AnalysisContext } from './analysis-context.js';
import { ingest, type IngestProgress, type IngestResult } from './ingest.js';

export interface LiveCaptureSpec {
  iface: string;
  db: string;
  filter?: string;
  snaplen: number;
  bufferMiB: number;
  /** Seconds; stop after this long. */
  duration?: number;
  /** Stop after this many packets (tcpdump's -c). */
  packets?: number;
  /** Also keep the raw packets in this file, rotated by size (bytes) or time (seconds). */
  write?: string;
  writeBytes?: number;
  writeSeconds?: number;
  /** User to run as once the interface is open (default when root: the sudo user, else nobody). */
  user?: string;
  flushEverySeconds: number;
  immediate: boolean;
  timeouts: Partial<FlowTimeouts>;
  ctx: AnalysisContext | null;
  /**
   * `db` is a local spool forwarded to this PostgreSQL database every `everySeconds` while the
   * capture runs (store/forward.ts); the caller forwards the rest once it has ended.
   */
  forward?: { url: string; everySeconds: number };
  /** The sensor capturing (`--sensor`), recorded with the capture. */
  sensor?: string | null;
}

/** What a live capture tells its caller as it runs. */
export interface LiveCaptureEvents {
  /** The interface is open and this process runs as `user` (null: it stayed who it was). */
  started(info: { linkTypeName: string | null; snaplen: number; user: string | null }): void;
  /** A first signal: open flows are being written. */
  stopping(signal: NodeJS.Signals): void;
  /** A second signal: the capture was abandoned ('partial'); the caller should exit now. */
  quitNow(signal: NodeJS.Signals): void;
  /** The kernel or the interface dropped packets (said once). */
  dropping(counters: LiveCounters): void;
  /** Once a second. `wireBytes`: bytes on the wire so far. */
  tick(progress: IngestProgress, counters: LiveCounters, wireBytes: number): void;
  /** With `forward`: a round reached the database after failing, or failed after reaching it (said on change only). */
  forwarding?(state: { ok: true; result: ForwardResult } | { ok: false; error: Error }): void;
}

export interface LiveCaptureOutcome {
  result: IngestResult;
  counters: LiveCounters;
  /** 'duration', a signal name, or null (packet count reached, or the engine ended). */
  stopReason: string | null;
  /** Files written by --write. */
  rawFiles: string[];
}

export async function runLiveCapture(spec: LiveCaptureSpec, events: LiveCaptureEvents): Promise<LiveCaptureOutcome> {
  const user = captureUser(spec.user);
  const source = `live:${spec.iface}`;

  // 1. The engine opens the device (needs root or CAP_NET_RAW) and drops to `user` itself.
  const cap = await LiveCapture.start({
    iface: spec.iface, filter: spec.filter, snaplen: spec.snaplen, bufferMiB: spec.bufferMiB,
    packets: spec.packets, user: user?.name ?? null, immediate: spec.immediate,
  });

  // 2. This process follows; everything after this line runs as `user`.
  let store: FlowStore;
  let writer: CaptureWriter | null = null;
  try {
    if (user) {
      dropPrivileges(user);
      checkInstallReadable(user);
    }
    store = asUser(user, () => openFlowStore(spec.db));
    if (spec.write) {
      writer = new CaptureWriter(spec.write, {
        maxBytes: spec.writeBytes ?? 0, maxSeconds: spec.writeSeconds ?? 0,
        ifName: spec.iface, filter: spec.filter, snaplen: cap.listening?.snaplen ?? spec.snaplen,
        counters: () => cap.counters(),
      });
      const w = writer;
      asUser(user, () => w.open());
    }
  } catch (e) {
    cap.kill();
    await cap.exited;
    throw e;
  }
  events.started({ linkTypeName: cap.listening?.linkTypeName ?? null, snaplen: cap.listening?.snaplen ?? spec.snaplen, user: user?.name ?? null });

  // 3. Stopping: duration, --packets, SIGINT/SIGTERM/SIGHUP; a second signal quits now.
  let stopReason: string | null = null;
  const stop = (why: string) => {
    if (stopReason === null) stopReason = why;
    cap.stop();
  };
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      events.stopping(sig);
      stop(sig);
      return;
    }
    // Forced exit: committed batches stay, the capture row stays 'partial'. JavaScript runs one
    // task at a time, so no transaction of this connection is half done here; the writer
    // thread's last transaction is either committed or rolled back by SQLite's WAL recovery.
    cap.kill();
    try { writer?.close(); } catch { /* best effort */ }
    try { store.close(); } catch { /* best effort */ }
    events.quitNow(sig);
  };
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of sigs) process.on(s, onSignal);
  const durationTimer = spec.duration ? setTimeout(() => stop('duration'), spec.duration * 1000) : null;
  const forwarder = spec.forward ? new PeriodicForwarder(spec.db, spec.forward.url, spec.forward.everySeconds, events) : null;
  const statsTimer = setInterval(() => cap.requestCounters(), 1000);

  // 4. Counters for the display; raw packets to the --write file.
  let wireBytes = 0;
  const onPackets = (b: PacketBatch) => {
    const n = b.count;
    const wl = b.wirelen;
    let s = 0;
    for (let i = 0; i < n; i++) s += wl[i]!;
    wireBytes += s;
    writer?.write(b);
  };
  let warnedDrops = false;
  const onTick = (p: IngestProgress) => {
    const c = cap.counters();
    if ((c.drops ?? 0) + (c.ifDrops ?? 0) > 0 && !warnedDrops) {
      warnedDrops = true;
      events.dropping(c);
    }
    events.tick(p, c, wireBytes);
  };

  let result: IngestResult;
  try {
    result = await ingest(
      [{
        name: source, isFile: false, format: 'live',
        open: () => cap.source(),
        drops: () => {
          const c = cap.counters();
          return { drops: c.drops, ifDrops: c.ifDrops, error: cap.failure() };
        },
      }],
      {
        store, classifier: spec.ctx?.classifier ?? null, catalog: spec.ctx?.catalog ?? null, site: spec.ctx?.site ?? null,
        timeouts: spec.timeouts, flushEverySeconds: spec.flushEverySeconds, tickSeconds: 1, onTick, onPackets, sensor: spec.sensor ?? null,
      },
    );
  } finally {
    if (durationTimer) clearTimeout(durationTimer);
    clearInterval(statsTimer);
    await forwarder?.stop();
    for (const s of sigs) process.off(s, onSignal);
    cap.kill(); // no-op unless ingest failed while tcpdump ran
    writer?.close();
    store.close();
  }
  return { result, counters: cap.counters(), stopReason, rawFiles: writer?.files ?? [] };
}

/**
 * Forwards the spool every so often while the capture writes into it: one round at a time, in
 * this thread between packet batches (a round is mostly waiting on the database). A failure is
 * reported once, not every round, and the next round tries again.
 */
class PeriodicForwarder {
  private timer: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private failing: boolean | null = null;

  constructor(private spool: string, private url: string, everySeconds: number, private events: LiveCaptureEvents) {
    this.timer = setInterval(() => { this.running ??= this.round().finally(() => { this.running = null; }); }, everySeconds * 1000);
  }

  private async round(): Promise<void> {
    try {
      const result = await forwardSpool(this.spool, this.url);
      if (this.failing !== false) this.events.forwarding?.({ ok: true, result });
      this.failing = false;
    } catch (e) {
      if (this.failing !== true) this.events.forwarding?.({ ok: false, error: e as Error });
      this.failing = true;
    }
  }

  /** No new rounds; waits for the one under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/** Runs `f`; when it fails for lack of permission after dropping to `user`, says so plainly. */
function asUser<T>(user: TargetUser | null, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = err.message ?? String(e);
    const denied = err.code === 'EACCES' || err.code === 'EPERM' || /unable to open|readonly|permission denied/i.test(msg);
    if (!user || !denied) throw e;
    const what = err.path ? `${err.path}: permission denied` : msg;
    throw new UserError(`${what} — after opening the interface, capture runs as user '${user.name}', ` +
      'which must be able to write there (choose another place, or --user)');
  }
}

/** After dropping root, the rest of flowaudit (the writer thread's module) must still be readable. */
function checkInstallReadable(user: TargetUser): void {
  const worker = fileURLToPath(new URL('./flow-writer-worker.js', import.meta.url));
  try {
    accessSync(worker, fsConstants.R_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // running from sources: flows are written inline
    throw new UserError(`user '${user.name}' cannot read the flowaudit installation (${worker}); install it where every user can read it, or choose --user`);
  }
}
