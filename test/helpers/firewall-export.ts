/**
 * Firewall exports the way `flowaudit firewall export` makes them, in process: the site file
 * (a path relative to the project folder, as the exports name it), and optionally a real SQLite
 * database the fixture capture was audited into.
 */
import { join, relative } from 'node:path';
import { loadAnalysisContext } from '../../src/pipeline/analysis-context.js';
import { firewallPolicy } from '../../src/pipeline/firewall-run.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { renderFirewall, type FirewallFormat } from '../../src/firewall/index.js';
import type { FirewallPolicy } from '../../src/firewall/types.js';
import { openFlowStore } from '../../src/store/open-store.js';
import type { FlowStore } from '../../src/store/types.js';
import { PROJECT_ROOT } from './corpus.js';

/** Path of a project file relative to the project folder (the exports' header names the site file so). */
export function projectRelative(path: string): string {
  return relative(PROJECT_ROOT, join(PROJECT_ROOT, path));
}

/** Reads `capture` into a new database at `dbPath`, classified with the site file. */
export async function auditInto(dbPath: string, sitePath: string, capture: string): Promise<void> {
  const ctx = await loadAnalysisContext(join(PROJECT_ROOT, sitePath));
  const store = openFlowStore(dbPath);
  try {
    await ingest([{ name: join(PROJECT_ROOT, capture) }], { store, classifier: ctx.classifier, catalog: ctx.catalog });
  } finally {
    store.close();
  }
}

/** The policy of a site file (relative to the project folder), with the database's observations when given. */
export async function policyOf(sitePath: string, opts: { db?: string; onlyObserved?: boolean } = {}): Promise<FirewallPolicy> {
  if (process.cwd() !== PROJECT_ROOT) throw new Error(`firewall tests run from ${PROJECT_ROOT}, not ${process.cwd()}`);
  const ctx = await loadAnalysisContext(sitePath);
  let store: FlowStore | undefined;
  if (opts.db) store = openFlowStore(opts.db, { mustExist: true });
  try {
    return firewallPolicy(ctx, { store, onlyObserved: opts.onlyObserved });
  } finally {
    store?.close();
  }
}

export async function exportOf(sitePath: string, format: FirewallFormat, opts: { db?: string; onlyObserved?: boolean } = {}): Promise<string> {
  return renderFirewall(await policyOf(sitePath, opts), format);
}
