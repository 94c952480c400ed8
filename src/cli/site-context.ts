/** Loads the site file for a command and says on stderr what it accepted but probably did not mean. */
import { loadAnalysisContext, type AnalysisContext } from '../pipeline/analysis-context.js';

/** loadAnalysisContext(), then one `flowaudit: warning: FILE:LINE: FIELD: ...` line per site-file warning. */
export async function loadSiteContext(sitePath: string): Promise<AnalysisContext> {
  const ctx = await loadAnalysisContext(sitePath);
  for (const w of ctx.site.warnings ?? []) process.stderr.write(`flowaudit: warning: ${w}\n`);
  return ctx;
}
