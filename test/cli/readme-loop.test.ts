/**
 * The README's review loop (site suggest → edit → audit → approve → audit → diff) on the bundled
 * example, run as the README writes it: the block between the review-loop markers, line by line,
 * in a scratch folder beside a link to fixtures/ (the commands name ../fixtures), with
 * `npx flowaudit` as the built launcher.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');

/** The shell lines of the README's review-loop block. */
function loopCommands(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /<!-- review-loop -->\n```sh\n([\s\S]*?)```\n<!-- \/review-loop -->/.exec(readme);
  if (!block) throw new Error('README.md has no review-loop block');
  return block[1]!.split('\n').filter((l) => l.trim() !== '');
}

describe('the README review loop', () => {
  const root = mkdtempSync(join(tmpdir(), 'fa-readme-loop-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs as written: the draft loads, the approval resolves U3, the diff says so', () => {
    symlinkSync(join(PROJECT_ROOT, 'fixtures'), join(root, 'fixtures'));
    const lines = loopCommands();
    expect(lines[0]).toBe('mkdir -p review && cd review');
    expect(lines.slice(1).every((l) => l.startsWith('npx flowaudit ') || l.startsWith('cp '))).toBe(true);
    const review = join(root, 'review');
    mkdirSync(review);
    const outputs: string[] = [];
    for (const line of lines.slice(1)) {
      const script = line.replace(/^npx flowaudit /, `'${BIN}' `);
      outputs.push(execFileSync('bash', ['-c', script], { cwd: review, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    }
    // 1. a draft that says it is one; 2-3. the verdict before
    expect(readFileSync(join(review, 'draft.yaml'), 'utf8')).toMatch(/^# DRAFT site file/);
    const before = JSON.parse(readFileSync(join(review, 'before.json'), 'utf8'));
    const u3 = before.groups.unexpected.find((g: { id: string }) => g.id === 'U3');
    expect(u3).toMatchObject({ kind: 'role-mismatch', service: 'tcp/1433 (mssql)', count: 1 });
    // 4. the approval went into the site file, a backup beside it
    expect(existsSync(join(review, 'site.yaml.bak'))).toBe(true);
    expect(readFileSync(join(review, 'site.yaml'), 'utf8')).toMatch(/allow:[\s\S]*reason: reporting desktop reads the site database[\s\S]*by: ann/);
    // 5. the flow is expected now, with its approval as evidence
    const after = JSON.parse(readFileSync(join(review, 'after.json'), 'utf8'));
    expect(after.summary.counts.unexpected).toBe(before.summary.counts.unexpected - 1);
    expect(after.approvals).toHaveLength(1);
    expect(after.approvals[0]).toMatchObject({ by: 'ann', flows: 1 });
    // 6. the diff: one finding resolved, nothing new
    const diff = outputs[outputs.length - 1]!;
    expect(diff).toMatch(/^Changes: 0 new, 1 resolved, \d+ persisting findings/m);
    expect(diff).toMatch(/Resolved findings \(1\)[\s\S]*role-mismatch\s+1 → 0\s+tcp\/1433 \(mssql\)/);
  }, 120_000);
});
