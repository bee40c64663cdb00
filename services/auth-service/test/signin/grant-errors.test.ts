import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { grantCheckFailure } from '../../src/signin/grant-errors.js';

// grant's own checks, run as the installed grant runs them: its callback steps are CommonJS
// modules without types, reached here the way grant's handlers reach them.
const require = createRequire(import.meta.url);
const grantVersion = (require('grant/package.json') as { version: string }).version;
const { data } = require('grant/lib/response.js') as {
  data(step: { provider: object; input: object; output: object }): Promise<{ output: object }>;
};
const oauth2 = require('grant/lib/flow/oauth2.js') as {
  access(deps: { request: unknown }): (step: object) => Promise<{ output: object }>;
};

const provider = { key: 'client-id' };
const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = (payload: object) => `${segment({ alg: 'RS256' })}.${segment(payload)}.sig`;

async function grantIdTokenError(id_token: string): Promise<unknown> {
  const step = await data({
    provider,
    input: { session: { nonce: 'expected-nonce' } },
    output: { id_token },
  });
  return (step.output as { error?: unknown }).error;
}

describe(`grant ${grantVersion}'s own callback errors`, () => {
  it('when grant is upgraded past 5.x, then this table is checked again', () => {
    expect(grantVersion).toMatch(/^5\./);
  });

  it.each([
    ['a malformed id_token', 'not-a-jwt', 'malformed'],
    [
      'an id_token that does not decode',
      `${Buffer.from('{').toString('base64url')}.e30.sig`,
      'malformed',
    ],
    ['an id_token for another audience', idToken({ aud: 'other', nonce: 'expected-nonce' }), 'aud'],
    ['an id_token with another nonce', idToken({ aud: 'client-id', nonce: 'other' }), 'nonce'],
  ])(
    'when grant refuses %s, then the sign-in fails as invalid_id_token (%s)',
    async (_, token, reason) => {
      const failure = grantCheckFailure(await grantIdTokenError(token));
      expect(failure?.code).toBe('invalid_id_token');
      expect(failure?.status).toBe(401);
      expect(failure?.reason).toBe(reason);
    },
  );

  it('when the callback state does not match, then the sign-in fails as invalid_state', async () => {
    const step = await oauth2.access({ request: undefined })({
      provider,
      input: { query: { code: 'c', state: 'forged' }, body: {}, session: { state: 'expected' } },
    });
    const failure = grantCheckFailure((step.output as { error?: unknown }).error);
    expect(failure?.code).toBe('invalid_state');
    expect(failure?.status).toBe(400);
    expect(failure?.reason).toBe('state_mismatch');
  });

  it('when the error is not one of grant’s own, then it is left to the provider refusal rules', () => {
    expect(grantCheckFailure({ error: 'invalid_grant' })).toBeUndefined();
    expect(grantCheckFailure('Grant: something new')).toBeUndefined();
  });
});
