/**
 * One conversation seen by several sensors (a flow captured at both ends of a WAN link): the
 * statement that finds such flows, and how its rows fold into conversations. Written in SQL that
 * SQLite and PostgreSQL both run (the column `end` quoted, no engine-only functions), so every
 * FlowStore answers sharedConversations() with the same statement.
 *
 * The rule (docs/contracts.md, "Several sensors"): two flows are one conversation when they have
 * the same Community ID, were captured by DIFFERENT named sensors, and their time ranges overlap,
 * allowing CONVERSATION_SKEW_SECONDS of clock difference between the sensors. Captures without a
 * sensor name (stored before sensors were recorded) are never merged: nothing says they were
 * taken at another place. Pairs are joined transitively; the conversation is named by its lowest
 * flow id, the flow the audit counts.
 */
import type { CaptureInfo, SharedFlow } from './types.js';

/** Clock difference allowed between two sensors' captures of one conversation, in seconds. */
export const CONVERSATION_SKEW_SECONDS = 1;

/**
 * Pairs of flows of one conversation seen by two sensors: `f_id < g_id`, each with its sensor and
 * SYN / SYN-ACK option kinds (as stored). `captureCount` placeholders (from `param`, 1-based:
 * '?' for SQLite, '$n' for PostgreSQL) list the captures audited, each side limited to them;
 * with 0 every stored capture counts.
 *
 * Plan: flow_data is read once as `f`; each of its flows looks up the flows of its Community ID
 * through the community_id index (the stores keep one while several sensors are stored). The
 * unary plus on `g`'s id and capture_id (and `f`'s id) keeps SQLite from reading `g` as a rowid
 * range or by its capture (a scan of a whole capture per flow) instead of by the Community ID
 * index; it changes no value, and PostgreSQL takes it as written.
 */
export function sharedConversationsSql(captureCount: number, param: (n: number) => string): string {
  const list = (from: number) => Array.from({ length: captureCount }, (_, i) => param(from + i)).join(', ');
  const inCaptures = captureCount === 0 ? '' : `
      AND f.capture_id IN (${list(1)}) AND +g.capture_id IN (${list(captureCount + 1)})`;
  return `SELECT f.id AS f_id, cf.sensor AS f_sensor, f.syn_options AS f_syn, f.synack_options AS f_synack,
      g.id AS g_id, cg.sensor AS g_sensor, g.syn_options AS g_syn, g.synack_options AS g_synack
    FROM flow_data f
      JOIN captures cf ON cf.id = f.capture_id
      JOIN flow_data g ON g.community_id = f.community_id
      JOIN captures cg ON cg.id = +g.capture_id
    WHERE +f.id < +g.id
      AND cf.sensor <> cg.sensor
      AND g.start <= f."end" + ${CONVERSATION_SKEW_SECONDS}
      AND f.start <= g."end" + ${CONVERSATION_SKEW_SECONDS}${inCaptures}`;
}

/**
 * Whether sharedConversations() has anything to look for: the audited captures (all when none
 * named) come from at least two named sensors. Otherwise no statement runs and no index is built.
 */
export function spansSensors(captures: readonly CaptureInfo[], captureIds: readonly number[]): boolean {
  const audited = captures.filter((c) => captureIds.length === 0 || captureIds.includes(c.id));
  return new Set(audited.map((c) => c.sensor).filter((s) => s !== null)).size >= 2;
}

/** The arguments of sharedConversationsSql(captureIds.length, ...): the capture ids, once for each side. */
export function sharedConversationsArgs(captureIds: readonly number[]): number[] {
  return [...captureIds, ...captureIds];
}

/** A row of sharedConversationsSql(), by column name. */
export interface SharedPairRow {
  f_id: number | string;
  f_sensor: string;
  f_syn: string;
  f_synack: string;
  g_id: number | string;
  g_sensor: string;
  g_syn: string;
  g_synack: string;
}

/**
 * The flows of the rows' conversations: pairs joined transitively (union-find), each flow with its
 * conversation's lowest flow id, its sensors (sorted) and the union of its flows' SYN and SYN-ACK
 * option kinds (an optimizer's probe seen on the WAN side belongs to the conversation). Ordered by
 * flow id.
 */
export function foldSharedPairs(rows: Iterable<SharedPairRow>): SharedFlow[] {
  const parent = new Map<number, number>();
  const info = new Map<number, { sensor: string; syn: string; synAck: string }>();
  const find = (x: number): number => {
    let r = x;
    for (let p = parent.get(r)!; p !== r; p = parent.get(r)!) r = p;
    // Path compression.
    for (let y = x, p = parent.get(y)!; p !== r; y = p, p = parent.get(y)!) parent.set(y, r);
    return r;
  };
  const note = (id: number, sensor: string, syn: string, synAck: string) => {
    if (!parent.has(id)) {
      parent.set(id, id);
      info.set(id, { sensor, syn, synAck });
    }
  };
  for (const r of rows) {
    const f = Number(r.f_id);
    const g = Number(r.g_id);
    note(f, r.f_sensor, r.f_syn, r.f_synack);
    note(g, r.g_sensor, r.g_syn, r.g_synack);
    const a = find(f);
    const b = find(g);
    // The root is the lowest id: the conversation's name.
    if (a < b) parent.set(b, a);
    else if (b < a) parent.set(a, b);
  }
  const byRoot = new Map<number, { sensors: Set<string>; syn: number[]; synAck: number[] }>();
  const ids = [...parent.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const root = find(id);
    let c = byRoot.get(root);
    if (!c) byRoot.set(root, c = { sensors: new Set(), syn: [], synAck: [] });
    const i = info.get(id)!;
    c.sensors.add(i.sensor);
    addKinds(c.syn, i.syn);
    addKinds(c.synAck, i.synAck);
  }
  return ids.map((id) => {
    const root = find(id);
    const c = byRoot.get(root)!;
    return { id, conversation: root, sensors: [...c.sensors].sort(), synOptions: c.syn.join(','), synAckOptions: c.synAck.join(',') };
  });
}

/** Appends the option kinds of a stored list ("2,4,8,1,3") that `into` does not hold yet. */
function addKinds(into: number[], list: string): void {
  if (list === '') return;
  for (const k of list.split(',').map(Number)) if (!into.includes(k)) into.push(k);
}
