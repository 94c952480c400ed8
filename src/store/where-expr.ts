/**
 * `flowaudit flows --where "dport=445 and state!=SF"`: a small filter language turned into
 * parameterised SQL. Only whitelisted fields and operators exist, values are always bound
 * parameters, so nothing a user types reaches SQL as text.
 */
import { protoNumber } from '../util/proto.js';
import { UserError } from '../util/errors.js';

const FIELDS: Record<string, { column: string; numeric: boolean }> = {
  proto: { column: 'f.proto', numeric: true },
  src: { column: 'f.src', numeric: false },
  dst: { column: 'f.dst', numeric: false },
  sport: { column: 'f.sport', numeric: true },
  dport: { column: 'f.dport', numeric: true },
  state: { column: 'f.state', numeric: false },
  history: { column: 'f.history', numeric: false },
  rule: { column: 'f.rule', numeric: false },
  match: { column: 'f.match_how', numeric: false },
  capture: { column: 'f.capture_id', numeric: true },
  vlan: { column: 'f.vlans', numeric: false },
  origpackets: { column: 'f.orig_packets', numeric: true },
  resppackets: { column: 'f.resp_packets', numeric: true },
  origbytes: { column: 'f.orig_bytes', numeric: true },
  respbytes: { column: 'f.resp_bytes', numeric: true },
  start: { column: 'f.start', numeric: true },
  end: { column: 'f.end', numeric: true },
  duration: { column: '(f.end - f.start)', numeric: true },
  tunnel: { column: 'f.tunnel', numeric: false },
};
const CLAUSE = /^\s*([a-zA-Z]+)\s*(<=|>=|!=|=|<|>|~)\s*(.+?)\s*$/;

export interface WhereSql {
  sql: string;
  args: (string | number)[];
}

export function parseWhere(expr: string): WhereSql {
  const parts = expr.split(/\s+and\s+/i);
  const sql: string[] = [];
  const args: (string | number)[] = [];
  for (const part of parts) {
    const m = CLAUSE.exec(part);
    if (!m) throw new UserError(`--where: cannot read '${part.trim()}' (write field=value, joined with 'and'; operators = != < > <= >= ~)`);
    const name = m[1]!.toLowerCase();
    const op = m[2]!;
    let value: string = m[3]!.replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
    if (name === 'null') throw new UserError(`--where: unknown field 'null'`);
    if (name === 'host' || name === 'port') {
      if (op !== '=') throw new UserError(`--where: ${name} supports only '='`);
      const num = name === 'port';
      if (num && !/^\d+$/.test(value)) throw new UserError(`--where: port must be a number, got '${value}'`);
      sql.push(name === 'host' ? '(f.src = ? OR f.dst = ?)' : '(f.sport = ? OR f.dport = ?)');
      args.push(num ? Number(value) : value, num ? Number(value) : value);
      continue;
    }
    const f = FIELDS[name];
    if (!f) throw new UserError(`--where: unknown field '${m[1]}' (fields: host, port, ${Object.keys(FIELDS).join(', ')})`);
    const protoNum = name === 'proto' ? protoNumber(value.toLowerCase()) : null;
    if (protoNum !== null) value = String(protoNum);
    if (op === '~') {
      sql.push(`${f.column} LIKE ?`);
      args.push(`%${value}%`);
      continue;
    }
    if (f.numeric) {
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new UserError(`--where: ${name} needs a number, got '${value}'`);
      args.push(Number(value));
    } else {
      if (value === 'null') {
        if (op !== '=' && op !== '!=') throw new UserError(`--where: ${name} ${op} null makes no sense`);
        sql.push(`${f.column} IS ${op === '=' ? '' : 'NOT '}NULL`);
        continue;
      }
      args.push(value);
    }
    sql.push(`${f.column} ${op === '!=' ? '<>' : op} ?`);
  }
  return { sql: sql.join(' AND '), args };
}
