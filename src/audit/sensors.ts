/**
 * Several sensors, one verdict. When the audited captures come from more than one sensor (a SPAN
 * port per site, all writing into one database):
 *  - a conversation several sensors saw (store/conversation-sql.ts: same Community ID, different
 *    sensors, overlapping in time) counts once, as its lowest flow id; the other rows are counted
 *    as `summary.flows.duplicates` and otherwise skipped. The counted flow carries the SYN and
 *    SYN-ACK options of all the conversation's flows: an optimizer's probe seen on the WAN side
 *    is evidence for the conversation, whichever sensor's row counts;
 *  - finding items and groups name the sensors that saw them (`sensors`);
 *  - the report lists each sensor's captures, window, packets, drops and flows (`sensors`), and
 *    the spans of the audit window no capture covers (`coverageGaps`), which missing findings name.
 * With one sensor none of this runs, and reports are as they always were.
 */
import type { AuditFlow, CaptureInfo, SharedFlow } from '../store/types.js';
import type { CoverageGap, FindingGroup, SensorCoverage } from './types.js';
import { count, fmtDuration, fmtRange } from './format.js';

/** Spans shorter than this between captures are not named as coverage gaps (seconds). */
export const COVERAGE_GAP_MIN_SECONDS = 1;

/** How reports print a capture without a sensor name. */
export const UNNAMED_SENSOR = '(unnamed)';

/** True when the captures come from at least two sensors (captures without a name count as one). */
export function severalSensors(captures: readonly Pick<CaptureInfo, 'sensor'>[]): boolean {
  return new Set(captures.map((c) => c.sensor)).size >= 2;
}

/** A sensor's name as reports print it. */
export function sensorLabel(s: string | null): string {
  return s ?? UNNAMED_SENSOR;
}

type Options = Pick<AuditFlow, 'synOptions' | 'synAckOptions'>;

/** The audit's view of the sensors: made only when the captures come from several (severalSensors). */
export class SensorEstate {
  private readonly shared = new Map<number, SharedFlow>();
  private readonly sensorOfCapture = new Map<number, string | null>();
  private readonly perSensor = new Map<string | null, { flows: number; sharedFlows: number }>();
  /** Flows skipped as another sensor's row of a conversation counted already. */
  duplicates = 0;

  constructor(private readonly captures: readonly CaptureInfo[], shared: readonly SharedFlow[]) {
    for (const s of shared) this.shared.set(s.id, s);
    for (const c of captures) {
      this.sensorOfCapture.set(c.id, c.sensor);
      if (!this.perSensor.has(c.sensor)) this.perSensor.set(c.sensor, { flows: 0, sharedFlows: 0 });
    }
  }

  /**
   * A flow of the counting pass: null when it is a duplicate (another flow names its
   * conversation), else the flow, with its conversation's options when they differ.
   */
  counted<T extends Options & { id: number; captureId: number }>(flow: T): T | null {
    const tally = this.perSensor.get(this.sensorOfCapture.get(flow.captureId) ?? null);
    if (tally) tally.flows++;
    const s = this.shared.get(flow.id);
    if (s === undefined) return flow;
    if (tally) tally.sharedFlows++;
    if (s.conversation !== flow.id) {
      this.duplicates++;
      return null;
    }
    return this.withOptions(flow);
  }

  /** The flow with its conversation's SYN / SYN-ACK options (itself when it is no shared flow or they are the same). */
  withOptions<T extends Options & { id: number }>(flow: T): T {
    const s = this.shared.get(flow.id);
    if (s === undefined) return flow;
    const own = (v: Options['synOptions']) => (typeof v === 'string' ? v : v.join(','));
    if (own(flow.synOptions) === s.synOptions && own(flow.synAckOptions) === s.synAckOptions) return flow;
    const as = (v: Options['synOptions'], text: string) => (typeof v === 'string' ? text : text === '' ? [] : text.split(',').map(Number));
    return { ...flow, synOptions: as(flow.synOptions, s.synOptions), synAckOptions: as(flow.synAckOptions, s.synAckOptions) };
  }

  /** The sensors that saw a flow: its conversation's, or its capture's. */
  sensorsOf(flowId: number, captureId: number): (string | null)[] {
    return this.shared.get(flowId)?.sensors ?? [this.sensorOfCapture.get(captureId) ?? null];
  }

  /** Names on an item the sensors that saw its flow. */
  tag<T extends object>(item: T, flow: { id: number; captureId: number }): T {
    (item as { sensors?: (string | null)[] }).sensors = this.sensorsOf(flow.id, flow.captureId);
    return item;
  }

  /**
   * Names on each group the sensors of its items: reads the item lists once more (their flows
   * by id), which only an audit of several sensors does.
   */
  tagGroups(groups: readonly FindingGroup[], lists: readonly Iterable<{ group: string; sensors?: (string | null)[] }>[]): void {
    const byGroup = new Map<string, Set<string | null>>();
    for (const list of lists) {
      for (const it of list) {
        let set = byGroup.get(it.group);
        if (!set) byGroup.set(it.group, set = new Set());
        for (const s of it.sensors ?? []) set.add(s);
      }
    }
    for (const g of groups) {
      const set = byGroup.get(g.id);
      if (set) g.sensors = sortSensors(set);
    }
  }

  /** Each sensor's captures and counts, named sensors in name order, then the unnamed. */
  coverage(): SensorCoverage[] {
    return sortSensors(this.perSensor.keys()).map((sensor) => {
      const caps = this.captures.filter((c) => c.sensor === sensor);
      const firsts = caps.map((c) => c.firstTs).filter((t): t is number => t !== null);
      const lasts = caps.map((c) => c.lastTs).filter((t): t is number => t !== null);
      const firstTs = firsts.length ? Math.min(...firsts) : null;
      const lastTs = lasts.length ? Math.max(...lasts) : null;
      const sumKnown = (f: (c: CaptureInfo) => number | null) => {
        const known = caps.map(f).filter((n): n is number => n !== null);
        return known.length ? known.reduce((a, b) => a + b, 0) : null;
      };
      const tally = this.perSensor.get(sensor)!;
      return {
        sensor,
        captures: caps.map((c) => c.id),
        firstTs,
        lastTs,
        window: firstTs !== null && lastTs !== null ? fmtRange(firstTs, lastTs) : 'no packets',
        packets: caps.reduce((n, c) => n + c.packets, 0),
        bytes: caps.reduce((n, c) => n + c.bytes, 0),
        drops: sumKnown((c) => c.drops),
        ifDrops: sumKnown((c) => c.ifDrops),
        partial: caps.filter((c) => c.status === 'partial').length,
        flows: tally.flows,
        sharedFlows: tally.sharedFlows,
      };
    });
  }
}

/** Named sensors in name order, then null (unnamed). */
function sortSensors(sensors: Iterable<string | null>): (string | null)[] {
  const list = [...sensors];
  const named = list.filter((s): s is string => s !== null).sort();
  return list.includes(null) ? [...named, null] : named;
}

/**
 * The spans inside the captures' overall window that no capture covers (each capture covering
 * its first to last packet), at least COVERAGE_GAP_MIN_SECONDS long, in time order.
 */
export function coverageGaps(captures: readonly Pick<CaptureInfo, 'firstTs' | 'lastTs'>[]): CoverageGap[] {
  const spans = captures
    .filter((c): c is typeof c & { firstTs: number; lastTs: number } => c.firstTs !== null && c.lastTs !== null)
    .map((c) => [c.firstTs, c.lastTs] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const gaps: CoverageGap[] = [];
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (end !== -Infinity && s - end >= COVERAGE_GAP_MIN_SECONDS) gaps.push({ start: end, end: s, text: `${fmtRange(end, s)} (${fmtDuration(s - end)})` });
    if (e > end) end = e;
  }
  return gaps;
}

/** What a missing finding says of the gaps: no capture saw those spans. Null without gaps. */
export function gapNote(gaps: readonly CoverageGap[]): string | null {
  if (gaps.length === 0) return null;
  const shown = gaps.slice(0, 3).map((g) => g.text).join(', ');
  const more = gaps.length > 3 ? ` and ${count(gaps.length - 3)} more` : '';
  return `no sensor captured ${gaps.length === 1 ? 'the gap' : `${count(gaps.length)} gaps`} ${shown}${more}, so the flow may have run then`;
}
