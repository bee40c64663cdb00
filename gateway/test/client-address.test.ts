import { afterEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../src/config.js';
import { clientAddress, trustedProxyList } from '../src/proxy/client-address.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

describe('client address behind trusted proxies (TRUSTED_PROXIES)', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) await thing.close();
  });

  /** What X-Forwarded-For the api-service receives for a request sent with `forwardedFor`. */
  async function forwardedFor(
    env: Record<string, string>,
    forwardedFor: string | string[],
  ): Promise<unknown> {
    const api: TestUpstream = await startUpstream();
    const gateway: TestGateway = await startGateway({ API_SERVICE_URL: api.url, ...env });
    running.push(api, gateway);
    const reply = await send(gateway.port, '/api/me', {
      headers: { 'X-Forwarded-For': forwardedFor },
    });
    expect(reply.status).toBe(200);
    return api.seen[0]!.headers['x-forwarded-for'];
  }

  it('when no proxy is trusted and the client sends X-Forwarded-For, then the peer address is forwarded', async () => {
    expect(await forwardedFor({}, '203.0.113.7')).toBe('127.0.0.1');
  });

  it('when the peer is not in TRUSTED_PROXIES, then its X-Forwarded-For is ignored', async () => {
    expect(await forwardedFor({ TRUSTED_PROXIES: '10.0.0.0/8' }, '203.0.113.7')).toBe('127.0.0.1');
  });

  it('when the peer and the inner hops are trusted, then the rightmost untrusted hop is the one address forwarded', async () => {
    const env = { TRUSTED_PROXIES: '127.0.0.1/32, 10.0.0.0/8' };

    expect(await forwardedFor(env, '203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
  });

  it('when a client spoofs hops left of the real one, then they are not believed', async () => {
    const env = { TRUSTED_PROXIES: '127.0.0.1/32,10.0.0.0/8' };

    expect(await forwardedFor(env, '198.51.100.1, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
  });

  it('when the trusted peer sends X-Forwarded-For on several lines, then they are read as one list', async () => {
    const env = { TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' };

    expect(await forwardedFor(env, ['198.51.100.1', '203.0.113.7, 10.0.0.2'])).toBe('203.0.113.7');
  });

  it('when the trusted peer sends a malformed X-Forwarded-For, then the peer address is forwarded', async () => {
    const env = { TRUSTED_PROXIES: '127.0.0.1/32,10.0.0.0/8' };

    expect(await forwardedFor(env, 'garbage')).toBe('127.0.0.1');
  });

  it('when a malformed hop sits right of the client, then the walk stops and the peer is forwarded', async () => {
    const env = { TRUSTED_PROXIES: '127.0.0.1/32,10.0.0.0/8' };

    expect(await forwardedFor(env, '203.0.113.7, unknown, 10.0.0.2')).toBe('127.0.0.1');
  });
});

describe('clientAddress', () => {
  const trusted = trustedProxyList(['10.0.0.0/8', '2001:db8:a::/48', '127.0.0.1'])!;

  it('when the hops are IPv6, then trusted ranges are skipped the same way', () => {
    expect(clientAddress('2001:db8:a::1', '2001:db8:ffff::9, 2001:db8:a::2', trusted)).toBe(
      '2001:db8:ffff::9',
    );
  });

  it('when the peer is an IPv4-mapped IPv6 address in a trusted IPv4 range, then it is trusted', () => {
    expect(clientAddress('::ffff:10.1.2.3', '203.0.113.7', trusted)).toBe('203.0.113.7');
  });

  it('when every hop is trusted, then the leftmost is the client', () => {
    expect(clientAddress('10.0.0.1', '10.0.0.9, 10.0.0.2', trusted)).toBe('10.0.0.9');
  });

  it('when a hop is empty, carries a port or a zone id, then the peer is the client', () => {
    for (const forwardedFor of ['', '203.0.113.7,', '203.0.113.7:443', 'fe80::1%eth0']) {
      expect(clientAddress('10.0.0.1', forwardedFor, trusted)).toBe('10.0.0.1');
    }
  });

  it('when no proxy is configured, then there is no list to consult', () => {
    expect(trustedProxyList([])).toBeUndefined();
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });
});
