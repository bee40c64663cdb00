import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runClientsCommand } from '../../src/cli/clients-command.js';
import { secretMatches } from '../../src/clients/client-secret.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createSqliteClientRegistry } from '../../src/db/sqlite/sqlite-client-registry.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'clients-cli-'));
});

function clients(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runClientsCommand(
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

function secretHashes(clientId: string) {
  const db = openDatabase(dataDir);
  try {
    return createSqliteClientRegistry(db).secretHashes(clientId);
  } finally {
    db.close();
  }
}

function registered(clientId: string) {
  const db = openDatabase(dataDir);
  try {
    return createSqliteClientRegistry(db).find(clientId);
  } finally {
    db.close();
  }
}

describe('npm run clients', () => {
  it('when listed on a new database, then the built-in gatehouse-cli and gatehouse-web are there', () => {
    const listed = clients('list');
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([
      expect.stringMatching(
        /^gatehouse-cli .*public built-in {2}grants=device_code,refresh_token {2}scopes=api {2}refresh idle=1209600s absolute=2592000s$/,
      ),
      expect.stringMatching(/^gatehouse-web .*built-in {2}grants=- {2}scopes=api$/),
    ]);
  });

  it('when a client is added with options, then the registry holds exactly them', () => {
    const added = clients(
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
    expect(registered('deploy-bot')).toEqual({
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
    expect(clients('remove', 'deploy-bot').code).toBe(0);
    expect(registered('deploy-bot')).toBeUndefined();
  });

  it('when a service client is added, then it is confidential and its secret is printed once and stored only as a hash', () => {
    const added = clients('add', 'billing', '--scope', 'api:read');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(
      /^added billing {2}"billing" {2}confidential {2}grants=client_credentials {2}scopes=api:read\nclient_secret [A-Za-z0-9_-]{43}$/,
    );
    expect(added.err).toMatch(/shown only this once/);
    const secret = secretOf(added.out);
    expect(registered('billing')).toMatchObject({
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['api:read'],
      grantId: expect.any(String),
    });
    const hashes = secretHashes('billing')!;
    expect(hashes.current).not.toContain(secret);
    expect(secretMatches(secret, hashes, Date.UTC(2026, 0, 1))).toBe(true);
    expect(clients('list').out).toContain('billing  "billing"  confidential');
    expect(clients('list').out).not.toContain(secret);
  });

  it('when a secret is rotated, then the new one works and the old one only for the overlap (default one hour, 0 ends it now)', () => {
    const first = secretOf(clients('add', 'billing', '--scope', 'api:read').out);
    const rotated = clients('rotate-secret', 'billing');
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain('the old secret works until 2026-01-01T01:00:00.000Z');
    const second = secretOf(rotated.out);
    expect(second).not.toBe(first);
    const start = Date.UTC(2026, 0, 1);
    expect(secretMatches(second, secretHashes('billing')!, start)).toBe(true);
    expect(secretMatches(first, secretHashes('billing')!, start + 3_599_999)).toBe(true);
    expect(secretMatches(first, secretHashes('billing')!, start + 3_600_000)).toBe(false);

    const third = secretOf(clients('rotate-secret', 'billing', '--overlap', '0').out);
    expect(secretMatches(third, secretHashes('billing')!, start)).toBe(true);
    expect(secretMatches(second, secretHashes('billing')!, start)).toBe(false);
  });

  it('when rotate-secret or add is refused, then exit 1 or 2 as for the other commands', () => {
    clients('add', 'billing');
    expect(clients('rotate-secret', 'gatehouse-cli')).toMatchObject({
      code: 1,
      err: expect.stringContaining('no confidential client gatehouse-cli'),
    });
    expect(clients('rotate-secret', 'nobody').code).toBe(1);
    expect(clients('rotate-secret', 'billing', '--overlap', '-5').code).toBe(1);
    expect(clients('rotate-secret', 'billing', '--overlap', '604801').code).toBe(1);
    expect(clients('rotate-secret').code).toBe(2);
    expect(clients('rotate-secret', 'billing', '--later', '5').code).toBe(2);
    expect(clients('add', 'x', '--scope', 'api read').code).toBe(1);
    expect(clients('add', 'x', '--scope', 'api"read').code).toBe(1);
    expect(
      clients('add', 'x', '--grant', 'client_credentials', '--grant', 'refresh_token'),
    ).toMatchObject({
      code: 1,
      err: expect.stringContaining('client_credentials is for service clients'),
    });
    expect(registered('x')).toBeUndefined();
  });

  it('when a refusal happens (taken id, unknown client, built-in, bad value), then exit 1 with a reason', () => {
    clients('add', 'tool', '--name', 'Tool');
    expect(clients('add', 'tool', '--name', 'Again')).toMatchObject({
      code: 1,
      err: expect.stringContaining('already exists'),
    });
    expect(clients('remove', 'nobody')).toMatchObject({
      code: 1,
      err: expect.stringContaining('no client nobody'),
    });
    expect(clients('remove', 'gatehouse-cli')).toMatchObject({
      code: 1,
      err: expect.stringContaining('built in'),
    });
    expect(clients('add', 'x', '--name', 'X', '--grant', 'password').code).toBe(1);
    expect(clients('add', 'x', '--name', 'X', '--refresh-idle', '10').code).toBe(1);
    expect(registered('gatehouse-cli')).toBeDefined();
  });

  it('when the usage is wrong, then exit 2 with the usage', () => {
    expect(clients()).toMatchObject({
      code: 2,
      err: expect.stringContaining('usage: npm run clients'),
    });
    expect(clients('frob').code).toBe(2);
    expect(clients('add').code).toBe(2);
    expect(clients('add', 'tool', '--name').code).toBe(2);
    expect(clients('list', 'extra').code).toBe(2);
  });
});
