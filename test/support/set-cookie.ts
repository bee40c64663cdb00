/** One `Set-Cookie` line, as the tests' cookie jars need it. */
export interface SetCookie {
  name: string;
  value: string;
  /** The Path attribute, `/` when absent. */
  path: string;
  /** Expired (the epoch date servers use to delete) or emptied: the jar should drop it. */
  deleted: boolean;
}

/** Parses a `Set-Cookie` header line (no Domain or Max-Age handling: tests never need it). */
export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const pathAttr = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='));
  const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
  return {
    name,
    value,
    path: pathAttr ? pathAttr.slice(5) : '/',
    deleted: expired || value === '',
  };
}
