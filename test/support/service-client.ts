import { expect } from '@jest/globals';
import type { RunningSystem } from './start-system.js';

/**
 * Registers a confidential service client with the clients CLI (scope `api:read`) and returns
 * a form poster that authenticates as it (HTTP Basic), for `/auth/token` and `/auth/revoke`.
 *
 * @example
 * const { post } = await serviceClient(system, 'billing');
 * const res = await post('/auth/token', { grant_type: 'client_credentials' });
 */
export async function serviceClient(system: RunningSystem, clientId: string) {
  const added = await system.clients('add', clientId, '--scope', 'api:read');
  expect(added.code).toBe(0);
  const secret = /^client_secret (\S+)$/m.exec(added.out.join('\n'))![1]!;
  const post = (path: string, body: Record<string, string>) =>
    fetch(`${system.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(body),
    });
  return { post };
}
