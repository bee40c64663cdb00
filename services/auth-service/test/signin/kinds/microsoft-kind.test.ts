import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CONTOSO_TENANT,
  FABRIKAM_TENANT,
  startFakeEntra,
  type EntraMisbehaviour,
  type FakeEntra,
} from '../../../../../test/support/fake-entra.js';
import { checkMicrosoftSettings } from '../../../src/signin/kinds/microsoft-settings-check.js';
import { microsoftKind } from '../../../src/signin/kinds/microsoft-kind.js';
import type {
  ProviderEndpoints,
  ProviderSettings,
  TokenResponse,
} from '../../../src/signin/kinds/provider-kind.js';
import type { VerifiedIdentity } from '../../../src/signin/kinds/verified-identity.js';
import { providerSettings } from '../../support/provider-settings.js';

const NOW = Date.UTC(2026, 11, 8, 9, 30);
const OID = '6d1f2e3a-4b5c-4d7e-8f90-a1b2c3d4e5f6';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await startFakeEntra({ now: () => NOW });
});
beforeEach(() => entra.reset());
afterAll(() => entra.close());

function microsoftSettings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return providerSettings({
    id: 'entra',
    kind: 'microsoft',
    name: 'Microsoft',
    clientId: entra.clientId,
    clientSecret: entra.clientSecret,
    issuer: entra.issuer,
    ...overrides,
  });
}

function discover(settings: ProviderSettings, fetchFn: typeof fetch = fetch) {
  return microsoftKind.discover(settings, { fetch: fetchFn, signal: AbortSignal.timeout(30_000) });
}

/** What grant does at the authorization endpoint: state, nonce and PKCE (S256). */
async function authorizeAt(
  provider: FakeEntra,
  settings: ProviderSettings,
  endpoints: ProviderEndpoints,
  nonce: string,
): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const authorization = new URL(endpoints.authorizationEndpoint);
  authorization.search = new URLSearchParams({
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    response_type: 'code',
    scope: microsoftKind.scopes(settings).join(' '),
    state: 'state-1',
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = new URL(await provider.authorize(authorization.href));
  return { code: callback.searchParams.get('code') ?? '', verifier };
}

/** What grant does at the token endpoint (client_secret_post). */
function redeem(
  tokenEndpoint: string,
  settings: ProviderSettings,
  grant: { code: string; verifier: string },
): Promise<Response> {
  return fetch(tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: settings.redirectUri,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      code_verifier: grant.verifier,
    }),
  });
}

async function tokenResponseFor(
  provider: FakeEntra,
  settings: ProviderSettings,
  endpoints: ProviderEndpoints,
  nonce: string,
): Promise<TokenResponse> {
  const grant = await authorizeAt(provider, settings, endpoints, nonce);
  const response = await redeem(endpoints.tokenEndpoint, settings, grant);
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()) as TokenResponse;
}

function identifyWith(settings: ProviderSettings, endpoints: ProviderEndpoints) {
  return microsoftKind.identify(settings, endpoints, { fetch, now: () => NOW, timeoutMs: 30_000 });
}

/** One whole sign-in against the fake Entra with these settings. */
async function signIn(overrides: Partial<ProviderSettings> = {}): Promise<VerifiedIdentity> {
  const settings = microsoftSettings(overrides);
  const endpoints = await discover(settings);
  const response = await tokenResponseFor(entra, settings, endpoints, 'nonce-1');
  return identifyWith(settings, endpoints)(response, 'nonce-1');
}

const multiTenant = () => ({ issuer: entra.organizationsIssuer, tenants: [CONTOSO_TENANT] });

describe('microsoft kind: tenants and issuers', () => {
  it('when the issuer is a tenant and its member signs in, then the subject is tid:oid from that issuer', async () => {
    await expect(signIn()).resolves.toEqual({
      provider: 'entra',
      issuer: entra.tenantIssuer(CONTOSO_TENANT),
      subject: `${CONTOSO_TENANT}:${OID}`,
      email: null,
      emailVerified: false,
      name: 'Ada Lovelace',
      picture: null,
      domain: undefined,
      groups: [],
    });
  });

  it.each(['organizations', 'common'])(
    'when the issuer is multi-tenant (%s) and the token’s tid is in tenants, then it is that tenant’s identity',
    async (alias) => {
      const identity = await signIn({
        issuer: entra.tenantIssuer(alias),
        tenants: [FABRIKAM_TENANT, CONTOSO_TENANT],
      });
      expect(identity).toMatchObject({
        issuer: entra.tenantIssuer(CONTOSO_TENANT),
        subject: `${CONTOSO_TENANT}:${OID}`,
      });
    },
  );

  it('when the issuer is multi-tenant and the token’s tid is not in tenants, then 403 access_denied (tenant)', async () => {
    entra.nextLogin({ tid: FABRIKAM_TENANT });
    await expect(signIn(multiTenant())).rejects.toMatchObject({
      status: 403,
      code: 'access_denied',
      reason: 'tenant',
      audit: { tid: FABRIKAM_TENANT },
    });
  });

  it('when a multi-tenant token’s iss is another tenant than its tid, then 401 invalid_id_token (iss)', async () => {
    // Issued by Fabrikam's issuer (every tenant's keys are the same) but claiming Contoso.
    entra.nextLogin({ tid: FABRIKAM_TENANT });
    entra.misbehave({ tid: CONTOSO_TENANT });
    await expect(signIn(multiTenant())).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'iss',
    });
  });

  it('when a multi-tenant token carries the published template as iss, then 401 invalid_id_token (iss)', async () => {
    entra.misbehave({ iss: `${entra.origin}/{tenantid}/v2.0` });
    await expect(signIn(multiTenant())).rejects.toMatchObject({ status: 401, reason: 'iss' });
  });

  it('when a tenant issuer receives another tenant’s token, then 401 invalid_id_token (iss)', async () => {
    entra.misbehave({ iss: entra.tenantIssuer(FABRIKAM_TENANT), tid: FABRIKAM_TENANT });
    await expect(signIn()).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'iss',
    });
  });

  it('when a tenant issuer’s token names another tid, then 401 invalid_id_token (tid)', async () => {
    entra.misbehave({ tid: FABRIKAM_TENANT });
    await expect(signIn()).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'tid',
    });
  });

  it('when a tenant issuer lists tenants without its own, then its members get 403 (tenant)', async () => {
    await expect(signIn({ tenants: [FABRIKAM_TENANT] })).rejects.toMatchObject({
      status: 403,
      reason: 'tenant',
    });
  });

  it.each([
    ['tenant', false],
    ['multi-tenant', true],
  ])('when a %s token has no tid, then 401 invalid_id_token (tid)', async (_name, multi) => {
    entra.misbehave({ omitTid: true });
    await expect(signIn(multi ? multiTenant() : {})).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'tid',
    });
  });

  it('when the token has no oid, then 401 invalid_id_token (oid)', async () => {
    entra.misbehave({ omitOid: true });
    await expect(signIn()).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'oid',
    });
  });
});

describe('microsoft kind: the OpenID checks still apply', () => {
  it.each<[string, string, EntraMisbehaviour]>([
    ['signed with another key', 'signature', { badSignature: true }],
    ['HS256 with the client secret', 'algorithm', { algHmac: true }],
    ['issued to another client', 'aud', { aud: 'another-client' }],
    ['for another sign-in', 'nonce', { nonce: 'nonce-2' }],
  ])(
    'when the id_token is %s, then 401 invalid_id_token (%s)',
    async (_name, reason, misbehaviour) => {
      entra.misbehave(misbehaviour);
      await expect(signIn(multiTenant())).rejects.toMatchObject({
        status: 401,
        code: 'invalid_id_token',
        reason,
      });
    },
  );

  it('when the token response has no id_token, then 502 token_exchange_failed', async () => {
    const settings = microsoftSettings();
    const identify = identifyWith(settings, await discover(settings));
    await expect(identify({ access_token: 'at' }, 'nonce-1')).rejects.toMatchObject({
      status: 502,
      code: 'token_exchange_failed',
      reason: 'no_id_token',
    });
  });
});

describe('microsoft kind: email', () => {
  it('when the token’s email has no xms_edov (nOAuth: a victim’s address set by an admin), then there is no email', async () => {
    entra.nextLogin({ email: 'victim@bank.example', preferred_username: 'victim@bank.example' });
    await expect(signIn()).resolves.toMatchObject({
      email: null,
      emailVerified: false,
      domain: undefined,
    });
  });

  it('when xms_edov is false, then there is no email', async () => {
    entra.nextLogin({ xms_edov: false });
    await expect(signIn()).resolves.toMatchObject({ email: null, emailVerified: false });
  });

  it('when xms_edov is true, then the email is verified, lower-cased, with its domain', async () => {
    entra.nextLogin({ email: 'Ada@Contoso.Example', xms_edov: true });
    await expect(signIn()).resolves.toMatchObject({
      email: 'ada@contoso.example',
      emailVerified: true,
      domain: 'contoso.example',
    });
  });

  it('when email_verified is true, then the email is verified', async () => {
    entra.nextLogin({ email_verified: true });
    await expect(signIn()).resolves.toMatchObject({
      email: 'ada@contoso.example',
      emailVerified: true,
    });
  });

  it('when xms_edov is true but there is no email claim, then there is no email', async () => {
    entra.nextLogin({ email: undefined, xms_edov: true });
    await expect(signIn()).resolves.toMatchObject({ email: null, emailVerified: false });
  });
});

describe('microsoft kind: groups', () => {
  beforeEach(() => entra.nextLogin({ roles: ['Gatehouse.Admin'], groups: ['9a8b7c6d-group'] }));

  it('when the roles claim is roles, then the groups are the app roles', async () => {
    await expect(signIn({ rolesClaim: 'roles' })).resolves.toMatchObject({
      groups: ['Gatehouse.Admin'],
    });
  });

  it('when the roles claim is groups, then the groups are the group object ids', async () => {
    await expect(signIn({ rolesClaim: 'groups' })).resolves.toMatchObject({
      groups: ['9a8b7c6d-group'],
    });
  });

  it('when no roles claim is set, then there are no groups', async () => {
    await expect(signIn()).resolves.toMatchObject({ groups: [] });
  });
});

describe('microsoft kind: discovery', () => {
  it('when the issuer is a tenant, then its document names that issuer and its endpoints', async () => {
    const endpoints = await discover(microsoftSettings());
    expect(endpoints).toMatchObject({
      issuer: entra.issuer,
      authorizationEndpoint: `${entra.url}/${CONTOSO_TENANT}/oauth2/v2.0/authorize`,
      tokenEndpoint: `${entra.url}/${CONTOSO_TENANT}/oauth2/v2.0/token`,
      jwksUri: `${entra.url}/${CONTOSO_TENANT}/discovery/v2.0/keys`,
    });
  });

  it('when the issuer is multi-tenant, then the {tenantid} template it publishes is accepted', async () => {
    const endpoints = await discover(microsoftSettings(multiTenant()));
    expect(endpoints.issuer).toBe(`${entra.url}/{tenantid}/v2.0`);
  });

  /** Answers every discovery request with the document of `authority`. */
  const documentOf =
    (authority: string): typeof fetch =>
    () =>
      fetch(`${entra.url}/${authority}/v2.0/.well-known/openid-configuration`);

  it.each([
    ['a tenant issuer gets the template document', false, 'organizations'],
    ['a tenant issuer gets another tenant’s document', false, FABRIKAM_TENANT],
    ['a multi-tenant issuer gets a tenant’s document', true, CONTOSO_TENANT],
  ])('when %s, then 502 discovery_failed naming ENTRA_ISSUER', async (_name, multi, served) => {
    const settings = microsoftSettings(multi ? multiTenant() : {});
    await expect(discover(settings, documentOf(served))).rejects.toMatchObject({
      status: 502,
      code: 'discovery_failed',
      message: expect.stringContaining('check ENTRA_ISSUER'),
    });
  });

  it('when the issuer is not an Entra one, then 502 discovery_failed without a request', async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const settings = microsoftSettings({ issuer: `${entra.url}/contoso.example/v2.0` });
    await expect(discover(settings, counting)).rejects.toMatchObject({ code: 'discovery_failed' });
    expect(requests).toBe(0);
  });

  it('when a back channel is set, then server-to-server calls use it, the browser does not, and sign-in works', async () => {
    const published = await startFakeEntra({
      origin: 'https://login.microsoftonline.com',
      now: () => NOW,
    });
    try {
      const settings = microsoftSettings({
        issuer: 'https://login.microsoftonline.com/organizations/v2.0',
        backchannelUrl: published.url,
        tenants: [CONTOSO_TENANT],
      });
      const endpoints = await discover(settings);
      expect(endpoints).toMatchObject({
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        authorizationEndpoint:
          'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
        tokenEndpoint: `${published.url}/organizations/oauth2/v2.0/token`,
        jwksUri: `${published.url}/organizations/discovery/v2.0/keys`,
      });
      const response = await tokenResponseFor(published, settings, endpoints, 'nonce-1');
      await expect(identifyWith(settings, endpoints)(response, 'nonce-1')).resolves.toMatchObject({
        issuer: `https://login.microsoftonline.com/${CONTOSO_TENANT}/v2.0`,
        subject: `${CONTOSO_TENANT}:${OID}`,
      });
    } finally {
      await published.close();
    }
  });

  it('when scopes are asked, then they are openid email profile', () => {
    expect(microsoftKind.scopes(microsoftSettings())).toEqual(['openid', 'email', 'profile']);
  });
});

describe('the fake Entra’s token endpoint', () => {
  async function answerTo(tamper: {
    secret?: string;
    verifier?: string;
    at?: string;
  }): Promise<{ status: number; error: unknown }> {
    const settings = microsoftSettings();
    const endpoints = await discover(settings);
    const grant = await authorizeAt(entra, settings, endpoints, 'nonce-1');
    const response = await redeem(
      tamper.at ?? endpoints.tokenEndpoint,
      { ...settings, clientSecret: tamper.secret ?? settings.clientSecret },
      { ...grant, verifier: tamper.verifier ?? grant.verifier },
    );
    const body = (await response.json()) as { error?: unknown };
    return { status: response.status, error: body.error };
  }

  it('when the client secret is wrong, then 401 invalid_client', async () => {
    await expect(answerTo({ secret: 'guessed' })).resolves.toEqual({
      status: 401,
      error: 'invalid_client',
    });
  });

  it('when the PKCE verifier is not the challenge’s, then 400 invalid_grant', async () => {
    await expect(answerTo({ verifier: 'x'.repeat(43) })).resolves.toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('when the code is redeemed at another authority, then 400 invalid_grant', async () => {
    const at = `${entra.url}/${FABRIKAM_TENANT}/oauth2/v2.0/token`;
    await expect(answerTo({ at })).resolves.toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('when a code is redeemed twice, then the second is 400 invalid_grant', async () => {
    const settings = microsoftSettings();
    const endpoints = await discover(settings);
    const grant = await authorizeAt(entra, settings, endpoints, 'nonce-1');
    expect((await redeem(endpoints.tokenEndpoint, settings, grant)).status).toBe(200);
    expect((await redeem(endpoints.tokenEndpoint, settings, grant)).status).toBe(400);
  });
});

describe('checkMicrosoftSettings', () => {
  function problemsOf(overrides: Partial<ProviderSettings>, production = false): string[] {
    const problems: string[] = [];
    checkMicrosoftSettings(microsoftSettings(overrides), (message) => problems.push(message), {
      production,
    });
    return problems;
  }

  const CONTOSO = `https://login.microsoftonline.com/${CONTOSO_TENANT}/v2.0`;
  const ORGANIZATIONS = 'https://login.microsoftonline.com/organizations/v2.0';

  it.each([
    ['a tenant issuer', { issuer: CONTOSO }],
    ['a tenant issuer listing its own tenant', { issuer: CONTOSO, tenants: [CONTOSO_TENANT] }],
    ['a multi-tenant issuer with tenants', { issuer: ORGANIZATIONS, tenants: [CONTOSO_TENANT] }],
  ])('when the settings are %s, then there is no problem', (_name, overrides) => {
    expect(problemsOf(overrides, true)).toEqual([]);
  });

  it('when the multi-tenant issuer has no tenants, then ENTRA_TENANTS is required', () => {
    expect(problemsOf({ issuer: ORGANIZATIONS })).toEqual([
      `ENTRA_TENANTS is required with the multi-tenant issuer ${ORGANIZATIONS}: list the tenant ids admitted, e.g. ENTRA_TENANTS=<tenant id>,<tenant id>`,
    ]);
  });

  it('when the issuer is http in production, then it must be https', () => {
    expect(problemsOf({ issuer: entra.issuer }, true)).toEqual([
      'ENTRA_ISSUER must be https:// when NODE_ENV=production',
    ]);
    expect(problemsOf({ issuer: entra.issuer }, false)).toEqual([]);
  });

  it.each([
    'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
    'https://login.microsoftonline.com/organizations',
    'https://login.microsoftonline.com/organizations/v2.0/',
    'https://accounts.google.com',
  ])('when the issuer is %s, then it must be an Entra issuer', (issuer) => {
    expect(problemsOf({ issuer, tenants: [CONTOSO_TENANT] })).toEqual([
      expect.stringContaining('ENTRA_ISSUER must be a Microsoft Entra issuer'),
    ]);
  });

  it('when tenants are not tenant ids, then they are named', () => {
    expect(problemsOf({ issuer: ORGANIZATIONS, tenants: [CONTOSO_TENANT, 'contoso.com'] })).toEqual(
      [expect.stringContaining('ENTRA_TENANTS must list tenant ids')],
    );
  });

  it('when a tenant issuer lists tenants without its own, then no one could sign in', () => {
    expect(problemsOf({ issuer: CONTOSO, tenants: [FABRIKAM_TENANT] })).toEqual([
      expect.stringContaining(`ENTRA_TENANTS leaves out ${CONTOSO_TENANT}`),
    ]);
  });

  it('when several things are wrong, then every problem is listed', () => {
    expect(
      problemsOf({ issuer: 'http://login.microsoftonline.com/organizations/v2.0' }, true),
    ).toHaveLength(2);
  });
});
