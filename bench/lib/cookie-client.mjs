/**
 * A cookie-keeping HTTP client for driving the sign-in flow from a script: follows redirects
 * by hand across origins (gateway <-> identity provider) and keeps each host's cookies with
 * their paths, as a browser would for this purpose (no Domain, expiry or Secure handling).
 * Every exchange, each redirect hop included, is reported to `onExchange(label, status, ms)`.
 */
export class CookieClient {
  #jar = new Map();
  #onExchange;

  constructor(onExchange = () => {}) {
    this.#onExchange = onExchange;
  }

  /** Sends a request, following up to 10 redirects (GET after 301/302/303); returns the last. */
  async request(label, url, { method = 'GET', headers = {}, body } = {}) {
    let current = new URL(url);
    for (let redirects = 0; ; redirects += 1) {
      const cookie = this.#cookieHeader(current);
      const started = performance.now();
      const res = await fetch(current, {
        method,
        body,
        redirect: 'manual',
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      this.#onExchange(label, res.status, performance.now() - started);
      this.#store(current, res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && redirects < 10) {
        current = new URL(location, current);
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
          headers = {};
        }
        continue;
      }
      return { status: res.status, url: current.href, headers: res.headers, text };
    }
  }

  #cookieHeader(url) {
    const cookies = this.#jar.get(url.host);
    if (!cookies) return '';
    const matches = (path) =>
      path === '/' ||
      url.pathname === path ||
      url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
    return [...cookies]
      .filter(([, c]) => matches(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  #store(url, lines) {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path = attributes
        .map((a) => a.trim())
        .find((a) => a.toLowerCase().startsWith('path='))
        ?.slice(5);
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      const cookies = this.#jar.get(url.host) ?? new Map();
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, { value, path: path || '/' });
      this.#jar.set(url.host, cookies);
    }
  }
}
