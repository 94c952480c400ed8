/**
 * `--baseline OLD.json` of `audit` and `report`: the HTML report gains a "Changes since"
 * section, the diff of that earlier JSON report against this audit (the same code as
 * `flowaudit diff`). The baseline is read before any work, so a bad file fails at once.
 */
import type { AuditResult } from '../audit/types.js';
import { diffReports, type ReportDiff } from '../review/diff.js';
import { readReportFile } from '../review/read-report.js';
import { UserError } from '../util/errors.js';

export interface Baseline {
  changes(result: AuditResult): ReportDiff;
}

export function baselineOf(o: { baseline?: string; format: string }): Baseline | null {
  if (o.baseline === undefined) return null;
  if (o.format !== 'html') throw new UserError(`--baseline: only --format html shows the changes (got --format ${o.format}); for the others use flowaudit diff`);
  const file = o.baseline;
  const old = readReportFile(file);
  return { changes: (result) => diffReports(old, result, { oldLabel: file, newLabel: 'this audit' }) };
}
