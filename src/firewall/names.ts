/** Names renderers give address groups and rules: derived from rule and role ids, stable, within a length limit. */
import { createHash } from 'node:crypto';

/**
 * `key` with every character outside [A-Za-z0-9_] (or `keep`) replaced by `_`; when longer than
 * `max`, cut and ended with 8 hex digits of the key's sha256, so distinct keys stay distinct.
 */
export function safeName(key: string, max: number, keep = ''): string {
  const allowed = new RegExp(`[^A-Za-z0-9_${keep.replace(/[-\]\\^]/g, '\\$&')}]`, 'g');
  const s = key.replace(allowed, '_');
  if (s.length <= max) return s;
  const h = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${s.slice(0, max - 9)}_${h}`;
}

/** Gives each key a name from `make`, numbering repeats of a name so that no two keys share one. */
export class NameTable {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();
  constructor(private readonly make: (key: string) => string) {}
  name(key: string): string {
    let n = this.byKey.get(key);
    if (n) return n;
    const base = this.make(key);
    n = base;
    for (let i = 2; this.used.has(n); i++) n = `${base}_${i}`;
    this.used.add(n);
    this.byKey.set(key, n);
    return n;
  }
}
