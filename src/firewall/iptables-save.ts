/**
 * `iptables-save` (or `ip6tables-save`) output into the neutral model. Only the `*filter`
 * table is evaluated (INPUT, FORWARD, OUTPUT and user chains); other tables are noted and left
 * aside. A file describes IPv4 filtering, or IPv6 when ip6tables-save wrote it (its header, or
 * IPv6 addresses in it).
 *
 * Understood: -s/-d (with ! negation), -p, --dport/--sport (ranges a:b), -m multiport
 * --dports/--sports/--ports, -m iprange --src-range/--dst-range, -m state --state, -m conntrack
 * --ctstate, --syn, -m comment; -j ACCEPT, DROP, REJECT, RETURN, user chains, -g user chains;
 * LOG, NFLOG, ULOG, MARK, CONNMARK, TRACE go on to the next rule; chain policies from
 * `:CHAIN POLICY`. Interface matches (-i/-o), other match modules and options, and other targets
 * become conditions that cannot be evaluated. A line that is not iptables-save syntax is an error
 * naming the file and line.
 */
import { UserError } from '../util/errors.js';
import { protoNumber } from '../util/proto.js';
import {
  CT_STATES, PORT_PROTOCOLS, addressInterval, point, portValue,
  type Action, type Cond, type Element, type Field, type FwChain, type FwRule, type Hook, type Interval, type Ruleset,
} from './model.js';

const BUILTIN_HOOKS: Record<string, Hook> = { INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output' };
const CONTINUE_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'TRACE']);
const KNOWN_MODULES = new Set(['tcp', 'udp', 'multiport', 'state', 'conntrack', 'comment', 'iprange']);

/** Splits a line as iptables-save quotes it ("..." with \" inside). */
function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export function parseIptablesSave(text: string, file: string): Ruleset {
  const lines = text.split(/\r?\n/);
  const chains: FwChain[] = [];
  const byName = new Map<string, FwChain>();
  const ignored = new Set<string>();
  const pending: { chain: FwChain; tokens: string[]; line: number; text: string }[] = [];
  let table: string | null = null;
  let v6 = /^#.*ip6tables-save/m.test(text);
  const fail = (line: number, message: string): never => {
    throw new UserError(`${file}:${line}: ${message}`);
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    if (t.startsWith('*')) {
      if (table !== null) fail(line, `table *${t.slice(1)} starts before COMMIT ended *${table}`);
      table = t.slice(1);
      if (!/^\w+$/.test(table)) fail(line, `bad table name '${table}'`);
      if (table !== 'filter') ignored.add(`table ${table} (only the filter table is evaluated)`);
      return;
    }
    if (t === 'COMMIT') {
      if (table === null) fail(line, 'COMMIT outside a table');
      table = null;
      return;
    }
    if (table === null) fail(line, `'${t.slice(0, 40)}' outside a table (a table starts with *filter)`);
    if (t.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[\d+:\d+\])?$/.exec(t);
      if (!m) fail(line, `expected ':CHAIN POLICY [packets:bytes]', got '${t}'`);
      if (table !== 'filter') return;
      const [, name, policy] = m!;
      const hook = BUILTIN_HOOKS[name!];
      if (hook && policy !== 'ACCEPT' && policy !== 'DROP') fail(line, `policy of ${name} must be ACCEPT or DROP, got '${policy}'`);
      if (!hook && policy !== '-') fail(line, `a user chain's policy is '-', got '${policy}' for ${name}`);
      if (byName.has(name!)) fail(line, `chain ${name} is declared twice`);
      const c: FwChain = {
        key: `filter ${name}`, table: 'filter', name: name!, families: [4], rules: [], where: `${file}:${line}`,
        base: hook ? { hook, priority: 0, policy: policy === 'ACCEPT' ? 'accept' : 'drop' } : null,
      };
      chains.push(c);
      byName.set(name!, c);
      return;
    }
    let tokens = tokenize(t);
    if (/^\[\d+:\d+\]$/.test(tokens[0] ?? '')) tokens = tokens.slice(1); // iptables-save -c
    if (tokens[0] !== '-A') fail(line, `expected -A CHAIN ..., a :CHAIN line, *table or COMMIT, got '${t.slice(0, 40)}'`);
    if (table !== 'filter') return;
    const chain = byName.get(tokens[1] ?? '');
    if (!chain) fail(line, tokens[1] ? `-A ${tokens[1]}: chain ${tokens[1]} is not declared (:${tokens[1]} - [0:0])` : '-A without a chain name');
    pending.push({ chain: chain!, tokens: tokens.slice(2), line, text: t });
  });
  if (table !== null) fail(lines.reduce((last, l, i) => (l.trim() ? i + 1 : last), 1), `table *${table} has no COMMIT`);

  for (const p of pending) {
    const rule = parseRule(p.tokens, (m) => fail(p.line, m), byName);
    if (rule.v6) v6 = true;
    const position = p.chain.rules.length + 1;
    p.chain.rules.push({
      id: `filter ${p.chain.name} #${position}`, table: 'filter', chain: p.chain.name, position, handle: null,
      where: `${file}:${p.line}`, text: p.text, conds: rule.conds, action: rule.action,
    } satisfies FwRule);
  }
  const family: 4 | 6 = v6 ? 6 : 4;
  for (const c of chains) c.families = [family];
  return { type: 'iptables-save', file, chains, families: [family], ignored: [...ignored] };
}

interface ParsedRule {
  conds: Cond[];
  action: Action | null;
  v6: boolean;
}

function parseRule(tokens: string[], fail: (m: string) => never, chains: Map<string, FwChain>): ParsedRule {
  const conds: Cond[] = [];
  let action: Action | null = null;
  let v6 = false;
  let proto: number | null = null;
  let i = 0;
  const arg = (opt: string): string => {
    const v = tokens[i++];
    if (v === undefined || (v.startsWith('-') && !/^-\d/.test(v))) fail(`${opt} needs a value`);
    return v!;
  };
  const lookup = (fields: Field[], elements: Element[], negate: boolean): void => {
    conds.push({ kind: 'lookup', fields, elements, negate });
  };
  /** The interval, or why it cannot be evaluated. */
  const address = (opt: string, v: string): Interval | string => {
    let text = v;
    const slash = v.indexOf('/');
    if (slash > 0 && /[.:]/.test(v.slice(slash + 1))) {
      const len = maskLength(v.slice(slash + 1));
      if (len === null) return `${opt} ${v}: a mask that is not a prefix cannot be evaluated`;
      text = `${v.slice(0, slash)}/${len}`;
    }
    try {
      const a = addressInterval(text);
      if (a.family === 6) v6 = true;
      return a.interval;
    } catch (e) {
      return fail(`${opt} '${v}': ${(e as Error).message}`);
    }
  };
  const ports = (opt: string, v: string, multi: boolean): Element[] => {
    const parts = multi ? v.split(',') : [v];
    if (multi && parts.length > 15) fail(`${opt}: multiport takes at most 15 ports`);
    return parts.map((part) => {
      const [a, b] = part.split(':');
      const lo = portValue(a === '' ? '0' : a);
      const hi = b === undefined ? lo : portValue(b === '' ? '65535' : b);
      if (lo === null || hi === null || lo > hi) fail(`${opt} '${v}' is not a port or a range lo:hi`);
      return [{ lo: BigInt(lo!), hi: BigInt(hi!) }];
    });
  };
  const needPort = (opt: string): void => {
    if (proto === null || !PORT_PROTOCOLS.includes(proto)) fail(`${opt} needs -p tcp or -p udp before it`);
  };
  const states = (opt: string, v: string): Element[] => v.split(',').map((s) => {
    const n = CT_STATES[s.toLowerCase()];
    if (n === undefined) fail(`${opt} '${s}' is not a state (${Object.keys(CT_STATES).map((k) => k.toUpperCase()).join(', ')})`);
    return [point(n!)];
  });

  while (i < tokens.length) {
    let negate = false;
    let tok = tokens[i++]!;
    if (tok === '!') {
      negate = true;
      tok = tokens[i++] ?? '';
      if (tok === '') fail("'!' at the end of the rule");
    }
    switch (tok) {
      case '-s': case '--source': case '-d': case '--destination': {
        const v = arg(tok);
        const els = v.split(',').map((x) => address(tok, x));
        const bad = els.find((e): e is string => typeof e === 'string');
        if (bad) conds.push({ kind: 'unknown', reason: bad });
        else lookup([tok === '-s' || tok === '--source' ? 'saddr' : 'daddr'], els.map((e) => [e as Interval]), negate);
        break;
      }
      case '-p': case '--protocol': {
        const v = arg(tok).toLowerCase();
        if (v === 'all' || v === '0') {
          if (negate) lookup(['l4proto'], [[{ lo: 0n, hi: 255n }]], true);
          break;
        }
        const n = /^\d+$/.test(v) ? Number(v) : v === 'ipv6-icmp' ? 58 : protoNumber(v);
        if (n === null || n > 255) fail(`-p '${v}' is not a protocol`);
        if (!negate) proto = n;
        lookup(['l4proto'], [[point(n!)]], negate);
        break;
      }
      case '-i': case '--in-interface': case '-o': case '--out-interface': {
        const v = arg(tok);
        conds.push({ kind: 'unknown', reason: `${negate ? '! ' : ''}${tok} ${v} (interface) cannot be evaluated: flow records do not say which interface a packet used` });
        break;
      }
      case '-m': case '--match': {
        const m = arg(tok);
        if (!KNOWN_MODULES.has(m)) conds.push({ kind: 'unknown', reason: `match module '${m}' cannot be evaluated` });
        break;
      }
      case '--dport': case '--destination-port': case '--sport': case '--source-port': {
        needPort(tok);
        const v = arg(tok);
        lookup([tok.startsWith('--d') ? 'dport' : 'sport'], ports(tok, v, false), negate);
        break;
      }
      case '--dports': case '--destination-ports': case '--sports': case '--source-ports': case '--ports': {
        needPort(tok);
        const v = arg(tok);
        const els = ports(tok, v, true);
        if (tok === '--ports') {
          // Either end: a packet matches when its source or its destination port is listed.
          conds.push({ kind: 'lookup', fields: ['sport', 'dport'], elements: els.flatMap((e) => [[e[0]!, { lo: 0n, hi: 65535n }], [{ lo: 0n, hi: 65535n }, e[0]!]]), negate });
        } else {
          lookup([tok.startsWith('--d') ? 'dport' : 'sport'], els, negate);
        }
        break;
      }
      case '--src-range': case '--dst-range': {
        const v = arg(tok);
        const a = address(tok, v);
        if (typeof a === 'string') conds.push({ kind: 'unknown', reason: a });
        else lookup([tok === '--src-range' ? 'saddr' : 'daddr'], [[a]], negate);
        break;
      }
      case '--state': case '--ctstate': {
        lookup(['ctstate'], states(tok, arg(tok)), negate);
        break;
      }
      case '--syn':
        // The first packet of a TCP flow is its SYN.
        needPort(tok);
        if (negate) conds.push({ kind: 'l4', protos: [] });
        break;
      case '--comment':
        arg(tok);
        break;
      case '-j': case '--jump': case '-g': case '--goto': {
        const target = arg(tok);
        // The target's own options follow it (--reject-with, --log-prefix ...).
        while (i < tokens.length && tokens[i]!.startsWith('--')) {
          i++;
          if (i < tokens.length && !tokens[i]!.startsWith('--')) i++;
        }
        if (tok === '-g' || tok === '--goto') {
          if (!chains.has(target) || chains.get(target)!.base) fail(`-g ${target}: no user chain ${target}`);
          action = { kind: 'goto', target: `filter ${target}` };
        } else if (target === 'ACCEPT' || target === 'DROP' || target === 'REJECT' || target === 'RETURN') {
          action = { kind: target === 'RETURN' ? 'return' : (target.toLowerCase() as 'accept' | 'drop' | 'reject') };
        } else if (CONTINUE_TARGETS.has(target)) {
          action = null;
        } else if (chains.has(target) && !chains.get(target)!.base) {
          action = { kind: 'jump', target: `filter ${target}` };
        } else {
          conds.push({ kind: 'unknown', reason: `target ${target} cannot be evaluated` });
          action = { kind: 'continue' };
        }
        if (i < tokens.length) fail(`'${tokens[i]}' after the target ${target}`);
        break;
      }
      default: {
        if (!tok.startsWith('-')) fail(`'${tok}' is not an option`);
        // An option of a match module this check does not evaluate: its values follow it.
        while (i < tokens.length && !tokens[i]!.startsWith('-') && tokens[i] !== '!') i++;
        conds.push({ kind: 'unknown', reason: `${negate ? '! ' : ''}${tok} cannot be evaluated` });
      }
    }
  }
  return { conds, action, v6 };
}

/** 255.255.255.0 -> 24; null when the mask is not contiguous. */
function maskLength(mask: string): number | null {
  try {
    const m = addressInterval(mask).interval.lo;
    const bits = mask.includes(':') ? 128 : 32;
    for (let len = 0; len <= bits; len++) {
      const want = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
      if (want === m) return len;
    }
    return null;
  } catch {
    return null;
  }
}
