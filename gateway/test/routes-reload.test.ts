import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

/** Polls `check` every 20 ms until it holds, failing after `timeoutMs`. */
async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Keeps `workers` keep-alive clients requesting `path` until stopped; collects every status. */
function load(port: number, path: string, workers = 4) {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  const statuses: (number | string)[] = [];
  let running = true;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        statuses.push(res.statusCode ?? 0);
        res.resume().on('end', resolve);
      });
      req.on('error', (err) => {
        statuses.push((err as NodeJS.ErrnoException).code ?? 'error');
        resolve();
      });
      req.end();
    });
  const loops = Array.from({ length: workers }, async () => {
    while (running) await one();
  });
  return {
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

describe('routes hot reload', () => {
  let a: TestUpstream;
  let b: TestUpstream;
  let slow: TestUpstream;
  let gateway: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;
  const routes = (...lines: string[]) => `routes:\n${lines.map((l) => `  - ${l}\n`).join('')}`;

  beforeAll(async () => {
    [a, b, slow] = await Promise.all([
      startUpstream(),
      startUpstream(),
      startUpstream((_req, res) => {
        setTimeout(() => res.end('done'), 400).unref();
      }),
    ]);
    file = tempRoutesFile(
      routes(
        `{ name: a, path: /a, to: ${a.url}, auth: public }`,
        `{ name: slow, path: /slow, to: ${slow.url}, auth: public }`,
      ),
    );
    gateway = await startGateway({ ROUTES_FILE: file.path });
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([a.close(), b.close(), slow.close()]);
    file.remove();
  });

  it('when the file changes under load, valid or not, then no request fails and valid changes apply', async () => {
    const traffic = load(gateway.port, '/a/x');
    await until(() => traffic.statuses.length > 20);
    const inFlight = send(gateway.port, '/slow/1');

    // A valid change: /a moves to another upstream, /b appears, /slow goes away.
    file.write(
      routes(
        `{ name: a, path: /a, to: ${b.url}, auth: public }`,
        `{ name: b, path: /b, to: ${a.url}, auth: public }`,
      ),
    );
    await until(async () => (await send(gateway.port, '/b/x')).status === 200);
    const seenByB = b.seen.length;
    await until(() => b.seen.length > seenByB + 10);

    // An invalid change: logged once with every problem, the running routes kept.
    const invalid = routes(`{ name: a, path: /auth, to: nowhere }`);
    file.write(invalid);
    const invalidLogs = () =>
      gateway.logs.filter((line) => String(line.msg).startsWith('ROUTES_FILE invalid'));
    await until(() => invalidLogs().length === 1);
    file.write(invalid);
    expect(await gateway.server.reloadRoutes()).toBe('invalid');
    expect(invalidLogs()).toHaveLength(1);
    expect(invalidLogs()[0]!.problems).toEqual([
      expect.stringMatching(/^route "a" \(routes\[0\]\) path: /),
      expect.stringMatching(/^route "a" \(routes\[0\]\) to.0: /),
    ]);
    expect((await send(gateway.port, '/b/x')).status).toBe(200);

    // Valid again: /b is gone.
    file.write(routes(`{ name: a, path: /a, to: ${b.url}, auth: public }`));
    await until(async () => (await send(gateway.port, '/b/x')).status === 404);
    expect(await gateway.server.reloadRoutes()).toBe('unchanged');

    await traffic.stop();
    expect((await inFlight).status).toBe(200);
    expect(traffic.statuses.length).toBeGreaterThan(50);
    expect(traffic.statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
