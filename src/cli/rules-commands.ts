/** `flowaudit rules list | show ID | check [FILE...]`. */
import { relative } from 'node:path';
import { Command } from 'commander';
import { checkRules, formatProblem } from '../catalog/catalog-file.js';
import { findRule, listCatalogIds, loadCatalogs, shippedCatalogFiles } from '../catalog/rules-loader.js';
import type { Rule } from '../catalog/types.js';
import { UserError } from '../util/errors.js';

function portsOf(r: Rule): string {
  return r.proto === 'ip' ? '-' : r.ports.map((p) => (p.lo === p.hi ? String(p.lo) : `${p.lo}-${p.hi}`)).join(',') || r.portsText;
}

export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('the port catalogs: list, show and check rules');

  rules
    .command('list')
    .description('list the rules of the shipped catalogs (or of --catalog ids/files)')
    .option('--catalog <ids>', 'comma-separated catalog ids or files (default: all shipped)')
    .action((o: { catalog?: string }) => {
      const refs = o.catalog ? o.catalog.split(',').map((s) => s.trim()) : listCatalogIds();
      const cat = loadCatalogs(refs);
      const rows = cat.rules.map((r) => [r.id, r.proto, portsOf(r), `${r.from.join('|')} ${r.direction === 'both' ? '<->' : '->'} ${r.to.join('|')}`,
        r.required ? 'required' : '', r.wanCache ?? '']);
      const head = ['id', 'proto', 'ports', 'from -> to', 'required', 'wan_cache'];
      const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
      process.stdout.write([line(head), ...rows.map(line)].join('\n') + `\n\n${cat.rules.length} rules in ${cat.ids.length} catalogs (${cat.ids.join(', ')})\n`);
    });

  rules
    .command('show')
    .description('show one rule with its source citation')
    .argument('<id>', 'rule id, e.g. sccm.client-to-mp')
    .action((id: string) => {
      const cat = loadCatalogs(listCatalogIds());
      const found = findRule(cat, id);
      if (!found) throw new UserError(`no rule with id '${id}' (see flowaudit rules list)`);
      const r = found.rule;
      const role = (x: string) => `${x}${cat.roles.get(x) ? ` (${cat.roles.get(x)!.title})` : ''}`;
      const lines = [
        `${r.id}: ${r.title}`,
        `  from:      ${r.from.map(role).join(', ')}`,
        `  to:        ${r.to.map(role).join(', ')}`,
        `  direction: ${r.direction}`,
        `  protocol:  ${r.proto} ${portsOf(r)}${r.portsText && r.portsText !== portsOf(r) ? `  (as written: ${r.portsText})` : ''}`,
        `  required:  ${r.required ? 'yes' : 'no'}`,
        `  wan_cache: ${r.wanCache ?? 'not specified'}`,
        `  source:    ${r.source.doc}${r.source.title ? ` (${r.source.title})` : ''} — ${r.source.ref}`,
        `  defined:   ${relative(process.cwd(), r.file)}:${r.line}`,
      ];
      for (const t of r.then) {
        lines.push(`  then:      ${t.id}: ${t.proto} ${t.ports.map((p) => (p.lo === p.hi ? p.lo : `${p.lo}-${p.hi}`)).join(',')} via ${t.via} within ${t.within}s (${t.direction})`);
      }
      if (found.followOn) lines.push(`  (${id} is a follow-on channel of ${r.id})`);
      process.stdout.write(lines.join('\n') + '\n');
    });

  rules
    .command('roles')
    .description('list the role ids a site file can give addresses to, with their titles, per catalog')
    .option('--catalog <ids>', 'comma-separated catalog ids or files (default: all shipped)')
    .action((o: { catalog?: string }) => {
      const refs = o.catalog ? o.catalog.split(',').map((s) => s.trim()) : listCatalogIds();
      const cat = loadCatalogs(refs);
      const out: string[] = [];
      for (const id of cat.ids) {
        const roles = [...cat.roles.values()].filter((r) => r.product === id);
        const title = cat.titles?.get(id);
        out.push(`${id}${title && title !== id ? ` — ${title}` : ''}`);
        const w = Math.max(...roles.map((r) => r.id.length));
        for (const r of roles) {
          const extra = [r.doc, r.default?.length ? `default: ${r.default.join(', ')}` : ''].filter(Boolean).join('; ');
          out.push(`  ${r.id.padEnd(w)}  ${r.title}${extra ? ` (${extra})` : ''}`.trimEnd());
        }
        out.push('');
      }
      const n = cat.roles.size;
      out.push(`${n} roles in ${cat.ids.length} catalogs; in a site file: roles: { ROLE-ID: [addresses] }`);
      process.stdout.write(out.join('\n') + '\n');
    });

  rules
    .command('check')
    .description('validate catalog files (default: the shipped ones); problems name file, line and field')
    .argument('[file...]', 'catalog YAML files')
    .action((files: string[]) => {
      const list = files.length ? files : shippedCatalogFiles();
      const problems = checkRules(list);
      for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
      if (problems.length) {
        process.stderr.write(`${problems.length} problem(s) in ${list.length} file(s)\n`);
        process.exitCode = 2;
      } else process.stdout.write(`${list.length} catalog file(s) OK\n`);
    });
}
