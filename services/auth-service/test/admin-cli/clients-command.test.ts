import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runClientsCommand } from '../../src/admin-cli/clients-command.js';
import { secretMatches } from '../../src/oauth/clients/client-secret.js';
import { openStores } from '../../src/db/open-stores.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'clients-cli-'));
});

async function clients(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runClientsCommand(
    argv,
    { DATA_DIR: dataDir },
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    Date.UTC(2026, 0, 1),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function secretOf(out: string): string {
  return /^client_secret (\S+)$/m.exec(out)![1]!;
}

async function secretHashes(clientId: string) {
  const stores = await openStores({ dataDir });
  try {
    return (await stores.clients.secretHashes(clientId))!;
  } finally {
    await stores.close();
  }
}

async function registered(clientId: string) {
  const stores = await openStores({ dataDir });
  try {
    return await stores.clients.find(clientId);
  } finally {
    await stores.close();
  }
}

describe('npm run clients', () => {
  it('when listed on a new database, then the built-in gatehouse-cli and gatehouse-web are there', async () => {
    const listed = await clients('list');
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([
      expect.stringMatching(
        /^gatehouse-cli .*public built-in {2}grants=device_code,refresh_token {2}scopes=api {2}refresh idle=1209600s absolute=2592000s$/,
      ),
      expect.stringMatching(/^gatehouse-web .*built-in {2}grants=- {2}scopes=api$/),
    ]);
  });

  it('when a client is added with options, then the registry holds exactly them', async () => {
    const added = await clients(
      'add',
      'deploy-bot',
      '--name',
      'Deploy bot',
      '--grant',
      'refresh_token',
      '--scope',
      'api',
      '--refresh-idle',
      '3600',
      '--refresh-absolute',
      '86400',
    );
    expect(added.code).toBe(0);
    expect(await registered('deploy-bot')).toEqual({
      clientId: 'deploy-bot',
      name: 'Deploy bot',
      type: 'public',
      grantTypes: ['refresh_token'],
      scopes: ['api'],
      refreshIdleTtl: 3600,
      refreshAbsoluteTtl: 86400,
      builtIn: false,
      grantId: null,
    });
    expect((await clients('remove', 'deploy-bot')).code).toBe(0);
    expect(await registered('deploy-bot')).toBeUndefined();
  });

  it('when a service client is added, then it is confidential and its secret is printed once and stored only as a hash', async () => {
    const added = await clients('add', 'billing', '--scope', 'api:read');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(
      /^added billing {2}"billing" {2}confidential {2}grants=client_credentials {2}scopes=api:read\nclient_secret [A-Za-z0-9_-]{43}$/,
    );
    expect(added.err).toMatch(/shown only this once/);
    const secret = secretOf(added.out);
    expect(await registered('billing')).toMatchObject({
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['api:read'],
      grantId: expect.any(String),
    });
    const hashes = await secretHashes('billing');
    expect(hashes.current).not.toContain(secret);
    expect(secretMatches(secret, hashes, Date.UTC(2026, 0, 1))).toBe(true);
    const listed = (await clients('list')).out;
    expect(listed).toContain('billing  "billing"  confidential');
    expect(listed).not.toContain(secret);
  });

  it('when a secret is rotated, then the new one works and the old one only for the overlap (default one hour, 0 ends it now)', async () => {
    const first = secretOf((await clients('add', 'billing', '--scope', 'api:read')).out);
    const rotated = await clients('rotate-secret', 'billing');
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain('the old secret works until 2026-01-01T01:00:00.000Z');
    const second = secretOf(rotated.out);
    expect(second).not.toBe(first);
    const start = Date.UTC(2026, 0, 1);
    const overlapping = await secretHashes('billing');
    expect(secretMatches(second, overlapping, start)).toBe(true);
    expect(secretMatches(first, overlapping, start + 3_599_999)).toBe(true);
    expect(secretMatches(first, overlapping, start + 3_600_000)).toBe(false);

    const third = secretOf((await clients('rotate-secret', 'billing', '--overlap', '0')).out);
    const ended = await secretHashes('billing');
    expect(secretMatches(third, ended, start)).toBe(true);
    expect(secretMatches(second, ended, start)).toBe(false);
  });

  it('when rotate-secret or add is refused, then exit 1 or 2 as for the other commands', async () => {
    await clients('add', 'billing');
    expect(await clients('rotate-secret', 'gatehouse-cli')).toMatchObject({
      code: 1,
      err: expect.stringContaining('no confidential client gatehouse-cli'),
    });
    expect((await clients('rotate-secret', 'nobody')).code).toBe(1);
    expect((await clients('rotate-secret', 'billing', '--overlap', '-5')).code).toBe(1);
    expect((await clients('rotate-secret', 'billing', '--overlap', '604801')).code).toBe(1);
    expect((await clients('rotate-secret')).code).toBe(2);
    expect((await clients('rotate-secret', 'billing', '--later', '5')).code).toBe(2);
    expect((await clients('add', 'x', '--scope', 'api read')).code).toBe(1);
    expect((await clients('add', 'x', '--scope', 'api"read')).code).toBe(1);
    expect(
      await clients('add', 'x', '--grant', 'client_credentials', '--grant', 'refresh_token'),
    ).toMatchObject({
      code: 1,
      err: expect.stringContaining('client_credentials is for service clients'),
    });
    expect(await registered('x')).toBeUndefined();
  });

  it('when a refusal happens (taken id, unknown client, built-in, bad value), then exit 1 with a reason', async () => {
    await clients('add', 'tool', '--name', 'Tool');
    expect(await clients('add', 'tool', '--name', 'Again')).toMatchObject({
      code: 1,
      err: expect.stringContaining('already exists'),
    });
    expect(await clients('remove', 'nobody')).toMatchObject({
      code: 1,
      err: expect.stringContaining('no client nobody'),
    });
    expect(await clients('remove', 'gatehouse-cli')).toMatchObject({
      code: 1,
      err: expect.stringContaining('built in'),
    });
    expect((await clients('add', 'x', '--name', 'X', '--grant', 'password')).code).toBe(1);
    expect((await clients('add', 'x', '--name', 'X', '--refresh-idle', '10')).code).toBe(1);
    expect(await registered('gatehouse-cli')).toBeDefined();
  });

  it('when the usage is wrong, then exit 2 with the usage', async () => {
    expect(await clients()).toMatchObject({
      code: 2,
      err: expect.stringContaining('usage: npm run clients'),
    });
    expect((await clients('frob')).code).toBe(2);
    expect((await clients('add')).code).toBe(2);
    expect((await clients('add', 'tool', '--name')).code).toBe(2);
    expect((await clients('list', 'extra')).code).toBe(2);
  });
});
