/**
 * Live-capture benchmark: replays a 1M-packet synthetic capture across a veth pair at rising
 * rates and reports what `flowaudit capture` kept at each rate, with the kernel's drop counters.
 *
 *   npm run bench:live                      # as root; needs ip (iproute2), tcpdump, tcpreplay, python3
 *   node dist/bench/live-bench.js --rates 250,500,1000,max --repeat 2 [--loop 3] [--pcap FILE] [-- capture options...]
 *   node dist/bench/live-bench.js --engine cap      # the `cap` addon instead, for comparison
 *
 * Both ends of the pair live in namespaces of their own (fa-bench-tx-*, fa-bench-rx-*) with no
 * addresses: the replayed packets (10.0.0.0/8 addresses) never reach the host's stack. The
 * capture (generated once by ../shared/bench/gen-pcap.py into the temp folder, never committed)
 * is sent with `tcpreplay --mbps R --preload-pcap` (or --topspeed for "max").
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/flowaudit');

interface Args { rates: string[]; repeat: number; pcap: string; engine: 'flowaudit' | 'cap'; capture: string[]; packets: number; loop: number }

function parseArgs(argv: string[]): Args {
  const a: Args = {
    rates: ['250', '500', '750', '1000', '1250', 'max'], repeat: 1,
    pcap: join(tmpdir(), 'flowaudit-bench', '1m.pcap'), engine: 'flowaudit', capture: [], packets: 1_000_000, loop: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (k === '--') { a.capture = argv.slice(i + 1); break; }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--rates') a.rates = v.split(',').map((s) => s.trim()).filter(Boolean);
    else if (k === '--repeat') a.repeat = Math.max(1, Number(v));
    else if (k === '--pcap') a.pcap = resolve(v);
    else if (k === '--packets') a.packets = Number(v);
    else if (k === '--loop') a.loop = Math.max(1, Number(v));
    else if (k === '--engine' && (v === 'cap' || v === 'flowaudit')) a.engine = v;
    else throw new Error(`unknown option ${k} (see the comment at the top of bench/live-bench.ts)`);
  }
  return a;
}

function which(cmd: string): string | null {
  for (const d of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) if (d && existsSync(join(d, cmd))) return join(d, cmd);
  return null;
}

function sh(cmd: string, args: string[], quiet = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !quiet) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** CPU seconds (user + system) of a process so far, or null when it is gone. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

function childPid(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length ? Number(kids[0]) : undefined;
  } catch {
    return undefined;
  }
}

interface Replay { packets: number; bytes: number; seconds: number; mbps: number; pps: number }

function replay(ns: string, dev: string, rate: string, pcap: string, loop: number): Replay {
  const speed = rate === 'max' ? ['--topspeed'] : ['--mbps', rate];
  const out = sh('ip', ['netns', 'exec', ns, 'tcpreplay', '-i', dev, ...speed, '--loop', String(loop), '--preload-pcap', pcap]);
  const actual = /Actual: (\d+) packets \((\d+) bytes\) sent in ([\d.]+) seconds/.exec(out);
  const rated = /Rated: [\d.]+ Bps, ([\d.]+) Mbps, ([\d.]+) pps/.exec(out);
  if (!actual || !rated) throw new Error(`cannot read tcpreplay's output:\n${out}`);
  return { packets: Number(actual[1]), bytes: Number(actual[2]), seconds: Number(actual[3]), mbps: Number(rated[1]), pps: Number(rated[2]) };
}

function waitFor(p: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((resolveP, reject) => {
    let err = '';
    p.stderr!.on('data', (d: Buffer) => { err += d; if (re.test(err)) resolveP(); });
    p.on('exit', () => reject(new Error(`${what} exited: ${err}`)));
  });
}

function exited(p: ChildProcess): Promise<{ stdout: string }> {
  let out = '';
  p.stdout?.on('data', (d: Buffer) => { out += d; });
  return new Promise((r) => p.on('close', () => r({ stdout: out })));
}

interface Row {
  target: string; mbps: number; pps: number; sent: number; kept: number;
  drops: number | null; ifDrops: number | null; nodeCpu: number | null; engineCpu: number | null;
}

const CAP_SCRIPT = String.raw`
const { Cap } = require(process.argv[1]);
const c = new Cap();
globalThis.keep = Buffer.alloc(65535);          // cap keeps only a raw pointer to this buffer
c.open(process.argv[2], '', Number(process.argv[3]) * 1024 * 1024, globalThis.keep);
let n = 0, bytes = 0;
c.on('packet', (len) => { n++; bytes += len; });
process.on('SIGINT', () => { c.close(); console.log(JSON.stringify({ n, bytes })); process.exit(0); });
console.error('capturing on ' + process.argv[2]);
`;

async function runOnce(a: Args, rx: string, rxDev: string, tx: string, txDev: string, rate: string, work: string, n: number): Promise<Row> {
  let proc: ChildProcess;
  const db = join(work, `r${n}.db`);
  if (a.engine === 'cap') {
    const capModule = join(ROOT, 'node_modules/cap');
    const i = a.capture.indexOf('--buffer-size');
    const bufferMiB = i >= 0 ? a.capture[i + 1] ?? '64' : '64';
    proc = spawn('ip', ['netns', 'exec', rx, process.execPath, '-e', CAP_SCRIPT, capModule, rxDev, bufferMiB],
      { stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    proc = spawn('ip', ['netns', 'exec', rx, process.execPath, BIN, 'capture', '-i', rxDev, '--db', db, ...a.capture],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  }
  const done = exited(proc);
  await waitFor(proc, /capturing on/, 'capture');
  await new Promise((r) => setTimeout(r, 300));
  const engine = a.engine === 'cap' ? undefined : childPid(proc.pid);
  const cpu0 = [cpuSeconds(proc.pid), cpuSeconds(engine)];
  const rep = replay(tx, txDev, rate, a.pcap, a.loop);
  await new Promise((r) => setTimeout(r, 200));
  const cpu1 = [cpuSeconds(proc.pid), cpuSeconds(engine)];
  proc.kill('SIGINT');
  const { stdout } = await done;
  const pct = (i: number) => (cpu0[i] !== null && cpu1[i] !== null ? (100 * (cpu1[i]! - cpu0[i]!)) / rep.seconds : null);
  let kept: number;
  let drops: number | null = null;
  let ifDrops: number | null = null;
  if (a.engine === 'cap') {
    kept = (JSON.parse(stdout.trim().split('\n').pop()!) as { n: number }).n;
  } else {
    const d = new Database(db, { readonly: true });
    const row = d.prepare('SELECT packets, drops, if_drops FROM captures ORDER BY id DESC LIMIT 1').get() as { packets: number; drops: number | null; if_drops: number | null };
    d.close();
    kept = row.packets;
    drops = row.drops;
    ifDrops = row.if_drops;
  }
  return { target: rate, mbps: rep.mbps, pps: rep.pps, sent: rep.packets, kept, drops, ifDrops, nodeCpu: pct(0), engineCpu: pct(1) };
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  const missing = [process.getuid?.() !== 0 ? 'root' : null, which('ip') ? null : 'ip (apt-get install iproute2)',
    which('tcpreplay') ? null : 'tcpreplay (apt-get install tcpreplay)',
    a.engine === 'flowaudit' && !which('tcpdump') ? 'tcpdump (apt-get install tcpdump)' : null,
    !existsSync(a.pcap) && !which('python3') ? 'python3 (to generate the capture)' : null].filter(Boolean);
  if (missing.length) {
    process.stderr.write(`live-bench: needs ${missing.join(', ')}\n`);
    return 2;
  }
  if (!existsSync(a.pcap)) {
    const gen = resolve(ROOT, '../shared/bench/gen-pcap.py');
    if (!existsSync(gen)) {
      process.stderr.write(`live-bench: ${a.pcap} does not exist and ${gen} is not there to generate it (use --pcap FILE)\n`);
      return 2;
    }
    mkdirSync(dirname(a.pcap), { recursive: true });
    process.stderr.write(`generating ${a.pcap} (${a.packets} packets)...\n`);
    sh('python3', [gen, '--packets', String(a.packets), '--seed', '1', '--out', a.pcap]);
  }

  const id = Math.random().toString(16).slice(2, 7);
  const tx = `fa-bench-tx-${id}`, rx = `fa-bench-rx-${id}`;
  const txDev = `fabt${id}`, rxDev = `fabr${id}`;
  const work = mkdtempSync(join(tmpdir(), 'flowaudit-live-bench-'));
  chmodSync(work, 0o777); // capture drops root to nobody and writes its database here
  const cleanup = () => {
    spawnSync('ip', ['netns', 'del', tx]);
    spawnSync('ip', ['netns', 'del', rx]);
    rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  const rows: Row[] = [];
  try {
    sh('ip', ['netns', 'add', tx]);
    sh('ip', ['netns', 'add', rx]);
    sh('ip', ['link', 'add', txDev, 'netns', tx, 'type', 'veth', 'peer', 'name', rxDev, 'netns', rx]);
    for (const [ns, dev] of [[tx, txDev], [rx, rxDev]] as const) {
      sh('ip', ['-n', ns, 'link', 'set', dev, 'mtu', '9000', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      // No IPv6 on the pair: no router solicitations or MLD reports among the counted packets.
      sh('ip', ['netns', 'exec', ns, 'sh', '-c', `echo 1 > /proc/sys/net/ipv6/conf/${dev}/disable_ipv6`], true);
    }
    const cpus = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
    process.stdout.write(`engine: ${a.engine}; capture options: ${a.capture.join(' ') || '(defaults)'}; ${cpus} CPUs; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    process.stdout.write(`capture file: ${a.pcap}\n\n`);
    process.stdout.write('| target Mb/s | sent Mb/s | sent pkt/s | sent | analysed | kernel drops | if drops | not kept | node CPU | tcpdump CPU |\n');
    process.stdout.write('|---|---|---|---|---|---|---|---|---|---|\n');
    let n = 0;
    for (const rate of a.rates) {
      for (let k = 0; k < a.repeat; k++) {
        const r = await runOnce(a, rx, rxDev, tx, txDev, rate, work, n++);
        rows.push(r);
        const f = (v: number | null, d = 0) => (v === null ? '-' : v.toFixed(d));
        process.stdout.write(`| ${rate} | ${r.mbps.toFixed(0)} | ${Math.round(r.pps)} | ${r.sent} | ${r.kept} | ${f(r.drops)} | ${f(r.ifDrops)} | ` +
          `${r.sent - r.kept} (${((100 * (r.sent - r.kept)) / r.sent).toFixed(2)}%) | ${f(r.nodeCpu)}% | ${f(r.engineCpu)}% |\n`);
      }
    }
  } finally {
    cleanup();
  }
  const clean = rows.filter((r) => r.kept === r.sent && (r.drops ?? 0) === 0);
  const best = clean.sort((x, y) => y.pps - x.pps)[0];
  process.stdout.write(best
    ? `\nhighest rate with every packet analysed and no drops: ${best.mbps.toFixed(0)} Mb/s, ${Math.round(best.pps)} packets/s\n`
    : '\nno rate was analysed without loss\n');
  return 0;
}

main().then((c) => { process.exitCode = c; }, (e) => { process.stderr.write(`live-bench: ${(e as Error).stack ?? e}\n`); process.exitCode = 1; });
