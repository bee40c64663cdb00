import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { misspeltVariables } from '@gatehouse/shared';
import { configProblems } from '../../../../test/support/config-problems.js';
import { envSpecFor, loadConfig } from '../../src/config.js';

const SESSION = { SESSION_KEYS: 'k'.repeat(32) };
const problems = (env: Record<string, string>) =>
  configProblems(loadConfig, { ...SESSION, ...env });

describe('PROVIDERS and each provider’s variables', () => {
  it('when PROVIDERS is unset, then Google alone is configured from the GOOGLE_* variables as before', () => {
    const config = loadConfig({ ...SESSION, GOOGLE_CLIENT_ID: 'c', GOOGLE_CLIENT_SECRET: 's' });
    expect(config.providers.map((p) => [p.id, p.kind, p.issuer])).toEqual([
      ['google', 'google', 'https://accounts.google.com'],
    ]);
    expect(config.linkByVerifiedEmail).toBe(false);
  });

  it('when several providers are listed, then each reads its own variables, with the kind from the id or <ID>_KIND', () => {
    const config = loadConfig({
      ...SESSION,
      PROVIDERS: 'github,okta,corp',
      GITHUB_CLIENT_ID: 'gh',
      GITHUB_CLIENT_SECRET: 'ghs',
      GITHUB_ORGS: 'Acme',
      OKTA_CLIENT_ID: 'ok',
      OKTA_CLIENT_SECRET: 'oks',
      OKTA_ISSUER: 'https://acme.okta.com',
      OKTA_ALLOWED_DOMAINS: 'Partner.example',
      CORP_KIND: 'microsoft',
      CORP_CLIENT_ID: 'ms',
      CORP_CLIENT_SECRET: 'mss',
      CORP_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
      CORP_TENANTS: '11111111-2222-3333-4444-555555555555',
      CORP_NAME: 'Acme staff',
    });
    expect(config.providers).toMatchObject([
      {
        id: 'github',
        kind: 'github',
        name: 'GitHub',
        issuer: 'https://github.com',
        orgs: ['acme'],
        redirectUri: 'http://localhost:8080/auth/connect/github/callback',
      },
      { id: 'okta', kind: 'oidc', name: 'Okta', allowedDomains: ['partner.example'] },
      { id: 'corp', kind: 'microsoft', name: 'Acme staff', tenants: [expect.any(String)] },
    ]);
  });

  it('when provider variables are missing or malformed, then every problem is listed at once, by variable', () => {
    const found = problems({
      PROVIDERS: 'google,okta',
      GOOGLE_CLIENT_ID: 'c',
      GOOGLE_CLIENT_SECRET: 's',
      OKTA_CLIENT_ID: 'o',
      OKTA_KIND: 'saml',
    });
    expect(found).toEqual([
      'OKTA_CLIENT_SECRET is required',
      expect.stringMatching(/^OKTA_KIND must be one of google, microsoft, github, oidc/),
    ]);
  });

  it("when a variable does not fit the provider's kind, then the problem names it and the kind", () => {
    const found = problems({
      PROVIDERS: 'github',
      GITHUB_CLIENT_ID: 'g',
      GITHUB_CLIENT_SECRET: 'gs',
      GITHUB_TENANTS: 'x',
      GITHUB_ROLES_CLAIM: 'groups',
    });
    expect(found).toEqual([
      'GITHUB_TENANTS applies only to kind microsoft; provider github is github',
      'GITHUB_ROLES_CLAIM applies only to kind google or microsoft or oidc; provider github is github',
    ]);
  });

  it('when an OpenID provider has no issuer, then the problem names <ID>_ISSUER', () => {
    expect(problems({ PROVIDERS: 'okta', OKTA_CLIENT_ID: 'o', OKTA_CLIENT_SECRET: 's' })).toEqual([
      expect.stringMatching(/^OKTA_ISSUER is required for provider okta \(kind oidc\)/),
    ]);
  });

  it('when PROVIDERS has a malformed, repeated or reserved id, then it says which', () => {
    const found = problems({
      PROVIDERS: 'Okta,google,google,defaults,myreddit,callback',
      GOOGLE_CLIENT_ID: 'c',
      GOOGLE_CLIENT_SECRET: 's',
    });
    expect(found.join('\n')).toMatch(/PROVIDERS has "Okta"/);
    expect(found.join('\n')).toMatch(/names google twice/);
    expect(found.join('\n')).toMatch(/"defaults" is one of grant's settings/);
    expect(found.join('\n')).toMatch(/"callback" is one of grant's settings/);
    expect(found.join('\n')).toMatch(/"myreddit" makes grant treat the provider as the service/);
  });

  it('when Google is not listed, then no GOOGLE_* variable is required', () => {
    const config = loadConfig({
      ...SESSION,
      PROVIDERS: 'okta',
      OKTA_CLIENT_ID: 'o',
      OKTA_CLIENT_SECRET: 's',
      OKTA_ISSUER: 'https://acme.okta.com',
    });
    expect(config.providers.map((p) => p.id)).toEqual(['okta']);
  });

  it('when production runs a provider over http, then it is refused', () => {
    const found = problems({
      NODE_ENV: 'production',
      PROVIDERS: 'okta',
      OKTA_CLIENT_ID: 'o',
      OKTA_CLIENT_SECRET: 's',
      OKTA_ISSUER: 'http://okta.internal',
    });
    expect(found).toEqual(
      expect.arrayContaining(['OKTA_ISSUER must be https:// when NODE_ENV=production']),
    );
  });

  it("when a listed provider's variable is misspelt, then the misspelling check knows its real name", () => {
    const env = { PROVIDERS: 'okta', OKTA_CLIENT_SECERT: 'x' };
    expect(misspeltVariables(env, Object.keys(envSpecFor(env)))).toEqual([
      { name: 'OKTA_CLIENT_SECERT', suggestion: 'OKTA_CLIENT_SECRET' },
    ]);
  });

  describe('the Workspace groups service account key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-groups-key-'));
    const keyFile = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const google = (file: string) => ({
      GOOGLE_CLIENT_ID: 'c',
      GOOGLE_CLIENT_SECRET: 's',
      GOOGLE_GROUPS_SERVICE_ACCOUNT_FILE: file,
      GOOGLE_GROUPS_ADMIN_EMAIL: 'admin@example.com',
    });

    it('when the key file is readable and well formed, then it is read at load, not at the first sign-in', () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const file = keyFile(
        'key.json',
        JSON.stringify({
          client_email: 'groups@project.iam.gserviceaccount.com',
          private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }),
          private_key_id: 'kid-1',
          token_uri: 'https://oauth2.googleapis.com/token',
        }),
      );
      const [provider] = loadConfig({ ...SESSION, ...google(file) }).providers;
      expect(provider?.workspaceGroups).toMatchObject({
        serviceAccountKey: {
          clientEmail: 'groups@project.iam.gserviceaccount.com',
          keyId: 'kid-1',
        },
        adminEmail: 'admin@example.com',
      });
    });

    it('when the key file is missing or damaged, then the start is refused, naming the variable and never quoting the file', () => {
      expect(problems(google(join(dir, 'absent.json')))).toEqual([
        `GOOGLE_GROUPS_SERVICE_ACCOUNT_FILE: cannot read the service account key file ${join(dir, 'absent.json')} (ENOENT)`,
      ]);
      const damaged = keyFile(
        'damaged.json',
        '{"private_key": "-----BEGIN PRIVATE KEY----- secret',
      );
      const found = problems(google(damaged));
      expect(found).toEqual([
        expect.stringMatching(
          /^GOOGLE_GROUPS_SERVICE_ACCOUNT_FILE \(.*damaged\.json\) is not JSON/,
        ),
      ]);
      expect(found.join('\n')).not.toContain('secret');
    });
  });
});
