/**
 * The database schema: the tables and the `flows` view, their columns, and the migrations that
 * bring a database written by an older flowaudit up to SCHEMA_VERSION. A migration, once
 * released, is frozen: it names the columns of its own schema version, never the current ones.
 */
import type Database from 'better-sqlite3';
import { EVIDENCE_VARS } from '../flow/flow-record.js';
import { UserError } from '../util/errors.js';

export const SCHEMA_VERSION = 8;

/** The classification columns of schema 3. */
const CLASS_COLUMNS_V3 = ['rule', 'match_how', 'evidence', 'src_roles', 'dst_roles', 'src_site', 'dst_site', 'ignored', 'evidence_vars'] as const;
/** The classification columns of schema 2 (what migration 2 moved out of `flows`). */
const CLASS_COLUMNS_V2 = CLASS_COLUMNS_V3.filter((c) => c !== 'evidence_vars');
/** The classification columns of schema 4. */
const CLASS_COLUMNS_V4 = [...CLASS_COLUMNS_V3, 'nearest_rule'] as const;
/** The classification columns of schema 7. */
const CLASS_COLUMNS_V7 = [...CLASS_COLUMNS_V4, 'approved'] as const;

/**
 * The classification columns of a flow. Since schema 2 they live once per distinct value in
 * `classifications` (a few thousand rows for a million flows: most flows share their role
 * sets, rule and sites), and each stored flow names its row by `class_id`: eight text columns
 * (~200 bytes) per flow made inserts a third slower. The `flows` view joins them back, so SQL
 * users and `flowaudit flows` see the same columns as before; the columns added since
 * (evidence_vars, nearest_rule, approved) are the store's and stay out of the view.
 */
export const CLASS_COLUMNS = CLASS_COLUMNS_V7;
/**
 * The `flows` view's classification columns: those of schema 2, with a shared row's evidence
 * placeholders written out from the flow's own columns (see renderEvidence, which must agree).
 */
export const VIEW_CLASS_COLUMNS = CLASS_COLUMNS_V2.map((c) => c !== 'evidence' ? `c.${c}` : `CASE WHEN c.evidence_vars = 1 THEN
  replace(replace(replace(replace(c.evidence, '${EVIDENCE_VARS.src}', f.src), '${EVIDENCE_VARS.dst}', f.dst),
    '${EVIDENCE_VARS.sport}', f.sport), '${EVIDENCE_VARS.dport}', f.dport)
  ELSE c.evidence END AS evidence`);

/** The flows columns in the order flowRow() binds them and toFlow() reads them back. */
export const FLOW_COLUMNS = [
  'id', 'capture_id', 'proto', 'ip_version', 'src', 'sport', 'dst', 'dport', 'originator_guessed',
  'orig_packets', 'resp_packets', 'orig_bytes', 'resp_bytes', 'orig_ip_bytes', 'resp_ip_bytes',
  'orig_payload_bytes', 'resp_payload_bytes', 'start', 'end', 'state', 'history', 'vlans', 'syn_options',
  'synack_options', 'community_id', 'end_reason', 'tunnel', 'exp_kind', 'exp_parent', 'exp_rule', 'exp_evidence',
  'rule', 'match_how', 'evidence', 'src_roles', 'dst_roles', 'src_site', 'dst_site', 'ignored',
] as const;
export type DataColumn = Exclude<(typeof FLOW_COLUMNS)[number], (typeof CLASS_COLUMNS)[number]> | 'class_id';
/** The flow_data columns, in the order flowRow() binds them: the flows columns without the classification, then class_id. */
export const DATA_COLUMNS: readonly DataColumn[] = [
  ...FLOW_COLUMNS.filter((c): c is Exclude<typeof c, (typeof CLASS_COLUMNS)[number]> => !(CLASS_COLUMNS as readonly string[]).includes(c)),
  'class_id',
];
/** Position of a column in a flowRow() row. */
export function columnIndex(name: DataColumn): number {
  return DATA_COLUMNS.indexOf(name);
}

/** The flow columns `flow_data` shares with the `flows` view (everything but the classification). */
export function flowColumnsOfData(): string[] {
  return DATA_COLUMNS.filter((c) => c !== 'class_id');
}

/** The key of a classifications row: its column values as JSON (one string, one unique index). */
export function classKeyOfColumns(cols: readonly unknown[]): string {
  return JSON.stringify(cols);
}

const MIGRATIONS: (string | ((db: Database.Database) => void))[] = [
  // 0 -> 1
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE captures (
     id INTEGER PRIMARY KEY,
     source TEXT NOT NULL, format TEXT NOT NULL, link_types TEXT NOT NULL DEFAULT '[]',
     first_ts REAL, last_ts REAL, packets INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,
     drops INTEGER, if_drops INTEGER, sha256 TEXT, fingerprint TEXT, size INTEGER,
     status TEXT NOT NULL, error TEXT, tap_side TEXT, decode_errors TEXT NOT NULL DEFAULT '{}',
     started_at TEXT NOT NULL, finished_at TEXT);
   CREATE INDEX captures_sha ON captures(sha256);
   CREATE INDEX captures_fp ON captures(fingerprint);
   CREATE TABLE flows (
     id INTEGER PRIMARY KEY, capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
     proto INTEGER NOT NULL, ip_version INTEGER NOT NULL,
     src TEXT NOT NULL, sport INTEGER NOT NULL, dst TEXT NOT NULL, dport INTEGER NOT NULL,
     originator_guessed INTEGER NOT NULL,
     orig_packets INTEGER NOT NULL, resp_packets INTEGER NOT NULL,
     orig_bytes INTEGER NOT NULL, resp_bytes INTEGER NOT NULL,
     orig_ip_bytes INTEGER NOT NULL, resp_ip_bytes INTEGER NOT NULL,
     orig_payload_bytes INTEGER NOT NULL, resp_payload_bytes INTEGER NOT NULL,
     start REAL NOT NULL, end REAL NOT NULL, state TEXT NOT NULL, history TEXT NOT NULL,
     vlans TEXT NOT NULL, syn_options TEXT NOT NULL, synack_options TEXT NOT NULL,
     community_id TEXT NOT NULL, end_reason TEXT NOT NULL, tunnel TEXT,
     exp_kind TEXT, exp_parent INTEGER, exp_rule TEXT, exp_evidence TEXT,
     rule TEXT, match_how TEXT, evidence TEXT, src_roles TEXT, dst_roles TEXT,
     src_site TEXT, dst_site TEXT, ignored INTEGER);
   CREATE INDEX flows_capture ON flows(capture_id);
   CREATE TABLE unused_expectations (
     id INTEGER PRIMARY KEY, capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
     kind TEXT NOT NULL, client TEXT, server TEXT NOT NULL, proto INTEGER NOT NULL, ports TEXT NOT NULL,
     parent_flow INTEGER NOT NULL, rule TEXT, evidence TEXT NOT NULL, ts REAL NOT NULL);
   CREATE TABLE findings (
     id INTEGER PRIMARY KEY, catalog_hash TEXT NOT NULL, site_hash TEXT NOT NULL,
     captures TEXT NOT NULL, computed_at TEXT NOT NULL, report TEXT NOT NULL);`,
  // 1 -> 2: classification columns dictionary-encoded; `flows` becomes a view with the same columns.
  (db) => {
    db.exec(`CREATE TABLE classifications (
       id INTEGER PRIMARY KEY, key TEXT NOT NULL,
       rule TEXT, match_how TEXT NOT NULL, evidence TEXT, src_roles TEXT NOT NULL, dst_roles TEXT NOT NULL,
       src_site TEXT, dst_site TEXT, ignored INTEGER NOT NULL);
     CREATE TABLE flow_data (
       id INTEGER PRIMARY KEY, capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
       proto INTEGER NOT NULL, ip_version INTEGER NOT NULL,
       src TEXT NOT NULL, sport INTEGER NOT NULL, dst TEXT NOT NULL, dport INTEGER NOT NULL,
       originator_guessed INTEGER NOT NULL,
       orig_packets INTEGER NOT NULL, resp_packets INTEGER NOT NULL,
       orig_bytes INTEGER NOT NULL, resp_bytes INTEGER NOT NULL,
       orig_ip_bytes INTEGER NOT NULL, resp_ip_bytes INTEGER NOT NULL,
       orig_payload_bytes INTEGER NOT NULL, resp_payload_bytes INTEGER NOT NULL,
       start REAL NOT NULL, end REAL NOT NULL, state TEXT NOT NULL, history TEXT NOT NULL,
       vlans TEXT NOT NULL, syn_options TEXT NOT NULL, synack_options TEXT NOT NULL,
       community_id TEXT NOT NULL, end_reason TEXT NOT NULL, tunnel TEXT,
       exp_kind TEXT, exp_parent INTEGER, exp_rule TEXT, exp_evidence TEXT,
       class_id INTEGER);`);
    // Existing rows: the same key function the store uses (classKeyOfColumns), registered for this.
    db.function('flowaudit_class_key', { deterministic: true, varargs: true }, (...cols: unknown[]) => (cols[1] === null ? null : classKeyOfColumns(cols)));
    const cls = CLASS_COLUMNS_V2.join(', ');
    const kept = flowColumnsOfData();
    const keptOfF = kept.map((c) => `f.${c}`).join(', ');
    // The unique index exists only for the migration (see classIdOfKey for why it does not stay).
    db.exec(`CREATE UNIQUE INDEX classifications_key_migration ON classifications(key);
       INSERT OR IGNORE INTO classifications (key, ${cls})
         SELECT flowaudit_class_key(${cls}), ${cls} FROM flows WHERE match_how IS NOT NULL ORDER BY id;
       INSERT INTO flow_data (${kept.join(', ')}, class_id)
         SELECT ${keptOfF}, c.id
         FROM flows f LEFT JOIN classifications c ON c.key = flowaudit_class_key(${CLASS_COLUMNS_V2.map((c) => `f.${c}`).join(', ')});
       DROP INDEX classifications_key_migration;
       DROP TABLE flows;
       CREATE INDEX flow_data_capture ON flow_data(capture_id);
       CREATE VIEW flows AS SELECT ${keptOfF},
         ${CLASS_COLUMNS_V2.map((c) => `c.${c}`).join(', ')}
         FROM flow_data f LEFT JOIN classifications c ON c.id = f.class_id;`);
  },
  // 2 -> 3: a classification may be shared by flows whose evidence differs only in their own
  // addresses and ports (evidence_vars = 1: placeholders the view writes out).
  (db) => {
    const kept = flowColumnsOfData().map((c) => `f.${c}`).join(', ');
    // Keys are the row's column values (classKeyOfColumns): the new column joins them, so that
    // a row stored before stays the row a new flow with the same classification finds.
    db.function('flowaudit_class_key', { deterministic: true, varargs: true }, (...cols: unknown[]) => classKeyOfColumns(cols));
    db.exec(`ALTER TABLE classifications ADD COLUMN evidence_vars INTEGER NOT NULL DEFAULT 0;
       UPDATE classifications SET key = flowaudit_class_key(${CLASS_COLUMNS_V3.join(', ')});
       DROP VIEW flows;
       CREATE VIEW flows AS SELECT ${kept}, ${VIEW_CLASS_COLUMNS.join(', ')}
         FROM flow_data f LEFT JOIN classifications c ON c.id = f.class_id;`);
  },
  // 3 -> 4: the rule a near miss names as nearest (Classification.nearestRule) has a column.
  // Rows written before have none, and only the classifier can tell it: the stamp naming the
  // catalog and site file the stored flows were classified with (meta key 'classification', set
  // by the CLI) is dropped, so that the next `report` or `audit` of them classifies them again.
  // The `flows` view keeps its columns.
  (db) => {
    db.function('flowaudit_class_key', { deterministic: true, varargs: true }, (...cols: unknown[]) => classKeyOfColumns(cols));
    db.exec(`ALTER TABLE classifications ADD COLUMN nearest_rule TEXT;
       UPDATE classifications SET key = flowaudit_class_key(${CLASS_COLUMNS_V4.join(', ')});
       DELETE FROM meta WHERE key = 'classification';`);
  },
  // 4 -> 5: a time window keeps a flow only when the connection was accepted and its port is
  // no other service's (classify/window-judge.ts). Flows classified before were claimed by any
  // connection in the window: the classification stamp is dropped, so that the next `report` or
  // `audit` of them classifies them again. Tables and the `flows` view are unchanged.
  `DELETE FROM meta WHERE key = 'classification';`,
  // 5 -> 6: which process reads a capture ('host:pid:start', pipeline/ingest-owner.ts), so that
  // another one tells a capture being read from one an interrupted run left 'partial'.
  `ALTER TABLE captures ADD COLUMN reader TEXT;`,
  // 6 -> 7: a site-local approval (`allow:` in the site file) that covers a flow
  // (Classification.approved: the entry's site file line; NULL when none). Rows written before
  // were classified with site files that had no approvals: they keep their meaning, and only
  // their keys take the new column. The `flows` view keeps its columns.
  (db) => {
    db.function('flowaudit_class_key', { deterministic: true, varargs: true }, (...cols: unknown[]) => classKeyOfColumns(cols));
    db.exec(`ALTER TABLE classifications ADD COLUMN approved INTEGER;
       UPDATE classifications SET key = flowaudit_class_key(${CLASS_COLUMNS_V7.join(', ')});`);
  },
  // 7 -> 8: the sensor that captured (`--sensor`, the host name by default), so that one
  // database of several sensors' captures tells them apart. Captures stored before have none.
  `ALTER TABLE captures ADD COLUMN sensor TEXT;`,
];

/** The schema version a database says it has (0: a new file). */
function schemaVersion(db: Database.Database): number {
  try {
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  } catch {
    return 0;
  }
}

/**
 * Brings the database up to SCHEMA_VERSION, one migration per transaction; refuses, as a user
 * error naming `path`, a database written by a newer flowaudit.
 */
export function migrate(db: Database.Database, path: string): void {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new UserError(`${path}: database schema version ${version} is newer than this flowaudit (${SCHEMA_VERSION})`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      // Another process may have migrated while this one waited for the write lock.
      if (schemaVersion(db) > v) return;
      const m = MIGRATIONS[v]!;
      if (typeof m === 'string') db.exec(m);
      else m(db);
      db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(v + 1));
    }).immediate();
  }
}
