/**
 * Connecting as the README says a sensor should: TLS that verifies the server against a CA of
 * one's own, a SCRAM password from the password file (never the URL). A server of this file's
 * own: TLS on, its certificate signed by a CA made here for 127.0.0.1, and pg_hba.conf asking
 * the `sensor` role for TLS and a password.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/corpus.js';
import { postgresBinDir, startCluster, type StartedCluster } from '../helpers/postgres-cluster.js';

const BIN = join(PROJECT_ROOT, 'bin/flowaudit');
const SKIP = !postgresBinDir() ? 'PostgreSQL is not installed (apt-get install postgresql)'
  : spawnSync('openssl', ['version']).status !== 0 ? 'openssl is not installed' : '';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

describe.skipIf(SKIP !== '')(`connecting to PostgreSQL with TLS and a password file${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let cluster: StartedCluster;
  let dir = '';
  let ca = '';
  let otherCa = '';
  let url = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fa-pg-tls-'));
    const mkCa = (name: string) => {
      openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`], dir);
      return join(dir, `${name}.pem`);
    };
    ca = mkCa('test-ca');
    otherCa = mkCa('other-ca');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'test-ca.pem', '-CAkey', 'test-ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext'], dir);
    cluster = startCluster({
      settings: '-c ssl=on -c ssl_cert_file=server.pem -c ssl_key_file=server.key',
      configure: (data, owner) => {
        for (const f of ['server.pem', 'server.key']) {
          copyFileSync(join(dir, f), join(data, f));
          chmodSync(join(data, f), 0o600);
          if (owner) execFileSync('chown', [owner, join(data, f)]);
        }
        // The sensor role: TLS and SCRAM only (first matching line wins); everyone else as before.
        const hba = join(data, 'pg_hba.conf');
        writeFileSync(hba, `hostssl all sensor 127.0.0.1/32 scram-sha-256\nhost all sensor 127.0.0.1/32 reject\n${readFileSync(hba, 'utf8')}`);
      },
    });
    execFileSync('psql', [cluster.url, '-q', '-c', "SET password_encryption = 'scram-sha-256'", '-c', "CREATE ROLE sensor LOGIN PASSWORD 's3cret'",
      '-c', 'CREATE DATABASE flows OWNER sensor']);
    const port = new URL(cluster.url).port;
    url = `postgresql://sensor@127.0.0.1:${port}/flows`;
    writeFileSync(join(dir, 'pgpass'), `127.0.0.1:${port}:flows:sensor:s3cret\n`, { mode: 0o600 });
    appendFileSync(join(dir, 'empty-pgpass'), '', { mode: 0o600 });
  });
  afterAll(() => {
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const flowaudit = (args: string[], pgpass: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: join(dir, pgpass) };
    delete env.PGPASSWORD; // set, even empty, it would stand in for the file
    return spawnSync(BIN, args, { encoding: 'utf8', env });
  };
  const status = (db: string, pgpass: string) => flowaudit(['status', '--db', db], pgpass);

  it('verifies the server against the CA and takes the password from the password file: a sensor writes, the reviewer reads', () => {
    const db = `${url}?sslmode=verify-full&sslrootcert=${ca}`;
    const w = flowaudit(['read', join(PROJECT_ROOT, 'fixtures/example/estate.pcap'), '--db', db, '--sensor', 'branch-1', '-q'], 'pgpass');
    expect(w.stderr).toBe('');
    expect(w.status).toBe(0);
    const r = status(db, 'pgpass');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sensor +captures +partial +packets .*\nbranch-1 +1 +0 +361 +- +2024-03-04 09:00:00Z +2024-03-04 09:00:40Z +direct +-\n$/);
  });

  it('refuses a server whose certificate another CA signed, in one line', () => {
    const r = status(`${url}?sslmode=verify-full&sslrootcert=${otherCa}`, 'pgpass');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^flowaudit: postgresql:\/\/sensor@127\.0\.0\.1:\d+\/flows\?sslmode=verify-full&sslrootcert=\S+: cannot connect: .*certificate.*\n$/);
  });

  it('says where the password belongs when the file has none', () => {
    const r = status(`${url}?sslmode=verify-full&sslrootcert=${ca}`, 'empty-pgpass');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`flowaudit: ${url}?sslmode=verify-full&sslrootcert=${ca}: cannot connect: the server asks for a password: put it in ${join(dir, 'empty-pgpass')} (host:port:database:user:password, mode 0600)\n`);
  });

  it('is refused without TLS, as the server says', () => {
    const r = status(`${url}?sslmode=disable`, 'pgpass');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot connect: .*(pg_hba\.conf rejects connection|no encryption)/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
