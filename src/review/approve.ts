/**
 * `flowaudit approve`: turns unexpected findings of an audit into site-local approvals — the
 * `allow:` entries of the site file (docs/contracts.md, "Site file") — and writes them into the
 * site file in place.
 *
 * One entry per finding group selected (a group id, flow ids, or the flows a `--where`
 * expression selects): `from` and `to` are the two sides' roles when the site file gives them
 * one, else the addresses of the selected flows; `proto`; `port`, the service ports the
 * selected flows used (never the client's ephemeral port); `rule`, the group's nearest rule.
 */
import { parseDocument, Document, isMap, isScalar, isSeq, LineCounter } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { checkSiteAgainstCatalog, parseSite } from '../catalog/site-file.js';
import type { AllowEntry, Catalog } from '../catalog/types.js';
import type { AuditResult, UnexpectedItem } from '../audit/types.js';
import { compressPorts, portsText } from '../audit/format.js';
import { IgnoreList } from '../classify/ignore.js';
import { protoNumber } from '../util/proto.js';
import { UserError } from '../util/errors.js';

/** Which unexpected flows to approve: exactly one of the three. */
export type ApproveSelection =
  | { groups: string[] }
  | { flows: number[] }
  /** The stored flows an expression selected (their ids), and the expression, for messages. */
  | { where: string; flowIds: ReadonlySet<number> };

/** Who approves, when and why: the same for every entry of one run. */
export interface ApprovalMeta {
  reason: string;
  by: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** An `allow:` entry to write, in the site file's keys and order. */
export interface AllowSpec {
  from?: string | string[];
  to?: string | string[];
  proto?: string;
  port?: number | string;
  reason: string;
  by: string;
  date: string;
  rule?: string;
}

/** One planned entry: the group it approves and how many of the selected flows it stands for. */
export interface PlannedApproval {
  group: string;
  spec: AllowSpec;
  /** Selected unexpected flows of that group. */
  selected: number;
}

const ALLOW_PROTOS = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

/**
 * The allow entries for the selected unexpected flows of `result`, one per finding group.
 * Throws UserError (one line) for a group or flow id that is not unexpected in this audit, or a
 * selection that holds no unexpected flow.
 */
export function planApprovals(result: AuditResult, selection: ApproveSelection, meta: ApprovalMeta): PlannedApproval[] {
  const items = selectItems(result, selection);
  const byGroup = new Map<string, UnexpectedItem[]>();
  for (const it of items) {
    const list = byGroup.get(it.group);
    if (list) list.push(it);
    else byGroup.set(it.group, [it]);
  }
  const out: PlannedApproval[] = [];
  for (const [group, list] of byGroup) {
    const rule = result.groups.unexpected.find((g) => g.id === group)?.rule ?? list[0]!.nearestRule;
    out.push({ group, spec: allowSpec(list, rule, meta), selected: list.length });
  }
  return out;
}

function selectItems(result: AuditResult, selection: ApproveSelection): UnexpectedItem[] {
  const all = result.unexpected;
  if ('groups' in selection) {
    const known = result.groups.unexpected.map((g) => g.id);
    for (const id of selection.groups) {
      if (known.includes(id)) continue;
      const windowGroup = result.groups.windowOnly.some((g) => g.id === id)
        ? ' (a group of flows only a time window allows: they are not unexpected unless the review is strict, --strict)' : '';
      throw new UserError(`--group ${id}: no such group of unexpected flows in this audit${windowGroup || ` (its groups: ${known.length ? known.join(', ') : 'none'})`}`);
    }
    const ids = new Set(selection.groups);
    return pick(all, (it) => ids.has(it.group));
  }
  if ('flows' in selection) {
    const wanted = new Set(selection.flows);
    const byId = new Map(pick(all, (it) => wanted.has(it.flowId)).map((it) => [it.flowId, it]));
    for (const id of selection.flows) {
      if (!byId.has(id)) throw new UserError(`--flow ${id}: not one of the ${all.length} unexpected flows of this audit (the JSON report lists them with their flowId)`);
    }
    return [...new Set(selection.flows)].map((id) => byId.get(id)!);
  }
  const chosen = pick(all, (it) => selection.flowIds.has(it.flowId));
  if (chosen.length === 0) {
    throw new UserError(`--where ${JSON.stringify(selection.where)}: selects ${selection.flowIds.size} stored flow${selection.flowIds.size === 1 ? '' : 's'}, none of them one of the ${all.length} unexpected flows of this audit`);
  }
  return chosen;
}

/** The side of an entry: a role when the site file gives the flows' end one, else their addresses. */
function sideOf(items: UnexpectedItem[], end: 'src' | 'dst', rule: string | null): string | string[] {
  const roles = end === 'src' ? items[0]!.srcRoles : items[0]!.dstRoles;
  if (roles.length > 0) {
    // Every role of the end holds its address; the one of the rule's product reads best.
    const product = rule?.split('.')[0];
    return roles.find((r) => product !== undefined && r.split('.')[0] === product) ?? roles[0]!;
  }
  const addrs = [...new Set(items.map((it) => it[end]))].sort();
  return addrs.length === 1 ? addrs[0]! : addrs;
}

function allowSpec(items: UnexpectedItem[], rule: string | null, meta: ApprovalMeta): AllowSpec {
  const proto = items[0]!.proto;
  const spec: Omit<AllowSpec, 'reason' | 'by' | 'date'> = { from: sideOf(items, 'src', rule), to: sideOf(items, 'dst', rule) };
  if (ALLOW_PROTOS.has(proto)) spec.proto = proto;
  // The service port is the responder's; ICMP has none (its "ports" are type and code).
  if (proto === 'tcp' || proto === 'udp') {
    const ports = compressPorts(items.map((it) => it.dport).filter((p) => p >= 1 && p <= 65535));
    if (ports.length === 1 && ports[0]!.lo === ports[0]!.hi) spec.port = ports[0]!.lo;
    else if (ports.length > 0) spec.port = portsText(ports);
  }
  return { ...spec, reason: meta.reason, by: meta.by, date: meta.date, ...(rule ? { rule } : {}) };
}

/** The entries as YAML block-sequence items, each line indented by `indent` spaces. */
export function allowItemsYaml(specs: readonly AllowSpec[], indent: number): string {
  const doc = new Document(specs.map((s) => ({ ...s })));
  const text = doc.toString({ lineWidth: 0 });
  const pad = ' '.repeat(indent);
  return text.split('\n').filter((l) => l !== '').map((l) => pad + l).join('\n') + '\n';
}

/** Where the new entries go and what is written there. */
export interface AllowEdit {
  /** The site file's text with the entries added. */
  text: string;
  /** What was added, as inserted (for --dry-run and messages). */
  added: string;
  /** 1-based line of the first added line. */
  line: number;
}

/**
 * Adds allow entries to site file text, changing nothing else: the text before and after the
 * added block stays byte for byte (comments, blank lines, alignment, quoting). The document is
 * read with the yaml Document API to find the `allow:` sequence (appended to) or the place to
 * create it (the end of the file); the block itself is written by the same library. Rendering
 * the whole edited document instead would re-flow the rest of a hand-written file.
 */
export function addAllowEntries(text: string, specs: readonly AllowSpec[], file: string): AllowEdit {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new UserError(`${file}: not a valid site file; fix it before approving flows`);
  const root = doc.contents as YAMLMap;
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'allow');
  const value = pair?.value as YamlNode | null | undefined;
  const lineStartOf = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndOf = (offset: number): number => {
    const nl = text.indexOf('\n', offset);
    return nl < 0 ? text.length : nl;
  };
  const at = (offset: number, insert: string): AllowEdit => ({
    text: text.slice(0, offset) + insert + text.slice(offset),
    added: insert.replace(/^\n/, ''),
    line: lc.linePos(offset).line + (insert.startsWith('\n') ? 1 : 0),
  });

  if (pair && isSeq(value) && value.items.length > 0 && !value.flow) {
    // A block sequence: the new items go after the last one, at the same indentation.
    const first = value.items[0] as YamlNode;
    const dash = text.lastIndexOf('-', first.range![0]);
    const indent = dash - lineStartOf(dash);
    const last = value.items[value.items.length - 1] as YamlNode;
    // A block node's range runs on over the blank lines after it: the item ends at its last text.
    let contentEnd = last.range![1];
    while (contentEnd > last.range![0] && /\s/.test(text[contentEnd - 1]!)) contentEnd--;
    const end = lineEndOf(contentEnd);
    const block = allowItemsYaml(specs, indent);
    return end < text.length ? at(end + 1, block) : at(end, '\n' + block.replace(/\n$/, ''));
  }
  if (pair && isSeq(value) && value.items.length > 0) {
    // A flow sequence [{...}, {...}]: the new items join it, in flow style.
    const last = value.items[value.items.length - 1] as YamlNode;
    const maps = specs.map((s) => {
      const d = new Document(s);
      (d.contents as YAMLMap).flow = true;
      return d.toString({ lineWidth: 0 }).trim();
    });
    return at(last.range![1], maps.map((m) => `, ${m}`).join(''));
  }
  if (pair && (value === null || value === undefined || (isScalar(value) && value.value === null) || (isSeq(value) && value.items.length === 0))) {
    // `allow:` with nothing, `~` or `[]`: that value goes, and the items follow the key's line.
    const keyNode = pair.key as YamlNode;
    let base = text;
    const range = (value as YamlNode | null | undefined)?.range;
    if (range && range[1] > range[0]) {
      const restBlank = text.slice(range[1], lineEndOf(range[1])).trim() === '';
      const head = text.slice(0, range[0]);
      base = (restBlank ? head.replace(/[ \t]+$/, '') : head) + text.slice(range[1]);
    }
    const keyLineEnd = base.indexOf('\n', keyNode.range![0]) < 0 ? base.length : base.indexOf('\n', keyNode.range![0]);
    const block = allowItemsYaml(specs, 2);
    return {
      text: base.slice(0, keyLineEnd) + '\n' + block.replace(/\n$/, '') + base.slice(keyLineEnd),
      added: block,
      line: lc.linePos(keyNode.range![0]).line + 1,
    };
  }
  if (pair) throw new UserError(`${file}: allow: is not a list; fix it before approving flows`);
  // No allow: yet: a new key at the end of the file.
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  const block = `allow:\n${allowItemsYaml(specs, 2)}`;
  return at(text.length, sep + block);
}

/**
 * Checks the edited site file as flowaudit will read it (every entry parses, rule ids exist)
 * and counts, for each new entry, the unexpected flows of `result` it covers.
 */
export function checkApprovals(text: string, file: string, catalog: Catalog, result: AuditResult, count: number): number[] {
  let allow: AllowEntry[];
  try {
    const site = parseSite(text, file);
    checkSiteAgainstCatalog(site, catalog);
    allow = site.allow ?? [];
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`the approvals would not make a valid site file (nothing written): ${err.message.split('\n').join(' ')}`);
    throw err;
  }
  return allow.slice(allow.length - count).map((e) => {
    const list = new IgnoreList([e]);
    let n = 0;
    for (const it of result.unexpected) {
      if (list.match({ proto: protoNumber(it.proto) ?? -1, src: it.src, sport: it.sport, dst: it.dst, dport: it.dport, start: it.start }) !== null) n++;
    }
    return n;
  });
}

/** The items of a list (read one at a time from the audit's store) that `keep` selects. */
function pick<T>(items: Iterable<T>, keep: (it: T) => boolean): T[] {
  const out: T[] = [];
  for (const it of items) if (keep(it)) out.push(it);
  return out;
}
