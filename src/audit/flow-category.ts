/**
 * How the audit sorts one stored flow, by its classification: expected (a catalog rule or an
 * announced expectation allows it; a flow only a time window allows is expected unless the
 * review is strict), unexpected, ignored (the site file's ignore list), out of scope (touches
 * no role or site address) or unclassified (read without a site file). The same order of
 * questions as runAudit() asks them, for stages after the audit that judge flows one by one.
 */
import type { StoredFlow } from '../store/types.js';
import { WindowTracker } from './window-only.js';

export type FlowCategory = 'expected' | 'unexpected' | 'ignored' | 'out-of-scope' | 'unclassified';

export function flowCategory(flow: Pick<StoredFlow, 'classification' | 'expectation'>, strict: boolean): FlowCategory {
  const cls = flow.classification;
  if (!cls) return 'unclassified';
  const inScope = cls.srcRoles.length > 0 || cls.dstRoles.length > 0 || cls.srcSite !== null || cls.dstSite !== null;
  if (!inScope) return 'out-of-scope';
  if (cls.ignored) return 'ignored';
  if (WindowTracker.windowOnly(flow as StoredFlow, cls)) return strict ? 'unexpected' : 'expected';
  if (cls.rule !== null || flow.expectation !== null) return 'expected';
  return 'unexpected';
}
