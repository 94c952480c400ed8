/**
 * Per-sensor state of a database (`flowaudit status`): what each sensor's captures hold, and for
 * a sensor forwarding from a spool, when it last reached the database and what it still held.
 */
import type { CaptureInfo, SpoolInfo } from './types.js';

export interface SensorStatus {
  /** null: captures stored before sensors were recorded. */
  sensor: string | null;
  captures: number;
  partial: number;
  packets: number;
  drops: number | null;
  ifDrops: number | null;
  /** Epoch seconds of the first and newest packet stored. */
  firstTs: number | null;
  lastTs: number | null;
  /** The last forwarding round of its spools (ISO time), or null when it writes directly. */
  lastForwardAt: string | null;
  /** Seconds since lastForwardAt: how old the database's picture of this sensor is. */
  lagSeconds: number | null;
  /** Flows its spools still held at their last round. */
  backlogFlows: number;
  spools: SpoolInfo[];
}

export function sensorStatus(captures: readonly CaptureInfo[], spools: readonly SpoolInfo[], now: Date): SensorStatus[] {
  const by = new Map<string | null, SensorStatus>();
  const entry = (sensor: string | null): SensorStatus => {
    let s = by.get(sensor);
    if (!s) {
      s = { sensor, captures: 0, partial: 0, packets: 0, drops: null, ifDrops: null, firstTs: null, lastTs: null,
        lastForwardAt: null, lagSeconds: null, backlogFlows: 0, spools: [] };
      by.set(sensor, s);
    }
    return s;
  };
  const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);
  for (const c of captures) {
    const s = entry(c.sensor);
    s.captures++;
    if (c.status === 'partial') s.partial++;
    s.packets += c.packets;
    s.drops = add(s.drops, c.drops);
    s.ifDrops = add(s.ifDrops, c.ifDrops);
    if (c.firstTs !== null && (s.firstTs === null || c.firstTs < s.firstTs)) s.firstTs = c.firstTs;
    if (c.lastTs !== null && (s.lastTs === null || c.lastTs > s.lastTs)) s.lastTs = c.lastTs;
  }
  for (const sp of spools) {
    const s = entry(sp.sensor);
    s.spools.push(sp);
    s.backlogFlows += sp.backlogFlows;
    if (sp.lastForwardAt !== null && (s.lastForwardAt === null || sp.lastForwardAt > s.lastForwardAt)) s.lastForwardAt = sp.lastForwardAt;
  }
  for (const s of by.values()) {
    if (s.lastForwardAt !== null) s.lagSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(s.lastForwardAt)) / 1000));
  }
  return [...by.values()].sort((a, b) => (a.sensor ?? '').localeCompare(b.sensor ?? ''));
}
