import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FORWARDING_ALIASES } from '../src/proxy/spoofable-headers.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startUpstream, type SeenRequest, type TestUpstream } from './support/upstream.js';

/** The headers the gateway alone states toward a service. */
const STATED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id'];

/**
 * The header names a WSGI/CGI or PHP service would see (`HTTP_X_FORWARDED_FOR`), or nginx with
 * `underscores_in_headers on`: `_` and `-` are one character, case does not count.
 */
function foldedNames(seen: SeenRequest): Map<string, string[]> {
  const folded = new Map<string, string[]>();
  for (let i = 0; i < seen.rawHeaders.length; i += 2) {
    const name = seen.rawHeaders[i]!.toLowerCase().replaceAll('_', '-');
    folded.set(name, [...(folded.get(name) ?? []), seen.rawHeaders[i + 1]!]);
  }
  return folded;
}

/** `X-Forwarded-For` spelled with a random mix of case and `-`/`_` separators. */
const respelled = (name: string) =>
  fc
    .array(fc.tuple(fc.boolean(), fc.boolean()), {
      minLength: name.length,
      maxLength: name.length,
    })
    .map((flips) =>
      [...name]
        .map((ch, i) => {
          const [upper, underscore] = flips[i]!;
          if (ch === '-') return underscore ? '_' : '-';
          return upper ? ch.toUpperCase() : ch;
        })
        .join(''),
    );

describe('forwarded-header aliases', () => {
  let api: TestUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    api = await startUpstream();
    gateway = await startGateway({
      API_SERVICE_URL: api.url,
      PUBLIC_URL: 'https://gatehouse.example',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await api.close();
  });

  /** Sends `headers` to /api/echo and returns what the service saw. */
  async function seenWith(headers: Record<string, string>): Promise<SeenRequest> {
    const reply = await send(gateway.port, '/api/echo', { headers });
    expect(reply.status).toBe(200);
    return api.seen[api.seen.length - 1]!;
  }

  it.each([
    'X_Forwarded_For',
    'X-Forwarded_For',
    'x_forwarded-for',
    'X_Forwarded_Proto',
    'X-Forwarded_Host',
    'X_FORWARDED_HOST',
    'X_Request_Id',
    'X-Request_ID',
    'X_Real_IP',
    'Sec_Fetch_Site',
    'Proxy_Authorization',
  ])('when the client sends %s, then no service sees it', async (name) => {
    const seen = await seenWith({ [name]: 'same-origin' });

    expect(seen.rawHeaders.filter((h) => h.includes('_'))).toEqual([]);
    expect(seen.headers[name.toLowerCase()]).toBeUndefined();
  });

  it.each([...FORWARDING_ALIASES])(
    'when the client sends %s, then no service sees it',
    async (name) => {
      const seen = await seenWith({ [name.toUpperCase()]: '203.0.113.9' });

      expect(seen.headers[name]).toBeUndefined();
      expect(seen.rawHeaders.map((h) => h.toLowerCase())).not.toContain(name);
    },
  );

  it('when the issue-13 aliases are sent at once, then each is dropped and the stated headers are the gateway values', async () => {
    const seen = await seenWith({
      'X-Forwarded-Port': '1',
      'X-Forwarded-Prefix': '/admin',
      'X-Forwarded-Uri': '/metrics',
      'X-Forwarded-Server': 'evil',
      'X-Original-URL': '/metrics',
      'X-Rewrite-URL': '/metrics',
      'Client-IP': '203.0.113.9',
      'True-Client-IP': '203.0.113.9',
      Forwarded: 'for=203.0.113.9;proto=http;host=evil.example',
      X_Forwarded_For: '203.0.113.9',
      'X-Forwarded_Host': 'evil.example',
    });

    const folded = foldedNames(seen);
    expect(folded.get('x-forwarded-for')).toEqual(['127.0.0.1']);
    expect(folded.get('x-forwarded-proto')).toEqual(['https']);
    expect(folded.get('x-forwarded-host')).toEqual(['gatehouse.example']);
    for (const name of FORWARDING_ALIASES) expect(folded.has(name)).toBe(false);
  });

  it('when X-Request-Id is sent twice in different case, then the service sees one id, a fresh one', async () => {
    const reply = await send(gateway.port, '/api/echo', {
      // A raw header list, so both spellings go on the wire (it must name Host itself).
      headers: [
        'Host',
        '127.0.0.1',
        'X-REQUEST-ID',
        'client-chosen-0001',
        'x-request-id',
        'client-chosen-0002',
      ] as unknown as Record<string, string>,
    });

    const seen = api.seen[api.seen.length - 1]!;
    const ids = foldedNames(seen).get('x-request-id');
    expect(ids).toEqual([reply.headers['x-request-id']]);
    expect(ids![0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when ordinary headers are sent, then they pass unchanged', async () => {
    const seen = await seenWith({
      Authorization: 'Bearer end-to-end',
      'X-Custom-Thing': 'kept',
      'Sec-Fetch-Site': 'same-origin',
      Accept: 'application/json',
    });

    expect(seen.headers).toMatchObject({
      authorization: 'Bearer end-to-end',
      'x-custom-thing': 'kept',
      'sec-fetch-site': 'same-origin',
      accept: 'application/json',
    });
  });

  it('when any spelling of a stated header is sent, then a folding service sees only the gateway value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.tuple(
            fc.constantFrom(...STATED, ...FORWARDING_ALIASES).chain(respelled),
            fc.stringMatching(/^[A-Za-z0-9.:-]{8,20}$/),
          ),
          { minLength: 1, maxLength: 6, selector: ([name]) => name.toLowerCase() },
        ),
        async (sent) => {
          const reply = await send(gateway.port, '/api/echo', {
            headers: Object.fromEntries(sent),
          });
          const folded = foldedNames(api.seen[api.seen.length - 1]!);

          expect(folded.get('x-forwarded-for')).toEqual(['127.0.0.1']);
          expect(folded.get('x-forwarded-proto')).toEqual(['https']);
          expect(folded.get('x-forwarded-host')).toEqual(['gatehouse.example']);
          expect(folded.get('x-request-id')).toEqual([reply.headers['x-request-id']]);
          for (const name of FORWARDING_ALIASES) expect(folded.has(name)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
