/**
 * Live capture end to end, as root, on a veth pair of its own: one end in a fresh network
 * namespace (fa-test-XXXXX) running a small TCP + UDP server, the other end on the host with
 * the client. Only addresses on that veth pair (10.203.N.1 and .2) are ever sent to.
 *
 * The compiled CLI (`node bin/flowaudit capture ...`) captures on the host end. Packet counts
 * are checked against an independent reference: a second tcpdump on the namespace end of the
 * pair, its pcap counted by a parser written here (not the project's reader).
 *
 * Skipped, with the reason printed, when not root or when `ip` / tcpdump / dist/ are missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { pgRows } from '../helpers/postgres.js';
import { postgresBinDir, startCluster } from '../helpers/postgres-cluster.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const BUILT = existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js'));

function which(cmd: string): string | null {
  for (const d of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return null;
}
const ROOT = process.getuid?.() === 0;
const IP = which('ip');
const TCPDUMP = which('tcpdump');
const SKIP = !ROOT ? 'not running as root' : !IP ? '`ip` (iproute2) not installed' : !TCPDUMP ? 'tcpdump not installed'
  : !BUILT ? 'dist/ not built (run `npm run build`, as `npm test` does)' : null;
if (SKIP) console.warn(`live capture tests skipped: ${SKIP}`);

const RAND = Math.random().toString(16).slice(2, 7);
const NS = `fa-test-${RAND}`;
const HOST_IF = `fat${RAND}h`;
const NS_IF = `fat${RAND}n`;
const NET = 10 + Math.floor(Math.random() * 240);
const HOST_IP = `10.203.${NET}.1`;
const NS_IP = `10.203.${NET}.2`;
const TCP_PORT = 8470;
const UDP_PORT = 5470;

let dir = '';
let traffic = '';
let server: ChildProcess | null = null;

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** The server (in the namespace) and client (on the host) of the test traffic. */
const TRAFFIC = String.raw`
import net from 'node:net';
import dgram from 'node:dgram';
const [mode, host, tcpPort, udpPort, nTcp = '0', nUdp = '0', udpFlows = '1', udpTarget = ''] = process.argv.slice(2);
if (mode === 'server') {
  let ready = 0;
  const up = () => { if (++ready === 2) console.log('ready'); };
  net.createServer((s) => {
    let got = '';
    s.on('data', (d) => { got += d; if (got.includes('\n')) s.end('r'.repeat(3000)); });
    s.on('error', () => {});
  }).listen(Number(tcpPort), host, up);
  const u = dgram.createSocket('udp4');
  u.on('message', (m, r) => u.send(m, r.port, r.address));
  u.bind(Number(udpPort), host, up);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
} else {
  const out = { tcp: [], udp: [] };
  for (let i = 0; i < Number(nTcp); i++) {
    await new Promise((resolve, reject) => {
      const s = net.connect(Number(tcpPort), host, () => { out.tcp.push(s.localPort); s.write('hello ' + i + '\n'); });
      s.on('data', () => {});
      s.on('close', resolve);
      s.on('error', reject);
    });
  }
  for (let f = 0; f < Number(udpFlows); f++) {
    const u = dgram.createSocket('udp4');
    await new Promise((r) => u.bind(0, r));
    out.udp.push(u.address().port);
    for (let i = 0; i < Number(nUdp); i++) {
      const echoed = new Promise((r) => { const t = setTimeout(r, 1000); u.once('message', () => { clearTimeout(t); r(); }); });
      await new Promise((r) => u.send('datagram ' + f + '.' + i, Number(udpTarget || udpPort), host, r));
      if (!udpTarget) await echoed;
    }
    u.close();
  }
  console.log(JSON.stringify(out));
}
`;

beforeAll(() => {
  if (SKIP) return;
  dir = mkdtempSync(join(tmpdir(), 'flowaudit-live-'));
  chmodSync(dir, 0o777); // the capture drops root to nobody and writes here
  traffic = join(dir, 'traffic.mjs');
  writeFileSync(traffic, TRAFFIC);
  sh(IP!, ['netns', 'add', NS]);
  sh(IP!, ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF, 'netns', NS]);
  // No IPv6 on the pair: no router solicitations or MLD reports in the counts.
  for (const [ns, dev] of [[null, HOST_IF], [NS, NS_IF]] as const) {
    const pre = ns ? ['netns', 'exec', ns] : [];
    const sysctl = `/proc/sys/net/ipv6/conf/${dev}/disable_ipv6`;
    if (ns) sh(IP!, [...pre, 'sh', '-c', `[ -e ${sysctl} ] && echo 1 > ${sysctl} || true`]);
    else if (existsSync(sysctl)) writeFileSync(sysctl, '1');
  }
  sh(IP!, ['addr', 'add', `${HOST_IP}/24`, 'dev', HOST_IF]);
  sh(IP!, ['link', 'set', HOST_IF, 'up']);
  sh(IP!, ['-n', NS, 'addr', 'add', `${NS_IP}/24`, 'dev', NS_IF]);
  sh(IP!, ['-n', NS, 'link', 'set', NS_IF, 'up']);
  sh(IP!, ['-n', NS, 'link', 'set', 'lo', 'up']);
  return new Promise<void>((resolve, reject) => {
    server = spawn(IP!, ['netns', 'exec', NS, process.execPath, traffic, 'server', NS_IP, String(TCP_PORT), String(UDP_PORT)], { stdio: ['pipe', 'pipe', 'inherit'] });
    server.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
    server.on('exit', (c) => reject(new Error(`test server exited (${c})`)));
  });
});

afterAll(() => {
  if (SKIP) return;
  server?.removeAllListeners('exit');
  server?.stdin?.end();
  server?.kill('SIGKILL');
  spawnSync(IP!, ['link', 'del', HOST_IF]);
  spawnSync(IP!, ['netns', 'del', NS]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Client { tcp: number[]; udp: number[] }
function client(nTcp: number, nUdp: number, udpFlows = 1, udpTarget?: number): Client {
  const args = [traffic, 'client', NS_IP, String(TCP_PORT), String(UDP_PORT), String(nTcp), String(nUdp), String(udpFlows)];
  if (udpTarget) args.push(String(udpTarget));
  return JSON.parse(sh(process.execPath, args).trim()) as Client;
}

interface Running {
  proc: ChildProcess;
  stderr: () => string;
  ready: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `flowaudit capture` (or another command) and resolves `ready` on "capturing on". */
function flowaudit(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Running {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', ...opts.env };
  delete env.SUDO_USER; // the default --user is then nobody
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env, uid: opts.uid, gid: opts.gid });
  let err = '';
  proc.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    proc.on('close', (code, signal) => resolve({ code, signal, stderr: err }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/capturing on/.test(err)) resolve();
    });
    void exit.then(() => reject(new Error(`flowaudit exited before capturing: ${err}`)));
  });
  ready.catch(() => {});
  return { proc, stderr: () => err, ready, exit };
}

/** A reference tcpdump on the namespace end of the pair. */
async function reference(file: string): Promise<{ stop: () => Promise<void> }> {
  const p = spawn(IP!, ['netns', 'exec', NS, TCPDUMP!, '-i', NS_IF, '-w', file, '-U', '-n', 'ip'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let e = '';
    p.stderr!.on('data', (d: Buffer) => { e += d; if (e.includes('listening on')) resolve(); });
    p.on('exit', () => reject(new Error(`reference tcpdump: ${e}`)));
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      p.removeAllListeners('exit');
      p.on('exit', () => resolve());
      p.kill('SIGINT');
    }),
  };
}

/** Packets per direction "proto src:sport>dst:dport", counted from a classic pcap (Ethernet, IPv4). */
function countPackets(file: string): Map<string, number> {
  const b = readFileSync(file);
  const out = new Map<string, number>();
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  let p = 24;
  while (p + 16 <= b.length) {
    const caplen = b.readUInt32LE(p + 8);
    const f = b.subarray(p + 16, p + 16 + caplen);
    p += 16 + caplen;
    if (f.readUInt16BE(12) !== 0x0800) continue;
    const ip = f.subarray(14);
    const ihl = (ip[0]! & 0x0f) * 4;
    const proto = ip[9]!;
    const src = [...ip.subarray(12, 16)].join('.');
    const dst = [...ip.subarray(16, 20)].join('.');
    const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : String(proto);
    const ports = proto === 6 || proto === 17 ? [ip.readUInt16BE(ihl), ip.readUInt16BE(ihl + 2)] : [0, 0];
    const k = `${name} ${src}:${ports[0]}>${dst}:${ports[1]}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

interface FlowJson {
  proto: string; src: string; sport: number; dst: string; dport: number;
  origPackets: number; respPackets: number; state: string; history: string; rule: string | null;
  capture: string; endReason: string;
}

function flows(db: string): FlowJson[] {
  const r = spawnSync(process.execPath, [BIN, 'flows', '--db', db, '--format', 'json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as FlowJson[];
}

function captureRow(db: string): Record<string, unknown> {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT * FROM captures ORDER BY id DESC LIMIT 1').get() as Record<string, unknown>;
  } finally {
    d.close();
  }
}

/** Every client flow is stored, with the reference's packet counts in both directions. */
function expectFlowsMatch(stored: FlowJson[], c: Client, ref: Map<string, number>, udpPackets: number): void {
  for (const port of c.tcp) {
    const f = stored.find((x) => x.proto === 'tcp' && x.sport === port);
    expect(f, `tcp flow from port ${port}`).toBeDefined();
    expect(f).toMatchObject({ src: HOST_IP, dst: NS_IP, dport: TCP_PORT, state: 'SF' });
    expect(f!.history).toMatch(/^ShA/);
    expect(f!.origPackets).toBe(ref.get(`tcp ${HOST_IP}:${port}>${NS_IP}:${TCP_PORT}`));
    expect(f!.respPackets).toBe(ref.get(`tcp ${NS_IP}:${TCP_PORT}>${HOST_IP}:${port}`));
  }
  for (const port of c.udp) {
    const f = stored.find((x) => x.proto === 'udp' && x.sport === port);
    expect(f, `udp flow from port ${port}`).toBeDefined();
    expect(f).toMatchObject({ src: HOST_IP, dst: NS_IP, dport: UDP_PORT, state: 'SF', origPackets: udpPackets, respPackets: udpPackets });
    expect(ref.get(`udp ${HOST_IP}:${port}>${NS_IP}:${UDP_PORT}`)).toBe(udpPackets);
  }
}

function integrityOk(db: string): void {
  const d = new Database(db);
  try {
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    d.close();
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 15 s) until `want` UDP flows to the test port are committed; returns how many are. */
async function udpFlowsStored(db: string, want: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  let seen = 0;
  while (Date.now() < deadline) {
    await sleep(250);
    const d = new Database(db, { readonly: true });
    try {
      seen = (d.prepare('SELECT count(*) AS n FROM flows WHERE proto = 17 AND dport = ?').get(UDP_PORT) as { n: number }).n;
    } finally {
      d.close();
    }
    if (seen >= want) break;
  }
  return seen;
}

describe.skipIf(SKIP !== null)('live capture on a veth pair', () => {
  it('lists the interface with its address, flags and link type', () => {
    const r = spawnSync(process.execPath, [BIN, 'interfaces', '--format', 'json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { tcpdump: string; interfaces: { name: string; addresses: string[]; up: boolean; loopback: boolean; linkType: string }[] };
    expect(list.tcpdump).toBeTruthy();
    expect(list.interfaces.find((i) => i.name === HOST_IF)).toMatchObject({ addresses: [`${HOST_IP}/24`], up: true, loopback: false, linkType: 'EN10MB' });
    expect(list.interfaces.find((i) => i.name === 'lo')).toMatchObject({ loopback: true, linkType: 'EN10MB' });
    const text = spawnSync(process.execPath, [BIN, 'interfaces'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout;
    expect(text).toMatch(new RegExp(`^${HOST_IF}\\s+EN10MB\\s+up`, 'm'));
  });

  it('captures TCP and UDP for --duration, stores the flows with exact counts, drops root, keeps the raw packets', async () => {
    const db = join(dir, 'duration.db');
    const pcapng = join(dir, 'duration.pcapng');
    const refFile = join(dir, 'ref1.pcap');
    const ref = await reference(refFile);
    const cap = flowaudit(['capture', '-i', HOST_IF, '--db', db, '--duration', '4s', '--filter', 'ip', '--write', pcapng]);
    await cap.ready;
    expect(cap.stderr()).toMatch(new RegExp(`capturing on ${HOST_IF} \\(link type EN10MB.*as user nobody`));
    const c = client(3, 5, 1);
    const r = await cap.exit;
    await ref.stop();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/stopped: duration/);
    const refCounts = countPackets(refFile);
    const stored = flows(db);
    expectFlowsMatch(stored, c, refCounts, 5);
    expect(stored.every((f) => f.capture === `live:${HOST_IF}`)).toBe(true);

    const row = captureRow(db);
    expect(row).toMatchObject({ source: `live:${HOST_IF}`, format: 'live', status: 'complete', drops: 0, if_drops: 0 });
    const total = [...refCounts.values()].reduce((a, b) => a + b, 0);
    expect(row.packets).toBe(total);
    expect(JSON.parse(row.link_types as string)).toEqual([1]);
    // Kernel timestamps: the flows lie inside the capture's first/last packet times.
    for (const f of stored) expect((f as unknown as { start: number }).start).toBeGreaterThanOrEqual(row.first_ts as number);
    // Root was dropped before the database and the raw file were created.
    expect(statSync(db).uid).toBe(65534);
    expect(statSync(pcapng).uid).toBe(65534);

    // The kept packets give the same flows when read back offline.
    const db2 = join(dir, 'reread.db');
    const rr = spawnSync(process.execPath, [BIN, 'read', pcapng, '--db', db2, '--quiet'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(rr.status, rr.stderr).toBe(0);
    const again = flows(db2);
    const key = (f: FlowJson) => `${f.proto} ${f.src}:${f.sport}>${f.dst}:${f.dport} ${f.origPackets}/${f.respPackets} ${f.state}`;
    expect(again.map(key).sort()).toEqual(stored.map(key).sort());
  });

  it('classifies flows with --site and a custom catalog', async () => {
    const catalog = join(dir, 'live-test-catalog.yaml');
    writeFileSync(catalog, [
      'catalog: live-test', 'prefix: lt', 'title: Live capture test',
      'roles:', '  client: test client', '  server: test server',
      'rules:',
      '  - id: client-to-server', '    title: Client to server over TCP', '    from: client', '    to: server',
      '    proto: tcp', `    port: ${TCP_PORT}`, '    source: {doc: live-capture.test.ts, ref: "test rule"}', '',
    ].join('\n'));
    const site = join(dir, 'site.yaml');
    writeFileSync(site, [
      `catalogs: [${catalog}]`, 'roles:', `  lt.client: [${HOST_IP}]`, `  lt.server: [${NS_IP}]`, '',
    ].join('\n'));
    const db = join(dir, 'site.db');
    const cap = flowaudit(['capture', '-i', HOST_IF, '--db', db, '--site', site, '--duration', '3s', '--filter', 'ip']);
    await cap.ready;
    const c = client(2, 2, 1);
    const r = await cap.exit;
    expect(r.code, r.stderr).toBe(0);
    const stored = flows(db);
    for (const port of c.tcp) expect(stored.find((f) => f.proto === 'tcp' && f.sport === port)?.rule).toBe('lt.client-to-server');
    for (const port of c.udp) expect(stored.find((f) => f.proto === 'udp' && f.sport === port)?.rule).toBeNull();
  });

  it('SIGINT stops cleanly: every open flow is flushed (end of capture) with the counts sent', async () => {
    const db = join(dir, 'sigint.db');
    const refFile = join(dir, 'ref2.pcap');
    const ref = await reference(refFile);
    const cap = flowaudit(['capture', '-i', HOST_IF, '--db', db, '--filter', 'ip']);
    await cap.ready;
    const c = client(2, 4, 2);
    cap.proc.kill('SIGINT'); // at once: the last packets are still in the kernel's capture block

    const r = await cap.exit;
    await ref.stop();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SIGINT: stopping/);
    const stored = flows(db);
    expectFlowsMatch(stored, c, countPackets(refFile), 4);
    // UDP flows were still open (idle timeout 60 s): they end with the capture.
    for (const port of c.udp) expect(stored.find((f) => f.proto === 'udp' && f.sport === port)?.endReason).toBe('eoc');
    expect(captureRow(db)).toMatchObject({ status: 'complete', drops: 0, if_drops: 0 });
  });

  it('SIGKILL: the database opens and holds the flows of the batches already written', async () => {
    const db = join(dir, 'sigkill.db');
    const cap = flowaudit(['capture', '-i', HOST_IF, '--db', db, '--filter', 'ip', '--flush-every', '1s', '--udp-timeout', '1']);
    await cap.ready;
    const c = client(0, 3, 3);
    // On a quiet link the flows still expire (capture clock) and are written within seconds.
    expect(await udpFlowsStored(db, 3)).toBe(3);
    client(0, 2, 1); // a flow still open when the process dies: lost, as documented
    const kids = childPids(cap.proc.pid!);
    cap.proc.kill('SIGKILL');
    for (const k of kids) try { process.kill(k, 'SIGKILL'); } catch { /* gone */ }
    await cap.exit;
    integrityOk(db);
    const stored = flows(db);
    for (const port of c.udp) {
      expect(stored.find((f) => f.proto === 'udp' && f.sport === port)).toMatchObject({ origPackets: 3, respPackets: 3, state: 'SF', endReason: 'idle' });
    }
    expect(captureRow(db).status).toBe('partial');
    // The running counters were written with the flow batches: at least the 18 packets of the
    // three finished flows, and a drop count (zero here) rather than 'unknown'.
    expect(captureRow(db).packets).toBeGreaterThanOrEqual(18);
    expect(captureRow(db).drops).toBe(0);
  });

  it('a second SIGINT quits at once without corrupting the database', async () => {
    const db = join(dir, 'twice.db');
    const cap = flowaudit(['capture', '-i', HOST_IF, '--db', db, '--filter', 'ip', '--flush-every', '1s', '--udp-timeout', '1']);
    await cap.ready;
    client(1, 2, 2);
    expect(await udpFlowsStored(db, 2)).toBe(2); // some flows committed
    // A wedged engine is when one presses Ctrl-C twice: stop tcpdump so the clean stop cannot finish.
    const kids = childPids(cap.proc.pid!);
    for (const k of kids) process.kill(k, 'SIGSTOP');
    cap.proc.kill('SIGINT');
    const t0 = Date.now();
    while (!/stopping/.test(cap.stderr()) && Date.now() - t0 < 5000) await sleep(20);
    cap.proc.kill('SIGINT');
    const r = await cap.exit;
    for (const k of kids) try { process.kill(k, 'SIGKILL'); } catch { /* gone */ }
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/quit without flushing/);
    integrityOk(db);
    expect(captureRow(db).status).toBe('partial');
    expect(flows(db).filter((f) => f.proto === 'udp').length).toBe(2);
  });

  it('--packets N stops after N packets', async () => {
    const db = join(dir, 'count.db');
    const cap = flowaudit(['capture', '-i', HOST_IF, '--db', db, '--filter', `udp and dst port ${UDP_PORT + 1}`, '--packets', '4', '--duration', '20s']);
    await cap.ready;
    client(0, 6, 1, UDP_PORT + 1); // nobody listens there: 6 datagrams, no replies
    const r = await cap.exit;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/stopped: duration/);
    expect(captureRow(db)).toMatchObject({ packets: 4, status: 'complete', drops: 0 });
    expect(flows(db)).toMatchObject([{ proto: 'udp', origPackets: 4, respPackets: 0 }]);
  });

  it('says plainly what is wrong: unknown interface, bad filter, no permission, no tcpdump', async () => {
    const db = join(dir, 'err.db');
    const cases: [string[], RegExp, { env?: NodeJS.ProcessEnv; uid?: number; gid?: number }][] = [
      [['-i', 'fa-no-such-if'], /^flowaudit: unknown interface 'fa-no-such-if'/, {}],
      [['-i', HOST_IF, '--filter', 'tcp portx 80'], /^flowaudit: --filter 'tcp portx 80' is not a valid capture filter: tcpdump: /, {}],
      [['-i', HOST_IF, '--filter', 'port(('], /^flowaudit: --filter 'port\(\(' is not a valid capture filter: tcpdump: can't parse filter expression: syntax error$/m, {}],
      [['-i', HOST_IF], /^flowaudit: capturing on .* needs root or CAP_NET_RAW/, { uid: 65534, gid: 65534 }],
      [['-i', HOST_IF], /^flowaudit: live capture needs tcpdump: install tcpdump \(apt-get install tcpdump\)/, { env: { FLOWAUDIT_TCPDUMP: '/nonexistent/tcpdump' } }],
    ];
    for (const [args, message, opts] of cases) {
      const r = await flowaudit(['capture', ...args, '--db', db, '--duration', '2s'], opts).exit;
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });

  it('--spool: the database is away when the capture starts and back while it runs; the spool drains into it as it captures, and holds nothing at the end', async (ctx) => {
    if (!postgresBinDir()) return ctx.skip('PostgreSQL is not installed (apt-get install postgresql)');
    const cluster = startCluster();
    try {
      cluster.halt();
      const spool = join(dir, 'spool.db');
      const cap = flowaudit(['capture', '-i', HOST_IF, '--db', cluster.url, '--spool', spool, '--filter', 'ip', '--flush-every', '1s',
        '--udp-timeout', '1', '--forward-every', '1s', '--sensor', 'veth-sensor']);
      await cap.ready;
      const before = client(0, 2, 3);
      const t0 = Date.now();
      while (!/flows wait in the spool/.test(cap.stderr()) && Date.now() - t0 < 15_000) await sleep(100);
      expect(cap.stderr()).toMatch(/warning: .*cannot connect: connection refused; flows wait in the spool/);
      cluster.restart();
      const after = client(0, 2, 3);
      // Forwarded while the capture runs: all six flows reach the database before it stops.
      const udpInDb = async () => Number((await pgRows(cluster.url, `SELECT count(*)::int AS n FROM flow_data WHERE proto = 17 AND dport = $1`, [UDP_PORT]).catch(() => [{ n: 0 }]))[0]!.n);
      const t1 = Date.now();
      while ((await udpInDb()) < 6 && Date.now() - t1 < 20_000) await sleep(250);
      expect(await udpInDb()).toBe(6);
      cap.proc.kill('SIGINT');
      const r = await cap.exit;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/spool drained/);
      const rows = await pgRows(cluster.url, `SELECT f.sport, f.orig_packets::int AS o, f.resp_packets::int AS r, c.status, c.sensor
        FROM flow_data f JOIN captures c ON c.id = f.capture_id WHERE f.proto = 17 AND f.dport = $1 ORDER BY f.sport`, [UDP_PORT]);
      expect(rows.map((x) => x.sport).sort()).toEqual([...before.udp, ...after.udp].sort());
      for (const x of rows) expect(x).toMatchObject({ o: 2, r: 2, status: 'complete', sensor: 'veth-sensor' });
      expect(new Database(spool, { readonly: true }).prepare('SELECT count(*) AS n FROM flow_data').get()).toEqual({ n: 0 });
    } finally {
      cluster.stop();
    }
  });

  it('--db postgresql://: the capture writes into PostgreSQL directly, through its writer thread: every client flow, complete, with its packets', async (ctx) => {
    if (!postgresBinDir()) return ctx.skip('PostgreSQL is not installed (apt-get install postgresql)');
    const cluster = startCluster();
    try {
      const cap = flowaudit(['capture', '-i', HOST_IF, '--db', cluster.url, '--filter', 'ip', '--duration', '4s', '--sensor', 'direct-sensor']);
      await cap.ready;
      const c = client(2, 3, 2);
      const r = await cap.exit;
      expect(r.code, r.stderr).toBe(0);
      const caps = await pgRows(cluster.url, `SELECT status, sensor, source FROM captures`);
      expect(caps).toEqual([{ status: 'complete', sensor: 'direct-sensor', source: `live:${HOST_IF}` }]);
      const rows = await pgRows(cluster.url, `SELECT proto, sport, orig_packets::int AS o, resp_packets::int AS r, state FROM flow_data
        WHERE dport IN ($1, $2) ORDER BY proto, sport`, [TCP_PORT, UDP_PORT]);
      expect(rows.filter((x) => x.proto === 6).map((x) => x.sport)).toEqual([...c.tcp].sort((a, b) => a - b));
      expect(rows.filter((x) => x.proto === 17).map((x) => x.sport)).toEqual([...c.udp].sort((a, b) => a - b));
      for (const x of rows) expect(x.state).toBe('SF');
      for (const x of rows.filter((y) => y.proto === 17)) expect(x).toMatchObject({ o: 3, r: 3 });
    } finally {
      cluster.stop();
    }
  });
});
