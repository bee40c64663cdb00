import { request } from 'node:http';

/** The subset of fetch the tests' clients use. */
export type Fetch = (
  url: URL | string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; redirect?: 'manual' },
) => Promise<Response>;

/**
 * A fetch whose connections leave from `localAddress` (any of 127.0.0.0/8 on Linux), so one
 * test can be many clients to the gateway, which keys budgets on the socket address it sees.
 * Plain http only; never follows redirects (the cookie client does that itself).
 *
 * @example
 * const fromElsewhere = addressFetch('127.0.0.7');
 * await fromElsewhere(`${system.url}/auth/token`, { method: 'POST', body: form.toString() });
 */
export function addressFetch(localAddress: string): Fetch {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: init.method ?? 'GET', headers: init.headers, localAddress },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const one of Array.isArray(value) ? value : [value ?? '']) {
                headers.append(name, one);
              }
            }
            const status = res.statusCode ?? 500;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers }));
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}

/** `127.0.0.<n>`: the n-th loopback address, for a test's n-th client. */
export function loopback(n: number): string {
  return `127.0.0.${n}`;
}
