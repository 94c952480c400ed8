/**
 * Dropping root after the capture device is open, as `tcpdump -Z` does. The engine (tcpdump)
 * drops its own privileges with -Z; this process — which parses every packet — drops to the
 * same user before it reads the first byte, so nothing that touches packet data runs as root.
 * Files written after that (the database, --write captures) belong to that user.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';

export interface TargetUser {
  name: string;
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return typeof process.geteuid === 'function' && process.geteuid() === 0;
}

/**
 * The user to drop to when none was named: null when not running as root (nothing to drop);
 * the user who ran sudo (SUDO_USER), so the database lands owned by them and in a directory
 * they can write; otherwise `nobody`.
 */
export function defaultCaptureUser(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!isRoot()) return null;
  const sudoUser = env.SUDO_USER;
  if (sudoUser && sudoUser !== 'root' && lookupUser(sudoUser)) return sudoUser;
  return 'nobody';
}

function parsePasswdLine(line: string): TargetUser | null {
  const f = line.split(':');
  if (f.length < 4) return null;
  const uid = Number(f[2]);
  const gid = Number(f[3]);
  if (!f[0] || !Number.isInteger(uid) || !Number.isInteger(gid)) return null;
  return { name: f[0], uid, gid };
}

/** Looks a user up by name or uid (getent, so NSS users work; /etc/passwd as a fallback). */
export function lookupUser(nameOrUid: string): TargetUser | null {
  const r = spawnSync('getent', ['passwd', nameOrUid], { encoding: 'utf8' });
  if (!r.error && r.status === 0 && r.stdout) return parsePasswdLine(r.stdout.split('\n')[0]!);
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const u = parsePasswdLine(line);
      if (u && (u.name === nameOrUid || String(u.uid) === nameOrUid)) return u;
    }
  } catch { /* no passwd file */ }
  return null;
}

/** Resolves --user; null means "stay as we are" (not root, or root asked for explicitly). */
export function captureUser(requested: string | undefined): TargetUser | null {
  const name = requested ?? defaultCaptureUser();
  if (name === null) return null;
  if (!isRoot()) return null; // only root can (and needs to) drop
  const u = lookupUser(name);
  if (!u) throw new UserError(`--user ${name}: no such user`);
  if (u.uid === 0) return null;
  return u;
}

/** Becomes `u` for good (supplementary groups, group, then user). */
export function dropPrivileges(u: TargetUser): void {
  try {
    const initgroups = (process as { initgroups?: (user: string, extraGroup: number) => void }).initgroups;
    if (typeof initgroups === 'function') initgroups(u.name, u.gid);
    process.setgid!(u.gid);
    process.setuid!(u.uid);
  } catch (e) {
    throw new UserError(`cannot drop privileges to ${u.name}: ${(e as Error).message}`);
  }
  if (process.getuid!() !== u.uid || process.geteuid!() !== u.uid || process.getegid!() !== u.gid) {
    throw new UserError(`cannot drop privileges to ${u.name}`);
  }
}
