/**
 * The JSON report is written piece by piece (report/json.ts), and its bytes are exactly those of
 * JSON.stringify over the whole report: pretty and compact, with empty and undefined values, and
 * never a piece larger than one item or one group however many there are.
 */
import { describe, expect, it } from 'vitest';
import { renderJson, writeJson } from '../../src/report/json.js';
import type { AuditResult } from '../../src/audit/types.js';
import { buildRichResult } from '../helpers/report-sample.js';

/** The report object as the JSON contract orders it. */
function contractObject(r: AuditResult): Record<string, unknown> {
  return {
    summary: r.summary, unexpected: [...r.unexpected], missing: r.missing, wanCache: [...r.wanCache], silentHosts: r.silentHosts,
    windowOnly: [...r.windowOnly], informational: r.informational, groups: r.groups, roleTitles: r.roleTitles, matrix: r.matrix,
    timeline: r.timeline, rules: r.rules, unusedRules: r.unusedRules, approvals: r.approvals,
  };
}

describe('the streamed JSON report', () => {
  it('is byte for byte JSON.stringify of the whole report, pretty and compact', () => {
    // 200 ports: lists of several batches of elements (report/json.ts, BATCH) and a partial one.
    for (const scanPorts of [0, 1, 30, 200]) {
      const r = buildRichResult({ scanPorts });
      if (scanPorts === 200) expect(r.unexpected.length % 64).not.toBe(0);
      if (scanPorts === 200) expect(r.unexpected.length).toBeGreaterThan(2 * 64);
      expect(renderJson(r)).toBe(JSON.stringify(contractObject(r), null, 2) + '\n');
      expect(renderJson(r, { pretty: false })).toBe(JSON.stringify(contractObject(r)) + '\n');
    }
  });

  it('writes a list element with no JSON value as null, as JSON.stringify does', () => {
    const r = buildRichResult({ scanPorts: 0 });
    const odd = { ...r, informational: [undefined, () => 1, ...r.informational] } as unknown as AuditResult;
    expect(renderJson(odd)).toBe(JSON.stringify(contractObject(odd), null, 2) + '\n');
    expect(renderJson(odd, { pretty: false })).toBe(JSON.stringify(contractObject(odd)) + '\n');
  });

  it('writes empty lists and objects, and leaves out keys without a value, as JSON.stringify does', () => {
    const r = buildRichResult({ scanPorts: 0 });
    const bare = { ...r, unexpected: [], wanCache: [], windowOnly: [], missing: [], roleTitles: {}, unusedRules: undefined, approvals: undefined };
    const text = renderJson(bare);
    expect(text).toBe(JSON.stringify(contractObject(bare), null, 2) + '\n');
    expect(text).toContain('"unexpected": [],');
    expect(text).toContain('"roleTitles": {},');
    expect(text).not.toContain('unusedRules');
  });

  it('hands the sink pieces that do not grow with the number of findings', () => {
    const largestPiece = (scanPorts: number) => {
      const r = buildRichResult({ scanPorts });
      const pieces: string[] = [];
      writeJson(r, (t) => { pieces.push(t); });
      return { items: r.unexpected.length, total: pieces.reduce((n, p) => n + p.length, 0), largest: Math.max(...pieces.map((p) => p.length)) };
    };
    const small = largestPiece(500);
    const big = largestPiece(5000);
    expect(big.items).toBeGreaterThan(small.items * 5);
    expect(big.total).toBeGreaterThan(small.total * 5);
    // The largest piece is a bounded section (the timeline's at most 240 buckets), not the items.
    expect(big.largest).toBeLessThanOrEqual(small.largest * 1.5);
    expect(big.largest).toBeLessThan(64 * 1024);
  });

  it('writes thousands of groups a batch at a time, never as one string', () => {
    const r = buildRichResult({ scanPorts: 30 });
    const group = r.groups.unexpected[0]!;
    const many = (n: number) => ({ ...r, groups: { ...r.groups, unexpected: Array.from({ length: n }, (_, i) => ({ ...group, id: `U${i + 1}` })) } });
    const largest = (n: number) => {
      const pieces: string[] = [];
      writeJson(many(n), (t) => { pieces.push(t); });
      return Math.max(...pieces.map((p) => p.length));
    };
    expect(largest(5000)).toBeLessThanOrEqual(largest(100) * 1.1);
    expect(largest(5000)).toBeLessThan(64 * JSON.stringify(group, null, 2).length * 2);
    expect(renderJson(many(5000))).toBe(JSON.stringify(contractObject(many(5000)), null, 2) + '\n');
  });
});
