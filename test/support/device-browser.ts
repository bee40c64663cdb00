import { CookieClient, type ClientResponse } from './cookie-client.js';

/**
 * A person at the /auth/device page: a cookie-keeping browser that enters the code (signing
 * in through the fake Google on the way, as the page sends it there first) and approves or
 * denies with a same-origin form post (approving with the "my device shows this code" box).
 */
export class DeviceBrowser {
  readonly client: CookieClient;

  constructor(
    private readonly origin: string,
    client: CookieClient = new CookieClient(),
  ) {
    this.client = client;
  }

  /** Opens the page with `userCode` typed in; returns the confirmation (or refusal) page. */
  enter(verificationUri: string, userCode: string): Promise<ClientResponse> {
    const url = new URL(verificationUri);
    url.searchParams.set('user_code', userCode);
    return this.client.request(url.href, { headers: { accept: 'text/html' } });
  }

  decide(userCode: string, decision: 'approve' | 'deny'): Promise<ClientResponse> {
    return this.client.request(`${this.origin}/auth/device`, {
      method: 'POST',
      headers: {
        origin: this.origin,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      // Approving, the person has compared the code with the terminal's and ticked the box.
      body: new URLSearchParams({
        user_code: userCode,
        decision,
        ...(decision === 'approve' && { code_matches: 'yes' }),
      }).toString(),
    });
  }
}
