import { parseSetCookie } from '../../../../test/support/set-cookie.js';

/**
 * The smallest cookie jar the flow needs: one host, names only (oidc-provider's cookie
 * names are distinct, so paths can be ignored), expired or emptied cookies dropped.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const { name, value, deleted } = parseSetCookie(line);
      if (deleted) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }
}
