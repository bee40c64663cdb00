import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

/** POSTs `parts` as a chunked body over a fresh connection; resolves with the reply body. */
function postChunked(port: number, path: string, parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('request bodies through the gateway', () => {
  let auth: TestUpstream;
  let api: TestUpstream;
  let gateway: TestGateway;
  const ports: number[] = [];

  beforeAll(async () => {
    auth = await startUpstream();
    api = await startUpstream((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`${req.headers['transfer-encoding'] ?? 'length'}:${body}`);
      });
    });
    gateway = await startGateway({ AUTH_SERVICE_URL: auth.url, API_SERVICE_URL: api.url });
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), api.close()]);
  });

  it('when a client sends a body with Content-Length, then the upstream receives it whole', async () => {
    const reply = await send(gateway.port, '/api/items', {
      method: 'POST',
      body: 'a'.repeat(70_000),
    });
    expect(reply.text).toBe(`length:${'a'.repeat(70_000)}`);
  });

  it('when a client sends a chunked body, then the upstream receives it whole on a connection that is not reused', async () => {
    ports.length = 0;
    expect(await postChunked(gateway.port, '/api/items', ['one,', 'two,', 'three'])).toBe(
      'chunked:one,two,three',
    );
    await send(gateway.port, '/api/after');

    expect(ports).toHaveLength(2);
    expect(ports[1]).not.toBe(ports[0]);
    expect(api.seen.at(-2)!.headers.connection).toBe('close');
  });
});
