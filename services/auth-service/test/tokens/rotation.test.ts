import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { serve, type RunningServer } from '@gatehouse/shared';
import { createRemoteJWKSet, decodeProtectedHeader } from 'jose';
import { runKeysCommand } from '../../src/admin-cli/keys-command.js';
import { buildTokenApp, SAME_ORIGIN } from '../support/token-app.js';
import { verifyAccessToken } from '../support/verify-access-token.js';

const T0 = Date.UTC(2026, 0, 1);
const STEP_MS = 10_000;
const TTL_S = 600;
const DELAY_S = 900;
const SKEW_S = 60;

/**
 * The whole rotation lifecycle with traffic: a token is issued every 10 s (of the injected
 * clock) and every token still within its lifetime is verified again at each step, by two
 * verifiers on jose's remote key set fetching from the real listening service:
 * - `defaults`: jose's defaults (10 min cache, refetch on an unknown kid after 30 s);
 * - `maxAge`: refetches exactly when the served Cache-Control max-age runs out and never on an
 *   unknown kid, the strictest cache the service promises to work with.
 * jose's cache runs on Date.now, so only Date is faked and moved with the injected clock.
 */
describe('key rotation under traffic', () => {
  let running: RunningServer;
  let harness: Awaited<ReturnType<typeof buildTokenApp>>;
  const clock = {
    now: () => Date.now(),
    advance: (ms: number) => jest.setSystemTime(Date.now() + ms),
    set: (ms: number) => jest.setSystemTime(ms),
  };

  beforeAll(async () => {
    jest.useFakeTimers({
      now: T0,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    harness = await buildTokenApp({
      clock,
      env: { ACCESS_TOKEN_TTL: String(TTL_S), KEY_PUBLISH_DELAY: String(DELAY_S) },
    });
    running = await serve(harness.app.callback(), { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await running.close();
    jest.useRealTimers();
  });

  it('when a key is rotated while tokens flow, then no verification ever fails', async () => {
    const { cookie } = await harness.signIn();
    const jwksUrl = new URL('/auth/.well-known/jwks.json', running.url);
    const maxAgeS = Number(
      /max-age=(\d+)/.exec((await fetch(jwksUrl)).headers.get('cache-control') ?? '')?.[1],
    );
    expect(maxAgeS).toBe(300);
    const verifiers = {
      defaults: createRemoteJWKSet(jwksUrl),
      maxAge: createRemoteJWKSet(jwksUrl, {
        cacheMaxAge: maxAgeS * 1000,
        cooldownDuration: Number.POSITIVE_INFINITY,
      }),
    };
    const issue = async () => {
      const res = await fetch(new URL('/auth/token', running.url), {
        method: 'POST',
        headers: { ...SAME_ORIGIN, Cookie: cookie },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };

    const oldKid = harness.keys.activeKey().kid;
    const rotateAt = T0 + 100_000;
    const end = rotateAt + (DELAY_S + TTL_S + SKEW_S + 120) * 1000;
    const live: { token: string; exp: number }[] = [];
    const failures: string[] = [];
    const kidAt: { at: number; kid: string }[] = [];
    let newKid = '';

    for (let at = T0; at <= end; at += STEP_MS) {
      clock.set(at);
      if (at === rotateAt) {
        const out: string[] = [];
        const code = await runKeysCommand(
          ['rotate'],
          {
            DATA_DIR: harness.dataDir,
            KEY_PUBLISH_DELAY: String(DELAY_S),
            ACCESS_TOKEN_TTL: String(TTL_S),
          },
          { out: (line) => out.push(line), err: (line) => out.push(line) },
          at,
        );
        expect(code).toBe(0);
        newKid = /key (\S{43})/.exec(out.join())?.[1] ?? '';
      }
      const token = await issue();
      kidAt.push({ at, kid: String(decodeProtectedHeader(token).kid) });
      live.push({ token, exp: at + TTL_S * 1000 });
      while (live.length > 0 && live[0].exp + SKEW_S * 1000 <= at) live.shift();
      for (const { token: current } of live) {
        for (const [name, keys] of Object.entries(verifiers)) {
          await verifyAccessToken(current, keys, at).catch((err: Error) =>
            failures.push(`${new Date(at).toISOString()} ${name}: ${err.message}`),
          );
        }
      }
    }

    expect(failures).toEqual([]);
    const activation = rotateAt + DELAY_S * 1000;
    expect(kidAt.filter(({ at }) => at < activation).every(({ kid }) => kid === oldKid)).toBe(true);
    expect(kidAt.filter(({ at }) => at >= activation).every(({ kid }) => kid === newKid)).toBe(
      true,
    );
    const published = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((key) => key.kid)).toEqual([newKid]);
  });
});
