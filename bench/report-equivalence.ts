/**
 * Two reports as verdicts: equal when they find the same things, whichever store, sensor or
 * capture file the flows came from. What differs by construction is taken out: the report's
 * time, the captures and sensors and their coverage, flow/capture ids (and "flow #N" in texts),
 * the examples a group shows and the reason and evidence it quotes (its first flows', by id), and the order
 * of lists (id order).
 */

const DROP = new Set(['generatedAt', 'captures', 'sensors', 'coverage', 'coverageGaps', 'gaps', 'capture', 'captureId', 'flowId', 'parentFlowId', 'id',
  'examples', 'siteFile', 'window', 'packets', 'bytes', 'drops', 'decode']);

function normalize(v: unknown, key: string | null, top: boolean, inGroups = false): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => normalize(x, null, false, inGroups));
    // Lists of objects are in id order: compare them as sets.
    return items.every((x) => typeof x === 'object' && x !== null) ? items.map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x) as unknown) : items;
  }
  if (typeof v === 'string') return v.replace(/flow #\d+/g, 'flow #N');
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    // The per-flow `packets`/`bytes` of items stay; the capture-wide ones in the summary go.
    if (DROP.has(k) && !((k === 'packets' || k === 'bytes' || k === 'window') && !top && key !== 'summary')) continue;
    // Several sensors' reports count the flows another sensor also saw; none is as one sensor's.
    if (k === 'duplicates' && x === 0) continue;
    if (inGroups && (k === 'reason' || k === 'evidence' || k === 'exampleHosts')) continue;
    out[k] = normalize(x, k, false, inGroups || (top && k === 'groups'));
  }
  return out;
}

/** The report as compared (see the module comment). */
export function verdictOf(report: unknown): unknown {
  return normalize(report, null, true);
}

/** The first path where two verdicts differ, or null. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `${path}: ${a.length} entries vs ${bb.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], bb[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = (b ?? {}) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      const d = firstDifference(ao[k], bo[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}
