/**
 * Loading catalogs: by id from the shipped rules/ folder ("sccm-2007") or by file path
 * (a site's own catalog), checked by catalog-file.ts and merged into one Catalog.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/errors.js';
import { loadCompiledCatalog } from './compiled-catalogs.js';
import { checkAcrossFiles, formatProblem, parseCatalogFile, parsePortExpr, resolvePortItems } from './catalog-file.js';
import type { ParsedCatalogFile } from './catalog-file.js';
import type { Catalog, FollowOn, ParamDef, RoleDef, Rule } from './types.js';

/**
 * The shipped rules/ folder. Compiled JS lives in dist/src/catalog/ (rules/ is three levels
 * up); vitest runs the TypeScript in src/catalog/ (two levels up). FLOWAUDIT_RULES_DIR
 * overrides both, for packaging.
 */
export function rulesDir(): string {
  const env = process.env.FLOWAUDIT_RULES_DIR;
  if (env) return resolve(env);
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../rules'), resolve(here, '../../rules')];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isDirectory() && readdirSync(c).some((f) => f.endsWith('.yaml'))) return c;
  }
  return candidates[0];
}

/** Ids of the catalogs shipped in rules/ (file names without .yaml), sorted. */
export function listCatalogIds(dir: string = rulesDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Paths of all shipped catalog files (what `rules check` with no arguments checks). */
export function shippedCatalogFiles(dir: string = rulesDir()): string[] {
  return listCatalogIds(dir).map((id) => join(dir, `${id}.yaml`));
}

/**
 * A catalog file's path as reports show it, without the machine's folders: a shipped catalog
 * relative to the folder that holds rules/ ("rules/sccm-2007.yaml"), a site's own catalog
 * relative to the site file's folder ("catalogs/own.yaml"), with / as the separator.
 */
export function catalogFileLabel(file: string, siteFile: string | null, dir: string = rulesDir()): string {
  const inRules = relative(dir, file);
  const rel = !inRules.startsWith('..') && !isAbsolute(inRules)
    ? join(basename(dir), inRules)
    : siteFile !== null ? relative(dirname(resolve(siteFile)), file) : basename(file);
  return rel.split(sep).join('/');
}

export interface LoadOptions {
  /** Folder that relative catalog paths are resolved against (the site file's folder). */
  baseDir?: string;
  /** Folder of shipped catalogs; defaults to rulesDir(). */
  rulesDir?: string;
  /** Site parameters ("1e.switch_port" -> 4001) to resolve ports with; defaults otherwise. */
  params?: ReadonlyMap<string, number>;
}

/** A catalog reference is a path when it looks like one, else an id in rules/. */
export function resolveCatalogRef(ref: string, opts: LoadOptions = {}): string {
  const looksLikePath = /[\\/]/.test(ref) || /\.ya?ml$/i.test(ref);
  if (looksLikePath) {
    const p = isAbsolute(ref) ? ref : resolve(opts.baseDir ?? process.cwd(), ref);
    if (!existsSync(p)) throw new UserError(`catalog file not found: ${p}`);
    return p;
  }
  const dir = opts.rulesDir ?? rulesDir();
  const p = join(dir, `${ref}.yaml`);
  if (!existsSync(p)) {
    const known = listCatalogIds(dir);
    const near = known.filter((id) => editDistance(id, ref) <= 2);
    throw new UserError(`unknown catalog "${ref}"${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}; `
      + `shipped catalogs: ${known.length ? known.join(', ') : 'none found in ' + dir}; a catalog file of your own is named by its path (ending in .yaml)`);
  }
  return p;
}

/** Levenshtein distance (catalog ids are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Load and merge catalogs. Throws UserError listing every problem (file:line: field: message)
 * when any file fails `rules check`.
 */
export function loadCatalogs(refs: string[], opts: LoadOptions = {}): Catalog {
  if (refs.length === 0) throw new UserError('no catalogs given');
  const paths = [...new Set(refs.map((r) => resolveCatalogRef(r, opts)))];
  const parsed: ParsedCatalogFile[] = paths.map((p) => loadCompiledCatalog(p) ?? parseCatalogFile(p));
  const problems = [...parsed.flatMap((p) => p.problems), ...checkAcrossFiles(parsed)];
  if (problems.length > 0) {
    const shown = problems.slice(0, 30).map(formatProblem);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
    throw new UserError(`catalog problems:\n${shown.join('\n')}`);
  }
  const roles = new Map<string, RoleDef>();
  const params = new Map<string, ParamDef>();
  const rules: Rule[] = [];
  const hash = createHash('sha256');
  for (const p of parsed) {
    for (const r of p.roles) roles.set(r.id, r);
    for (const d of p.params) params.set(d.name, d);
    for (const r of p.rules) rules.push(r.rule);
    hash.update(`${p.id}\u0000${p.text}\u0000`);
  }
  const catalog: Catalog = {
    ids: parsed.map((p) => p.id), titles: new Map(parsed.map((p) => [p.id, p.title])), roles, params, rules, hash: hash.digest('hex'),
  };
  return opts.params && opts.params.size > 0 ? applyParams(catalog, opts.params) : catalog;
}

/** One catalog by id or path. */
export function loadCatalog(ref: string, opts: LoadOptions = {}): Catalog {
  return loadCatalogs([ref], opts);
}

/** Prefix of an id ("sccm.mp-to-sql" -> "sccm"): parameters in its port text belong to it. */
function prefixOf(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/**
 * The catalog with ports resolved for a site's parameters (new Rule objects; the input is
 * not changed). Port texts are re-parsed, so this also works on catalogs built in code.
 */
export function applyParams(catalog: Catalog, siteParams: ReadonlyMap<string, number>): Catalog {
  const resolveText = (text: string | undefined, id: string, fallback: Rule['ports']) => {
    if (text === undefined) return fallback;
    const items = parsePortExpr(text, prefixOf(id));
    return typeof items === 'string' ? fallback : resolvePortItems(items, catalog.params, siteParams);
  };
  const rules = catalog.rules.map((r): Rule => {
    const portless = r.proto === 'icmp' || r.proto === 'icmpv6' || r.proto === 'ip';
    return {
      ...r,
      ports: portless ? r.ports : resolveText(r.portsText, r.id, r.ports),
      then: r.then.map((f): FollowOn => ({ ...f, ports: resolveText(f.portsText, f.id, f.ports) })),
    };
  });
  return { ...catalog, rules };
}

/** A rule or follow-on channel by id (flows matched through a follow-on carry its id). */
export function findRule(catalog: Catalog, id: string): { rule: Rule; followOn: FollowOn | null } | null {
  for (const rule of catalog.rules) {
    if (rule.id === id) return { rule, followOn: null };
    for (const f of rule.then) if (f.id === id) return { rule, followOn: f };
  }
  return null;
}
