/**
 * How flowaudit connects to PostgreSQL: the URL the user gave (libpq's form, TLS parameters
 * included: sslmode=verify-full&sslrootcert=FILE), a password from the URL or else from the
 * password file (~/.pgpass, or PGPASSFILE) read here — the `pg` client's own reading of it is
 * deprecated and prints a notice — and bigint and numeric columns as numbers (ids and counters
 * stay below 2^53).
 */
import pg from 'pg';
import { parse } from 'pg-connection-string';
// pgpass ships no types: (connection parameters, callback(password | undefined)).
// @ts-expect-error untyped CommonJS module
import pgPass from 'pgpass';

const lookUp = pgPass as (conn: { host: string; port: number; database: string; user: string }, cb: (pass: string | undefined) => void) => void;

/** BIGINT and NUMERIC as numbers, like SQLite gives them (counters, and ids below 2^53); the rest as pg parses them. */
const asNumber = new Set<number>([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
const numbersAsNumbers = (oid: number, format?: unknown) => (asNumber.has(oid) ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'));

/** The client settings for a database URL. */
export function pgClientConfig(url: string, opts: { connectTimeoutMs?: number } = {}): pg.ClientConfig {
  // Parsed here rather than given as connectionString: the client would lay the URL's (absent)
  // password over the function below.
  const parsed = parse(url) as pg.ClientConfig & Record<string, unknown>;
  const config: pg.ClientConfig = {
    ...parsed,
    port: parsed.port !== undefined && parsed.port !== null ? Number(parsed.port) : undefined,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    types: { getTypeParser: numbersAsNumbers as never },
  };
  if (!parsed.password) {
    const params = {
      host: (parsed.host as string | undefined) || process.env.PGHOST || 'localhost',
      port: Number(parsed.port || process.env.PGPORT || 5432),
      database: (parsed.database as string | undefined) || process.env.PGDATABASE || '',
      user: (parsed.user as string | undefined) || process.env.PGUSER || '',
    };
    config.password = () => new Promise<string>((resolve, reject) => lookUp(params, (pass) => {
      if (pass !== undefined) resolve(pass);
      else if (process.env.PGPASSWORD) resolve(process.env.PGPASSWORD);
      else reject(new Error(`the server asks for a password: put it in ${process.env.PGPASSFILE ?? '~/.pgpass'} (host:port:database:user:password, mode 0600)`));
    }));
  }
  return config;
}
