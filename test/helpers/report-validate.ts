/**
 * Validates a rendered JSON report against schema/report.schema.json. Used by every test that
 * produces an AuditResult, so the schema and the code cannot drift apart unnoticed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { expect } from 'vitest';
import type { AuditResult } from '../../src/audit/types.js';
import { renderJson } from '../../src/report/json.js';

const schemaPath = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
export const reportSchema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
export const validateReport = ajv.compile(reportSchema);

/** Render to JSON, parse back and validate; returns the parsed object. */
export function expectValidReport(result: AuditResult): any {
  const parsed = JSON.parse(renderJson(result));
  const ok = validateReport(parsed);
  if (!ok) expect(validateReport.errors?.slice(0, 5)).toEqual([]);
  expect(ok).toBe(true);
  return parsed;
}
