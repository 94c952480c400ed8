/** The formats of `flowaudit diff`: text, json (schema/diff.schema.json), md and html. */
import type { ReportDiff } from '../../review/diff.js';
import { renderDiffText } from './text.js';
import { renderDiffMarkdown } from './md.js';
import { renderDiffHtml } from './html.js';

export type DiffFormat = 'text' | 'json' | 'md' | 'html';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'md', 'html'];

/** The JSON diff: the ReportDiff as it is, sides and counts first. */
export function renderDiffJson(d: ReportDiff): string {
  const { old, new: neu, notes, factor, counts, findings, missing, wanCache, ruleFlows } = d;
  return JSON.stringify({ old, new: neu, notes, factor, counts, findings, missing, wanCache, ruleFlows }, null, 2) + '\n';
}

export function renderDiff(d: ReportDiff, format: DiffFormat): string {
  switch (format) {
    case 'text': return renderDiffText(d);
    case 'json': return renderDiffJson(d);
    case 'md': return renderDiffMarkdown(d);
    case 'html': return renderDiffHtml(d);
  }
}

export { changesSection } from './html.js';
