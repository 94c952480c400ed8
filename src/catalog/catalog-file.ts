/**
 * Reading and validating catalog files (rules/*.yaml).
 *
 * One parser does both jobs: it turns a catalog file into roles, parameters and rules, and
 * records every problem it meets with file, line and field, instead of stopping at the
 * first. `flowaudit rules check` prints the problems; the loader refuses a catalog that has
 * any. The format is described in docs/catalog-format.md.
 */
import { FileTooLarge, readTextFile } from '../util/read-text.js';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import { parseAddressExpr } from './address-index.js';
import type { FollowOn, ParamDef, PortRange, Proto, RoleDef, Rule, WanCache } from './types.js';

/** One thing wrong with a catalog file. `field` is a path such as "rules[12].port". */
export interface RuleProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** "rules/sccm-2007.yaml:42: rules[3].port: port 70000 is out of range" */
export function formatProblem(p: RuleProblem): string {
  return `${p.file}:${p.line}: ${p.field}: ${p.message}`;
}

/**
 * Addresses classes every site has without naming them. Rules may use them directly in
 * from/to, and catalog roles may default to them (e.g. "1E Cloud" defaults to internet).
 *  - multicast: 224.0.0.0/4, ff00::/8
 *  - broadcast: 255.255.255.255
 *  - internet:  any other address that is not private/special-use and not inside a `sites` subnet
 *  - internal:  everything else (private, link-local, loopback, CGNAT, ULA, or a `sites` subnet)
 */
export const PSEUDO_ROLES = ['internet', 'internal', 'multicast', 'broadcast'] as const;
export type PseudoRole = (typeof PSEUDO_ROLES)[number];
export function isPseudoRole(name: string): name is PseudoRole {
  return (PSEUDO_ROLES as readonly string[]).includes(name);
}

// ---------------------------------------------------------------------------------------
// Port expressions: "80", "80, 8530", "1025-65535", "${switch_port}",
// "${first_port}-${last_port}", or a YAML list of those.

export type PortAtom = { n: number } | { param: string };
export interface PortItem {
  lo: PortAtom;
  hi: PortAtom;
}

/** Values of a parameter in effect for a site (several while a vendor default has alternatives). */
export function paramValues(def: ParamDef, siteParams: ReadonlyMap<string, number>): number[] {
  const set = siteParams.get(def.name);
  if (set !== undefined) return [set];
  if (def.derive) {
    const src = siteParams.get(def.derive.from);
    if (src !== undefined) return [def.derive.map[String(src)] ?? src + def.derive.add];
  }
  return [def.default, ...(def.alternatives ?? [])];
}

/**
 * Parse a port expression. Parameter names are qualified with the catalog prefix
 * ("${switch_port}" in 1e-platform -> "1e.switch_port"). Returns an error string on bad input.
 */
export function parsePortExpr(text: string, prefix: string): PortItem[] | string {
  const items: PortItem[] = [];
  const atom = (s: string): PortAtom | string => {
    const t = s.trim();
    const m = /^\$\{\s*([A-Za-z0-9_.-]+)\s*\}$/.exec(t);
    if (m) return { param: m[1].includes('.') ? m[1] : `${prefix}.${m[1]}` };
    if (!/^\d+$/.test(t)) return `"${t}" is not a port number or \${parameter}`;
    const n = Number(t);
    if (n < 1 || n > 65535) return `port ${t} is out of range 1-65535`;
    return { n };
  };
  for (const part of text.split(',')) {
    if (part.trim() === '') return `empty item in port list "${text}"`;
    // A '-' between two atoms is a range; parameters never contain '-' before their '}'.
    const m = /^\s*(\$\{[^}]*\}|\d+)\s*-\s*(\$\{[^}]*\}|\d+)\s*$/.exec(part);
    const lo = atom(m ? m[1] : part);
    if (typeof lo === 'string') return lo;
    const hi = m ? atom(m[2]) : lo;
    if (typeof hi === 'string') return hi;
    if ('n' in lo && 'n' in hi && lo.n > hi.n) return `range ${lo.n}-${hi.n} ends before it starts`;
    items.push({ lo, hi });
  }
  return items;
}

/**
 * Resolve a parsed expression to port ranges. A parameter resolving to 0 means "not in use":
 * that item is dropped. Ranges whose ends are parameters take each end's first value.
 */
export function resolvePortItems(
  items: PortItem[],
  params: ReadonlyMap<string, ParamDef>,
  siteParams: ReadonlyMap<string, number>,
): PortRange[] {
  const out: PortRange[] = [];
  const values = (a: PortAtom): number[] => {
    if ('n' in a) return [a.n];
    const def = params.get(a.param);
    return def ? paramValues(def, siteParams) : [];
  };
  for (const it of items) {
    if (it.lo === it.hi) {
      for (const v of values(it.lo)) if (v > 0) out.push({ lo: v, hi: v });
      continue;
    }
    const lo = values(it.lo)[0] ?? 0;
    const hi = values(it.hi)[0] ?? 0;
    if (lo > 0 && hi >= lo) out.push({ lo, hi });
  }
  return mergeRanges(out);
}

/** Sort and merge overlapping/adjacent ranges so lookups and reports stay tidy. */
export function mergeRanges(ranges: PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi);
    else out.push({ ...r });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Parsed catalog file

/** Rule plus what is needed to re-resolve its ports for a site's parameters. */
export interface ParsedRule {
  rule: Rule;
  portItems: PortItem[];
  thenItems: PortItem[][];
  /** Role references as written-and-qualified, with their line/field for cross-file checks. */
  roleRefs: { role: string; line: number; field: string }[];
}

export interface ParsedCatalogFile {
  file: string;
  id: string;
  prefix: string;
  title: string;
  roles: RoleDef[];
  params: ParamDef[];
  rules: ParsedRule[];
  /** Lines of rule and follow-on ids, for the duplicate-id check across files. */
  idLines: { id: string; line: number; field: string }[];
  text: string;
  problems: RuleProblem[];
}

const TOP_KEYS = ['catalog', 'prefix', 'title', 'description', 'sources', 'roles', 'params', 'rules'];
const ROLE_KEYS = ['title', 'default', 'doc'];
const PARAM_KEYS = ['default', 'doc', 'alternatives', 'derive'];
const DERIVE_KEYS = ['from', 'map', 'add'];
const RULE_KEYS = ['id', 'title', 'from', 'to', 'proto', 'port', 'icmp_type', 'direction', 'required', 'wan_cache', 'then', 'source', 'note'];
const THEN_KEYS = ['id', 'title', 'proto', 'port', 'via', 'within', 'direction'];
const SOURCE_KEYS = ['doc', 'ref'];
const PROTOS: Proto[] = ['tcp', 'udp', 'icmp', 'icmpv6', 'ip'];
const VIAS: FollowOn['via'][] = ['epm', 'ftp', 'ssrp', 'tftp', 'window'];
const LOCAL_ID = /^[a-z0-9][a-z0-9-]*$/;
/** Catalog ids may carry a version ("altiris-ds-5.5"); prefixes may not contain dots. */
const CATALOG_ID = /^[a-z0-9][a-z0-9.-]*$/;
const PARAM_NAME = /^[a-z0-9][a-z0-9_]*$/;

/** Small helper that knows the file and how to turn offsets into lines. */
class Ctx {
  readonly problems: RuleProblem[] = [];
  constructor(
    readonly file: string,
    private readonly lc: LineCounter,
  ) {}
  line(node: unknown): number {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    return r ? this.lc.linePos(r[0]).line : 1;
  }
  add(node: unknown, field: string, message: string): void {
    this.problems.push({ file: this.file, line: this.line(node), field, message });
  }
  addAt(line: number, field: string, message: string): void {
    this.problems.push({ file: this.file, line, field, message });
  }
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** Map entries as [key, keyNode, valueNode]; reports unknown keys. */
function entries(ctx: Ctx, map: YAMLMap, allowed: string[] | null, field: string): [string, Pair, unknown][] {
  const out: [string, Pair, unknown][] = [];
  for (const pair of map.items) {
    const key = String(scalarValue(pair.key) ?? '');
    if (allowed && !allowed.includes(key)) {
      ctx.add(pair.key, field ? `${field}.${key}` : key, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
      continue;
    }
    out.push([key, pair, pair.value]);
  }
  return out;
}

/** A string or a list of strings (from/to, role defaults). */
function stringList(ctx: Ctx, node: unknown, field: string): string[] | null {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return [node.value.trim()];
  if (isSeq(node)) {
    const out: string[] = [];
    node.items.forEach((it, i) => {
      const v = scalarValue(it);
      if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
      else ctx.add(it ?? node, `${field}[${i}]`, 'expected a name');
    });
    if (out.length === 0) ctx.add(node, field, 'must not be empty');
    return out;
  }
  ctx.add(node, field, 'expected a name or a list of names');
  return null;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Port value as written: number, "expr" or a list of those. Returns text + parsed items. */
function portField(ctx: Ctx, node: unknown, field: string, prefix: string): { text: string; items: PortItem[] } | null {
  let text: string;
  if (isSeq(node)) {
    const parts = node.items.map((it) => scalarValue(it));
    if (parts.length === 0 || parts.some((p) => typeof p !== 'number' && typeof p !== 'string')) {
      ctx.add(node, field, 'expected a port, a range "lo-hi", a ${parameter} or a list of those');
      return null;
    }
    text = parts.map(String).join(', ');
  } else {
    const v = scalarValue(node);
    if (typeof v !== 'number' && typeof v !== 'string') {
      ctx.add(node, field, 'expected a port, a range "lo-hi", a ${parameter} or a list of those');
      return null;
    }
    text = String(v);
  }
  const items = parsePortExpr(text, prefix);
  if (typeof items === 'string') {
    ctx.add(node, field, `bad port range: ${items}`);
    return null;
  }
  return { text, items };
}

/** Parse and check one catalog file's text. Never throws; problems are in the result. */
export function parseCatalogText(text: string, file: string): ParsedCatalogFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const ctx = new Ctx(file, lc);
  const out: ParsedCatalogFile = {
    file,
    id: '',
    prefix: '',
    title: '',
    roles: [],
    params: [],
    rules: [],
    idLines: [],
    text,
    problems: ctx.problems,
  };
  for (const e of doc.errors) {
    ctx.addAt(e.linePos?.[0].line ?? 1, '(yaml)', e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
  }
  if (doc.errors.length > 0) return out;
  const root = doc.contents;
  if (!isMap(root)) {
    ctx.add(root, '(file)', 'a catalog is a map with keys catalog, prefix, title, roles, params, rules');
    return out;
  }
  const top = new Map(entries(ctx, root, TOP_KEYS, '').map(([k, p, v]) => [k, { pair: p, value: v }]));

  // Header: catalog id, prefix, title.
  for (const key of ['catalog', 'prefix']) {
    const ent = top.get(key);
    const v = ent ? scalarValue(ent.value) : undefined;
    if (!ent) ctx.addAt(1, key, `missing "${key}"`);
    else if (typeof v !== 'string' || !(key === 'catalog' ? CATALOG_ID : LOCAL_ID).test(v))
      ctx.add(ent.value, key, key === 'catalog' ? 'catalog ids are lowercase letters, digits, dashes and dots' : 'prefixes are lowercase letters, digits and dashes');
    else if (key === 'catalog') out.id = v;
    else out.prefix = v;
  }
  const titleV = scalarValue(top.get('title')?.value);
  out.title = typeof titleV === 'string' ? titleV : out.id;
  const prefix = out.prefix || out.id || 'catalog';

  // Roles: local id -> title, or {title, default, doc}.
  const localRoles = new Set<string>();
  const rolesEnt = top.get('roles');
  if (!rolesEnt) ctx.addAt(1, 'roles', 'missing "roles"');
  else if (!isMap(rolesEnt.value)) ctx.add(rolesEnt.pair.key, 'roles', 'expected a map of role id -> title');
  else {
    for (const [key, pair, value] of entries(ctx, rolesEnt.value, null, 'roles')) {
      const field = `roles.${key}`;
      if (!LOCAL_ID.test(key)) {
        ctx.add(pair.key, field, 'role ids are lowercase letters, digits and dashes (the prefix is added)');
        continue;
      }
      if (isPseudoRole(key)) {
        ctx.add(pair.key, field, `"${key}" is a built-in pseudo-role; use it directly, do not define it`);
        continue;
      }
      const role: RoleDef = { id: `${prefix}.${key}`, title: key, product: out.id };
      if (isScalar(value) && typeof value.value === 'string') {
        role.title = value.value;
      } else if (isMap(value)) {
        for (const [k, p, v] of entries(ctx, value, ROLE_KEYS, field)) {
          if (k === 'title') {
            if (typeof scalarValue(v) === 'string') role.title = scalarValue(v) as string;
            else ctx.add(p.key, `${field}.title`, 'expected text');
          } else if (k === 'doc') {
            if (typeof scalarValue(v) === 'string') role.doc = scalarValue(v) as string;
            else ctx.add(p.key, `${field}.doc`, 'expected text');
          } else if (k === 'default') {
            const list = stringList(ctx, v, `${field}.default`);
            if (list) {
              for (const d of list) {
                if (isPseudoRole(d)) continue;
                try {
                  parseAddressExpr(d);
                } catch (err) {
                  ctx.add(v, `${field}.default`, `"${d}" is neither a pseudo-role (${PSEUDO_ROLES.join(', ')}) nor an address: ${(err as Error).message}`);
                }
              }
              role.default = list;
            }
          }
        }
      } else {
        ctx.add(pair.key, field, 'expected a title or a map with title/default');
      }
      localRoles.add(key);
      out.roles.push(role);
    }
  }

  // Params: local name -> {default, doc, alternatives?, derive?}.
  const paramsEnt = top.get('params');
  const paramDefs = new Map<string, ParamDef>();
  const paramLines = new Map<string, number>();
  if (paramsEnt && !isMap(paramsEnt.value) && scalarValue(paramsEnt.value) !== null) {
    ctx.add(paramsEnt.pair.key, 'params', 'expected a map of parameter name -> {default, doc}');
  } else if (paramsEnt && isMap(paramsEnt.value)) {
    for (const [key, pair, value] of entries(ctx, paramsEnt.value, null, 'params')) {
      const field = `params.${key}`;
      if (!PARAM_NAME.test(key)) {
        ctx.add(pair.key, field, 'parameter names are lowercase letters, digits and underscores');
        continue;
      }
      const def: ParamDef = { name: `${prefix}.${key}`, default: NaN, doc: '' };
      paramLines.set(def.name, ctx.line(pair.key));
      if (!isMap(value)) {
        ctx.add(pair.key, field, 'parameter without default: expected {default: PORT, doc: TEXT}');
        continue;
      }
      let deriveNode: unknown = null;
      for (const [k, p, v] of entries(ctx, value, PARAM_KEYS, field)) {
        const sv = scalarValue(v);
        if (k === 'default') {
          if (!isInt(sv) || sv < 0 || sv > 65535) ctx.add(p.key, `${field}.default`, 'bad port range: default must be a port 1-65535, or 0 for "not in use"');
          else def.default = sv;
        } else if (k === 'doc') {
          def.doc = typeof sv === 'string' ? sv : '';
        } else if (k === 'alternatives') {
          const alts = isSeq(v) ? v.items.map(scalarValue) : [sv];
          if (alts.some((a) => !isInt(a) || a < 1 || a > 65535)) ctx.add(p.key, `${field}.alternatives`, 'bad port range: alternatives must be ports 1-65535');
          else def.alternatives = alts as number[];
        } else if (k === 'derive') {
          deriveNode = p.key;
          if (!isMap(v)) {
            ctx.add(p.key, `${field}.derive`, 'expected {from: PARAM, map: {PORT: PORT}, add: N}');
            continue;
          }
          const d: { from: string; map: Record<string, number>; add: number } = { from: '', map: {}, add: 0 };
          for (const [dk, dp, dv] of entries(ctx, v, DERIVE_KEYS, `${field}.derive`)) {
            const dsv = scalarValue(dv);
            if (dk === 'from') {
              if (typeof dsv === 'string' && PARAM_NAME.test(dsv)) d.from = `${prefix}.${dsv}`;
              else ctx.add(dp.key, `${field}.derive.from`, 'expected a parameter name of this catalog');
            } else if (dk === 'add') {
              if (isInt(dsv)) d.add = dsv;
              else ctx.add(dp.key, `${field}.derive.add`, 'expected an integer');
            } else if (dk === 'map') {
              if (!isMap(dv)) ctx.add(dp.key, `${field}.derive.map`, 'expected {PORT: PORT}');
              else
                for (const mp of dv.items) {
                  const a = scalarValue(mp.key);
                  const b = scalarValue(mp.value);
                  if (!isInt(a) || !isInt(b) || b < 1 || b > 65535) ctx.add(mp.key, `${field}.derive.map`, 'bad port range: entries map a port to a port');
                  else d.map[String(a)] = b;
                }
            }
          }
          def.derive = d;
        }
      }
      if (!value.items.some((p) => scalarValue(p.key) === 'default')) {
        ctx.add(pair.key, field, 'parameter without default');
      }
      if (def.derive && deriveNode && def.derive.from && def.derive.from === def.name) {
        ctx.add(deriveNode, `${field}.derive.from`, 'a parameter cannot derive from itself');
      }
      if (!Number.isNaN(def.default)) paramDefs.set(def.name, def);
      out.params.push(def);
    }
  }
  // derive.from must name a parameter of this catalog.
  for (const def of out.params) {
    if (def.derive?.from && !out.params.some((p) => p.name === def.derive!.from)) {
      ctx.addAt(paramLines.get(def.name) ?? 1, `params.${def.name.slice(prefix.length + 1)}.derive.from`, `unknown parameter "${def.derive.from}"`);
    }
  }

  // Rules.
  const rulesEnt = top.get('rules');
  const usedParams = new Set<string>();
  if (!rulesEnt) ctx.addAt(1, 'rules', 'missing "rules"');
  else if (!isSeq(rulesEnt.value)) ctx.add(rulesEnt.pair.key, 'rules', 'expected a list of rules');
  else {
    rulesEnt.value.items.forEach((item, idx) => {
      const parsed = parseRule(ctx, item as Node, idx, out, localRoles, usedParams);
      if (parsed) out.rules.push(parsed);
    });
  }

  // Every parameter used in a port must be defined (with a default) in this catalog.
  for (const use of usedParams) {
    const [name, line, field] = use.split('\u0000');
    if (!out.params.some((p) => p.name === name)) {
      ctx.addAt(Number(line), field, `parameter without default: \${${name.slice(prefix.length + 1)}} is not defined under params`);
    }
  }
  // Source documents: file name -> the product (or document) title they are cited with.
  const sourcesEnt = top.get('sources');
  if (sourcesEnt) {
    if (!isMap(sourcesEnt.value)) ctx.add(sourcesEnt.pair.key, 'sources', 'expected a map of source document -> title (e.g. 001_89b7e3ac6d9abfc6.txt: Microsoft SCCM 2007)');
    else {
      const titles = new Map<string, string>();
      for (const p of sourcesEnt.value.items) {
        const k = scalarValue(p.key);
        const v = scalarValue(p.value);
        if (typeof v !== 'string' || v.trim() === '') ctx.add(p.value ?? p.key, `sources.${String(k)}`, 'expected the title of the document or product');
        else titles.set(String(k), v.trim());
      }
      for (const pr of out.rules) {
        const title = titles.get(pr.rule.source.doc);
        if (title !== undefined) pr.rule.source.title = title;
      }
    }
  }
  // Resolve ports with the catalog defaults (a site's params are applied later).
  for (const pr of out.rules) {
    pr.rule.ports = pr.rule.proto === 'icmp' || pr.rule.proto === 'icmpv6' || pr.rule.proto === 'ip' ? pr.rule.ports : resolvePortItems(pr.portItems, paramDefs, new Map());
    pr.rule.then.forEach((f, i) => (f.ports = resolvePortItems(pr.thenItems[i], paramDefs, new Map())));
  }
  return out;
}

function parseRule(
  ctx: Ctx,
  item: Node,
  idx: number,
  cat: ParsedCatalogFile,
  localRoles: Set<string>,
  usedParams: Set<string>,
): ParsedRule | null {
  const base = `rules[${idx}]`;
  if (!isMap(item)) {
    ctx.add(item, base, 'expected a rule (a map with id, from, to, proto, port, source)');
    return null;
  }
  const prefix = cat.prefix || cat.id || 'catalog';
  const line = ctx.line(item);
  const f = new Map(entries(ctx, item, RULE_KEYS, base).map(([k, p, v]) => [k, { pair: p, value: v }]));
  const str = (k: string): string | undefined => {
    const v = scalarValue(f.get(k)?.value);
    return typeof v === 'string' ? v : undefined;
  };
  const rule: Rule = {
    id: '',
    product: cat.id,
    title: '',
    from: [],
    to: [],
    proto: 'tcp',
    ports: [],
    portsText: '',
    direction: 'one-way',
    required: false,
    wanCache: null,
    then: [],
    source: { doc: '', ref: '' },
    file: ctx.file,
    line,
  };
  const parsed: ParsedRule = { rule, portItems: [], thenItems: [], roleRefs: [] };

  const id = str('id');
  if (!f.has('id')) ctx.add(item, `${base}.id`, 'missing "id"');
  else if (!id || !LOCAL_ID.test(id)) ctx.add(f.get('id')!.value, `${base}.id`, 'rule ids are lowercase letters, digits and dashes (the prefix is added)');
  else {
    rule.id = `${prefix}.${id}`;
    cat.idLines.push({ id: rule.id, line: ctx.line(f.get('id')!.value), field: `${base}.id` });
  }

  for (const side of ['from', 'to'] as const) {
    const ent = f.get(side);
    if (!ent) {
      ctx.add(item, `${base}.${side}`, `missing "${side}"`);
      continue;
    }
    const list = stringList(ctx, ent.value, `${base}.${side}`) ?? [];
    for (const name of list) {
      let qualified: string;
      if (isPseudoRole(name)) qualified = name;
      else if (name.includes('.')) qualified = name; // another catalog's role, checked across files
      else {
        qualified = `${prefix}.${name}`;
        if (!localRoles.has(name)) {
          ctx.add(ent.value, `${base}.${side}`, `unknown role "${name}" (not under roles, and not one of ${PSEUDO_ROLES.join(', ')})`);
        }
      }
      rule[side].push(qualified);
      if (name.includes('.')) parsed.roleRefs.push({ role: qualified, line: ctx.line(ent.value), field: `${base}.${side}` });
    }
  }

  const protoEnt = f.get('proto');
  const proto = str('proto');
  if (!protoEnt) ctx.add(item, `${base}.proto`, 'missing "proto"');
  else if (!proto || !PROTOS.includes(proto as Proto)) ctx.add(protoEnt.value, `${base}.proto`, `bad proto "${String(scalarValue(protoEnt.value))}" (one of ${PROTOS.join(', ')})`);
  else rule.proto = proto as Proto;
  const isIcmp = rule.proto === 'icmp' || rule.proto === 'icmpv6';

  const portEnt = f.get('port');
  const typeEnt = f.get('icmp_type');
  if (isIcmp || rule.proto === 'ip') {
    if (portEnt) ctx.add(portEnt.pair.key, `${base}.port`, `proto ${rule.proto} has no ports${isIcmp ? '; use icmp_type' : ''}`);
    if (isIcmp) {
      if (!typeEnt) ctx.add(protoEnt?.value ?? item, `${base}.icmp_type`, 'missing "icmp_type" for an ICMP rule');
      else {
        const vals = isSeq(typeEnt.value) ? typeEnt.value.items.map(scalarValue) : [scalarValue(typeEnt.value)];
        if (vals.length === 0 || vals.some((v) => !isInt(v) || v < 0 || v > 255)) ctx.add(typeEnt.value, `${base}.icmp_type`, 'ICMP types are integers 0-255');
        else {
          rule.ports = (vals as number[]).map((v) => ({ lo: v, hi: v }));
          rule.portsText = `type ${vals.join(', ')}`;
        }
      }
    } else rule.portsText = 'any';
  } else {
    if (typeEnt) ctx.add(typeEnt.pair.key, `${base}.icmp_type`, 'icmp_type is only for proto icmp/icmpv6');
    if (!portEnt) ctx.add(item, `${base}.port`, 'missing "port"');
    else {
      const p = portField(ctx, portEnt.value, `${base}.port`, prefix);
      if (p) {
        rule.portsText = p.text;
        parsed.portItems = p.items;
        notePortParams(p.items, ctx.line(portEnt.value), `${base}.port`, usedParams);
      }
    }
  }

  const dir = str('direction');
  if (f.has('direction')) {
    if (dir === 'one-way' || dir === 'both') rule.direction = dir;
    else ctx.add(f.get('direction')!.value, `${base}.direction`, 'direction is "one-way" (default) or "both" (for <-> rows)');
  }
  if (f.has('required')) {
    const v = scalarValue(f.get('required')!.value);
    if (typeof v === 'boolean') rule.required = v;
    else ctx.add(f.get('required')!.value, `${base}.required`, 'required is true or false');
  }
  if (f.has('wan_cache')) {
    const v = str('wan_cache');
    if (v === 'never' || v === 'allowed') rule.wanCache = v as WanCache;
    else ctx.add(f.get('wan_cache')!.value, `${base}.wan_cache`, 'wan_cache is "never" or "allowed"');
  }

  // Source citation: {doc, ref}, both non-empty.
  const srcEnt = f.get('source');
  if (!srcEnt) ctx.add(item, `${base}.source`, 'missing source citation: add source: {doc: SEED_FILE, ref: "Table/row"}');
  else if (!isMap(srcEnt.value)) ctx.add(srcEnt.pair.key, `${base}.source`, 'missing source citation: expected {doc, ref}');
  else {
    for (const [k, , v] of entries(ctx, srcEnt.value, SOURCE_KEYS, `${base}.source`)) {
      const sv = scalarValue(v);
      if (typeof sv === 'string' && sv.trim() !== '') rule.source[k as 'doc' | 'ref'] = sv.trim();
    }
    for (const k of ['doc', 'ref'] as const) {
      if (!rule.source[k]) ctx.add(srcEnt.value, `${base}.source.${k}`, `missing source citation: "${k}" is empty`);
    }
  }

  // Follow-on channels.
  const thenEnt = f.get('then');
  if (thenEnt) {
    if (!isSeq(thenEnt.value)) ctx.add(thenEnt.pair.key, `${base}.then`, 'expected a list of follow-on channels');
    else
      thenEnt.value.items.forEach((t, ti) => {
        const tf = `${base}.then[${ti}]`;
        if (!isMap(t)) {
          ctx.add(t, tf, 'expected {id, proto, port, via, within}');
          return;
        }
        const te = new Map(entries(ctx, t, THEN_KEYS, tf).map(([k, p, v]) => [k, { pair: p, value: v }]));
        const tv = (k: string) => scalarValue(te.get(k)?.value);
        const fo: FollowOn = { id: '', proto: 'tcp', ports: [], via: 'window', within: 60, direction: 'same' };
        let foItems: PortItem[] = [];
        const tid = tv('id');
        if (typeof tid !== 'string' || !LOCAL_ID.test(tid)) ctx.add(te.get('id')?.value ?? t, `${tf}.id`, 'follow-on needs an id (lowercase letters, digits, dashes)');
        else {
          fo.id = `${prefix}.${tid}`;
          cat.idLines.push({ id: fo.id, line: ctx.line(te.get('id')!.value), field: `${tf}.id` });
        }
        const tp = tv('proto');
        if (tp !== 'tcp' && tp !== 'udp') ctx.add(te.get('proto')?.value ?? t, `${tf}.proto`, `bad proto "${String(tp)}" (tcp or udp)`);
        else fo.proto = tp;
        if (!te.has('port')) ctx.add(t, `${tf}.port`, 'missing "port"');
        else {
          const p = portField(ctx, te.get('port')!.value, `${tf}.port`, prefix);
          if (p) {
            fo.portsText = p.text;
            foItems = p.items;
            notePortParams(p.items, ctx.line(te.get('port')!.value), `${tf}.port`, usedParams);
          }
        }
        const via = tv('via');
        if (!VIAS.includes(via as FollowOn['via'])) ctx.add(te.get('via')?.value ?? t, `${tf}.via`, `via is one of ${VIAS.join(', ')}`);
        else fo.via = via as FollowOn['via'];
        const within = tv('within');
        if (!(typeof within === 'number' && within > 0)) ctx.add(te.get('within')?.value ?? t, `${tf}.within`, 'within is a number of seconds > 0');
        else fo.within = within;
        if (te.has('direction')) {
          const d = tv('direction');
          if (d === 'same' || d === 'reverse') fo.direction = d;
          else ctx.add(te.get('direction')!.value, `${tf}.direction`, 'direction is "same" (default) or "reverse"');
        }
        const title = tv('title');
        if (typeof title === 'string') fo.title = title;
        // Kept in step with rule.then so ports can be re-resolved per site.
        parsed.thenItems.push(foItems);
        rule.then.push(fo);
      });
  }

  const title = str('title');
  rule.title = title ?? `${rule.from.join(', ')} to ${rule.to.join(', ')}, ${rule.proto.toUpperCase()} ${rule.portsText}`;
  return parsed;
}

function notePortParams(items: PortItem[], line: number, field: string, used: Set<string>): void {
  for (const it of items) {
    for (const a of [it.lo, it.hi]) if ('param' in a) used.add([a.param, line, field].join('\u0000'));
  }
}

/** Checks that need every file at once: duplicate ids, roles named across catalogs. */
export function checkAcrossFiles(files: ParsedCatalogFile[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Map<string, { file: string; line: number }>();
  const catalogIds = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const f of files) {
    if (f.id) {
      const other = catalogIds.get(f.id);
      if (other) problems.push({ file: f.file, line: 1, field: 'catalog', message: `duplicate id: catalog "${f.id}" is also defined in ${other}` });
      else catalogIds.set(f.id, f.file);
    }
    if (f.prefix) {
      const other = prefixes.get(f.prefix);
      if (other) problems.push({ file: f.file, line: 1, field: 'prefix', message: `duplicate id: prefix "${f.prefix}" is also used by ${other}` });
      else prefixes.set(f.prefix, f.file);
    }
    for (const { id, line, field } of f.idLines) {
      const prev = seen.get(id);
      if (prev) problems.push({ file: f.file, line, field, message: `duplicate id "${id}" (first defined at ${prev.file}:${prev.line})` });
      else seen.set(id, { file: f.file, line });
    }
  }
  const allRoles = new Set(files.flatMap((f) => f.roles.map((r) => r.id)));
  for (const f of files) {
    for (const pr of f.rules) {
      for (const ref of pr.roleRefs) {
        if (!allRoles.has(ref.role)) {
          problems.push({ file: f.file, line: ref.line, field: ref.field, message: `unknown role "${ref.role}" (no loaded catalog defines it)` });
        }
      }
    }
  }
  return problems;
}

/** The largest catalog file read (the largest shipped one is about 50 KiB). */
export const CATALOG_FILE_LIMIT = 4 * 1024 * 1024;

/** Read and parse one file (I/O errors become a problem, not an exception). */
export function parseCatalogFile(file: string): ParsedCatalogFile {
  let text: string;
  try {
    text = readTextFile(file, CATALOG_FILE_LIMIT);
  } catch (err) {
    const parsed = parseCatalogText('', file);
    parsed.problems.length = 0;
    const message = err instanceof FileTooLarge ? `the file is too large: ${err.message.slice(file.length + 2)}` : `cannot read: ${(err as Error).message}`;
    parsed.problems.push({ file, line: 0, field: '(file)', message });
    return parsed;
  }
  return parseCatalogText(text, file);
}

/**
 * `flowaudit rules check [FILE...]`: every problem in the given catalog files, checked
 * together (ids must be unique across them). Empty list = all good.
 */
export function checkRules(files: string[]): RuleProblem[] {
  const parsed = files.map(parseCatalogFile);
  const problems = parsed.flatMap((p) => p.problems);
  problems.push(...checkAcrossFiles(parsed));
  return problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
