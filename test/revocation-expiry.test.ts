import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serviceClient } from './support/service-client.js';
import { startSystem, type RunningSystem } from './support/start-system.js';
import { until } from './support/until.js';

/** Both services' clock: real time moved forward by what a test asks. */
let offsetMs = 0;
const now = () => Date.now() + offsetMs;

let system: RunningSystem;
beforeAll(async () => {
  system = await startSystem({ authNow: now, apiNow: now });
});
afterAll(async () => {
  await system.close();
});

const caller = (token: string) =>
  fetch(`${system.url}/api/caller`, { headers: { authorization: `Bearer ${token}` } });

/** When the api-service last polled the feed (its clock); each poll sweeps expired entries. */
async function polledAt(): Promise<number> {
  const res = await fetch(`${system.apiUrl}/readyz`);
  const body = (await res.json()) as { details?: { revocations?: { polledAt?: number } } };
  return body.details?.revocations?.polledAt ?? 0;
}

describe('a revoked access token past its exp (issue 20, item 7)', () => {
  it('when a token revoked by RFC 7009 is presented within the clock tolerance after exp, then the gateway still answers 401 revoked', async () => {
    const client = await serviceClient(system, 'expiry-revoking');
    const issued = await client.post('/auth/token', { grant_type: 'client_credentials' });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
    };
    expect((await caller(token)).status).toBe(200);
    expect((await client.post('/auth/revoke', { token })).status).toBe(200);
    await until('the revocation refused', 5_000, async () => (await caller(token)).status === 401);

    // 5 s past exp: the api-service's 30 s tolerance still takes the token.
    offsetMs = exp * 1000 + 5_000 - Date.now();
    const moved = now();
    await until(
      'a feed poll after the clock moved',
      5_000,
      async () => (await polledAt()) >= moved,
    );
    const res = await caller(token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: 'invalid_token',
      error_description: 'the token has been revoked',
    });
  });
});
