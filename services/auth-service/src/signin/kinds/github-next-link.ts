/**
 * The `rel="next"` target of a `Link` header (RFC 8288) as GitHub paginates, resolved against
 * the page that carried it, or undefined on the last page.
 *
 * @example
 * nextLink('<https://api.github.com/user/orgs?page=2>; rel="next", <...>; rel="last"', base);
 * // 'https://api.github.com/user/orgs?page=2'
 */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const link of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(link);
    if (!match) continue;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(match[2]);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) {
      try {
        return new URL(match[1], base).href;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
