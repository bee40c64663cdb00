import { describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { createAccessTokenIssuer } from '../../src/tokens/access-token-issuer.js';
import { buildTokenApp } from '../support/token-app.js';

describe('access token jti', () => {
  it('when many tokens are issued (across pool refills), then every jti is 128 bits of base64url and none repeats', async () => {
    const harness = await buildTokenApp();
    const issue = createAccessTokenIssuer({
      tokens: harness.config.tokens,
      keyStore: harness.keys,
      now: harness.clock.now,
    });
    const jtis = new Set<string>();
    for (let i = 0; i < 600; i += 1) {
      const { token } = await issue({ clientId: 'billing', sid: 'grant', scope: 'api:read' });
      const { jti } = decodeJwt(token);
      expect(jti).toMatch(/^[\w-]{22}$/);
      jtis.add(jti!);
    }
    expect(jtis.size).toBe(600);
  });
});
