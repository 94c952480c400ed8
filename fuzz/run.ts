/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--runs N] [--from I] [--reports] [--no-corpus]
 * [--corpus DIR] [--out DIR] [--hang-seconds N]`
 *
 * Mutates the fixture captures and the shared corpus (fuzz/mutate.ts) and runs each case
 * through the real pipeline (fuzz/harness.ts) on a worker thread, for a bounded time. Every
 * failure — an exception that is not reported capture damage, a broken invariant, or a case
 * still running after --hang-seconds — is saved under test/fuzz-regressions/ with the seed
 * that made it (one input per distinct failure), and test/fuzz/regressions.test.ts replays
 * them. Exit status: 0 when nothing failed, 1 when something did, 2 for a usage error.
 */
import { Worker } from 'node:worker_threads';
import { relative } from 'node:path';
import { failureSignature, type CaseOutcome } from './harness.js';
import type { LoopStats } from './loop.js';
import { makeCase, type FuzzCase } from './mutate.js';
import { REGRESSIONS_DIR, saveRegression } from './regressions.js';
import { loadSeeds, PROJECT_ROOT } from './seeds.js';

interface Args {
  seconds: number;
  seed: number;
  runs?: number;
  from: number;
  reports: boolean;
  corpus: boolean;
  corpusDir?: string;
  out: string;
  hangSeconds: number;
}

const USAGE = 'usage: npm run fuzz -- [--seconds N (default 60)] [--seed S (default: random)] [--runs N] [--from I] '
  + '[--reports] [--no-corpus] [--corpus DIR] [--out DIR (default test/fuzz-regressions)] [--hang-seconds N (default 20)]';

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 60, seed: (Date.now() ^ (process.pid << 16)) >>> 0, from: 0, reports: false, corpus: true, out: REGRESSIONS_DIR, hangSeconds: 20 };
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v) || !(n >= min)) throw new Error(`${flag} needs a number of at least ${min}, not ${v === undefined ? 'nothing' : `'${v}'`}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    if (f === '--seconds') a.seconds = num(f, argv[++i], 0);
    else if (f === '--seed') a.seed = num(f, argv[++i], 0) >>> 0;
    else if (f === '--runs') a.runs = Math.floor(num(f, argv[++i], 1));
    else if (f === '--from') a.from = Math.floor(num(f, argv[++i], 0));
    else if (f === '--hang-seconds') a.hangSeconds = num(f, argv[++i], 1);
    else if (f === '--reports') a.reports = true;
    else if (f === '--no-corpus') a.corpus = false;
    else if (f === '--corpus') a.corpusDir = argv[++i];
    else if (f === '--out') a.out = argv[++i] ?? '';
    else if (f === '--help' || f === '-h') { process.stdout.write(USAGE + '\n'); process.exit(0); }
    else throw new Error(`unknown option '${f}'`);
  }
  if (!a.out) throw new Error('--out needs a folder');
  return a;
}

async function main(): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { seeds, corpusMissing } = await loadSeeds({ corpus: a.corpus, corpusDir: a.corpusDir });
  const corpusCount = seeds.filter((s) => s.name.startsWith('corpus:')).length;
  const say = (line: string) => process.stderr.write(`fuzz: ${line}\n`);
  say(`seed ${a.seed}, ${seeds.length} seed captures (${seeds.length - corpusCount} from fixtures/, ${corpusCount} from the corpus), `
    + `${a.runs !== undefined ? `${a.runs} cases at most, ` : ''}for ${a.seconds} s${a.reports ? ', with the audit and every report format' : ''}`);
  if (corpusMissing) say(`NOTE: ${corpusMissing}`);

  const deadline = Date.now() + a.seconds * 1000;
  const saved = new Set<string>();
  const failures: string[] = [];
  const total: LoopStats = { runs: 0, failures: 0, damaged: 0, packets: 0, flows: 0, byMutation: {}, last: a.from - 1 };
  const record = (c: FuzzCase, failure: Extract<CaseOutcome, { failed: true }> | { kind: 'hang'; message: string; stack: string }) => {
    const sig = failure.kind === 'hang' ? `hang ${c.base}` : failureSignature(failure);
    const first = !saved.has(sig);
    saved.add(sig);
    const where = first ? `saved as ${relative(PROJECT_ROOT, saveRegression(a.out, c, failure, { reports: a.reports, corpus: corpusMissing === null }))}` : 'same failure as one saved in this run';
    failures.push(sig);
    say(`FAILED case ${c.index} (seed ${c.seed}, ${c.base}; ${c.mutations.join('; ')}): ${failure.kind}: ${failure.message} — ${where}`);
  };

  let from = a.from;
  let runsLeft = a.runs;
  while (Date.now() < deadline && (runsLeft === undefined || runsLeft > 0)) {
    const heartbeat = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { seed: a.seed, from, runs: runsLeft, deadline, reports: a.reports, corpus: a.corpus, corpusDir: a.corpusDir, heartbeat: heartbeat.buffer },
    });
    // The watchdog: a case still running after --hang-seconds is a hang.
    const hung = await new Promise<number | null>((resolve, reject) => {
      let beat = 0;
      let since = Date.now();
      const timer = setInterval(() => {
        const now = Atomics.load(heartbeat, 0);
        if (now !== beat) { beat = now; since = Date.now(); return; }
        if (beat > 0 && Date.now() - since > a.hangSeconds * 1000) {
          clearInterval(timer);
          void worker.terminate();
          resolve(beat - 1);
        }
      }, 250);
      worker.on('message', (m: { t: string; c?: FuzzCase; failure?: Extract<CaseOutcome, { failed: true }>; stats?: LoopStats }) => {
        if (m.t === 'failure') record({ ...m.c!, bytes: Buffer.from(m.c!.bytes) }, m.failure!);
        else if (m.t === 'progress') say(`${total.runs + m.stats!.runs} cases, ${total.failures + m.stats!.failures} failures`);
        else if (m.t === 'done') {
          clearInterval(timer);
          const s = m.stats!;
          total.runs += s.runs; total.failures += s.failures; total.damaged += s.damaged; total.packets += s.packets; total.flows += s.flows; total.last = s.last;
          for (const [k, n] of Object.entries(s.byMutation)) total.byMutation[k] = (total.byMutation[k] ?? 0) + n;
          resolve(null);
        }
      });
      worker.on('error', (e) => { clearInterval(timer); reject(e); });
    });
    if (hung === null) break;
    const c = makeCase(seeds, a.seed, hung);
    total.runs += hung - from + 1;
    total.failures++;
    record(c, { kind: 'hang', message: `still running after ${a.hangSeconds} s`, stack: '' });
    if (runsLeft !== undefined) runsLeft -= hung - from + 1;
    from = hung + 1;
  }

  const secs = Math.max(0.001, a.seconds - Math.max(0, deadline - Date.now()) / 1000);
  say(`${total.runs} cases in ${secs.toFixed(1)} s (${(total.runs / secs).toFixed(0)}/s): ${total.damaged} damaged captures read up to the damage, `
    + `${total.packets} packets and ${total.flows} flows in the others; mutations: ${Object.entries(total.byMutation).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (failures.length) {
    say(`${failures.length} failure(s), ${saved.size} distinct, saved in ${relative(PROJECT_ROOT, a.out) || '.'}; replay them with: npx vitest run test/fuzz`);
    return 1;
  }
  say(`no failures (cases ${a.from}-${total.last} of seed ${a.seed})`);
  return 0;
}

process.exitCode = await main();
