/**
 * The nftables export enforced by a real kernel: three network namespaces of this test's own —
 * a connector host, a router, a core host — joined by two veth pairs, the router forwarding
 * between them with the export of a two-host system:inmation site loaded. From inside the
 * namespaces: before the export is loaded the connector reaches both of the core's listeners;
 * once it is loaded the catalog flow (TCP 6510, either side may connect) still gets through,
 * and a port no catalog names (TCP 7000) is dropped (a timeout, not a refusal). Then an Altiris
 * site's export: a TFTP read (UDP 69, answered from a new port) gets its answer through the
 * router only because of the export's tftp conntrack helper (without the helper chain the
 * answer is dropped). No traffic
 * leaves the namespaces; they are deleted in afterAll. Needs root, `ip` and `nft`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { exportOf } from '../helpers/firewall-export.js';

const root = process.getuid?.() === 0;
const haveTools = spawnSync('ip', ['-V']).status === 0 && spawnSync('nft', ['--version']).status === 0;
const why = !root ? 'not root' : !haveTools ? '`ip` or `nft` missing (apt-get install -y iproute2 nftables)' : null;
if (why) console.warn(`network namespace firewall test skipped: ${why}`);

const id = randomBytes(3).toString('hex');
const NS = { connector: `fa-test-${id}-c`, router: `fa-test-${id}-r`, core: `fa-test-${id}-s` };
const CONNECTOR = '10.231.1.2';
const CORE = '10.231.2.2';

const SERVER = `
const net = require('node:net');
const ports = process.argv.slice(1).map(Number);
let up = 0;
for (const p of ports) net.createServer((s) => s.end('ok ' + p)).listen(p, '0.0.0.0', () => { if (++up === ports.length) console.log('listening'); });
`;
const CLIENT = `
const net = require('node:net');
const [host, port] = [process.argv[1], Number(process.argv[2])];
const s = net.connect({ host, port });
const t = setTimeout(() => { console.log('timeout'); process.exit(0); }, 1500);
let data = '';
s.on('data', (d) => { data += d; });
s.on('end', () => { clearTimeout(t); console.log(data); process.exit(0); });
s.on('error', (e) => { clearTimeout(t); console.log('error ' + e.code); process.exit(0); });
`;

/** A TFTP server's first move: read a request on UDP 69, answer DATA block 1 from a new port. */
const TFTP_SERVER = `
const dgram = require('node:dgram');
const s = dgram.createSocket('udp4');
s.on('message', (msg, from) => {
  const data = dgram.createSocket('udp4');
  data.bind(0, () => data.send(Buffer.concat([Buffer.from([0, 3, 0, 1]), Buffer.from('boot file')]), from.port, from.address, () => data.close()));
});
s.bind(69, '0.0.0.0', () => console.log('listening'));
`;
const TFTP_CLIENT = `
const dgram = require('node:dgram');
const s = dgram.createSocket('udp4');
const t = setTimeout(() => { console.log('timeout'); process.exit(0); }, 1500);
s.on('message', (msg, from) => { clearTimeout(t); console.log((from.port !== 69 ? 'new port: ' : 'port 69: ') + msg.subarray(4).toString()); process.exit(0); });
s.send(Buffer.concat([Buffer.from([0, 1]), Buffer.from('pxeboot.0\\0octet\\0')]), 69, process.argv[1]);
`;

function sh(args: string[]): void {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr || r.status}`);
}
const inNs = (ns: string, ...args: string[]) => sh(['ip', 'netns', 'exec', ns, ...args]);

function connect(from: string, host: string, port: number): string {
  return spawnSync('ip', ['netns', 'exec', from, process.execPath, '-e', CLIENT, host, String(port)], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
}

function listen(ns: string, ports: number[], script = SERVER): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script, ...ports.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`listener in ${ns} exited with ${code}`)));
  });
}

const tmp = new TempDir('fa-firewall-netns-');
const children: ChildProcess[] = [];

describe.skipIf(why !== null)('nftables export in network namespaces', () => {
  beforeAll(async () => {
    for (const ns of Object.values(NS)) { sh(['ip', 'netns', 'add', ns]); inNs(ns, 'ip', 'link', 'set', 'lo', 'up'); }
    sh(['ip', '-n', NS.connector, 'link', 'add', 'c0', 'type', 'veth', 'peer', 'name', 'r0', 'netns', NS.router]);
    sh(['ip', '-n', NS.core, 'link', 'add', 's0', 'type', 'veth', 'peer', 'name', 'r1', 'netns', NS.router]);
    const up = (ns: string, dev: string, addr: string) => {
      sh(['ip', '-n', ns, 'addr', 'add', addr, 'dev', dev]);
      sh(['ip', '-n', ns, 'link', 'set', dev, 'up']);
    };
    up(NS.connector, 'c0', `${CONNECTOR}/24`);
    up(NS.router, 'r0', '10.231.1.1/24');
    up(NS.router, 'r1', '10.231.2.1/24');
    up(NS.core, 's0', `${CORE}/24`);
    sh(['ip', '-n', NS.connector, 'route', 'add', 'default', 'via', '10.231.1.1']);
    sh(['ip', '-n', NS.core, 'route', 'add', 'default', 'via', '10.231.2.1']);
    inNs(NS.router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    children.push(await listen(NS.core, [6510, 7000]), await listen(NS.connector, [6510]));
  });

  afterAll(() => {
    for (const c of children) c.kill();
    for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns]);
    tmp.cleanup();
  });

  it('without the export, the router forwards both ports (the control)', () => {
    expect(connect(NS.connector, CORE, 6510)).toBe('ok 6510');
    expect(connect(NS.connector, CORE, 7000)).toBe('ok 7000');
  });

  it('with the export loaded on the router, TCP 6510 passes either way and TCP 7000 is dropped', async () => {
    process.chdir(PROJECT_ROOT);
    const site = tmp.file('site.yaml', [
      'catalogs: [system-inmation]',
      'roles:',
      `  inmation.connector: [${CONNECTOR}]`,
      `  inmation.core: [${CORE}]`,
      '',
    ].join('\n'));
    const text = await exportOf(site, 'nftables');
    expect(text).toContain('tcp dport 6510 accept comment "inmation.connector-core"');
    const file = tmp.file('export.nft', text);
    inNs(NS.router, 'nft', '-f', file);
    const listed = spawnSync('ip', ['netns', 'exec', NS.router, 'nft', 'list', 'chain', 'inet', 'flowaudit', 'forward'], { encoding: 'utf8' }).stdout;
    expect(listed).toContain('policy drop');

    expect(connect(NS.connector, CORE, 6510)).toBe('ok 6510');
    expect(connect(NS.core, CONNECTOR, 6510)).toBe('ok 6510');
    expect(connect(NS.connector, CORE, 7000)).toBe('timeout');
  });

  it('a TFTP answer from a new port passes through the tftp helper of the export, and only through it', async () => {
    children.push(await listen(NS.core, [], TFTP_SERVER));
    const site = tmp.file('altiris.yaml', [
      'catalogs: [altiris-ds-5.5]',
      'roles:',
      `  altiris.client: [${CONNECTOR}]`,
      `  altiris.pxe-server: [${CORE}]`,
      '',
    ].join('\n'));
    const text = await exportOf(site, 'nftables');
    expect(text).toContain('udp dport 69 ct helper set "fa-tftp"');
    inNs(NS.router, 'nft', 'delete', 'table', 'inet', 'flowaudit');
    inNs(NS.router, 'nft', '-f', tmp.file('altiris.nft', text));
    const tftp = () => spawnSync('ip', ['netns', 'exec', NS.connector, process.execPath, '-e', TFTP_CLIENT, CORE], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
    expect(tftp()).toBe('new port: boot file');
    inNs(NS.router, 'nft', 'delete', 'chain', 'inet', 'flowaudit', 'helpers_in');
    inNs(NS.router, 'nft', 'delete', 'chain', 'inet', 'flowaudit', 'helpers_out');
    expect(tftp()).toBe('timeout');
  });
});
