/**
 * test/firewall/rulesets/sccm-forward.json is what the real nft prints: this test loads
 * sccm-forward.nft into a network namespace of its own with nft (test/firewall/generate-nft-json.sh),
 * lists it with `nft -j list ruleset`, and holds the stored JSON to it — byte for byte in content
 * when the nft version is the one that wrote it, and as the parsed ruleset model always. Needs
 * root, `ip` (iproute2) and `nft` (nftables); skipped with a message otherwise.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { parseRuleset } from '../../src/firewall/load.js';

const DIR = join(PROJECT_ROOT, 'test/firewall');

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['nft', 'ip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install nftables iproute2)`;
  }
  return null;
}
const why = missing();
if (why) console.warn(`nft live test skipped: ${why}`);

const model = (text: string, file: string) => JSON.stringify(parseRuleset(text, file).chains, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  .replaceAll(file, 'FILE');

describe.skipIf(why !== null)('sccm-forward.json is the real nft -j list ruleset of sccm-forward.nft', () => {
  it('regenerated in a fresh network namespace, it parses to the same ruleset', () => {
    const r = spawnSync(join(DIR, 'generate-nft-json.sh'), [join(DIR, 'rulesets/sccm-forward.nft')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const stored = readFileSync(join(DIR, 'rulesets/sccm-forward.json'), 'utf8');
    const live = JSON.parse(r.stdout);
    const kept = JSON.parse(stored);
    if (live.nftables[0].metainfo?.version === kept.nftables[0].metainfo?.version) expect(live).toEqual(kept);
    expect(model(r.stdout, 'live.json')).toBe(model(stored, 'stored.json'));
    expect(parseRuleset(r.stdout, 'live.json').chains.flatMap((c) => c.rules).length).toBe(15);
  });
});
