/**
 * Site-local approvals in force (`allow:` in the site file) and how many of the audited flows
 * each one covered. The classifier marks an approved flow with its entry's line
 * (Classification.approved); the audit counts it as expected and hands it here.
 */
import type { Site } from '../catalog/types.js';
import type { ApprovalItem } from './types.js';

export class ApprovalTracker {
  /** Flows per allow entry, by the entry's site file line. */
  private readonly flows = new Map<number, number>();
  total = 0;

  constructor(private readonly site: Site) {}

  /** An in-scope flow the site's allow entry on `line` approved. */
  add(line: number): void {
    this.flows.set(line, (this.flows.get(line) ?? 0) + 1);
    this.total++;
  }

  /** Every allow entry of the site file with its flow count; undefined when the site has none. */
  finish(): ApprovalItem[] | undefined {
    const entries = this.site.allow;
    if (!entries || entries.length === 0) return undefined;
    return entries.map((e) => ({
      line: e.line,
      from: e.fromText,
      to: e.toText,
      proto: e.proto,
      ports: e.portText,
      reason: e.reason,
      by: e.by,
      date: e.date,
      rule: e.rule,
      text: e.text,
      flows: this.flows.get(e.line) ?? 0,
    }));
  }
}
