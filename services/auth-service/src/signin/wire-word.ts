/** A provider-supplied error code, reduced to something safe to log. */
export function wireWord(value: unknown): string {
  return typeof value === 'string' && /^[a-z_]{1,64}$/.test(value) ? value : 'unknown';
}
