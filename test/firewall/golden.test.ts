/**
 * `firewall export` per format, byte for byte against golden files, on the bundled example
 * (without and with a database of estate.pcap audited) and on every product fixture's site
 * file (without, and with its clean.pcap audited). Every nftables export must pass
 * `nft -c -f`, every iptables export `iptables-restore --test` (in a network namespace of its
 * own, so the host's rules are never touched).
 *
 * The golden files were generated once, read by eye, and are compared byte for byte. After a
 * deliberate change of the output, regenerate them with
 *     UPDATE_GOLDEN=1 npx vitest run test/firewall/golden.test.ts
 * and read the diff (`git diff test/firewall/golden`) before committing it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREWALL_FORMATS } from '../../src/firewall/index.js';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { auditInto, exportOf } from '../helpers/firewall-export.js';

const GOLDEN = join(PROJECT_ROOT, 'test/firewall/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const EXT: Record<string, string> = { nftables: 'nft', iptables: 'iptables', windows: 'ps1', cisco: 'cisco', csv: 'csv' };

interface Case { name: string; site: string; capture?: string }
const PRODUCTS = readdirSync(join(PROJECT_ROOT, 'fixtures/products')).sort();
const CASES: Case[] = [
  { name: 'example', site: 'fixtures/example/site.yaml' },
  { name: 'example-db', site: 'fixtures/example/site.yaml', capture: 'fixtures/example/estate.pcap' },
  ...PRODUCTS.flatMap((p): Case[] => [
    { name: p, site: `fixtures/products/${p}/site.yaml` },
    { name: `${p}-db`, site: `fixtures/products/${p}/site.yaml`, capture: `fixtures/products/${p}/clean.pcap` },
  ]),
];

const tmp = new TempDir('fa-firewall-golden-');
const dbs = new Map<string, string>();
const exports = new Map<string, string>();
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  process.chdir(PROJECT_ROOT);
  for (const c of CASES) {
    let db: string | undefined;
    if (c.capture) {
      db = tmp.name(`${c.name}.db`);
      await auditInto(db, c.site, c.capture);
      dbs.set(c.name, db);
    }
    for (const f of FIREWALL_FORMATS) exports.set(`${c.name}.${f}`, await exportOf(c.site, f, { db }));
  }
});

describe('firewall export golden files', () => {
  it('covers the example and every product fixture', () => {
    expect(PRODUCTS).toEqual(['1e-platform', 'altiris-ds-5.5', 'dell-wdm', 'sccm-2007', 'system-inmation']);
  });
  for (const c of CASES) {
    for (const f of FIREWALL_FORMATS) {
      it(`${c.name} as ${f}`, () => {
        const text = exports.get(`${c.name}.${f}`)!;
        const file = join(GOLDEN, `${c.name}.${EXT[f]}`);
        if (UPDATE) writeFileSync(file, text);
        expect(existsSync(file), `${file} missing: regenerate with UPDATE_GOLDEN=1`).toBe(true);
        expect(text).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
  it('an export is the same when made again from the same database', async () => {
    expect(await exportOf('fixtures/example/site.yaml', 'nftables', { db: dbs.get('example-db') })).toBe(exports.get('example-db.nftables'));
  });
});

const NFT = spawnSync('nft', ['--version']).status === 0;
if (!NFT) console.warn('nft not found: nftables syntax checks skipped (apt-get install -y nftables)');

describe.skipIf(!NFT)('nft -c -f accepts every nftables export', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const file = tmp.file(`${c.name}.nft`, exports.get(`${c.name}.nftables`)!);
      const r = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

const IPTABLES = spawnSync('iptables-restore', ['--version']).status === 0 && spawnSync('ip', ['-V']).status === 0
  && process.getuid?.() === 0;
if (!IPTABLES) console.warn('iptables-restore, ip or root missing: iptables syntax checks skipped');

describe.skipIf(!IPTABLES)('iptables-restore --test accepts every iptables export (in a namespace of its own)', () => {
  const ns = `fa-test-ipt-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(() => { expect(spawnSync('ip', ['netns', 'add', ns]).status).toBe(0); });
  afterAll(() => { spawnSync('ip', ['netns', 'del', ns]); });
  for (const c of CASES) {
    it(c.name, () => {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'iptables-restore', '--test'], { input: exports.get(`${c.name}.iptables`)!, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
