import type { IncomingHttpHeaders } from 'node:http';

/**
 * The value of cookie `name` in a `Cookie` header, the first if the browser sent several
 * (the most specific path comes first). Undefined when absent or empty.
 *
 * @example
 * passCookieValue({ cookie: 'theme=dark; gatehouse=eyJ...' }, 'gatehouse'); // 'eyJ...'
 */
export function passCookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (header === undefined) return undefined;
  const prefix = `${name}=`;
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (pair.startsWith(prefix)) return pair.slice(prefix.length) || undefined;
  }
  return undefined;
}

/**
 * Removes cookie `name` from the request's `Cookie` header (the whole header when nothing else
 * is left): the gateway pass is the gateway's credential, and an upstream that received it
 * could replay it as the user. Other cookies pass unchanged.
 */
export function removePassCookie(headers: IncomingHttpHeaders, name: string): void {
  const header = headers.cookie;
  if (header === undefined || !header.includes(`${name}=`)) return;
  const prefix = `${name}=`;
  const kept = header
    .split(';')
    .map((part) => part.trim())
    .filter((pair) => pair !== '' && !pair.startsWith(prefix));
  if (kept.length === 0) delete headers.cookie;
  else headers.cookie = kept.join('; ');
}
