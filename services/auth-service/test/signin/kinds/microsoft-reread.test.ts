import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeEntra, type FakeEntra } from '../../../../../test/support/fake-entra.js';
import { microsoftKind } from '../../../src/signin/kinds/microsoft-kind.js';
import type {
  ProviderEndpoints,
  ProviderSettings,
  TokenResponse,
} from '../../../src/signin/kinds/provider-kind.js';
import { providerSettings } from '../../support/provider-settings.js';

const NOW = Date.UTC(2026, 11, 8, 9, 30);
const OID = '6d1f2e3a-4b5c-4d7e-8f90-a1b2c3d4e5f6';
const deps = { fetch, now: () => NOW, timeoutMs: 5000 };

let entra: FakeEntra;
beforeAll(async () => {
  entra = await startFakeEntra({ now: () => NOW });
});
beforeEach(() => entra.reset());
afterAll(() => entra.close());

function settingsWith(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return providerSettings({
    id: 'entra',
    kind: 'microsoft',
    name: 'Microsoft',
    clientId: entra.clientId,
    clientSecret: entra.clientSecret,
    issuer: entra.issuer,
    rolesClaim: 'roles',
    roleMap: new Map([['Reports.Admin', ['admin']]]),
    ...overrides,
  });
}

/** A sign-in's token response, as grant gets it: authorization (S256) then code exchange. */
async function signInResponse(settings: ProviderSettings, endpoints: ProviderEndpoints) {
  const verifier = randomBytes(32).toString('base64url');
  const authorization = new URL(endpoints.authorizationEndpoint);
  authorization.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    response_type: 'code',
    scope: microsoftKind.scopes(settings).join(' '),
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = new URL(await entra.authorize(authorization.href));
  const response = await fetch(endpoints.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: settings.redirectUri,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      code_verifier: verifier,
    }),
  });
  return (await response.json()) as TokenResponse;
}

async function signedIn(settings = settingsWith()) {
  const endpoints = await microsoftKind.discover(settings, {
    fetch,
    signal: AbortSignal.timeout(5000),
  });
  const response = await signInResponse(settings, endpoints);
  const identity = await microsoftKind.identify(settings, endpoints, deps)(response, 'nonce-1');
  const reread = microsoftKind.reread!;
  return {
    identity,
    credential: reread.keep(response),
    read: reread.reader(settings, endpoints, deps),
  };
}

describe('Entra app roles read again with the kept refresh token', () => {
  it('when a role map reads a claim, then the sign-in asks offline_access and keeps the refresh token', async () => {
    expect(microsoftKind.scopes(settingsWith())).toContain('offline_access');
    expect(microsoftKind.scopes(settingsWith({ rolesClaim: undefined }))).not.toContain(
      'offline_access',
    );
    expect(microsoftKind.reread!.applies(settingsWith({ roleMap: new Map() }))).toBe(false);
    entra.nextLogin({ roles: ['Reports.Admin'] });
    const { identity, credential } = await signedIn();
    expect(identity.groups).toEqual(['Reports.Admin']);
    expect(credential).toEqual({ refresh_token: expect.stringMatching(/^0\.entra-rt-/) });
  });

  it('when an app role is removed in Entra, then the refreshed id_token no longer carries it, and a new refresh token is kept', async () => {
    entra.nextLogin({ roles: ['Reports.Admin', 'Reports.Read'] });
    const { identity, credential, read } = await signedIn();
    entra.setMembership(OID, { roles: ['Reports.Read'] });
    const answer = await read(identity.subject, credential!);
    expect(answer.groups).toEqual(['Reports.Read']);
    expect(answer.credential?.refresh_token).not.toBe(credential!.refresh_token);
  });

  it('when the refreshed id_token names another oid, then it is refused (sub)', async () => {
    const { identity, credential, read } = await signedIn();
    entra.misbehave({ refreshOid: '00000000-0000-4000-8000-000000000000' });
    await expect(read(identity.subject, credential!)).rejects.toMatchObject({
      status: 401,
      reason: 'sub',
    });
  });

  it('when the refresh token is revoked, then 400 invalid_grant; when Entra is down, then 502', async () => {
    const { identity, credential, read } = await signedIn();
    entra.misbehave({ tokenEndpointDown: true });
    await expect(read(identity.subject, credential!)).rejects.toMatchObject({ status: 502 });
    entra.misbehave({ tokenEndpointDown: false });
    entra.revokeRefreshTokens(OID);
    await expect(read(identity.subject, credential!)).rejects.toMatchObject({
      status: 400,
      reason: 'invalid_grant',
    });
  });
});
