/**
 * Shipped catalogs parsed at build time. Parsing the YAML with line positions costs ~110 ms
 * at every start (a JIT-cold YAML parser), paid by each audit, report and `read --site`; that
 * is most of the run time for a small capture. `npm run build` writes each shipped catalog's
 * parse result as JSON next to the compiled code, stamped with the sha256 of the YAML text and
 * of the parser module, and loadCatalogs uses it only while both still match: an edited
 * catalog, or a parser changed without a rebuild, is parsed from the YAML as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedCatalogFile } from './catalog-file.js';
import { parseCatalogFile } from './catalog-file.js';

const here = dirname(fileURLToPath(import.meta.url));

/** dist/rules-compiled for the compiled code; absent (so unused) when running the TypeScript sources. */
export const COMPILED_DIR = resolve(here, '../../rules-compiled');

interface CompiledCatalog {
  textSha256: string;
  parserSha256: string;
  parsed: Omit<ParsedCatalogFile, 'text' | 'file'>;
}

/** Stands for the catalog's own path in a compiled file (the install may move after the build). */
const THIS_FILE = '<this catalog file>';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

let parserStampMemo: string | null = null;
/** The parser module's own hash: a parse result is only as current as the code that made it. */
function parserStamp(): string {
  if (parserStampMemo === null) {
    const candidates = ['catalog-file.js', 'catalog-file.ts'].map((f) => join(here, f));
    const file = candidates.find((f) => existsSync(f));
    parserStampMemo = file ? sha256(readFileSync(file)) : 'none';
  }
  return parserStampMemo;
}

function compiledPath(dir: string, catalogFile: string): string {
  return join(dir, `${basename(catalogFile).replace(/\.ya?ml$/i, '')}.json`);
}

/** The build-time parse of `file` when it is still current, else null (parse the YAML). */
export function loadCompiledCatalog(file: string, dir: string = COMPILED_DIR): ParsedCatalogFile | null {
  const path = compiledPath(dir, file);
  if (!existsSync(path)) return null;
  let text: string;
  let compiled: CompiledCatalog;
  try {
    text = readFileSync(file, 'utf8');
    // Rules and problems name their file: the path at build time becomes the path read now.
    compiled = JSON.parse(readFileSync(path, 'utf8'), (k, v: unknown) => (k === 'file' && v === THIS_FILE ? file : v)) as CompiledCatalog;
  } catch {
    return null;
  }
  if (compiled.textSha256 !== sha256(text) || compiled.parserSha256 !== parserStamp()) return null;
  return { ...compiled.parsed, file, text };
}

/** Writes the parse of every catalog in `files` that has no problems (a broken one is left to report itself). */
export function compileCatalogs(files: string[], dir: string = COMPILED_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    const { text, file: _file, ...parsed } = parseCatalogFile(file);
    if (parsed.problems.length > 0) continue;
    const out: CompiledCatalog = { textSha256: sha256(text), parserSha256: parserStamp(), parsed };
    writeFileSync(compiledPath(dir, file), JSON.stringify(out, (k, v: unknown) => (k === 'file' && v === file ? THIS_FILE : v)));
    written.push(file);
  }
  return written;
}

/** The catalogs of a rules folder (for the build step). */
export function catalogFilesIn(rulesFolder: string): string[] {
  return readdirSync(rulesFolder).filter((f) => /\.ya?ml$/i.test(f)).sort().map((f) => join(rulesFolder, f));
}
