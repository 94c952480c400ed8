/** A one-line progress display on stderr, only when stderr is a terminal and not --quiet. */
import type { AuditProgress } from '../audit/audit.js';
import type { IngestProgress } from '../pipeline/ingest.js';

export function progressReporter(quiet: boolean): ((p: IngestProgress) => void) | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  const started = Date.now();
  let lastDraw = 0;
  return (p) => {
    const now = Date.now();
    if (now - lastDraw < 200) return;
    lastDraw = now;
    const secs = Math.max(0.001, (now - started) / 1000);
    const pct = p.bytesTotal ? ` ${((100 * p.bytesDone) / p.bytesTotal).toFixed(1)}%` : '';
    const mb = (p.bytesDone / 1e6).toFixed(0);
    const line = `${p.source}${pct} ${mb} MB  ${(p.packets / 1e6).toFixed(2)} M pkts  ${Math.round(p.packets / secs / 1000)} k pkt/s  ${p.flows} flows (${p.activeFlows} active)`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
  };
}

export function clearProgress(quiet: boolean): void {
  if (!quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

/** The audit phase on the same line: flows counted so far, and findings among them. */
export function auditProgressReporter(quiet: boolean): ((p: AuditProgress) => void) | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let lastDraw = 0;
  return (p) => {
    const now = Date.now();
    if (now - lastDraw < 200) return;
    lastDraw = now;
    const line = `auditing: ${p.flows.toLocaleString('en-US')} flows, ${p.findings.toLocaleString('en-US')} findings so far`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
  };
}
