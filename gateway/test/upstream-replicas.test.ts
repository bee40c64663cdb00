import { afterEach, describe, expect, it } from '@jest/globals';
import { configProblems } from '../../test/support/config-problems.js';
import { loadConfig } from '../src/config.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import {
  echo,
  startUpstream,
  type TestUpstream,
  type UpstreamHandler,
} from './support/upstream.js';

/** A replica whose /readyz says 200; everything else is echoed. */
const replica: UpstreamHandler = (req, res) => {
  if (req.url === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ready":true}');
    return;
  }
  echo(req, res);
};

const COOLDOWN_MS = 5_000;

describe('gateway with several replicas per prefix', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) await thing.close();
  });

  async function setUp() {
    const clock = { now: 0 };
    const replicas: TestUpstream[] = [await startUpstream(replica), await startUpstream(replica)];
    const auth = await startUpstream(replica);
    const gateway: TestGateway = await startGateway(
      {
        AUTH_SERVICE_URL: auth.url,
        API_SERVICE_URL: replicas.map((r) => r.url).join(','),
        UPSTREAM_COOLDOWN_MS: String(COOLDOWN_MS),
        READINESS_TIMEOUT_MS: '500',
      },
      { now: () => clock.now },
    );
    running.push(
      auth,
      { close: () => Promise.all(replicas.map((r) => r.close())).then() },
      gateway,
    );
    const restart = async (i: number) => {
      replicas[i] = await startUpstream(replica, replicas[i]!.port);
    };
    return { clock, replicas, gateway, restart };
  }

  const statuses = async (gateway: TestGateway, count: number, method = 'GET') => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++)
      seen.push((await send(gateway.port, '/api/me', { method })).status);
    return seen;
  };

  it('when both replicas are up, then requests alternate between them', async () => {
    const { gateway, replicas } = await setUp();

    expect(await statuses(gateway, 10)).toEqual(Array(10).fill(200));
    expect(replicas.map((r) => r.seen.length)).toEqual([5, 5]);
  });

  it('when one replica is killed, then every request goes to the other with no error, and it is taken out', async () => {
    const { gateway, replicas } = await setUp();
    await statuses(gateway, 2);
    await replicas[0]!.close();
    const before = replicas[1]!.seen.length;

    // GETs and a body-less POST: a refused connection reached no service, so it is retried.
    expect(await statuses(gateway, 6)).toEqual(Array(6).fill(200));
    expect(await statuses(gateway, 2, 'POST')).toEqual([200, 200]);
    expect(replicas[1]!.seen.length - before).toBe(8);
    const out = gateway.logs.filter(
      (line) => line.msg === 'upstream replica taken out of rotation',
    );
    expect(out).toEqual([
      expect.objectContaining({ origin: replicas[0]!.url, reason: 'ECONNREFUSED', level: 'warn' }),
    ]);
  });

  it('when a request with a body meets a refused replica, then it is not retried (502 bad_gateway), and the next goes to the other', async () => {
    const { gateway, replicas } = await setUp();
    await replicas[0]!.close();

    const refused = await send(gateway.port, '/api/me', {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(502);
    expect(refused.json()).toMatchObject({ error: 'bad_gateway' });
    expect(await statuses(gateway, 3)).toEqual([200, 200, 200]);
  });

  it('when a killed replica returns, then after the cooldown it gets requests again', async () => {
    const { gateway, replicas, clock, restart } = await setUp();
    await replicas[0]!.close();
    await statuses(gateway, 2);
    await restart(0);

    clock.now += COOLDOWN_MS - 1;
    await statuses(gateway, 4);
    expect(replicas[0]!.seen).toHaveLength(0);

    clock.now += 1;
    await statuses(gateway, 4);
    expect(replicas[0]!.seen).toHaveLength(2);
    expect(gateway.logs.some((line) => line.msg === 'upstream replica back in rotation')).toBe(
      true,
    );
  });

  it('when one replica is down, then /readyz is 200; when both are, 503 naming each', async () => {
    const { gateway, replicas, clock } = await setUp();
    await replicas[0]!.close();

    expect((await send(gateway.port, '/readyz')).status).toBe(200);
    // The failed /readyz took the replica out: no request is even tried there.
    await statuses(gateway, 4);
    expect(gateway.logs.filter((l) => l.msg === 'retrying on another replica')).toHaveLength(0);

    await replicas[1]!.close();
    clock.now += 1_001;
    const reply = await send(gateway.port, '/readyz');
    expect(reply.status).toBe(503);
    const error = reply.json<{ checks: { api: { error: string } } }>().checks.api.error;
    expect(error).toMatch(/^no replica ready: /);
    for (const r of replicas) expect(error).toContain(`${r.url} unreachable (ECONNREFUSED)`);
  });

  it('when a replica answers 503 on /readyz, then it is taken out until it answers 200 again', async () => {
    const { gateway, replicas, clock } = await setUp();
    replicas[0]!.handle((req, res) => {
      if (req.url === '/readyz') res.writeHead(503).end();
      else echo(req, res);
    });
    expect((await send(gateway.port, '/readyz')).status).toBe(200);
    await statuses(gateway, 4);
    expect(replicas[0]!.seen.filter((s) => s.url !== '/readyz')).toHaveLength(0);

    replicas[0]!.handle(replica);
    clock.now += 1_001;
    expect((await send(gateway.port, '/readyz')).status).toBe(200);
    await statuses(gateway, 4);
    expect(replicas[0]!.seen.filter((s) => s.url !== '/readyz')).toHaveLength(2);
  });
});

describe('upstream list configuration', () => {
  it('when one origin is given, then it is the only upstream, as before', () => {
    expect(loadConfig({ API_SERVICE_URL: 'http://api:4002' }).upstreams.api).toEqual([
      'http://api:4002',
    ]);
  });

  it('when a comma list is given, then every origin is kept in order', () => {
    expect(
      loadConfig({ AUTH_SERVICE_URL: ' http://a:4001 , https://b:4001/,' }).upstreams.auth,
    ).toEqual(['http://a:4001', 'https://b:4001']);
  });

  it('when an entry is not an http(s) origin or repeats, then each problem is named', () => {
    expect(configProblems(loadConfig, { API_SERVICE_URL: 'http://a:4002,ftp://b,nope' })).toEqual([
      // One line per variable, as for every other one, naming each bad entry.
      'API_SERVICE_URL entry "ftp://b" must be an http:// or https:// URL; entry "nope" must be an absolute URL, e.g. http://localhost:4001 (got "http://a:4002,ftp://b,nope")',
    ]);
    expect(
      configProblems(loadConfig, { API_SERVICE_URL: 'http://a:4002,http://b:4002/x' }),
    ).toEqual([
      'API_SERVICE_URL must be an origin without a path or credentials, e.g. http://b:4002',
    ]);
    expect(configProblems(loadConfig, { AUTH_SERVICE_URL: 'http://a:80, http://a' })).toEqual([
      'AUTH_SERVICE_URL lists http://a more than once; name each upstream once',
    ]);
    expect(configProblems(loadConfig, { AUTH_SERVICE_URL: ' , ' })).toEqual([
      'AUTH_SERVICE_URL must name at least one origin, e.g. http://localhost:4001 (got " , ")',
    ]);
  });
});
