import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SERVER_LIMITS, PortInUseError, serve } from '../src/index.js';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('serve', () => {
  it('when the port is taken, then it rejects with PortInUseError naming the variable', async () => {
    const first = await serve((_req, res) => res.end(), { port: 0, host: '127.0.0.1' });
    try {
      const second = serve((_req, res) => res.end(), {
        port: first.port,
        host: '127.0.0.1',
        portVariable: 'METRICS_PORT',
      });
      await expect(second).rejects.toBeInstanceOf(PortInUseError);
      await expect(second).rejects.toMatchObject({
        code: 'ERR_PORT_IN_USE',
        variable: 'METRICS_PORT',
        message: `METRICS_PORT ${first.port} is in use by another program (on 127.0.0.1); pick another with METRICS_PORT=...`,
      });
    } finally {
      await first.close();
    }
  });

  it('when closed during a slow request, then the request finishes and new connections are refused', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const arrivedP = new Promise<void>((resolve) => (arrived = resolve));
    const running = await serve(
      (_req, res) => {
        arrived();
        void released.then(() => res.end('done'));
      },
      { port: 0, host: '127.0.0.1' },
    );
    const slow = get(running.url);
    await arrivedP;
    const closed = running.close(5_000);
    release();
    await expect(slow).resolves.toEqual({ status: 200, body: 'done' });
    await closed;
    await expect(get(running.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('when a request outlives the deadline, then its connection is cut and close resolves', async () => {
    const running = await serve(() => {}, { port: 0, host: '127.0.0.1' });
    const hanging = get(running.url).catch((err: Error) => err.message);
    await new Promise((resolve) => running.server.once('request', resolve));
    await running.close(50);
    await expect(hanging).resolves.toMatch(/socket hang up|ECONNRESET/);
  });

  it('when a request head is larger than maxHeaderSize, then it gets 431', async () => {
    const running = await serve((_req, res) => res.end('ok'), {
      port: 0,
      host: '127.0.0.1',
      maxHeaderSize: 1024,
    });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        request(running.url, { headers: { 'x-big': 'a'.repeat(4096) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(431);
    } finally {
      await running.close();
    }
  });

  it('when connections send half a request head or nothing, then each is answered 408 and closed after headersTimeoutMs, while a kept-alive client idling as long keeps its socket', async () => {
    const running = await serve((_req, res) => res.end('ok'), {
      port: 0,
      host: '127.0.0.1',
      limits: { ...DEFAULT_SERVER_LIMITS, headersTimeoutMs: 1_000 },
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const viaAgent = () =>
        new Promise<number>((resolve, reject) => {
          request(running.url, { agent }, (res) => {
            const port = res.socket.localPort!;
            res.resume();
            res.on('end', () => resolve(port));
          })
            .on('error', reject)
            .end();
        });
      const keptPort = await viaAgent();
      const started = Date.now();
      const outcomes = ['GET / HTTP/1.1\r\nHost: x\r\n', ''].map(
        (head) =>
          new Promise<{ reply: string; ms: number }>((resolve) => {
            let reply = '';
            const socket = connect(running.port, '127.0.0.1', () => socket.write(head));
            socket.setEncoding('utf8');
            socket.on('data', (chunk: string) => (reply += chunk));
            socket.on('error', () => {});
            socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
          }),
      );
      for (const { reply, ms } of await Promise.all(outcomes)) {
        expect(reply).toMatch(/^HTTP\/1\.1 408 /);
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(2_500);
      }
      // The kept-alive socket idled as long as the slow ones, and is still the one used.
      expect(await viaAgent()).toBe(keptPort);
    } finally {
      agent.destroy();
      await running.close();
    }
  });
});
