import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { signedInSession } from '../support/session-token.js';
import { startSystem, type RunningSystem } from '../support/start-system.js';
import {
  jsonwebtokenVerifier,
  oauth4webapiVerifier,
  startAuth0Verifier,
  type ThirdPartyVerifier,
  type VerifierTarget,
} from '../support/third-party-verifiers.js';

/**
 * The injected clock: only `Date` is faked, so every party in this process (the services,
 * the fake Google, and the verifiers' own caches and `exp` checks) sees the same time, which
 * the test moves; timers and I/O stay real. (jwks-rsa times its cache with performance.now,
 * unaffected, but it fetches every unknown kid anyway.)
 */
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

const PUBLISH_DELAY_S = 660;
const advance = (seconds: number) => jest.setSystemTime(Date.now() + seconds * 1000);

let system: RunningSystem;
let verifiers: ThirdPartyVerifier[] = [];

beforeEach(async () => {
  jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: Date.now() });
  system = await startSystem({ authEnv: { KEY_PUBLISH_DELAY: String(PUBLISH_DELAY_S) } });
});
afterEach(async () => {
  for (const verifier of verifiers) await verifier.close();
  verifiers = [];
  await system.close();
  jest.useRealTimers();
});

/** Verifiers started once, before the rotation, and kept running across it. */
async function startVerifiers(
  builders: ((target: VerifierTarget) => Promise<ThirdPartyVerifier>)[],
): Promise<ThirdPartyVerifier[]> {
  const target = { issuer: `${system.url}/auth`, audience: 'gatehouse-api' };
  verifiers = await Promise.all(builders.map((build) => build(target)));
  return verifiers;
}

/** Every verifier's answer for `token`: its claims' `alg`-independent part, or its error. */
async function answers(token: string) {
  return Promise.all(
    verifiers.map(async (verifier) => {
      try {
        const claims = await verifier.verify(token);
        return [verifier.name, claims.client_id] as const;
      } catch (err) {
        return [verifier.name, (err as Error).message] as const;
      }
    }),
  );
}

const accepted = () => verifiers.map((verifier) => [verifier.name, 'gatehouse-web'] as const);

/** Auth0's defaults, and one that keeps discovery for an hour (`cache.discovery.ttl`). */
const auth0 = (target: VerifierTarget) => startAuth0Verifier(target, { strict: true });
const auth0LongDiscovery = (target: VerifierTarget) =>
  startAuth0Verifier(target, { strict: true, discoveryTtlMs: 3_600_000 });

describe('a key rotation that changes the algorithm, with verifiers kept running', () => {
  it.each([
    ['RS256', [auth0, auth0LongDiscovery, oauth4webapiVerifier, jsonwebtokenVerifier]],
    ['EdDSA', [auth0, auth0LongDiscovery, oauth4webapiVerifier]],
  ] as const)(
    'when ES256 keys are rotated to %s, then tokens before, during and after are accepted',
    async (alg, builders) => {
      await startVerifiers([...builders]);
      const token = await signedInSession(system);
      const before = await token();
      expect(decodeProtectedHeader(before).alg).toBe('ES256');
      expect(await answers(before)).toEqual(accepted());

      const rotation = await system.keys('rotate', '--alg', alg);
      expect(rotation).toMatchObject({
        code: 0,
        out: [expect.stringMatching(/serves it in its JWKS within 1 s/)],
      });
      advance(PUBLISH_DELAY_S - 30);
      const during = await token();
      expect(decodeProtectedHeader(during).alg).toBe('ES256');
      expect(await answers(during)).toEqual(accepted());

      advance(31);
      const after = await token();
      expect(decodeProtectedHeader(after).alg).toBe(alg);
      expect(await answers(after)).toEqual(accepted());
      // The token signed just before the switch is still good: its key stays published.
      expect(await answers(during)).toEqual(accepted());
    },
  );

  it('when the metadata is fetched across the rotation, then its algorithm lists do not change', async () => {
    const metadata = async () =>
      (await fetch(`${system.url}/.well-known/oauth-authorization-server/auth`)).text();
    const before = await metadata();
    expect((await system.keys('rotate', '--alg', 'EdDSA')).code).toBe(0);
    advance(PUBLISH_DELAY_S + 1);
    await (
      await signedInSession(system)
    )();
    expect(await metadata()).toBe(before);
  });
});
