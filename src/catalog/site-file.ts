/**
 * The site file (contract: docs/contracts.md, "Site file"): which catalogs apply, which addresses
 * hold which roles, WAN sites, changed parameters and accepted ("ignore") flows.
 *
 * Every mistake is collected with its line and field and reported together in one
 * UserError, so a user fixes the file in one pass.
 */
import { createHash } from 'node:crypto';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { FileTooLarge, readTextFile } from '../util/read-text.js';
import { UserError } from '../util/errors.js';
import { dirname } from 'node:path';
import { parseAddressExpr } from './address-index.js';
import { parsePortExpr } from './catalog-file.js';
import { loadCatalogs } from './rules-loader.js';
import type { AddressRange, Catalog, IgnoreEntry, PortRange, Proto, Site } from './types.js';
import type { LoadOptions } from './rules-loader.js';

const TOP_KEYS = ['catalogs', 'roles', 'sites', 'params', 'ignore'];
const IGNORE_KEYS = ['from', 'to', 'proto', 'port'];
const PROTOS: Proto[] = ['tcp', 'udp', 'icmp', 'icmpv6', 'ip'];

interface Problem {
  line: number;
  field: string;
  message: string;
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
    lines: { catalogs: 1, roles: new Map(), params: new Map() },
  };
  const root = doc.contents;
  if (!isMap(root)) fail(file, [{ line: lineOf(root), field: '(file)', message: 'a site file is a map with keys catalogs, roles, sites, params, ignore' }]);

  /** An address list: one string or a list of strings; each parsed, errors reported per item. */
  const addresses = (node: unknown, field: string, roleNames?: Map<string, AddressRange[]>): AddressRange[] => {
    if (node === null || (isScalar(node) && node.value === null)) return [];
    const items = isSeq(node) ? node.items : [node];
    const out: AddressRange[] = [];
    items.forEach((it, i) => {
      const f = isSeq(node) ? `${field}[${i}]` : field;
      const v = isScalar(it) ? it.value : undefined;
      if (typeof v !== 'string') {
        add(it ?? node, f, `expected an address, CIDR or range as text (got ${v === undefined ? 'a structure' : JSON.stringify(v)}); quote IPv6 addresses`);
        return;
      }
      const named = roleNames?.get(v.trim());
      if (named) {
        out.push(...named);
        return;
      }
      try {
        out.push(parseAddressExpr(v));
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
    if (!TOP_KEYS.includes(key)) {
      add(pair.key, key || '(key)', `unknown key "${key}" (allowed: ${TOP_KEYS.join(', ')})`);
      continue;
    }
    if (key === 'catalogs') {
      site.lines!.catalogs = lineOf(pair.key);
      const items = isSeq(value) ? value.items : [value];
      items.forEach((it, i) => {
        const v = isScalar(it) ? it.value : undefined;
        if (typeof v === 'string' && v.trim() !== '') site.catalogs.push(v.trim());
        else add(it ?? pair.key, isSeq(value) ? `catalogs[${i}]` : 'catalogs', 'expected a catalog id (e.g. sccm-2007) or a path to a catalog file');
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

  // Ignore entries last: their from/to may name roles of this file.
  const ignorePair = root.items.find((p) => isScalar(p.key) && p.key.value === 'ignore');
  if (ignorePair && ignorePair.value !== null && !(isScalar(ignorePair.value) && ignorePair.value.value === null)) {
    const list = ignorePair.value;
    if (!isSeq(list)) add(ignorePair.key, 'ignore', 'expected a list of {from, to, proto, port}');
    else
      list.items.forEach((it, i) => {
        const base = `ignore[${i}]`;
        if (!isMap(it)) {
          add(it, base, 'expected {from, to, proto, port}');
          return;
        }
        const entry: IgnoreEntry = { from: null, to: null, proto: null, ports: null, line: lineOf(it), text: it.range ? text.slice(it.range[0], it.range[1]).trim() : base };
        for (const p of it.items) {
          const k = isScalar(p.key) ? String(p.key.value) : '';
          const field = `${base}.${k}`;
          if (!IGNORE_KEYS.includes(k)) {
            add(p.key, field, `unknown key "${k}" (allowed: ${IGNORE_KEYS.join(', ')})`);
            continue;
          }
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
            else if (items.some((x) => 'param' in x.lo || 'param' in x.hi)) add(p.value, field, 'parameters are not allowed in ignore entries');
            else entry.ports = items.map((x): PortRange => ({ lo: (x.lo as { n: number }).n, hi: (x.hi as { n: number }).n }));
          }
        }
        if (it.items.length === 0) add(it, base, 'an empty ignore entry would ignore everything');
        site.ignore.push(entry);
      });
  }

  if (problems.length) fail(file, problems);
  return site;
}

/**
 * Checks that need the catalog: every role id and parameter named in the site file must exist
 * in the loaded catalogs. Throws UserError with the lines.
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
  if (problems.length) fail(site.file, problems);
}

/**
 * What the CLI needs in one call: the site file, the catalogs it names (ids from rules/, or
 * paths relative to the site file's folder) with the site's parameters applied, and the
 * cross-check between the two. Every failure is a UserError.
 */
export function loadSiteWithCatalogs(file: string, opts: Pick<LoadOptions, 'rulesDir'> = {}): { site: Site; catalog: Catalog } {
  const site = loadSite(file);
  const catalog = loadCatalogs(site.catalogs, { baseDir: dirname(file), rulesDir: opts.rulesDir, params: site.params });
  checkSiteAgainstCatalog(site, catalog);
  return { site, catalog };
}
