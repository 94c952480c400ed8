/**
 * Build-time parses of the shipped catalogs: lossless, used only while the YAML and the parser
 * are unchanged.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogFilesIn, compileCatalogs, loadCompiledCatalog } from '../../src/catalog/compiled-catalogs.js';
import { parseCatalogFile } from '../../src/catalog/catalog-file.js';
import { rulesDir } from '../../src/catalog/rules-loader.js';
import { TempDir } from '../helpers/capture-files.js';

const tmp = new TempDir();
const mkdirp = (d: string) => (mkdirSync(d, { recursive: true }), d);
/** Changes a compiled catalog file in place. */
function editCompiled(path: string, change: (json: { parsed: { title: string }; parserSha256: string }) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  change(json);
  writeFileSync(path, JSON.stringify(json));
}
afterAll(() => tmp.cleanup());

describe('compiled catalogs', () => {
  const files = catalogFilesIn(rulesDir());

  it('every shipped catalog reads back from its compiled form exactly as parsed from the YAML', () => {
    const dir = tmp.name('compiled');
    expect(compileCatalogs(files, dir)).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const compiled = loadCompiledCatalog(f, dir);
      expect(compiled).not.toBeNull();
      expect(compiled).toStrictEqual(parseCatalogFile(f));
    }
  });

  it('is used while the YAML is unchanged, and ignored once it is edited', () => {
    const dir = tmp.name('compiled-edit');
    const src = files.find((f) => f.endsWith('dell-wdm.yaml'))!;
    const yaml = join(mkdirp(tmp.name('rules')), 'x.yaml');
    copyFileSync(src, yaml);
    compileCatalogs([yaml], dir);
    // Mark the compiled copy so that using it shows.
    editCompiled(join(dir, 'x.json'), (json) => { json.parsed.title = 'from the compiled copy'; });
    expect(loadCompiledCatalog(yaml, dir)?.title).toBe('from the compiled copy');
    writeFileSync(yaml, readFileSync(src, 'utf8') + '\n# edited\n');
    expect(loadCompiledCatalog(yaml, dir)).toBeNull();
  });

  it('names the catalog file where it is now, not where it was built', () => {
    const dir = tmp.name('compiled-moved');
    const src = files.find((f) => f.endsWith('sccm-2007.yaml'))!;
    const built = join(mkdirp(tmp.name('built-here')), 'sccm-2007.yaml');
    copyFileSync(src, built);
    compileCatalogs([built], dir);
    const moved = join(mkdirp(tmp.name('moved-there')), 'sccm-2007.yaml');
    copyFileSync(src, moved);
    const compiled = loadCompiledCatalog(moved, dir)!;
    expect(compiled).toStrictEqual(parseCatalogFile(moved));
    expect(JSON.stringify(compiled)).not.toContain('built-here');
  });

  it('a compiled copy from another parser version is ignored', () => {
    const dir = tmp.name('compiled-parser');
    const f = files[0]!;
    compileCatalogs([f], dir);
    editCompiled(join(dir, f.split('/').pop()!.replace(/\.yaml$/, '.json')), (json) => { json.parserSha256 = '0'.repeat(64); });
    expect(loadCompiledCatalog(f, dir)).toBeNull();
  });

  it('a catalog with problems is not compiled (its errors keep their lines)', () => {
    const dir = tmp.name('compiled-bad');
    const bad = join(mkdirp(tmp.name('rules-bad')), 'bad.yaml');
    writeFileSync(bad, 'catalog: bad\nprefix: bad\ntitle: Bad\nroles: {}\nrules:\n  - id: x\n    proto: tcp\n    port: 99999\n');
    expect(compileCatalogs([bad], dir)).toEqual([]);
    expect(loadCompiledCatalog(bad, dir)).toBeNull();
  });
});
