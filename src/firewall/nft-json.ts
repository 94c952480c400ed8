/**
 * `nft -j list ruleset` output (libnftables JSON, schema version 1) into the neutral model.
 *
 * Read: tables of family ip, ip6 and inet; their chains (base chains of type filter on the
 * prerouting, input, forward, output and postrouting hooks, and user chains), rules, and sets
 * and maps (named lookups). Understood in a rule: ip/ip6 saddr and daddr, ip protocol, ip6
 * nexthdr, meta l4proto, meta nfproto, tcp/udp/sctp/dccp/udplite/th sport and dport, ct state,
 * with ==, !=, in, <, >, <=, >= against a value, a prefix, a range, an anonymous set or a named
 * set (interval sets and concatenations included); verdicts accept, drop, reject, jump, goto,
 * return, continue and verdict maps; counter and log do not change the outcome. Anything else
 * (interface names, marks, limits, unknown expressions) becomes a condition that cannot be
 * evaluated, with its reason. A file that is not this JSON is an error naming the JSON path.
 */
import { UserError } from '../util/errors.js';
import { protoNumber } from '../util/proto.js';
import {
  CT_STATES, HOOKS, NFPROTO, PORT_PROTOCOLS, addressInterval, point, portValue,
  type Action, type Cond, type Element, type Field, type FwChain, type FwRule, type Hook, type Interval, type Ruleset, type Verdict,
} from './model.js';

type Json = unknown;

/** A field of the left-hand side, with the conditions it implies. */
interface LeftField {
  field: Field;
  deps: Cond[];
  text: string;
}

/** The left-hand side: known fields, or why it cannot be evaluated (with what it still implies). */
type Left = { fields: LeftField[] } | { unknown: string; deps: Cond[]; text: string };

/** A value that cannot be evaluated (a service name, an unknown shape): the match becomes unknown. */
class Unknowable extends Error {}

const NAMED_PRIORITIES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const TRANSPORT: Record<string, number> = { tcp: 6, udp: 17, dccp: 33, sctp: 132, udplite: 136 };
const INTERFACE_KEYS = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'iifgroup', 'oifgroup', 'iifkind', 'oifkind', 'ibrname', 'obrname', 'ibriport', 'obriport']);
/** Statements that do not change what happens to the packet. */
const NO_EFFECT = new Set(['counter', 'log']);

const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface NamedSet {
  path: string;
  elem: Json[];
  /** A map's data type ('verdict' for verdict maps), or null for a set. */
  map: string | null;
}

export function parseNftJson(text: string, file: string): Ruleset {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not JSON: ${jsonErrorWhere(text, (e as Error).message)}`);
  }
  return new NftReader(file).read(doc);
}

/**
 * Where JSON.parse failed, as "line L, column C: what": Node's message does not always say
 * where, so a small scanner finds the first place the text stops being JSON.
 */
function jsonErrorWhere(text: string, message: string): string {
  const at = jsonSyntaxError(text);
  if (at === null) return message;
  const before = text.slice(0, at.pos);
  const line = before.split('\n').length;
  const col = at.pos - before.lastIndexOf('\n');
  return `line ${line}, column ${col}: ${at.what}`;
}

/** The offset and nature of the first JSON syntax error, or null when the scanner finds none. */
export function jsonSyntaxError(text: string): { pos: number; what: string } | null {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++; };
  const found = () => (i >= text.length ? 'the end of the text' : `'${text[i]}'`);
  class Stop extends Error { constructor(readonly what: string, readonly pos = i) { super(what); } }
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) { i++; return; }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') throw new Stop(`expected a "key", found ${found()}`);
          string();
          ws();
          if (text[i] !== ':') throw new Stop(`expected ':', found ${found()}`);
          i++;
        }
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === close) { i++; return; }
        throw new Stop(`expected ',' or '${close}', found ${found()}`);
      }
    }
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) throw new Stop(`expected a value, found ${found()}`);
    i += m[0].length;
  };
  const string = (): void => {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i));
    if (!m) throw new Stop('a string that is not closed or holds a bad escape or control character');
    i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Stop(`expected the end of the text, found ${found()}`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return { pos: e.pos, what: e.what };
    throw e;
  }
}

class NftReader {
  private readonly chains = new Map<string, FwChain>();
  private readonly order: FwChain[] = [];
  private readonly sets = new Map<string, NamedSet>();
  private readonly ignored = new Set<string>();

  constructor(private readonly file: string) {}

  private fail(path: string, message: string): never {
    throw new UserError(`${this.file}: ${path}: ${message}`);
  }

  private str(o: Record<string, Json>, key: string, path: string): string {
    const v = o[key];
    if (typeof v !== 'string' || v === '') this.fail(`${path}.${key}`, `expected a name (text), got ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  }

  read(doc: Json): Ruleset {
    if (!isObj(doc) || !Array.isArray(doc.nftables)) this.fail('$', "expected an object with an 'nftables' array (the output of nft -j list ruleset)");
    const items = doc.nftables as Json[];
    const rules: { o: Record<string, Json>; path: string }[] = [];
    items.forEach((item, i) => {
      const path = `nftables[${i}]`;
      if (!isObj(item)) this.fail(path, 'expected an object');
      const keys = Object.keys(item);
      if (keys.length !== 1) this.fail(path, `expected one key (table, chain, rule, set, ...), got ${keys.length}`);
      const kind = keys[0]!;
      const body = item[kind];
      if (!isObj(body)) this.fail(`${path}.${kind}`, 'expected an object');
      if (kind === 'chain') this.chain(body, `${path}.chain`);
      else if (kind === 'rule') rules.push({ o: body, path: `${path}.rule` });
      else if (kind === 'set' || kind === 'map') this.set(body, `${path}.${kind}`, kind === 'map');
      else if (kind === 'table') this.str(body, 'name', `${path}.table`);
    });
    for (const r of rules) this.rule(r.o, r.path);
    return {
      type: 'nft-json', file: this.file, chains: this.order, families: [4, 6], ignored: [...this.ignored],
    };
  }

  private tableOf(o: Record<string, Json>, path: string): { table: string; families: (4 | 6)[] } | null {
    const family = this.str(o, 'family', path);
    const table = this.str(o, 'table' in o && typeof o.table === 'string' ? 'table' : 'name', path);
    const families: Record<string, (4 | 6)[]> = { ip: [4], ip6: [6], inet: [4, 6] };
    if (!families[family]) {
      this.ignored.add(`table ${family} ${table} (family ${family} is not evaluated)`);
      return null;
    }
    return { table: `${family} ${table}`, families: families[family]! };
  }

  private chain(o: Record<string, Json>, path: string): void {
    const t = this.tableOf(o, path);
    const name = this.str(o, 'name', path);
    if (!t) return;
    let base: FwChain['base'] = null;
    if (o.hook !== undefined) {
      const hook = o.hook as Hook;
      const type = o.type ?? 'filter';
      if (type !== 'filter' || !HOOKS.includes(hook)) {
        this.ignored.add(`chain ${t.table} ${name} (type ${String(type)}, hook ${String(o.hook)})`);
      } else {
        const prio = typeof o.prio === 'number' ? o.prio : typeof o.prio === 'string' ? NAMED_PRIORITIES[o.prio] : undefined;
        if (prio === undefined || !Number.isFinite(prio)) this.fail(`${path}.prio`, `expected a priority number, got ${JSON.stringify(o.prio)}`);
        const policy = o.policy ?? 'accept';
        if (policy !== 'accept' && policy !== 'drop') this.fail(`${path}.policy`, `expected accept or drop, got ${JSON.stringify(policy)}`);
        base = { hook, priority: prio, policy: policy as Verdict };
      }
    }
    const key = `${t.table} ${name}`;
    if (this.chains.has(key)) this.fail(path, `chain ${key} is listed twice`);
    const c: FwChain = { key, table: t.table, name, families: t.families, base, rules: [], where: `${this.file}: ${path}` };
    this.chains.set(key, c);
    this.order.push(c);
  }

  private set(o: Record<string, Json>, path: string, isMap: boolean): void {
    const t = this.tableOf(o, path);
    const name = this.str(o, 'name', path);
    if (!t) return;
    const elem = o.elem ?? [];
    if (!Array.isArray(elem)) this.fail(`${path}.elem`, 'expected an array of elements');
    const map = isMap ? (typeof o.map === 'string' ? o.map : JSON.stringify(o.map)) : null;
    this.sets.set(`${t.table} ${name}`, { path, elem, map });
  }

  private rule(o: Record<string, Json>, path: string): void {
    const t = this.tableOf(o, path);
    const chainName = this.str(o, 'chain', path);
    if (!t) return;
    const chain = this.chains.get(`${t.table} ${chainName}`);
    if (!chain) this.fail(`${path}.chain`, `no chain ${chainName} in table ${t.table}`);
    if (!Array.isArray(o.expr)) this.fail(`${path}.expr`, 'expected an array of expressions');
    const conds: Cond[] = [];
    const words: string[] = [];
    let action: Action | null = null;
    (o.expr as Json[]).forEach((e, j) => {
      if (action !== null) return; // nothing after a verdict runs
      const p = `${path}.expr[${j}]`;
      if (!isObj(e) || Object.keys(e).length !== 1) this.fail(p, 'expected an object with one key (match, accept, counter, ...)');
      const kind = Object.keys(e)[0]!;
      const body = e[kind];
      if (kind === 'match') {
        if (!isObj(body)) this.fail(`${p}.match`, 'expected an object with op, left and right');
        const m = this.match(body, `${p}.match`, t.table);
        conds.push(...m.conds);
        words.push(m.text);
      } else if (NO_EFFECT.has(kind)) {
        words.push(kind);
      } else if (kind === 'vmap') {
        if (!isObj(body)) this.fail(`${p}.vmap`, 'expected an object with key and data');
        const v = this.vmap(body, `${p}.vmap`, t.table, chain);
        conds.push(...v.conds);
        action = v.action;
        words.push(v.text);
      } else if (['accept', 'drop', 'reject', 'return', 'continue'].includes(kind)) {
        action = { kind: kind as Verdict | 'return' | 'continue' };
        words.push(kind);
      } else if (kind === 'jump' || kind === 'goto') {
        const target = isObj(body) && typeof body.target === 'string' ? body.target : null;
        if (target === null) this.fail(`${p}.${kind}.target`, 'expected the name of a chain');
        if (!this.chains.has(`${t.table} ${target}`)) this.fail(`${p}.${kind}.target`, `no chain ${target} in table ${t.table}`);
        action = { kind, target: `${t.table} ${target}` };
        words.push(`${kind} ${target}`);
      } else {
        conds.push({ kind: 'unknown', reason: `unknown expression '${kind}'` });
        words.push(`${kind} …`);
      }
    });
    const position = chain.rules.length + 1;
    chain.rules.push({
      id: `${chain.key} #${position}`,
      table: t.table,
      chain: chainName,
      position,
      handle: typeof o.handle === 'number' ? o.handle : null,
      where: `${this.file}: ${path}`,
      text: words.join(' '),
      conds,
      action,
    } satisfies FwRule);
  }

  // -------------------------------------------------------------------------------------------
  // Left-hand sides

  private left(l: Json, path: string): Left {
    if (isObj(l) && Array.isArray(l.concat)) {
      const parts = l.concat.map((x, i) => this.left(x, `${path}.concat[${i}]`));
      const text = parts.map((p) => ('fields' in p ? p.fields[0]!.text : p.text)).join(' . ');
      const bad = parts.find((p): p is Extract<Left, { unknown: string }> => 'unknown' in p);
      if (bad) return { unknown: bad.unknown, deps: parts.flatMap((p) => ('fields' in p ? p.fields[0]!.deps : p.deps)), text };
      return { fields: parts.flatMap((p) => (p as { fields: LeftField[] }).fields) };
    }
    if (isObj(l) && isObj(l.payload)) {
      const proto = l.payload.protocol;
      const field = l.payload.field;
      const text = `${String(proto ?? 'payload')} ${String(field ?? '')}`.trim();
      if (typeof proto !== 'string' || typeof field !== 'string') return { unknown: `raw payload expression (${JSON.stringify(l.payload)})`, deps: [], text: 'payload …' };
      if (proto === 'ip' || proto === 'ip6') {
        const family: 4 | 6 = proto === 'ip' ? 4 : 6;
        const deps: Cond[] = [{ kind: 'family', family }];
        if (field === 'saddr' || field === 'daddr') return { fields: [{ field, deps, text }] };
        if ((proto === 'ip' && field === 'protocol') || (proto === 'ip6' && field === 'nexthdr')) return { fields: [{ field: 'l4proto', deps, text }] };
        return { unknown: `${text} is not known from a flow record`, deps, text };
      }
      const l4 = proto === 'th' ? PORT_PROTOCOLS : TRANSPORT[proto] !== undefined ? [TRANSPORT[proto]!] : null;
      if (l4) {
        const deps: Cond[] = [{ kind: 'l4', protos: l4 }];
        if (field === 'sport' || field === 'dport') return { fields: [{ field, deps, text }] };
        return { unknown: `${text} is not known from a flow record`, deps, text };
      }
      if (proto === 'icmp' || proto === 'icmpv6') {
        return { unknown: `${text} is not evaluated`, deps: [{ kind: 'l4', protos: [proto === 'icmp' ? 1 : 58] }], text };
      }
      return { unknown: `${text} is not evaluated`, deps: [], text };
    }
    if (isObj(l) && isObj(l.meta)) {
      const key = String(l.meta.key);
      const text = `meta ${key}`;
      if (key === 'l4proto') return { fields: [{ field: 'l4proto', deps: [], text }] };
      if (key === 'nfproto') return { fields: [{ field: 'nfproto', deps: [], text }] };
      if (INTERFACE_KEYS.has(key)) return { unknown: `${key} (interface) cannot be evaluated: flow records do not say which interface a packet used`, deps: [], text: key };
      return { unknown: `${text} cannot be evaluated from a flow record`, deps: [], text };
    }
    if (isObj(l) && isObj(l.ct)) {
      const key = String(l.ct.key);
      const text = `ct ${key}`;
      if (key === 'state' && l.ct.dir === undefined) return { fields: [{ field: 'ctstate', deps: [], text }] };
      return { unknown: `${text} cannot be evaluated from a flow record`, deps: [], text };
    }
    const kind = isObj(l) ? Object.keys(l)[0] ?? '{}' : JSON.stringify(l);
    return { unknown: `unknown expression '${kind}'`, deps: [], text: `${kind} …` };
  }

  // -------------------------------------------------------------------------------------------
  // Matches

  private match(m: Record<string, Json>, path: string, table: string): { conds: Cond[]; text: string } {
    const op = m.op ?? '==';
    if (typeof op !== 'string') this.fail(`${path}.op`, 'expected an operator');
    if (!('left' in m) || !('right' in m)) this.fail(path, 'expected left and right');
    const left = this.left(m.left, `${path}.left`);
    const rightText = valueText(m.right);
    if ('unknown' in left) return { conds: [...left.deps, { kind: 'unknown', reason: left.unknown }], text: `${left.text} ${op === '==' ? '' : op + ' '}${rightText}`.replace(/  +/g, ' ') };
    const fields = left.fields.map((f) => f.field);
    const deps = left.fields.flatMap((f) => f.deps);
    const text = `${left.fields.map((f) => f.text).join(' . ')} ${op === '==' || op === 'in' ? '' : op + ' '}${rightText}`.replace(/  +/g, ' ');
    let elements: Element[];
    let negate = false;
    try {
      if (op === '==' || op === 'in' || op === '!=') {
        negate = op === '!=';
        elements = this.elements(m.right, `${path}.right`, fields, table);
      } else if (['<', '>', '<=', '>='].includes(op) && fields.length === 1 && fields[0] !== 'saddr' && fields[0] !== 'daddr') {
        const v = this.scalar(m.right, `${path}.right`, fields[0]!);
        if (v.lo !== v.hi) throw new Unknowable(`${op} against a range`);
        const max = fields[0] === 'sport' || fields[0] === 'dport' ? 65535n : 255n;
        const lo = op === '>' ? v.lo + 1n : op === '>=' ? v.lo : 0n;
        const hi = op === '<' ? v.lo - 1n : op === '<=' ? v.lo : max;
        elements = lo <= hi ? [[{ lo, hi }]] : [];
      } else {
        throw new Unknowable(`operator ${op}`);
      }
    } catch (e) {
      if (e instanceof Unknowable) return { conds: [...deps, { kind: 'unknown', reason: `${text}: ${e.message} cannot be evaluated` }], text };
      throw e;
    }
    // Addresses of a family imply it (a set of IPv4 addresses matches no IPv6 packet).
    return { conds: [...dedupe(deps), { kind: 'lookup', fields, elements, negate }], text };
  }

  /** The elements a right-hand side stands for. */
  private elements(r: Json, path: string, fields: Field[], table: string): Element[] {
    if (typeof r === 'string' && r.startsWith('@')) {
      const set = this.sets.get(`${table} ${r.slice(1)}`);
      if (!set) this.fail(path, `no set ${r.slice(1)} in table ${table}`);
      return set.elem.map((e, i) => this.element(isObj(e) && isObj(e.elem) ? e.elem.val : e, `${set.path}.elem[${i}]`, fields));
    }
    if (isObj(r) && Array.isArray(r.set)) return r.set.map((e, i) => this.element(isObj(e) && isObj(e.elem) ? e.elem.val : e, `${path}.set[${i}]`, fields));
    if (Array.isArray(r) && fields.length === 1) return r.map((e, i) => this.element(e, `${path}[${i}]`, fields));
    return [this.element(r, path, fields)];
  }

  private element(v: Json, path: string, fields: Field[]): Element {
    if (fields.length > 1) {
      if (!isObj(v) || !Array.isArray(v.concat) || v.concat.length !== fields.length) {
        this.fail(path, `expected a concatenation of ${fields.length} values, got ${valueText(v)}`);
      }
      return v.concat.map((x, i) => this.scalar(x, `${path}.concat[${i}]`, fields[i]!));
    }
    return [this.scalar(v, path, fields[0]!)];
  }

  /** One value, prefix or range of a field as an interval. */
  private scalar(v: Json, path: string, field: Field): Interval {
    if (isObj(v) && Array.isArray(v.range) && v.range.length === 2) {
      const a = this.scalar(v.range[0], `${path}.range[0]`, field);
      const b = this.scalar(v.range[1], `${path}.range[1]`, field);
      if (a.lo > b.hi) this.fail(path, `range ${valueText(v)} ends before it starts`);
      return { lo: a.lo, hi: b.hi };
    }
    switch (field) {
      case 'saddr': case 'daddr': {
        let text: string;
        if (typeof v === 'string') text = v;
        else if (isObj(v) && isObj(v.prefix) && typeof v.prefix.addr === 'string' && typeof v.prefix.len === 'number') text = `${v.prefix.addr}/${v.prefix.len}`;
        else this.fail(path, `expected an address, a prefix or a range, got ${valueText(v)}`);
        try {
          return addressInterval(text).interval;
        } catch (e) {
          this.fail(path, (e as Error).message);
        }
        break;
      }
      case 'sport': case 'dport': {
        const n = portValue(v);
        if (n === null) {
          if (typeof v === 'string') throw new Unknowable(`service name '${v}'`);
          this.fail(path, `expected a port (0-65535), got ${valueText(v)}`);
        }
        return point(n);
      }
      case 'l4proto': {
        if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return point(v);
        const n = typeof v === 'string' ? protoNumber(v) : null;
        if (n === null) throw new Unknowable(`protocol ${valueText(v)}`);
        return point(n);
      }
      case 'ctstate': {
        const n = typeof v === 'string' ? CT_STATES[v] : undefined;
        if (n === undefined) this.fail(path, `expected a ct state (${Object.keys(CT_STATES).join(', ')}), got ${valueText(v)}`);
        return point(n);
      }
      case 'nfproto': {
        const n = typeof v === 'string' ? NFPROTO[v] : typeof v === 'number' ? v : undefined;
        if (n === undefined) throw new Unknowable(`nfproto ${valueText(v)}`);
        return point(n);
      }
    }
  }

  private vmap(o: Record<string, Json>, path: string, table: string, chain: FwChain): { conds: Cond[]; action: Action; text: string } {
    const left = this.left(o.key, `${path}.key`);
    const text = `${'fields' in left ? left.fields.map((f) => f.text).join(' . ') : left.text} vmap ${valueText(o.data)}`;
    if ('unknown' in left) return { conds: [...left.deps, { kind: 'unknown', reason: left.unknown }], action: { kind: 'vmap', fields: [], entries: [] }, text };
    const fields = left.fields.map((f) => f.field);
    let pairs: Json[];
    let at: string;
    if (typeof o.data === 'string' && o.data.startsWith('@')) {
      const set = this.sets.get(`${table} ${o.data.slice(1)}`);
      if (!set || set.map !== 'verdict') this.fail(`${path}.data`, `no verdict map ${o.data.slice(1)} in table ${table}`);
      pairs = set.elem;
      at = `${set.path}.elem`;
    } else if (isObj(o.data) && Array.isArray(o.data.set)) {
      pairs = o.data.set;
      at = `${path}.data.set`;
    } else {
      this.fail(`${path}.data`, 'expected a set of [key, verdict] pairs or @map');
    }
    try {
      const entries = pairs.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) this.fail(`${at}[${i}]`, 'expected a [key, verdict] pair');
        return {
          element: this.element(isObj(pair[0]) && isObj(pair[0].elem) ? pair[0].elem.val : pair[0], `${at}[${i}][0]`, fields),
          action: this.verdict(pair[1], `${at}[${i}][1]`, table, chain),
        };
      });
      return { conds: dedupe(left.fields.flatMap((f) => f.deps)), action: { kind: 'vmap', fields, entries }, text };
    } catch (e) {
      if (e instanceof Unknowable) return { conds: [{ kind: 'unknown', reason: `${text}: ${e.message} cannot be evaluated` }], action: { kind: 'vmap', fields: [], entries: [] }, text };
      throw e;
    }
  }

  private verdict(v: Json, path: string, table: string, _chain: FwChain): Action {
    if (!isObj(v) || Object.keys(v).length !== 1) this.fail(path, 'expected a verdict (accept, drop, jump, ...)');
    const kind = Object.keys(v)[0]!;
    if (['accept', 'drop', 'reject', 'return', 'continue'].includes(kind)) return { kind: kind as Verdict | 'return' | 'continue' };
    if (kind === 'jump' || kind === 'goto') {
      const body = v[kind];
      const target = isObj(body) && typeof body.target === 'string' ? body.target : null;
      if (target === null || !this.chains.has(`${table} ${target}`)) this.fail(`${path}.${kind}.target`, `no chain ${String(target)} in table ${table}`);
      return { kind, target: `${table} ${target}` };
    }
    this.fail(path, `unknown verdict '${kind}'`);
  }
}

function dedupe(conds: Cond[]): Cond[] {
  const seen = new Set<string>();
  return conds.filter((c) => {
    const k = JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A right-hand side as nft writes it: 22, 10.0.0.0/8, 1000-2000, { 80, 443 }, @name. */
function valueText(v: Json): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(valueText).join(',');
  if (isObj(v)) {
    if (isObj(v.prefix)) return `${String(v.prefix.addr)}/${String(v.prefix.len)}`;
    if (Array.isArray(v.range)) return `${valueText(v.range[0])}-${valueText(v.range[1])}`;
    if (Array.isArray(v.set)) return `{ ${v.set.map((e) => (Array.isArray(e) ? `${valueText(e[0])} : ${valueText(e[1])}` : valueText(e))).join(', ')} }`;
    if (Array.isArray(v.concat)) return v.concat.map(valueText).join(' . ');
    if (isObj(v.elem)) return valueText(v.elem.val);
    const k = Object.keys(v)[0];
    if (k && (v[k] === null || isObj(v[k]))) {
      const body = v[k] as Record<string, Json> | null;
      return body && typeof body.target === 'string' ? `${k} ${body.target}` : k;
    }
  }
  return JSON.stringify(v);
}
