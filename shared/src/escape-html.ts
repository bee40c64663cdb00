const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Makes any text safe inside HTML element content and double- or single-quoted attributes:
 * what every Gatehouse page (the gateway's demo page, the auth-service's and the dev-idp's
 * pages) writes a value through.
 *
 * @example
 * `<p>${escapeHtml(user.name)}</p>`; // '<p>Ada &lt;b&gt;</p>' for the name 'Ada <b>'
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
