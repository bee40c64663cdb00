import { createHash } from 'node:crypto';

/**
 * An in-test revocation feed behind a fetch double (other URLs go to the real fetch): entries
 * are served after `since` as the auth-service does, with an ETag and 304, and can be taken down.
 */
export function testRevocationFeed(url = 'http://feed.test/auth/.well-known/revocations') {
  const entries: {
    id: number;
    sid?: string;
    sub?: string;
    jti?: string;
    at: number;
    exp: number;
  }[] = [];
  let down = false;
  const seen = { requests: 0, notModified: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    if (!target.href.startsWith(url)) return fetch(input, init);
    seen.requests += 1;
    if (down) throw new TypeError('fetch failed: connection refused');
    const since = Number(target.searchParams.get('since'));
    const page = entries.filter((e) => e.id > since);
    const body = JSON.stringify({
      entries: page.map(({ id: _, ...rest }) => rest),
      cursor: String(page.at(-1)?.id ?? since),
      more: false,
    });
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    const ifNoneMatch = new Headers(init?.headers).get('if-none-match');
    if (ifNoneMatch === etag) {
      seen.notModified += 1;
      return new Response(null, { status: 304, headers: { etag } });
    }
    return new Response(body, { headers: { etag, 'content-type': 'application/json' } });
  };
  return {
    url,
    fetch: fetchFn,
    seen,
    /** Records a revocation at `atMs` (the entry's `at` in whole seconds, rounded down). */
    revoke(
      name: { sid?: string; sub?: string; jti?: string },
      atMs: number,
      expMs = atMs + 660_000,
    ) {
      entries.push({
        id: entries.length + 1,
        ...name,
        at: Math.floor(atMs / 1000),
        exp: Math.ceil(expMs / 1000),
      });
    },
    setDown(value: boolean) {
      down = value;
    },
  };
}

/** Resolves once `check` holds, polling every 5 ms; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
