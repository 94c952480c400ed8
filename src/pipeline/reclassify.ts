/**
 * Re-classifies stored flows after the site file or a catalog changed, without re-reading the
 * captures. Flows are replayed in start order so that catalog follow-on windows and inspector
 * announcements resolve as they did during ingest: an announcement's rule is re-derived from
 * its announcing flow's new rule, and time windows are re-registered from the new catalog.
 *
 * A reply an inspector read closes its follow-on's fallback window between the two hosts
 * (ExpectationTable.closeWindows). The stored flows do not say when the reply was read: it is
 * taken as read by the start of the first connection one of its announcements claimed, or at
 * the time of an announcement nobody used. A connection to another port between the reply and
 * that first connection was unexplained during ingest and is claimed by the window here.
 */
import type { Catalog, FlowClassifier } from '../catalog/types.js';
import { ExpectationTable } from '../flow/expectations.js';
import type { ExpectationHit } from '../flow/flow-record.js';
import { FollowOnIndex, registerFollowOnWindows, settleWindowHit } from '../classify/follow-ons.js';
import type { FlowStore, StoredFlow } from '../store/types.js';

const BATCH = 5000;

export function reclassifyStored(store: FlowStore, classifier: FlowClassifier, catalog: Catalog, captureIds?: number[]): number {
  const followOns = new FollowOnIndex(catalog);
  const parents = new Map<number, { rule: string | null; src: string; dst: string }>();
  const windows = new ExpectationTable();
  let lastExpire = 0;
  let done = 0;
  let batch: StoredFlow[] = [];
  /** An announcement of `parentId` read by `ts`, to `client`: its follow-on's windows close. */
  const replyRead = (parentId: number, kind: ExpectationHit['kind'], client: string | null, ts: number): void => {
    const parent = parents.get(parentId);
    const rule = parent ? followOns.ruleFor(parent.rule, kind, parent.src === client) : null;
    if (parent && rule !== null) windows.closeWindows(parent.src, parent.dst, rule, ts);
  };
  const unused = store.unusedExpectations(captureIds).filter((u) => u.kind !== 'window').sort((a, b) => a.ts - b.ts);
  let nextUnused = 0;
  // In start order, read by id a batch at a time: no statement stays open while rows are
  // updated, and memory holds a batch, not the flows (8 bytes a flow for the order).
  for (const f of store.flowsById(store.flowIdsByStart(captureIds ?? []))) {
    if (f.start - lastExpire > 60) { windows.expire(f.start); lastExpire = f.start; }
    for (; nextUnused < unused.length && unused[nextUnused]!.ts <= f.start; nextUnused++) {
      const u = unused[nextUnused]!;
      replyRead(u.parentFlowId, u.kind, u.client, u.ts);
    }
    let hit: ExpectationHit | null = null;
    if (f.expectation && f.expectation.kind !== 'window') {
      const parent = parents.get(f.expectation.parentFlowId);
      hit = { ...f.expectation, rule: followOns.ruleFor(parent?.rule ?? null, f.expectation.kind, parent?.src === f.src) };
      replyRead(f.expectation.parentFlowId, f.expectation.kind, f.src, f.start);
    } else {
      const m = windows.match(f, f.start);
      if (m) hit = { kind: m.e.kind, parentFlowId: m.e.parentFlowId, rule: m.e.rule, evidence: m.e.evidence };
    }
    f.classification = classifier.classifyShared(f, hit);
    f.expectation = hit ?? (f.expectation?.kind === 'window' ? null : f.expectation);
    // A window's claim is judged on the stored outcome, as ingest judged it when the flow
    // ended; a flow the window does not keep was classified under the window as it started
    // there, so it opens no windows of its own here either.
    const declined = settleWindowHit(classifier, f);
    const cls = f.classification;
    parents.set(f.id, { rule: cls.rule, src: f.src, dst: f.dst });
    if (!declined) registerFollowOnWindows(windows, classifier.followOnPlans(f, cls), f);
    batch.push(f);
    if (batch.length >= BATCH) { done += store.updateClassifications(batch); batch = []; }
  }
  done += store.updateClassifications(batch);
  return done;
}
