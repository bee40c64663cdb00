import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type RunningSystem } from './support/start-system.js';

const LIMITS = { HEADERS_TIMEOUT_MS: '1000', MAX_CONNECTIONS: '500' };

let system: RunningSystem;
beforeAll(async () => {
  system = await startSystem({ authEnv: LIMITS, apiEnv: LIMITS });
});
afterAll(async () => {
  await system.close();
});

/** Sends half a request head and waits for the listener to give up on it (loopback only). */
function halfHead(origin: string): Promise<{ reply: string; ms: number }> {
  const { hostname, port } = new URL(origin);
  const started = Date.now();
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(Number(port), hostname, () =>
      socket.write('GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n'),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
  });
}

describe('the services under slow clients (issue 20, item 6)', () => {
  it.each(['auth', 'api'] as const)(
    'when the %s-service is given HEADERS_TIMEOUT_MS, then a connection that never finishes its head is answered 408 within it',
    async (service) => {
      const { reply, ms } = await halfHead(service === 'auth' ? system.authUrl : system.apiUrl);
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(ms).toBeLessThan(2_500);
    },
  );
});
