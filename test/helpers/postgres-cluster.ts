/**
 * A throwaway PostgreSQL cluster for the tests (vitest globalSetup): initdb into a temporary
 * directory, started on a local port with trust authentication on 127.0.0.1 and a socket in
 * that directory, stopped and removed when the run ends. Root cannot run initdb, so as root the
 * cluster belongs to the `postgres` account Debian's package creates.
 *
 * FLOWAUDIT_TEST_PG=postgresql://... uses a server of one's own instead. Without either, the
 * PostgreSQL tests skip and say why (pgSkipReason()).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian installs the server binaries under /usr/lib/postgresql/VERSION/bin, off the PATH. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

export interface StartedCluster {
  url: string;
  /** Stops the server and removes its files. */
  stop(): void;
  /** Stops the server (`mode`: pg_ctl's fast or immediate), keeping its files. */
  halt(mode?: 'fast' | 'immediate'): void;
  /** Starts it again after halt(), on the same port. */
  restart(): void;
}

function asOwner(owner: string | null, cmd: string, args: string[]): void {
  const r = owner
    ? spawnSync('runuser', ['-u', owner, '--', cmd, ...args], { encoding: 'utf8' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export interface ClusterOptions {
  port?: number;
  /** Runs after initdb, before the first start, with the data directory (owned by the server's account). */
  configure?: (data: string, owner: string | null) => void;
  /** More server settings, postgres command-line style ("-c ssl=on ..."). */
  settings?: string;
  /**
   * Keep PostgreSQL's durable defaults (fsync, synchronous commit, full page writes): for
   * benchmarks. Tests turn them off, trading crash safety of the throwaway cluster for speed.
   */
  durable?: boolean;
}

/** Starts a cluster on `port` (a random free one when omitted). */
export function startCluster(opts: ClusterOptions | number = {}): StartedCluster {
  const { port, configure, settings, durable } = typeof opts === 'number' ? { port: opts } as ClusterOptions : opts;
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const owner = process.getuid?.() === 0 ? 'postgres' : null;
  const dir = mkdtempSync(join(tmpdir(), 'flowaudit-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  if (owner) execFileSync('chown', [owner, dir]);
  asOwner(owner, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  configure?.(data, owner);
  // A random port, not the next free one: a cluster a test halts and restarts must find its
  // port still free, and another test's cluster starting meanwhile must not take it.
  const randomPort = () => 20_000 + Math.floor(Math.random() * 40_000);
  let p = port ?? randomPort();
  const start = (): void => asOwner(owner, join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-p ${p} -k ${dir} -c listen_addresses=127.0.0.1${durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'} -c max_connections=200${settings ? ` ${settings}` : ''}`, 'start']);
  for (let attempt = 0; ; attempt++) {
    try {
      start();
      break;
    } catch (e) {
      if (port !== undefined || attempt >= 20) throw e;
      p = randomPort();
    }
  }
  const halt = (mode: 'fast' | 'immediate' = 'immediate'): void => {
    spawnSync(owner ? 'runuser' : join(bin, 'pg_ctl'), [...(owner ? ['-u', owner, '--', join(bin, 'pg_ctl')] : []), '-D', data, '-m', mode, '-w', 'stop']);
  };
  const stop = (): void => {
    halt();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgresql://postgres@127.0.0.1:${p}/postgres`, stop, halt, restart: start };
}
