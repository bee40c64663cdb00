import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import {
  startFakeWorkspaceDirectory,
  type FakeWorkspaceDirectory,
} from '../../../../../test/support/fake-workspace-directory.js';
import {
  parseServiceAccountKey,
  readServiceAccountKey,
  type ServiceAccountKey,
} from '../../../src/signin/provider/service-account-key.js';
import { WorkspaceGroupsError } from '../../../src/signin/roles/workspace-groups-error.js';
import { workspaceGroups } from '../../../src/signin/roles/workspace-groups.js';
import { DIRECTORY_GROUP_SCOPE } from '../../../src/signin/roles/workspace-token.js';

const ADMIN = 'admin@example.com';
const clock = { now: Date.UTC(2026, 11, 8, 12) };
let directory: FakeWorkspaceDirectory;
let key: ServiceAccountKey;

beforeAll(async () => {
  directory = await startFakeWorkspaceDirectory({ adminEmail: ADMIN, now: () => clock.now });
  key = await readServiceAccountKey(await directory.writeKeyFile());
});
afterAll(() => directory.close());
afterEach(() => {
  directory.misbehave({ down: false, status: undefined, tokenStatus: undefined, garbage: false });
  directory.requests.length = 0;
});

/** A reader against the stand-in; options override the defaults. */
function reader(options: Partial<Parameters<typeof workspaceGroups>[0]> = {}) {
  return workspaceGroups({
    key,
    adminEmail: ADMIN,
    directoryUrl: directory.url,
    now: () => clock.now,
    timeoutMs: 2000,
    ...options,
  });
}

/** The error a lookup fails with (the test fails when it succeeds). */
async function failure(lookup: Promise<unknown>): Promise<WorkspaceGroupsError> {
  const err = await lookup.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkspaceGroupsError);
  return err as WorkspaceGroupsError;
}

const tokenRequests = () => directory.requests.filter((r) => r.path === '/token').length;

describe('workspaceGroups', () => {
  it('when the user is in groups over several pages, then every page is read and the emails are lower-cased', async () => {
    directory.setGroups('ada@example.com', [
      'Eng-Admins@Example.com',
      'analysts@example.com',
      'all@example.com',
      'ops@example.com',
      'oncall@example.com',
    ]);
    await expect(reader()('ada@example.com')).resolves.toEqual([
      'eng-admins@example.com',
      'analysts@example.com',
      'all@example.com',
      'ops@example.com',
      'oncall@example.com',
    ]);
    expect(directory.requests.map((r) => [r.method, r.path, r.userKey, r.pageToken])).toEqual([
      ['POST', '/token', null, null],
      ['GET', '/admin/directory/v1/groups', 'ada@example.com', null],
      ['GET', '/admin/directory/v1/groups', 'ada@example.com', '2'],
      ['GET', '/admin/directory/v1/groups', 'ada@example.com', '4'],
    ]);
  });

  it('when the user is in no group, then no groups', async () => {
    directory.setGroups('lone@example.com', []);
    await expect(reader()('lone@example.com')).resolves.toEqual([]);
  });

  it('when two lookups follow each other, then one token serves both', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const groupsOf = reader();
    await groupsOf('ada@example.com');
    await groupsOf('grace@example.com').catch(() => undefined);
    expect(tokenRequests()).toBe(1);
  });

  it('when two lookups start at once with no token yet, then they share one token request', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const groupsOf = reader();
    await Promise.all([groupsOf('ada@example.com'), groupsOf('ada@example.com')]);
    expect(tokenRequests()).toBe(1);
  });

  it('when the token is within a minute of expiring, then a new one is asked for', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const groupsOf = reader();
    await groupsOf('ada@example.com');
    clock.now += 3540_000 - 1;
    await groupsOf('ada@example.com');
    expect(tokenRequests()).toBe(1);
    clock.now += 1;
    await groupsOf('ada@example.com');
    expect(tokenRequests()).toBe(2);
  });

  it('when the Directory API stops accepting the token, then a new token is asked for once and the lookup succeeds', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const groupsOf = reader();
    await groupsOf('ada@example.com');
    directory.revokeTokens();
    await expect(groupsOf('ada@example.com')).resolves.toEqual(['eng@example.com']);
    expect(tokenRequests()).toBe(2);
  });

  it('when the user is unknown or the admin may not see them, then refused', async () => {
    const err = await failure(reader()('nobody@example.com'));
    expect([err.code, err.status]).toEqual(['refused', 404]);
    directory.setGroups('ada@example.com', ['eng@example.com']);
    directory.misbehave({ status: 403 });
    const forbidden = await failure(reader()('ada@example.com'));
    expect([forbidden.code, forbidden.status]).toEqual(['refused', 403]);
  });

  it('when the directory is down, answers 5xx or 429, or answers garbage, then unavailable', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    directory.misbehave({ down: true });
    expect((await failure(reader()('ada@example.com'))).code).toBe('unavailable');
    directory.misbehave({ down: false });
    for (const status of [500, 503, 429]) {
      directory.misbehave({ status });
      const err = await failure(reader()('ada@example.com'));
      expect([err.code, err.status]).toEqual(['unavailable', status]);
    }
    directory.misbehave({ status: undefined, garbage: true });
    expect((await failure(reader()('ada@example.com'))).code).toBe('unavailable');
  });

  it('when the token endpoint fails with 5xx, then unavailable; with 400 or 401, then credentials_refused', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    directory.misbehave({ tokenStatus: 503 });
    expect((await failure(reader()('ada@example.com'))).code).toBe('unavailable');
    directory.misbehave({ tokenStatus: 401 });
    const err = await failure(reader()('ada@example.com'));
    expect([err.code, err.status]).toEqual(['credentials_refused', 401]);
    expect(err.message).toContain('invalid_grant');
  });

  it('when the admin email is not the one delegated to, then credentials_refused', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const err = await failure(reader({ adminEmail: 'someone@example.com' })('ada@example.com'));
    expect([err.code, err.status]).toEqual(['credentials_refused', 400]);
  });

  it('when the assertion is signed by another key, then credentials_refused', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const err = await failure(reader({ key: { ...key, privateKey: other } })('ada@example.com'));
    expect([err.code, err.status]).toEqual(['credentials_refused', 400]);
  });

  it('when the groups span more pages than the cap, then too_many_groups', async () => {
    directory.setGroups('many@example.com', [
      'a@x.com',
      'b@x.com',
      'c@x.com',
      'd@x.com',
      'e@x.com',
    ]);
    const err = await failure(reader({ maxPages: 2 })('many@example.com'));
    expect(err.code).toBe('too_many_groups');
  });

  it('when lookups fail in every way, then no error text holds the key or a token', async () => {
    directory.setGroups('ada@example.com', ['eng@example.com']);
    const errors: unknown[] = [];
    const collect = async (lookup: Promise<unknown>) => errors.push(await failure(lookup));
    await collect(reader()('nobody@example.com'));
    await collect(reader({ adminEmail: 'someone@example.com' })('ada@example.com'));
    for (const next of [{ tokenStatus: 400 }, { tokenStatus: 500 }, { down: true }]) {
      directory.misbehave(next);
      await collect(reader()('ada@example.com'));
      directory.misbehave({ tokenStatus: undefined, down: false });
    }
    directory.misbehave({ status: 503 });
    await collect(reader()('ada@example.com'));
    const keyLines = directory.keyFile.private_key.split('\n').slice(1, -2);
    for (const err of errors) {
      const text = `${inspect(err, { depth: 10 })} ${JSON.stringify(err)}`;
      expect(text).not.toMatch(/ya29\.|PRIVATE KEY|Bearer|assertion=/);
      for (const line of keyLines) expect(text).not.toContain(line);
    }
  });

  it('when an option is wrong, then creating the reader fails naming the option', () => {
    expect(() => reader({ directoryUrl: 'admin.googleapis.com' })).toThrow('"directoryUrl"');
    expect(() => reader({ adminEmail: 'admin' })).toThrow('"adminEmail"');
    expect(() => reader({ maxPages: 0 })).toThrow('"maxPages"');
  });
});

describe('the Directory stand-in', () => {
  /** Posts an assertion signed with the service account's key, `claims` over the valid ones. */
  async function exchange(claims: Record<string, unknown>) {
    const iat = Math.floor(clock.now / 1000);
    const assertion = await new SignJWT({
      iss: key.clientEmail,
      sub: ADMIN,
      aud: key.tokenUri,
      iat,
      exp: iat + 3600,
      scope: DIRECTORY_GROUP_SCOPE,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(key.privateKey);
    const response = await fetch(key.tokenUri, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }),
    });
    return [response.status, ((await response.json()) as { error?: string }).error];
  }

  it('when the assertion is right, then it issues a token; a wrong aud, sub, scope or lifetime is refused', async () => {
    expect(await exchange({})).toEqual([200, undefined]);
    expect(await exchange({ aud: 'https://oauth2.googleapis.com/token' })).toEqual([
      400,
      'invalid_grant',
    ]);
    expect(await exchange({ sub: 'someone@example.com' })).toEqual([400, 'invalid_grant']);
    expect(await exchange({ exp: Math.floor(clock.now / 1000) + 7200 })).toEqual([
      400,
      'invalid_grant',
    ]);
    expect(
      await exchange({ scope: 'https://www.googleapis.com/auth/admin.directory.user' }),
    ).toEqual([401, 'unauthorized_client']);
  });
});

describe('service account key', () => {
  const file = () => ({ ...directory.keyFile }) as Record<string, unknown>;

  it('when the key file is complete, then it gives the email, key, token URI and key id', async () => {
    const parsed = parseServiceAccountKey(JSON.stringify(file()), 'key.json');
    expect(parsed.clientEmail).toBe(directory.keyFile.client_email);
    expect(parsed.tokenUri).toBe(`${directory.url}/token`);
    expect(parsed.keyId).toBe(directory.keyFile.private_key_id);
    expect(parsed.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it('when a field is missing, then the message names the file and the field', () => {
    for (const field of ['client_email', 'private_key', 'token_uri']) {
      const json = file();
      delete json[field];
      expect(() => parseServiceAccountKey(JSON.stringify(json), 'key.json')).toThrow(
        `key.json has no "${field}"`,
      );
    }
  });

  it('when the file is not JSON or the key is damaged, then the message never quotes the key', () => {
    const pem = directory.keyFile.private_key;
    const damaged = JSON.stringify({ ...file(), private_key: pem.replace('MII', 'M!I') });
    const broken = JSON.stringify(file()).replace('"token_uri"', 'token_uri');
    for (const text of [damaged, broken]) {
      const err = (() => {
        try {
          parseServiceAccountKey(text, 'key.json');
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err?.message).toMatch(/^key\.json /);
      expect(inspect(err, { depth: 10 })).not.toContain(pem.split('\n')[1]);
    }
  });

  it('when the key is not RSA or the token URI is not http(s), then it is refused', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const ecPem = ec.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() =>
      parseServiceAccountKey(JSON.stringify({ ...file(), private_key: ecPem }), 'key.json'),
    ).toThrow('must be an RSA key');
    expect(() =>
      parseServiceAccountKey(JSON.stringify({ ...file(), token_uri: 'file:///x' }), 'key.json'),
    ).toThrow('"token_uri" is not an http(s) URL');
  });

  it('when the file does not exist, then the message names it', async () => {
    await expect(readServiceAccountKey('/nonexistent/key.json')).rejects.toThrow(
      'cannot read the service account key file /nonexistent/key.json',
    );
  });
});
