import type { Fetch } from './address-fetch.js';
import { parseSetCookie } from './set-cookie.js';

/**
 * A cookie-keeping HTTP client for cross-service flows: follows redirects by hand across
 * origins (gateway <-> identity provider) and keeps each origin's cookies with their paths,
 * the way a browser would for these tests' purposes (no Domain or expiry handling needed).
 */
export interface ClientResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
  /** Every URL visited on the way, the first request included. */
  hops: string[];
}

interface StoredCookie {
  value: string;
  path: string;
}

export class CookieClient {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  /** `send` is how requests leave (address-fetch.ts to come from another address). */
  constructor(private readonly send: Fetch = fetch) {}

  /** Sends a request, following up to `maxRedirects` redirects (GET after 302/303). */
  async request(
    url: string,
    init: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      maxRedirects?: number;
    } = {},
  ): Promise<ClientResponse> {
    const hops: string[] = [];
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body = init.body;
    let headers = init.headers ?? {};
    for (let redirects = 0; ; redirects += 1) {
      hops.push(current.href);
      const cookie = this.cookieHeader(current);
      const res = await this.send(current, {
        method,
        body,
        redirect: 'manual',
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
      });
      this.store(current, res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (
        res.status >= 300 &&
        res.status < 400 &&
        location &&
        redirects < (init.maxRedirects ?? 10)
      ) {
        await res.arrayBuffer();
        current = new URL(location, current);
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
          headers = {};
        }
        continue;
      }
      const text = await res.text();
      return {
        status: res.status,
        url: current.href,
        headers: res.headers,
        text,
        json: <T>() => JSON.parse(text) as T,
        hops,
      };
    }
  }

  /** The raw value of a cookie for an origin, for assertions (fixation, revocation). */
  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).host)?.get(name)?.value;
  }

  /** Copies every cookie into another client (a stolen cookie jar). */
  copyTo(other: CookieClient): void {
    for (const [host, cookies] of this.jar) other.jar.set(host, new Map(cookies));
  }

  private cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.host);
    if (!cookies) return '';
    return [...cookies]
      .filter(
        ([, c]) =>
          url.pathname === c.path ||
          url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) ||
          c.path === '/',
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const { name, value, path, deleted } = parseSetCookie(line);
      const cookies = this.jar.get(url.host) ?? new Map<string, StoredCookie>();
      if (deleted) cookies.delete(name);
      else cookies.set(name, { value, path });
      this.jar.set(url.host, cookies);
    }
  }
}
