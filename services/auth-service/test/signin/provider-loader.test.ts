import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@gatehouse/shared';
import { pino } from 'pino';
import request from 'supertest';
import { startFakeGoogle, type FakeGoogle } from '../../../../test/support/fake-google.js';
import { discoverProvider } from '../../src/signin/provider/discover-provider.js';
import { loadProvider, realSleep, type Sleep } from '../../src/signin/provider/provider-loader.js';
import { startTestAuthService } from '../support/test-app.js';

let google: FakeGoogle;
beforeAll(async () => {
  google = await startFakeGoogle();
});
afterAll(() => google.close());

/** A sleep that returns at once and records the delays asked for. */
function recordingSleep() {
  const delays: number[] = [];
  const sleep: Sleep = async (ms) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

describe('provider discovery', () => {
  it('when the provider fails three times, then discovery retries with exponential backoff and succeeds', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls <= 3) throw new Error('ECONNREFUSED');
      return fetch(input, init);
    };
    const { delays, sleep } = recordingSleep();
    const loader = loadProvider({
      issuer: google.issuer,
      backchannelUrl: undefined,
      fetch: flaky,
      logger: silentLogger(),
      sleep,
      initialDelayMs: 100,
      maxDelayMs: 300,
    });
    expect(loader.current()).toBeUndefined();
    const provider = await loader.loaded;
    expect(delays).toEqual([100, 200, 300]);
    expect(provider.tokenEndpoint).toBe(`${google.url}/token`);
    expect(loader.current()).toBe(provider);
  });

  it('when discovery fails while starting, then it logs at debug; later failures warn with the cause and no stack', async () => {
    let now = 0;
    let calls = 0;
    const down: typeof fetch = async (input, init) => {
      calls++;
      if (calls <= 2) {
        throw new TypeError('fetch failed', {
          cause: new Error('connect ECONNREFUSED 127.0.0.1:4003'),
        });
      }
      return fetch(input, init);
    };
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const loader = loadProvider({
      issuer: google.issuer,
      backchannelUrl: undefined,
      fetch: down,
      logger,
      now: () => now,
      // the first retry happens at t=0, the second after the start-up grace
      sleep: async () => {
        now += 20_000;
      },
    });
    await loader.loaded;

    const failures = lines.filter((line) =>
      String(line.msg).startsWith('OpenID provider discovery failed'),
    );
    // The cause names the document and the network error beneath it, on one line.
    const cause = `${google.issuer}/.well-known/openid-configuration could not be fetched: fetch failed: connect ECONNREFUSED 127.0.0.1:4003`;
    expect(failures.map((line) => [line.level, line.cause])).toEqual([
      [20, cause],
      [40, cause],
    ]);
    expect(failures.some((line) => 'err' in line)).toBe(false);
  });

  it('when the document names another issuer, then it is refused', async () => {
    const lying: typeof fetch = async () =>
      Response.json({
        issuer: 'https://evil.example',
        authorization_endpoint: 'https://evil.example/a',
        token_endpoint: 'https://evil.example/t',
        jwks_uri: 'https://evil.example/j',
      });
    await expect(
      discoverProvider({ issuer: google.issuer, backchannelUrl: undefined, fetch: lying }),
    ).rejects.toMatchObject({ code: 'discovery_failed' });
  });

  it.each<[string, typeof fetch]>([
    ['answers 404', async () => Response.json({ error: 'not_found' }, { status: 404 })],
    ['answers 503', async () => new Response('upstream down', { status: 503 })],
    ['answers HTML', async () => new Response('<html>captive portal</html>', { status: 200 })],
    ['answers a JSON array', async () => Response.json([])],
    ['is unreachable', async () => Promise.reject(new TypeError('fetch failed'))],
    [
      'times out',
      (_input, init) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    ],
  ])(
    'when the provider %s, then discovery fails as the provider’s fault (502 discovery_failed)',
    async (_name, failing) => {
      const failure = discoverProvider({
        issuer: google.issuer,
        backchannelUrl: undefined,
        fetch: failing,
        signal: AbortSignal.timeout(50),
      });
      await expect(failure).rejects.toMatchObject({ status: 502, code: 'discovery_failed' });
    },
  );

  it('when a back channel is set, then server-to-server endpoints use it and the browser endpoint does not', async () => {
    const published = await startFakeGoogle({ issuer: 'http://localhost:4003' });
    try {
      const provider = await discoverProvider({
        issuer: 'http://localhost:4003',
        backchannelUrl: published.url,
        fetch,
      });
      expect(provider.issuer).toBe('http://localhost:4003');
      expect(provider.authorizationEndpoint).toBe('http://localhost:4003/authorize');
      expect(provider.tokenEndpoint).toBe(`${published.url}/token`);
      expect(provider.jwksUri).toBe(`${published.url}/jwks`);
      expect(provider.userinfoEndpoint).toBe(`${published.url}/userinfo`);
      expect(published.requests).toContain('/.well-known/openid-configuration');
    } finally {
      await published.close();
    }
  });

  it('when stopped before the provider answers, then retrying ends', async () => {
    const loader = loadProvider({
      issuer: google.issuer,
      backchannelUrl: undefined,
      fetch: async () => {
        throw new Error('down');
      },
      logger: silentLogger(),
      sleep: async () => loader.stop(),
    });
    await expect(loader.loaded).rejects.toThrow('provider discovery stopped');
  });

  it('when discovery fails many times with the real sleep, then no abort listener is left behind', async () => {
    let calls = 0;
    const signals = new Set<AbortSignal>();
    const loader = loadProvider({
      issuer: google.issuer,
      backchannelUrl: undefined,
      fetch: async (input, init) => {
        if (++calls <= 25) throw new Error('ECONNREFUSED');
        return fetch(input, init);
      },
      logger: silentLogger(),
      sleep: (ms, signal) => {
        signals.add(signal);
        return realSleep(ms, signal);
      },
      initialDelayMs: 0,
    });
    await loader.loaded;
    expect(calls).toBe(26);
    expect(signals.size).toBe(1);
    for (const signal of signals) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('when stopped while a discovery request is in flight, then the request is aborted', async () => {
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let requestSignal: AbortSignal | undefined;
    const loader = loadProvider({
      issuer: google.issuer,
      backchannelUrl: undefined,
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          requestSignal = init?.signal ?? undefined;
          requestSignal?.addEventListener('abort', () => reject(requestSignal?.reason));
          started();
        }),
      logger: silentLogger(),
      sleep: async () => {
        throw new Error('must not retry after stop');
      },
    });
    await inFlight;
    expect(requestSignal?.aborted).toBe(false);
    loader.stop();
    await expect(loader.loaded).rejects.toThrow('provider discovery stopped');
    expect(requestSignal?.aborted).toBe(true);
  });
});

describe('readiness', () => {
  it('when the provider has not been discovered, then /readyz is 503 and /auth/login is 503; once it is, both work', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const service = await startTestAuthService(google, {}, async (input, init) => {
      await gate;
      return fetch(input, init);
    });
    const app = service.app.callback();
    const unready = await request(app).get('/readyz').expect(503);
    expect(unready.body.checks.provider.ready).toBe(false);
    const login = await request(app).get('/auth/login').set('Accept', 'application/json');
    expect(login.status).toBe(503);
    expect(login.body.error).toBe('temporarily_unavailable');
    release();
    await service.provider.loaded;
    await request(app).get('/readyz').expect(200);
    await request(app).get('/auth/login').expect(302);
    await request(app).get('/healthz').expect(200);
  });
});
