import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { CookieClient } from './support/cookie-client.js';
import { startSystem, type RunningSystem } from './support/start-system.js';
import { tokenGate } from './support/token-gate.js';

// Security issue 20, item 3: a stolen session cookie must not survive the victim's sign-out
// through a refused callback that was waiting on the provider while the session ended.
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system.close();
});
beforeEach(() => system.google!.reset());

const sameOrigin = () => ({ origin: system.url });

async function signIn(): Promise<CookieClient> {
  const client = new CookieClient();
  const landed = await client.request(`${system.url}/auth/login?returnTo=%2F`);
  expect(landed.url).toBe(`${system.url}/`);
  return client;
}

function token(client: CookieClient) {
  return client.request(`${system.url}/auth/token`, { method: 'POST', headers: sameOrigin() });
}

/** The ways a victim ends the session the attacker holds a copy of. */
const endings: Record<string, (victim: CookieClient) => Promise<number>> = {
  'signs out': async (victim) =>
    (await victim.request(`${system.url}/auth/logout`, { method: 'POST', headers: sameOrigin() }))
      .status,
  'signs out everywhere': async (victim) =>
    (
      await victim.request(`${system.url}/auth/logout`, {
        method: 'POST',
        headers: { ...sameOrigin(), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'everywhere=1',
      })
    ).status,
  'ends the session on the account page': async (victim) => {
    const { sid } = decodeJwt((await token(victim)).json<{ access_token: string }>().access_token);
    return (
      await victim.request(`${system.url}/auth/account/sessions/${String(sid)}/end`, {
        method: 'POST',
        headers: sameOrigin(),
      })
    ).status;
  },
};

describe('a stolen session cookie and sign-out', () => {
  it.each(Object.keys(endings))(
    'when the victim %s while the attacker’s bogus callback waits on the provider, then the cookie stays dead',
    async (ending) => {
      const victim = await signIn();
      const attacker = new CookieClient();
      victim.copyTo(attacker);

      // The attacker starts a sign-in in the victim's session and stops at the provider.
      const started = await attacker.request(`${system.url}/auth/login?returnTo=%2F`, {
        maxRedirects: 1,
      });
      expect(started.status).toBe(302);
      const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
      const gate = tokenGate();
      system.google!.misbehave({ tokenGate: gate });
      const callback = attacker.request(
        `${system.url}/auth/connect/google/callback?state=${encodeURIComponent(state)}&code=bogus`,
        { headers: { accept: 'application/json' } },
      );
      await gate.reached;

      expect([204, 303]).toContain(await endings[ending]!(victim));
      gate.release();
      const refused = await callback;
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'invalid_grant' });

      const minted = await token(attacker);
      expect(minted.status).toBe(401);
      expect(minted.json()).toMatchObject({ error: 'login_required' });
      expect((await attacker.request(`${system.url}/auth/session`)).status).toBe(401);
    },
  );
});
