/** How a role reads in sentences and reports: the catalog's title, or the id itself. */

/**
 * "Management point" from the catalog's role titles (a catalog's `roles` map, or the report's
 * `roleTitles` record), falling back to the id: pseudo-roles (internet, internal, ...) and roles
 * no loaded catalog defines read as their id.
 */
export function roleTitle(titles: Record<string, string> | ReadonlyMap<string, { title: string }>, id: string): string {
  if (titles instanceof Map) return titles.get(id)?.title ?? id;
  return (titles as Record<string, string>)[id] ?? id;
}
