import Database from 'better-sqlite3';
import { loadAnalysisContext } from './dist/src/cli/context.js';
const db = new Database('/tmp/b.db', { readonly: true });
const rows = db.prepare('select proto, src, sport, dst, dport, originator_guessed g, start from flows order by id').all();
// fresh strings per flow, as the flow table would make them (no interning) vs interned
const intern = new Map(); const I = (s) => { let t = intern.get(s); if (!t) intern.set(s, t = s); return t; };
for (const mode of ['fresh', 'interned']) {
  for (let rep = 0; rep < 3; rep++) {
    const ctx = await loadAnalysisContext('bench/bench-site.yaml');
    const flows = rows.map((r) => ({ proto: r.proto, src: mode === 'fresh' ? (' ' + r.src).slice(1) : I(r.src), sport: r.sport, dst: mode === 'fresh' ? (' ' + r.dst).slice(1) : I(r.dst), dport: r.dport, originatorGuessed: r.g === 1, start: r.start }));
    const t0 = performance.now();
    let n = 0;
    for (const f of flows) { const c = ctx.classifier.classify(f, null); if (c.rule) n++; ctx.classifier.followOns(f, c); }
    const dt = performance.now() - t0;
    console.log(mode, rep, dt.toFixed(0), 'ms', (dt * 1000 / flows.length).toFixed(2), 'us/flow', n);
  }
}
