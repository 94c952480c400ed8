/**
 * One entry point for the CLI: pick the format, pass the options through. Every format is
 * a pure function of the AuditResult, so reports can be re-rendered from a stored audit.
 */
import type { AuditResult } from '../audit/types.js';
import { renderText } from './text.js';
import { renderJson, writeJson } from './json.js';
import { renderCsv, writeCsv, type CsvSection } from './csv.js';
import type { Sink } from './sink.js';
import { renderMarkdown } from './md.js';
import { renderHtml } from './html.js';
import type { ReportDiff } from '../review/diff.js';
import { changesSection } from './diff/html.js';

export type ReportFormat = 'text' | 'json' | 'csv' | 'md' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'csv', 'md', 'html'];

export interface RenderOptions {
  /** text: ANSI colour (the CLI sets it from process.stdout.isTTY). */
  color?: boolean;
  /** text: wrap width for detail lines. */
  width?: number;
  /** json: indent (default true). */
  pretty?: boolean;
  /** csv: a single section instead of all findings in one file. */
  csvSection?: CsvSection;
  /** html: page title. */
  title?: string;
  /** text/md/html: finding groups shown per section before a "N more" line (default 200). */
  maxGroups?: number;
  /** html: the changes since a baseline report (`--baseline`). */
  changes?: ReportDiff;
}

/**
 * Writes the report to `out`: JSON and CSV item by item as the result's item lists are read
 * (flat memory whatever the number of findings); the human formats, which show groups, in one piece.
 */
export function writeReport(result: AuditResult, format: ReportFormat, out: Sink, opts: RenderOptions = {}): void {
  if (format === 'json') writeJson(result, out, { pretty: opts.pretty });
  else if (format === 'csv') writeCsv(result, out, { section: opts.csvSection });
  else out(renderReport(result, format, opts));
}

export function renderReport(result: AuditResult, format: ReportFormat, opts: RenderOptions = {}): string {
  switch (format) {
    case 'text': return renderText(result, { color: opts.color, width: opts.width, maxGroups: opts.maxGroups });
    case 'json': return renderJson(result, { pretty: opts.pretty });
    case 'csv': return renderCsv(result, { section: opts.csvSection });
    case 'md': return renderMarkdown(result, { maxGroups: opts.maxGroups });
    case 'html': return renderHtml(result, { title: opts.title, maxGroups: opts.maxGroups, changesHtml: opts.changes && changesSection(opts.changes) });
    default: {
      const never: never = format;
      throw new Error(`unknown report format: ${String(never)}`);
    }
  }
}

export { renderText, renderJson, renderCsv, renderMarkdown, renderHtml };
export { renderCsvFiles, csvFileNames, csvCell, type CsvSection } from './csv.js';
export type { Sink } from './sink.js';
