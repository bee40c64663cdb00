import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startGateway } from './support/gateway.js';
import { send, type Reply } from './support/http.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** An upstream that holds each request until the test releases it. */
async function heldUpstream(): Promise<{
  upstream: TestUpstream;
  received: Promise<void>;
  release: () => void;
}> {
  let received!: () => void;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const receivedPromise = new Promise<void>((resolve) => (received = resolve));
  const upstream = await startUpstream((_req, res) => {
    received();
    void released.then(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('finished'));
  });
  return { upstream, received: receivedPromise, release };
}

function spawnMain(env: Record<string, string>): ChildProcess {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` before the tests`);
  return spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The port from the child's "listening" log line. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"port":(\d+)/.exec(buffered);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
  });
}

describe('gateway shutdown and start-up', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) await thing.close();
  });

  it('when closed during a slow request, then the request finishes and new connections are refused', async () => {
    const { upstream, received, release } = await heldUpstream();
    running.push(upstream);
    const gateway = await startGateway({
      AUTH_SERVICE_URL: upstream.url,
      API_SERVICE_URL: upstream.url,
    });

    const inFlight = send(gateway.port, '/api/slow');
    await received;
    const closed = gateway.close();

    await expect(send(gateway.port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    release();
    const reply = await inFlight;
    await closed;

    expect(reply.status).toBe(200);
    expect(reply.text).toBe('finished');
  });

  it('when the process gets SIGTERM during a slow request, then the request finishes and it exits 0', async () => {
    const { upstream, received, release } = await heldUpstream();
    running.push(upstream);
    const child = spawnMain({ AUTH_SERVICE_URL: upstream.url, API_SERVICE_URL: upstream.url });
    const exited = exitOf(child);
    const port = await listeningPort(child);

    const inFlight: Promise<Reply> = send(port, '/api/slow');
    await received;
    child.kill('SIGTERM');
    // The child logs that it is draining before the upstream answers.
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (chunk.toString().includes('draining')) {
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
    });
    release();

    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('finished');
    expect((await exited).code).toBe(0);
  });

  it('when the configuration is bad, then the process exits 1 listing every problem', async () => {
    const child = spawnMain({
      PORT: 'http',
      PUBLIC_URL: 'nope',
      UPSTREAM_TIMEOUT_MS: '-5',
      NODE_ENV: 'staging',
    });
    const { code, stderr } = await exitOf(child);

    expect(code).toBe(1);
    expect(stderr).toContain('gateway: invalid configuration:');
    for (const name of ['NODE_ENV', 'PORT', 'PUBLIC_URL', 'UPSTREAM_TIMEOUT_MS']) {
      expect(stderr).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });
});
