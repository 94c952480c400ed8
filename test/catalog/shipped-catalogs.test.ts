/**
 * The shipped catalogs load and pass `rules check`.
 */
import { describe, expect, it } from 'vitest';
import { checkRules, formatProblem } from '../../src/catalog/catalog-file.js';
import { listCatalogIds, loadCatalogs, shippedCatalogFiles } from '../../src/catalog/rules-loader.js';

const EXPECTED_IDS = ['1e-platform', 'altiris-ds-5.5', 'dell-wdm', 'sccm-2007', 'system-inmation', 'windows-infra'];

describe('shipped catalogs', () => {
  it('are all present in rules/', () => {
    expect(listCatalogIds()).toEqual(EXPECTED_IDS);
  });

  it('pass rules check together (no problems at all)', () => {
    const problems = checkRules(shippedCatalogFiles()).map(formatProblem);
    expect(problems).toEqual([]);
  });

  it('load together, every rule citing a source and with ports', () => {
    const cat = loadCatalogs(EXPECTED_IDS);
    expect(cat.ids).toEqual(EXPECTED_IDS);
    expect(cat.rules.length).toBeGreaterThan(150);
    expect(cat.hash).toMatch(/^[0-9a-f]{64}$/);
    const ids = new Set<string>();
    for (const r of cat.rules) {
      expect(r.source.doc, r.id).not.toBe('');
      expect(r.source.ref, r.id).not.toBe('');
      expect(ids.has(r.id), `duplicate ${r.id}`).toBe(false);
      ids.add(r.id);
      for (const f of r.then) ids.add(f.id);
      // Rules whose ports come only from a parameter set to 0 by default are the exception.
      if (r.id !== 'altiris.file-transfer-static') expect(r.ports.length, r.id).toBeGreaterThan(0);
      for (const role of [...r.from, ...r.to]) {
        expect(cat.roles.has(role) || ['internet', 'internal', 'multicast', 'broadcast'].includes(role), `${r.id}: ${role}`).toBe(true);
      }
    }
  });

  it('cite the seed document of their product', () => {
    const cat = loadCatalogs(EXPECTED_IDS);
    const docs: Record<string, string> = {
      '1e-platform': '000_9fe07c569d80f274.txt',
      'sccm-2007': '001_89b7e3ac6d9abfc6.txt',
      'altiris-ds-5.5': '002_65c607c4a64136c4.txt',
      'dell-wdm': '003_8b4c26cd65370902.txt',
      'system-inmation': '004_808c9534d45b15c8.txt',
    };
    for (const r of cat.rules) {
      if (docs[r.product]) expect(r.source.doc, r.id).toBe(docs[r.product]);
    }
  });
});
