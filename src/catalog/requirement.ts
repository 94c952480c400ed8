/**
 * Which rules a site requires. A catalog marks the paths every installation of a product
 * shows (`required: true`); which paths a given deployment must show is the site's to say:
 * the site file's `require:` makes a rule required and its `optional:` makes it optional,
 * whatever the catalog says. A rule named in neither keeps the catalog's `required`.
 */
import type { Rule, Site } from './types.js';

export interface Requirement {
  required: boolean;
  /** Who decided: the catalog's `required`, or the site file's `require:` / `optional:`. */
  by: 'catalog' | 'site';
}

export type RequirementOf = (rule: Pick<Rule, 'id' | 'required'>) => Requirement;

/** The requirement of each rule in this site. */
export function siteRequirements(site: Pick<Site, 'require' | 'optional'>): RequirementOf {
  const required = new Set((site.require ?? []).map((r) => r.id));
  const optional = new Set((site.optional ?? []).map((r) => r.id));
  return (rule) => {
    if (required.has(rule.id)) return { required: true, by: 'site' };
    if (optional.has(rule.id)) return { required: false, by: 'site' };
    return { required: rule.required, by: 'catalog' };
  };
}

