/**
 * The layout of src/ shows the data flow: each stage imports only itself and the stages before
 * it, and no modules form a cycle (rules in .dependency-cruiser.cjs, checked by
 * dependency-cruiser over the TypeScript sources).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';

const require = createRequire(import.meta.url);
const config = require(join(PROJECT_ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** The rule violations in the `src/` folder of `root` (which holds a tsconfig.json). */
async function violationsIn(root: string): Promise<string[]> {
  const out = await cruise(['src'], {
    ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir: root, outputType: 'json',
  } as never);
  const result = (typeof out.output === 'string' ? JSON.parse(out.output) : out.output) as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('layout of src/', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'flowaudit-layers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('no module imports a later stage, and no modules form a cycle', async () => {
    expect(await violationsIn(PROJECT_ROOT)).toEqual([]);
  });

  it('every module is in a stage folder the rules know', () => {
    const stages = /const STAGES = \[([^\]]+)\]/.exec(readFileSync(join(PROJECT_ROOT, '.dependency-cruiser.cjs'), 'utf8'))![1]!
      .split(',').map((s) => s.trim().replace(/'/g, ''));
    const folders = readdirSync(join(PROJECT_ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual([...stages].sort());
  });

  it('the rules catch an upward import, a cycle, a folder outside the stages, a classifier built or a SQLite store named elsewhere', async () => {
    const file = (path: string, text: string) => {
      mkdirSync(join(scratch, path, '..'), { recursive: true });
      writeFileSync(join(scratch, path), text);
    };
    copyFileSync(join(PROJECT_ROOT, 'tsconfig.json'), join(scratch, 'tsconfig.json'));
    file('src/store/writer.ts', "import { run } from '../pipeline/run.js';\nexport const w = run;\n");
    file('src/pipeline/run.ts', 'export const run = 1;\n');
    file('src/cli/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
    file('src/cli/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    file('src/store/sqlite-store.ts', 'export class SqliteStore {}\n');
    file('src/classify/classifier.ts', 'export const createClassifier = () => null;\n');
    file('src/report/r.ts', "import { createClassifier } from '../classify/classifier.js';\nexport const r = createClassifier;\n");
    file('src/pipeline/p.ts', "import { SqliteStore } from '../store/sqlite-store.js';\nimport { createClassifier } from '../classify/classifier.js';\nexport const p = [SqliteStore, createClassifier];\n");
    file('src/misc/x.ts', "import { run } from '../pipeline/run.js';\nexport const x = run;\n");
    const found = await violationsIn(scratch);
    expect(found).toContain('store-imports-later-stage: src/store/writer.ts -> src/pipeline/run.ts');
    expect(found.some((v) => v.startsWith('no-circular: src/cli/a.ts'))).toBe(true);
    expect(found).toContain('unknown-stage: src/misc/x.ts -> src/pipeline/run.ts');
    expect(found).toContain('classifier-built-by-pipeline: src/report/r.ts -> src/classify/classifier.ts');
    expect(found).toContain('store-behind-interface: src/pipeline/p.ts -> src/store/sqlite-store.ts');
    expect(found).not.toContain('classifier-built-by-pipeline: src/pipeline/p.ts -> src/classify/classifier.ts');
  });
});
