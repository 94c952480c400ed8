/**
 * What reports say about the catalogs without leaking the machine's folders: every rule names
 * its catalog id and its file relative to the catalog root (shipped: rules/ID.yaml; a site's own
 * catalog: relative to the site file), and ports print as ports ("4000"), not as quantities.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogFileLabel, rulesDir } from '../../src/catalog/rules-loader.js';
import { renderReport } from '../../src/report/index.js';
import { TempDir } from '../helpers/capture-files.js';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { runPipeline } from '../helpers/run-pipeline.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

describe('catalog files in reports', () => {
  it('catalogFileLabel: shipped catalogs under rules/, a site\'s own relative to the site file', () => {
    expect(catalogFileLabel(join(rulesDir(), 'sccm-2007.yaml'), '/srv/estate/site.yaml')).toBe('rules/sccm-2007.yaml');
    expect(catalogFileLabel('/srv/estate/catalogs/own.yaml', '/srv/estate/site.yaml')).toBe('catalogs/own.yaml');
    expect(catalogFileLabel('/srv/shared/own.yaml', '/srv/estate/site.yaml')).toBe('../shared/own.yaml');
  });

  it('the example report: rules[].file is rules/ID.yaml in JSON, HTML holds no absolute path, exclusion ports read 4000', async () => {
    const { result } = await runPipeline(join(PROJECT_ROOT, 'fixtures/example/site.yaml'), [join(PROJECT_ROOT, 'fixtures/example/estate.pcap')]);
    expect(result.rules.length).toBeGreaterThan(100);
    for (const r of result.rules) expect(r.file).toBe(`rules/${r.product}.yaml`);
    const json = renderReport(result, 'json');
    const html = renderReport(result, 'html');
    // (The site file and captures were named by absolute paths here: only the rules are checked.)
    expect(JSON.stringify(JSON.parse(json).rules)).not.toContain(PROJECT_ROOT);
    expect(/<section id="rules">[\s\S]*?<\/section>/.exec(html)![0]).not.toContain(PROJECT_ROOT);
    expect(html).toContain('001_89b7e3ac6d9abfc6.txt (Microsoft System Center Configuration Manager 2007) · sccm-2007 · rules/sccm-2007.yaml:');
    expect(result.rules.find((r) => r.id === 'sccm.client-to-mp')!.source.title).toBe('Microsoft System Center Configuration Manager 2007');
    const exclusions = /<section id="wan">[\s\S]*?<\/section>/.exec(html)![0];
    expect(exclusions).toMatch(/<td class="num" data-v="4000">4000<\/td>/);
    expect(exclusions).not.toContain('4,000');
  });

  it("a site's own catalog is named relative to the site file", async () => {
    const dir = join(tmp.path, 'estate');
    mkdirSync(join(dir, 'catalogs'), { recursive: true });
    writeFileSync(join(dir, 'catalogs/own.yaml'),
      'catalog: own\nprefix: own\nroles:\n  app: app server\nrules:\n  - {id: to-app, from: internal, to: app, proto: tcp, port: 9000, source: {doc: runbook, ref: "section 2"}}\n');
    writeFileSync(join(dir, 'site.yaml'), 'catalogs: [catalogs/own.yaml, system-inmation]\nroles:\n  own.app: 10.9.0.1\n');
    const { result } = await runPipeline(join(dir, 'site.yaml'), [join(PROJECT_ROOT, 'fixtures/example/estate.pcap')]);
    expect(new Set(result.rules.map((r) => `${r.product} ${r.file}`))).toEqual(new Set(['own catalogs/own.yaml', 'system-inmation rules/system-inmation.yaml']));
  });
});
