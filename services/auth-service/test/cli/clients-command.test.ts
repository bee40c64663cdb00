import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runClientsCommand } from '../../src/cli/clients-command.js';
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
    });
    expect((await clients('remove', 'deploy-bot')).code).toBe(0);
    expect(await registered('deploy-bot')).toBeUndefined();
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
    expect((await clients('add', 'tool')).code).toBe(2); // --name missing
    expect((await clients('list', 'extra')).code).toBe(2);
  });
});
