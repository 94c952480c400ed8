/**
 * One CSV cell, safe for spreadsheets: a cell starting with = + - @ (or tab / CR) is treated as
 * a formula by Excel and LibreOffice, so such cells are prefixed with a single quote; then the
 * cell is quoted per RFC 4180 when needed. Numbers and booleans are written as they are.
 */
export type CsvCellValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvCellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = value;
  // Leading blanks do not stop some spreadsheets from evaluating, so look past them.
  if (/^[\t\r]|^\s*[=+\-@]/.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}
