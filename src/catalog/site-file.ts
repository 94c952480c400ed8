/**
 * The site file (contract: docs/contracts.md, "Site file"): which catalogs apply, which addresses
 * hold which roles, WAN sites, changed parameters, accepted ("ignore") and approved ("allow")
 * flows, and how strict the review is.
 *
 * Every mistake is collected with its line and field and reported together in one
 * UserError, so a user fixes the file in one pass.
 */
import { createHash } from 'node:crypto';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { FileTooLarge, readTextFile } from '../util/read-text.js';
import { UserError } from '../util/errors.js';
import { dirname, isAbsolute, join } from 'node:path';
import { parseAddressExpr, parseListedAddressExpr } from './address-index.js';
import { formatIp } from '../util/ip.js';
import { parsePortExpr } from './catalog-file.js';
import { loadCatalogs, resolveCatalogRef } from './rules-loader.js';
import type { AddressRange, AllowEntry, Catalog, IgnoreEntry, PortRange, Proto, Site, SiteRuleRef } from './types.js';
import type { LoadOptions } from './rules-loader.js';

const TOP_KEYS = ['catalogs', 'roles', 'sites', 'params', 'ignore', 'allow'];
const IGNORE_KEYS = ['from', 'to', 'proto', 'port'];
/** The keys an `allow:` entry has beyond the matcher's. */
const ALLOW_EXTRA_KEYS = ['reason', 'by', 'date', 'rule'];
const PROTOS: Proto[] = ['tcp', 'udp', 'icmp', 'icmpv6', 'ip'];

interface Problem {
  line: number;
  field: string;
  message: string;
}

/** What a YAML node holds, in words, for "expected ... (got ...)" messages. */
function describeNode(node: unknown): string {
  if (isAlias(node)) return `the YAML alias *${node.source} (site files do not follow anchors and aliases: write the value out)`;
  if (isMap(node)) {
    const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '?'));
    const ipv6 = keys.some((k) => k.includes(':'))
      ? `; an IPv6 address ending in "::" reads as a map key in YAML: quote it ("${keys.find((k) => k.includes(':'))}:")`
      : '';
    return `a map with key${keys.length === 1 ? '' : 's'} ${keys.map((k) => JSON.stringify(k)).join(', ')}${ipv6}`;
  }
  if (isSeq(node)) return 'a list inside the list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    return typeof v === 'number' ? `the number ${String(node.source ?? v)}` : typeof v === 'boolean' ? `the boolean ${String(v)}` : JSON.stringify(v);
  }
  return 'nothing';
}

function fail(file: string, problems: Problem[]): never {
  problems.sort((a, b) => a.line - b.line);
  const lines = problems.map((p) => `${file}:${p.line}: ${p.field}: ${p.message}`);
  throw new UserError(problems.length === 1 ? `site file error: ${lines[0]}` : `site file errors:\n${lines.join('\n')}`);
}

/**
 * The largest site file read (16 MiB: some 800,000 single addresses, ~2 GB of memory to parse;
 * real estates list their ranges as CIDRs and ranges in a few kilobytes).
 */
export const SITE_FILE_LIMIT = 16 * 1024 * 1024;

/** Load and validate a site file. Throws UserError naming file, line and field. */
export function loadSite(file: string): Site {
  let text: string;
  try {
    text = readTextFile(file, SITE_FILE_LIMIT);
  } catch (err) {
    if (err instanceof FileTooLarge) {
      throw new UserError(`site file ${err.message} (write address lists as CIDRs or ranges: 10.1.0.0/16, 10.2.0.10-10.2.0.99)`);
    }
    throw new UserError(`cannot read site file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSite(text, file);
}

/** Parse site file text (file is used in messages only). */
export function parseSite(text: string, file: string): Site {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const problems: Problem[] = [];
  const lineOf = (node: unknown): number => {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    return r ? lc.linePos(r[0]).line : 1;
  };
  const add = (node: unknown, field: string, message: string) => problems.push({ line: lineOf(node), field, message });

  for (const e of doc.errors) problems.push({ line: e.linePos?.[0].line ?? 1, field: '(yaml)', message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
  if (problems.length) fail(file, problems);

  const site: Site = {
    file,
    catalogs: [],
    roles: new Map(),
    sites: new Map(),
    params: new Map(),
    ignore: [],
    hash: createHash('sha256').update(text).digest('hex'),
    lines: { catalogs: 1, roles: new Map(), params: new Map(), catalogItems: [] },
    warnings: [],
  };
  const root = doc.contents;
  if (!isMap(root)) fail(file, [{ line: lineOf(root), field: '(file)', message: 'a site file is a map with keys catalogs, roles, sites, params, ignore' }]);

  /** Texts of the `@file` address lists read, which the site's hash covers too. */
  const listTexts: string[] = [];
  /** An address list: one string or a list of strings; each parsed, errors reported per item. */
  const addresses = (node: unknown, field: string, roleNames?: Map<string, AddressRange[]>): AddressRange[] => {
    if (node === null || (isScalar(node) && node.value === null)) return [];
    const items = isSeq(node) ? node.items : [node];
    const out: AddressRange[] = [];
    items.forEach((it, i) => {
      const f = isSeq(node) ? `${field}[${i}]` : field;
      const v = isScalar(it) ? it.value : undefined;
      if (typeof v !== 'string') {
        add(it ?? node, f, `expected an address, CIDR or range as text (got ${describeNode(it)})`);
        return;
      }
      const named = roleNames?.get(v.trim());
      if (named) {
        out.push(...named);
        return;
      }
      if (v.trim().startsWith('@')) {
        const list = addressListFile(file, v.trim().slice(1), `${file}:${lineOf(it)}: ${f}`);
        if (typeof list === 'string') add(it, f, list);
        else {
          for (const r of list.ranges) out.push(r); // a spread of half a million would overflow the stack
          listTexts.push(list.text);
        }
        return;
      }
      try {
        const range = parseAddressExpr(v);
        out.push(range);
        const slash = v.indexOf('/');
        if (slash >= 0 && parseAddressExpr(v.slice(0, slash)).lo !== range.lo) {
          const network = `${formatIp(range.family, range.lo)}${v.trim().slice(v.trim().indexOf('/'))}`;
          site.warnings!.push(`${file}:${lineOf(it)}: ${f}: "${v.trim()}" has host bits set: read as the network ${network}`);
        }
      } catch (err) {
        add(it, f, (err as Error).message + (roleNames ? ' (nor a role listed under roles)' : ''));
      }
    });
    return out;
  };

  const seenKeys = new Set<string>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    seenKeys.add(key);
    const value = pair.value;
    if (!TOP_KEYS.includes(key) && !RULE_LIST_KEYS.includes(key) && !REVIEW_KEYS.includes(key)) {
      add(pair.key, key || '(key)', `unknown key "${key}" (allowed: ${[...TOP_KEYS, ...RULE_LIST_KEYS, ...REVIEW_KEYS].join(', ')})`);
      continue;
    }
    if (REVIEW_KEYS.includes(key)) {
      parseReviewKey(key, value, site, (node, message) => add(node ?? pair.key, key, message));
      continue;
    }
    if (key === 'catalogs') {
      site.lines!.catalogs = lineOf(pair.key);
      const items = isSeq(value) ? value.items : [value];
      items.forEach((it, i) => {
        const v = isScalar(it) ? it.value : undefined;
        if (typeof v === 'string' && v.trim() !== '') {
          site.catalogs.push(v.trim());
          site.lines!.catalogItems!.push({ line: lineOf(it), field: isSeq(value) ? `catalogs[${i}]` : 'catalogs' });
        } else add(it ?? pair.key, isSeq(value) ? `catalogs[${i}]` : 'catalogs', `expected a catalog id (e.g. sccm-2007) or a path to a catalog file (got ${describeNode(it)})`);
      });
      if (site.catalogs.length === 0 && items.length === 0) add(pair.key, 'catalogs', 'must list at least one catalog');
    } else if (key === 'roles' || key === 'sites') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) {
        add(pair.key, key, `expected a map of ${key === 'roles' ? 'role id' : 'site name'} -> addresses`);
        continue;
      }
      for (const p of value.items) {
        const name = isScalar(p.key) ? String(p.key.value) : '';
        const field = `${key}.${name}`;
        if (key === 'roles' && !/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/.test(name)) {
          add(p.key, field, 'role ids look like "product.role" (e.g. sccm.management-point)');
          continue;
        }
        if (key === 'sites' && name.trim() === '') {
          add(p.key, 'sites', 'empty site name');
          continue;
        }
        const ranges = addresses(p.value, field);
        if (key === 'roles') {
          site.roles.set(name, ranges);
          site.lines!.roles.set(name, lineOf(p.key));
        } else site.sites.set(name, ranges);
      }
    } else if (key === 'params') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) {
        add(pair.key, 'params', 'expected a map of parameter -> port (e.g. 1e.switch_port: 4001)');
        continue;
      }
      for (const p of value.items) {
        const name = isScalar(p.key) ? String(p.key.value) : '';
        const field = `params.${name}`;
        const v = isScalar(p.value) ? p.value.value : undefined;
        if (!/^[a-z0-9][a-z0-9-]*\.[a-z0-9_]+$/.test(name)) add(p.key, field, 'parameter names look like "product.name" (e.g. 1e.switch_port)');
        else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) add(p.value ?? p.key, field, 'expected a port number 1-65535 (or 0 for "not in use")');
        else {
          site.params.set(name, v);
          site.lines!.params.set(name, lineOf(p.key));
        }
      }
    }
  }
  if (!seenKeys.has('catalogs')) problems.push({ line: 1, field: 'catalogs', message: 'missing "catalogs" (which rules/ catalogs apply)' });

  /**
   * The entries of `ignore:` or `allow:`: a list of {from, to, proto, port} matchers (each key
   * optional, not all absent), `extraKeys` more keys of the list's own that `extra` reads into
   * the entry. `from`/`to` may name roles of this file, so these are parsed last.
   */
  const flowMatchEntries = <E extends IgnoreEntry>(
    key: 'ignore' | 'allow', extraKeys: readonly string[],
    make: (base: IgnoreEntry) => E,
    extra: (entry: E, k: string, value: unknown, keyNode: unknown, field: string) => void,
    finish: (entry: E, node: YAMLMap, base: string) => void,
  ): E[] => {
    const out: E[] = [];
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return out;
    const keys = [...IGNORE_KEYS, ...extraKeys];
    const shape = `{${keys.join(', ')}}`;
    const list = pair.value;
    if (!isSeq(list)) {
      add(pair.key, key, `expected a list of ${shape}`);
      return out;
    }
    list.items.forEach((it, i) => {
      const base = `${key}[${i}]`;
      if (!isMap(it)) {
        add(it, base, `expected ${shape}`);
        return;
      }
      const entry = make({ from: null, to: null, proto: null, ports: null, line: lineOf(it), text: it.range ? text.slice(it.range[0], it.range[1]).trim() : base });
      let matchers = 0;
      for (const p of it.items) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        const field = `${base}.${k}`;
        if (!keys.includes(k)) {
          add(p.key, field, `unknown key "${k}" (allowed: ${keys.join(', ')})`);
          continue;
        }
        if (!IGNORE_KEYS.includes(k)) {
          extra(entry, k, p.value, p.key, field);
          continue;
        }
        matchers++;
        const v = isScalar(p.value) ? p.value.value : undefined;
        if (k === 'from' || k === 'to') {
          if (v === 'any') continue;
          entry[k] = addresses(p.value, field, site.roles);
        } else if (k === 'proto') {
          if (typeof v !== 'string' || !PROTOS.includes(v as Proto)) add(p.value ?? p.key, field, `bad proto "${String(v)}" (one of ${PROTOS.join(', ')})`);
          else if (v !== 'ip') entry.proto = v as Proto;
        } else if (k === 'port') {
          const portText = isSeq(p.value) ? p.value.items.map((x) => String(isScalar(x) ? x.value : '?')).join(', ') : String(v);
          const items = isSeq(p.value) || typeof v === 'number' || typeof v === 'string' ? parsePortExpr(portText, 'site') : 'expected a port, a range or a list';
          if (typeof items === 'string') add(p.value ?? p.key, field, `bad port: ${items}`);
          else if (items.some((x) => 'param' in x.lo || 'param' in x.hi)) add(p.value, field, `parameters are not allowed in ${key} entries`);
          else entry.ports = items.map((x): PortRange => ({ lo: (x.lo as { n: number }).n, hi: (x.hi as { n: number }).n }));
        }
      }
      if (matchers === 0 && (key === 'allow' || it.items.length === 0)) add(it, base, `an empty ${key} entry would ${key} everything`);
      finish(entry, it, base);
      out.push(entry);
    });
    return out;
  };

  site.ignore = flowMatchEntries('ignore', [], (e) => e, () => {}, () => {});
  const allow = flowMatchEntries<AllowEntry>('allow', ALLOW_EXTRA_KEYS,
    (e) => ({ ...e, reason: '', by: null, date: null, rule: null, fromText: null, toText: null, portText: null }),
    (entry, k, value, keyNode, field) => {
      const v = isScalar(value) ? value.value : undefined;
      const problem = allowFieldProblem(k, v);
      if (problem) add(value ?? keyNode, field, problem);
      else entry[k as 'reason' | 'by' | 'date' | 'rule'] = String(v).trim();
    },
    (entry, node, base) => {
      const hasReason = node.items.some((p) => isScalar(p.key) && p.key.value === 'reason');
      if (!hasReason) add(node, `${base}.reason`, 'missing "reason" (why this flow is accepted)');
      entry.fromText = writtenList(node.get('from', true));
      entry.toText = writtenList(node.get('to', true));
      const port = node.get('port', true);
      entry.portText = port === undefined ? null
        : isSeq(port) ? port.items.map((x) => String(isScalar(x) ? x.value : '?')).join(', ') : String(isScalar(port) ? port.value : '');
    });
  if (allow.length) site.allow = allow;

  parseRuleLists(root, site, lineOf, add);

  if (problems.length) fail(file, problems);
  // An inventory kept in a list file is part of the site: a changed list is a changed site.
  if (listTexts.length) site.hash = createHash('sha256').update(text).update(listTexts.join('\0')).digest('hex');
  return site;
}

/** What is wrong with the value of an `allow:` entry's reason, by, date or rule (null: nothing). */
function allowFieldProblem(k: string, v: unknown): string | null {
  if (k === 'date') {
    const t = typeof v === 'string' ? v.trim() : '';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    if (!m) return `expected a date as YYYY-MM-DD (got ${typeof v === 'string' ? JSON.stringify(v) : String(v)})`;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return `no such date "${t}"`;
    return null;
  }
  if (typeof v !== 'string' || v.trim() === '') {
    const what = k === 'reason' ? 'why this flow is accepted' : k === 'by' ? 'who approved it' : 'a catalog rule id (flowaudit rules list shows them)';
    return `expected text: ${what} (got ${v === undefined ? 'a list or map' : v === null ? 'nothing' : String(v)})`;
  }
  return null;
}

/** An `allow:` entry's from/to as written: null for absent or `any`. */
function writtenList(node: unknown): string[] | null {
  if (node === undefined || node === null) return null;
  const items = isSeq(node) ? node.items : [node];
  const out = items.map((x) => (isScalar(x) ? String(x.value).trim() : '?'));
  return out.length === 1 && out[0] === 'any' ? null : out;
}

/** Address list files are read up to this size (about 2.5 million single addresses). */
export const ADDRESS_LIST_LIMIT = 64 * 1024 * 1024;

/**
 * `@FILE` where an address is expected: a large inventory as a plain text file, one address,
 * CIDR or range per line (`#` starts a comment), its path relative to the site file. It is
 * parsed line by line without YAML, which for half a million addresses costs a few seconds
 * instead of a YAML document of hundreds of megabytes of heap. Returns the ranges and the text,
 * or the first problem as a message naming the list file and line (`where` names the entry).
 */
function addressListFile(siteFile: string, name: string, where: string): { ranges: AddressRange[]; text: string } | string {
  if (name === '') return 'expected a file name after @ (an address list, one address, CIDR or range per line)';
  const path = isAbsolute(name) ? name : join(dirname(siteFile), name);
  let text: string;
  try {
    text = readTextFile(path, ADDRESS_LIST_LIMIT);
  } catch (err) {
    if (err instanceof FileTooLarge) return `address list ${err.message}`;
    return `cannot read address list ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  const ranges: AddressRange[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i]!.indexOf('#');
    const entry = (hash >= 0 ? lines[i]!.slice(0, hash) : lines[i]!).trim();
    if (entry === '') continue;
    try {
      ranges.push(parseListedAddressExpr(entry));
    } catch (err) {
      return `${path}:${i + 1}: ${(err as Error).message} (in the address list named at ${where})`;
    }
  }
  if (ranges.length === 0) return `address list ${path} has no addresses`;
  return { ranges, text };
}

// --- review options --------------------------------------------------------------------------
// How strict the review is, apart from what the network holds (roles, sites, parameters).

/** `strict: true`: a flow only a time window allows is an unexpected finding (announced ports only). */
const REVIEW_KEYS = ['strict'];

function parseReviewKey(key: string, value: unknown, site: Site, problem: (node: unknown, message: string) => void): void {
  if (key === 'strict') {
    const v = isScalar(value) ? value.value : undefined;
    if (typeof v === 'boolean') site.strict = v;
    else problem(value, 'expected true or false (true: flows only a time window allows are unexpected)');
  }
}

// --- require / optional ---------------------------------------------------------------------------

/** Keys that list rule ids whose requirement the site overrides. */
const RULE_LIST_KEYS = ['require', 'optional'];

/**
 * `require: [rule ids]` and `optional: [rule ids]`: which paths this deployment must show,
 * overriding each rule's own `required` (catalog/requirement.ts applies them). One id or a list;
 * an id under both keys is an error. Whether the ids exist is checked against the catalogs by
 * checkRuleLists(), once they are loaded.
 */
function parseRuleLists(
  root: YAMLMap, site: Site, lineOf: (node: unknown) => number, add: (node: unknown, field: string, message: string) => void,
): void {
  const listed = new Map<string, string>();
  for (const key of RULE_LIST_KEYS) {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!pair) continue;
    const refs: SiteRuleRef[] = [];
    const value = pair.value;
    if (value !== null && !(isScalar(value) && value.value === null)) {
      const items = isSeq(value) ? value.items : [value];
      items.forEach((it, i) => {
        const field = isSeq(value) ? `${key}[${i}]` : key;
        const v = isScalar(it) ? it.value : undefined;
        if (typeof v !== 'string' || v.trim() === '') {
          add(it ?? pair.key, field, 'expected a rule id (e.g. sccm.client-to-sup; flowaudit rules list shows them)');
          return;
        }
        const id = v.trim();
        const other = listed.get(id);
        if (other !== undefined && other !== key) {
          add(it, field, `rule "${id}" is listed under both ${other} and ${key}`);
          return;
        }
        listed.set(id, key);
        refs.push({ id, line: lineOf(it), field });
      });
    }
    if (key === 'require') site.require = refs;
    else site.optional = refs;
  }
}

/** The rule ids of `require:` and `optional:` must be rules of the loaded catalogs. */
function checkRuleLists(site: Site, catalog: Catalog, problems: Problem[]): void {
  const ids = new Set(catalog.rules.map((r) => r.id));
  const followOnOf = new Map<string, string>();
  for (const r of catalog.rules) for (const f of r.then) followOnOf.set(f.id, r.id);
  for (const ref of [...(site.require ?? []), ...(site.optional ?? [])]) {
    if (ids.has(ref.id)) continue;
    const parent = followOnOf.get(ref.id);
    problems.push({
      line: ref.line,
      field: ref.field,
      message: `unknown rule "${ref.id}"` + (parent
        ? ` (a follow-on of ${parent}, which is the rule to list)`
        : ` (loaded catalogs: ${catalog.ids.join(', ')}; flowaudit rules list shows their rule ids)`),
    });
  }
}

/** The `rule` of an `allow:` entry must be a rule (or follow-on) of the loaded catalogs. */
function checkAllowRules(site: Site, catalog: Catalog, problems: Problem[]): void {
  if (!site.allow) return;
  const ids = new Set<string>();
  for (const r of catalog.rules) {
    ids.add(r.id);
    for (const f of r.then) ids.add(f.id);
  }
  site.allow.forEach((e, i) => {
    if (e.rule !== null && !ids.has(e.rule)) {
      problems.push({ line: e.line, field: `allow[${i}].rule`, message: `unknown rule "${e.rule}" (loaded catalogs: ${catalog.ids.join(', ')}; flowaudit rules list shows their rule ids)` });
    }
  });
}

/**
 * Checks that need the catalog: every role id, parameter and rule id named in the site file must
 * exist in the loaded catalogs. Throws UserError with the lines.
 */
export function checkSiteAgainstCatalog(site: Site, catalog: Catalog): void {
  const problems: Problem[] = [];
  for (const role of site.roles.keys()) {
    if (!catalog.roles.has(role)) {
      const known = [...catalog.roles.keys()].filter((r) => r.split('.')[0] === role.split('.')[0]);
      problems.push({
        line: site.lines?.roles.get(role) ?? 1,
        field: `roles.${role}`,
        message: `unknown role "${role}"` + (known.length ? ` (this catalog has: ${known.join(', ')})` : ` (loaded catalogs: ${catalog.ids.join(', ')})`),
      });
    }
  }
  for (const name of site.params.keys()) {
    if (!catalog.params.has(name)) {
      const known = [...catalog.params.keys()].filter((r) => r.split('.')[0] === name.split('.')[0]);
      problems.push({
        line: site.lines?.params.get(name) ?? 1,
        field: `params.${name}`,
        message: `unknown parameter "${name}"` + (known.length ? ` (known: ${known.join(', ')})` : ''),
      });
    }
  }
  checkRuleLists(site, catalog, problems);
  checkAllowRules(site, catalog, problems);
  if (problems.length) fail(site.file, problems);
}

/**
 * What the CLI needs in one call: the site file, the catalogs it names (ids from rules/, or
 * paths relative to the site file's folder) with the site's parameters applied, and the
 * cross-check between the two. Every failure is a UserError.
 */
export function loadSiteWithCatalogs(file: string, opts: Pick<LoadOptions, 'rulesDir'> = {}): { site: Site; catalog: Catalog } {
  const site = loadSite(file);
  // A catalog that cannot be found is the site file's mistake: name its line and field.
  const problems: Problem[] = [];
  site.catalogs.forEach((ref, i) => {
    try {
      resolveCatalogRef(ref, { baseDir: dirname(file), rulesDir: opts.rulesDir });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const at = site.lines?.catalogItems?.[i];
      problems.push({ line: at?.line ?? site.lines?.catalogs ?? 1, field: at?.field ?? `catalogs[${i}]`, message: err.message });
    }
  });
  if (problems.length) fail(file, problems);
  const catalog = loadCatalogs(site.catalogs, { baseDir: dirname(file), rulesDir: opts.rulesDir, params: site.params });
  checkSiteAgainstCatalog(site, catalog);
  return { site, catalog };
}
