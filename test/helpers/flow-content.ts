/**
 * Flows by content, to compare two stores whose ids differ (a spool and the database it was
 * forwarded to): every flow_data column but the ids, the expectation parent as an offset from
 * the flow's own id, and the classification as its key; in id order, one JSON line per flow.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pgClientConfig } from '../../src/store/pg-connect.js';
import { DATA_COLUMNS } from '../../src/store/schema.js';

const CONTENT = DATA_COLUMNS.filter((c) => c !== 'id' && c !== 'capture_id' && c !== 'class_id' && c !== 'exp_parent');

export function sqliteContent(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT ${CONTENT.map((c) => `f.${c}`).join(', ')}, f.exp_parent - f.id AS parent, c.key
      FROM flow_data f LEFT JOIN classifications c ON c.id = f.class_id ORDER BY f.id`).raw(true).all() as unknown[][]).map((r) => JSON.stringify(r));
  } finally {
    db.close();
  }
}

export async function pgContent(url: string): Promise<string[]> {
  const c = new pg.Client(pgClientConfig(url));
  await c.connect();
  try {
    const r = await c.query({
      text: `SELECT ${CONTENT.map((k) => `f.${k === 'end' ? '"end"' : k}`).join(', ')}, f.exp_parent - f.id AS parent, c.key
        FROM flow_data f LEFT JOIN classifications c ON c.id = f.class_id ORDER BY f.id`,
      rowMode: 'array',
    });
    return r.rows.map((row) => JSON.stringify(row));
  } finally {
    await c.end();
  }
}

export const contentSha = (rows: string[]): string => createHash('sha256').update(rows.join('\n')).digest('hex');
