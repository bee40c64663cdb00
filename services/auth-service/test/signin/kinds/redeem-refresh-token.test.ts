import { describe, expect, it } from '@jest/globals';
import { redeemRefreshToken } from '../../../src/signin/kinds/redeem-refresh-token.js';

const SECRET_TOKEN = 'rt-do-not-log-me';

/** Redeems against a fetch that answers `answer` (or throws it), recording the request. */
async function redeemWith(answer: Response | Error) {
  const seen: { url: string; body: URLSearchParams }[] = [];
  const result = redeemRefreshToken({
    tokenEndpoint: 'https://idp.example/token',
    clientId: 'client',
    clientSecret: 'secret',
    refreshToken: SECRET_TOKEN,
    scope: ['openid', 'offline_access'],
    fetch: async (url, init) => {
      seen.push({ url: String(url), body: new URLSearchParams(String(init?.body)) });
      if (answer instanceof Error) throw answer;
      return answer;
    },
    timeoutMs: 1000,
  });
  return { result, seen };
}

describe('redeeming a kept refresh token', () => {
  it('when the provider answers tokens, then they are returned, and the request posts the grant with the client secret', async () => {
    const { result, seen } = await redeemWith(Response.json({ id_token: 'x', refresh_token: 'y' }));
    await expect(result).resolves.toEqual({ id_token: 'x', refresh_token: 'y' });
    expect(Object.fromEntries(seen[0]!.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: SECRET_TOKEN,
      client_id: 'client',
      client_secret: 'secret',
      scope: 'openid offline_access',
    });
  });

  it.each([
    ['invalid_grant', Response.json({ error: 'invalid_grant' }, { status: 400 }), 'invalid_grant'],
    ['401 without JSON', new Response('no', { status: 401 }), 'status_401'],
    ['an odd word', Response.json({ error: 'Bad Thing!' }, { status: 400 }), 'unknown'],
  ])(
    'when the provider refuses (%s), then 400 invalid_grant with its word',
    async (_, answer, reason) => {
      const { result } = await redeemWith(answer);
      await expect(result).rejects.toMatchObject({ status: 400, code: 'invalid_grant', reason });
    },
  );

  it.each([
    ['503', Response.json({ error: 'temporarily_unavailable' }, { status: 503 })],
    ['429', new Response('slow down', { status: 429 })],
    ['200 with HTML', new Response('<html>', { status: 200 })],
    ['a network failure', new TypeError('fetch failed')],
  ])('when the provider cannot answer (%s), then 502 provider_unavailable', async (_, answer) => {
    const { result } = await redeemWith(answer);
    const err = await result.then(
      () => new Error('resolved'),
      (e: unknown) => e as Error,
    );
    expect(err).toMatchObject({ status: 502, code: 'provider_unavailable' });
    expect(err.message).not.toContain(SECRET_TOKEN);
  });
});
