import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { upstreamHeaderList } from '../src/proxy/upstream-header-list.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

/** Sends `head` as it is on a fresh connection and resolves with the raw answer once closed. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('upstreamHeaderList', () => {
  it('when headers are listed, then each name and value appears once, in order', () => {
    expect(upstreamHeaderList({ host: 'app.example', accept: '*/*' }, 'api:4002')).toEqual([
      'host',
      'app.example',
      'accept',
      '*/*',
    ]);
  });

  it('when a header has several values, then each becomes its own line', () => {
    expect(upstreamHeaderList({ host: 'h', 'set-cookie': ['a=1', 'b=2'] }, 'api:4002')).toEqual([
      'host',
      'h',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
    ]);
  });

  it('when no Host was sent, then the upstream host and port are stated', () => {
    expect(upstreamHeaderList({ accept: '*/*' }, 'api:4002')).toEqual([
      'Host',
      'api:4002',
      'accept',
      '*/*',
    ]);
  });
});

describe('forwarded request heads', () => {
  let api: TestUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    api = await startUpstream();
    gateway = await startGateway({
      AUTH_SERVICE_URL: 'http://127.0.0.1:9',
      API_SERVICE_URL: api.url,
      PUBLIC_URL: 'https://gatehouse.example',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await api.close();
  });

  const lastSeen = () => api.seen[api.seen.length - 1]!;

  it('when an HTTP/1.0 client sends no Host, then the service still receives one, its own', async () => {
    const answer = await raw(gateway.port, 'GET /api/old HTTP/1.0\r\n\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(lastSeen().headers.host).toBe(new URL(api.url).host);
  });

  it('when a client sends headers, then the service receives each once, with the forwarding headers', async () => {
    await send(gateway.port, '/api/x', {
      headers: { accept: 'application/json', 'x-custom': 'kept', 'x-forwarded-for': '6.6.6.6' },
    });

    const { rawHeaders } = lastSeen();
    const names = rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    expect(names.filter((name) => name === 'x-forwarded-for')).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
    expect(lastSeen().headers).toMatchObject({
      accept: 'application/json',
      'x-custom': 'kept',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'gatehouse.example',
    });
  });
});
