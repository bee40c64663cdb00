import { framingHeaders } from '@gatehouse/shared';

/**
 * Defence in depth for upstream pages: a proxied HTML response that states no framing policy
 * of its own gets `X-Frame-Options: DENY` and `frame-ancestors 'none'` (merged into its CSP),
 * by the rules of the shared `framingHeaders`. One that states a policy keeps it. `head` is
 * the raw response header list (name, value, name, value, ...), changed in place.
 */
export function denyFramingOfPages(head: string[]): void {
  let contentType: string | undefined;
  let frameOptions: string | undefined;
  const policies: string[] = [];
  const replaced: number[] = [];
  for (let i = 0; i < head.length; i += 2) {
    switch (head[i]!.toLowerCase()) {
      case 'content-type':
        contentType = head[i + 1];
        break;
      case 'x-frame-options':
        frameOptions = head[i + 1];
        replaced.push(i);
        break;
      case 'content-security-policy':
        policies.push(head[i + 1]!);
        replaced.push(i);
        break;
    }
  }
  const headers = framingHeaders({
    contentType,
    frameOptions,
    contentSecurityPolicy: policies.length === 0 ? undefined : policies.join(', '),
  });
  if (headers === undefined) return;
  // The merged CSP contains the upstream's policies; an X-Frame-Options that browsers ignore
  // (`ALLOW-FROM`, a typo) would only conflict with DENY.
  for (const i of replaced.reverse()) head.splice(i, 2);
  head.push('X-Frame-Options', headers['X-Frame-Options']);
  head.push('Content-Security-Policy', headers['Content-Security-Policy']);
}
