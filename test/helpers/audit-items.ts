/**
 * An audit result with its item lists read into arrays, for tests that index or filter them.
 * (The audit keeps only their counts; iterating a list builds the items from the flows.)
 */
import type { AuditResult, UnexpectedItem, WanCacheItem, WindowItem } from '../../src/audit/types.js';

export type AuditWithItems = Omit<AuditResult, 'unexpected' | 'wanCache' | 'windowOnly'> & {
  unexpected: UnexpectedItem[];
  wanCache: WanCacheItem[];
  windowOnly: WindowItem[];
};

export function withItems(r: AuditResult): AuditWithItems {
  return { ...r, unexpected: [...r.unexpected], wanCache: [...r.wanCache], windowOnly: [...r.windowOnly] };
}
