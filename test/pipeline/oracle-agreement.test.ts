/**
 * Acceptance: our TCP/UDP flows agree with tshark's conversation tables on the real corpus
 * (endpoint pairs, frames and frame bytes per direction) for >= 99 % of conversations. Every
 * remaining difference must be listed, with its reason, in test/pipeline/oracle-differences.tsv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_CORPUS, NO_CORPUS_MESSAGE, corpusFile, manifest, oracle, PROJECT_ROOT } from '../helpers/corpus.js';
import { collectFlows } from '../helpers/collect-flows.js';
import { compareWithOracle } from '../helpers/oracle-compare.js';

const KNOWN = join(PROJECT_ROOT, 'test/pipeline/oracle-differences.tsv');

function knownDifferences(): Map<string, string> {
  const m = new Map<string, string>();
  if (!existsSync(KNOWN)) return m;
  for (const line of readFileSync(KNOWN, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [file, conv, reason] = line.split('\t');
    m.set(`${file}\t${conv}`, reason ?? '');
  }
  return m;
}

describe.skipIf(!HAVE_CORPUS)('tshark oracle agreement on the corpus', () => {
  it('matches >= 99 % of conversations and explains every difference', async () => {
    let total = 0;
    let matched = 0;
    const unexplained: string[] = [];
    const known = knownDifferences();
    for (const row of manifest()) {
      const conv = oracle(row.path);
      const r = await collectFlows(corpusFile(row.path));
      const c = compareWithOracle(r.flows, conv);
      total += c.total;
      matched += c.matched;
      for (const m of c.missing) {
        const conversation = m.split(' want ')[0]!;
        if (!known.has(`${row.path}\t${conversation}`)) unexplained.push(`${row.path}\t${m}`);
      }
    }
    const rate = (100 * matched) / total;
    console.log(`oracle agreement: ${matched}/${total} conversations = ${rate.toFixed(2)} % (${total - matched} differences, ${unexplained.length} unexplained)`);
    if (unexplained.length) console.log(unexplained.join('\n'));
    expect(total).toBeGreaterThan(3000);
    expect(rate).toBeGreaterThanOrEqual(99);
    expect(unexplained).toEqual([]);
  }, 300_000);
});

if (!HAVE_CORPUS) console.warn(NO_CORPUS_MESSAGE);
