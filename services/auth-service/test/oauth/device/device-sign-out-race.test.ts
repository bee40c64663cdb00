import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { deviceFlow } from '../../support/device-flow.js';
import { SAME_ORIGIN, buildTokenApp } from '../../support/token-app.js';

/** Where "sign out everywhere" lands inside the device code's token request. */
type Moment = 'after_consume' | 'after_family_saved';

/**
 * A device code approved by a signed-in browser; the browser signs out everywhere at `moment`
 * of the CLI's redeeming poll (run from inside the store call, so the interleaving is exact).
 */
async function racedPoll(moment: Moment) {
  let signOut: () => Promise<void> = async () => {};
  const harness = await buildTokenApp({
    wrapStores: (stores) => ({
      ...stores,
      devices: {
        ...stores.devices,
        async consume(hash) {
          const consumed = await stores.devices.consume(hash);
          if (moment === 'after_consume') await signOut();
          return consumed;
        },
      },
      refreshTokens: {
        ...stores.refreshTokens,
        async createFamily(family, firstTokenHash) {
          await stores.refreshTokens.createFamily(family, firstTokenHash);
          if (moment === 'after_family_saved') await signOut();
        },
      },
    }),
  });
  const flow = deviceFlow(harness);
  const { cookie } = await harness.signIn();
  const started = await flow.start();
  await flow.decide(cookie, started.user_code, 'approve').expect(200);
  signOut = async () => {
    signOut = async () => {};
    await request(flow.server)
      .post('/auth/logout')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .type('form')
      .send({ everywhere: '1' })
      .expect(204);
  };
  const poll = await flow.poll(started.device_code);
  return { flow, poll };
}

describe('device code redeemed while the user signs out everywhere', () => {
  it.each<Moment>(['after_consume', 'after_family_saved'])(
    'when sign out everywhere lands %s, then no refresh token of the grant works',
    async (moment) => {
      const { flow, poll } = await racedPoll(moment);
      if (poll.status !== 200) {
        expect(poll.status).toBe(400);
        expect(poll.body.error).toBe('access_denied');
        return;
      }
      const res = await flow.refresh(poll.body.refresh_token as string);
      expect(res.body.error).toBe('invalid_grant');
      expect(res.status).toBe(400);
    },
  );
});
