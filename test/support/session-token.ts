import { CookieClient } from './cookie-client.js';
import type { RunningSystem } from './start-system.js';

/**
 * Signs a browser in through the gateway (the fake Google approves at once) and returns a
 * function that trades its session for a fresh access token, as the demo page does.
 *
 * @example
 * const token = await signedInSession(system);
 * const accessToken = await token();
 */
export async function signedInSession(system: RunningSystem): Promise<() => Promise<string>> {
  const client = new CookieClient();
  const landed = await client.request(`${system.url}/auth/login?returnTo=%2F`);
  if (landed.url !== `${system.url}/`) throw new Error(`sign-in ended at ${landed.url}`);
  return async () => {
    const res = await client.request(`${system.url}/auth/token`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    if (res.status !== 200) throw new Error(`POST /auth/token answered ${res.status}`);
    return res.json<{ access_token: string }>().access_token;
  };
}
