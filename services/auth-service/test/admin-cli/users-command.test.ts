import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { runUsersCommand } from '../../src/admin-cli/users-command.js';
import { openStores } from '../../src/db/open-stores.js';
import type { Identity, UserDirectory } from '../../src/users/user-directory.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'users-cli-'));
});

async function users(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runUsersCommand(
    argv,
    { DATA_DIR: dataDir },
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    Date.UTC(2026, 0, 1),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDirectory<T>(work: (directory: UserDirectory) => Promise<T>): Promise<T> {
  const stores = await openStores({ dataDir });
  try {
    return await work(stores.directory);
  } finally {
    await stores.close();
  }
}

const entry = (email: string) => withDirectory((directory) => directory.findByEmail(email));

const identity = (provider: string, subject: string): Identity => ({
  provider,
  issuer: `https://${provider}.example`,
  subject,
  email: provider === 'google' ? 'ada@example.com' : null,
  name: 'Ada',
  picture: null,
});

/** Ada, registered, then signed in with Google (mapped to `viewer`) and linked to GitHub. */
async function adaWithIdentities(): Promise<void> {
  await users('add', 'ada@example.com');
  await withDirectory(async (directory) => {
    const { id } = (await directory.findByEmail('ada@example.com'))!;
    await directory.recordSignIn(id, identity('google', 'g-1'), Date.UTC(2025, 11, 1));
    await directory.setMappedRoles('google', 'g-1', ['viewer']);
    await directory.link(id, identity('github', 'h-1'), Date.UTC(2025, 11, 2));
  });
}

describe('npm run users', () => {
  it('when an email already in the directory is added again, then it says so instead of "added"', async () => {
    await users('add', 'ada@example.com');
    const again = await users('add', 'Ada@Example.com');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(
      /^already in the directory: ada@example\.com {2}roles=- {2}providers=- {2}not signed in yet/,
    );
    const withRole = await users('add', 'ada@example.com', '--role', 'admin');
    expect(withRole.out).toMatch(
      /^already in the directory; roles added: ada@example\.com {2}roles=admin/,
    );
    expect((await users('list')).out.split('\n')).toHaveLength(1);
  });

  it('when an email is added with roles, then it is listed as registered and not signed in yet', async () => {
    expect((await users('add', 'Ada@Example.com', '--role', 'admin', '--role=auditor')).code).toBe(
      0,
    );
    const listed = await users('list');
    expect(listed.code).toBe(0);
    expect(listed.out).toBe(
      'ada@example.com  roles=admin,auditor  providers=-  not signed in yet  last sign-in never',
    );
    expect(await entry('ada@example.com')).toMatchObject({ registered: true, subject: null });
  });

  it('when roles are granted and revoked, then the directory follows', async () => {
    await users('add', 'ada@example.com');
    expect((await users('grant', 'ada@example.com', 'admin')).code).toBe(0);
    expect((await entry('ada@example.com'))!.roles).toEqual(['admin']);
    expect((await users('revoke', 'ada@example.com', 'admin')).code).toBe(0);
    expect((await entry('ada@example.com'))!.roles).toEqual([]);
  });

  it('when a user has roles their provider maps to, then grant and revoke change only the directory roles', async () => {
    await adaWithIdentities();
    const granted = await users('grant', 'ada@example.com', 'admin');
    expect(granted.out).toMatch(
      /^granted admin: ada@example\.com {2}roles=admin {2}mapped=viewer /,
    );
    expect(await entry('ada@example.com')).toMatchObject({
      roles: ['admin', 'viewer'],
      directoryRoles: ['admin'],
    });
    await users('revoke', 'ada@example.com', 'viewer');
    await users('revoke', 'ada@example.com', 'admin');
    expect(await entry('ada@example.com')).toMatchObject({ roles: ['viewer'], directoryRoles: [] });
  });

  it('when users are listed or one is shown, then their linked identities appear', async () => {
    await adaWithIdentities();
    await users('add', 'bob@example.com');
    expect((await users('list')).out.split('\n')).toEqual([
      'ada@example.com  roles=-  mapped=viewer  providers=google,github  active  last sign-in 2025-12-01T00:00:00.000Z',
      'bob@example.com  roles=-  providers=-  not signed in yet  last sign-in never',
    ]);
    const shown = await users('show', 'Ada@Example.com');
    expect(shown.code).toBe(0);
    expect(shown.out.split('\n').slice(1)).toEqual([
      '  google  subject=g-1  email=ada@example.com  mapped=viewer  linked 2025-12-01T00:00:00.000Z  last sign-in 2025-12-01T00:00:00.000Z',
      '  github  subject=h-1  email=-  mapped=-  linked 2025-12-02T00:00:00.000Z  last sign-in never',
    ]);
    expect((await users('show', 'bob@example.com')).out.split('\n')[1]).toBe(
      '  no linked identity: nobody has signed in as this user',
    );
    expect((await users('show')).code).toBe(2);
  });

  it('when a user is disabled and enabled, then the flag follows', async () => {
    await users('add', 'ada@example.com');
    expect((await users('disable', 'ada@example.com')).out).toMatch(
      /^disabled ada@example.com .* disabled /,
    );
    expect((await entry('ada@example.com'))!.disabled).toBe(true);
    await users('enable', 'ada@example.com');
    expect((await entry('ada@example.com'))!.disabled).toBe(false);
  });

  it('when a user is removed, then it is gone', async () => {
    await users('add', 'ada@example.com');
    expect((await users('remove', 'ada@example.com')).code).toBe(0);
    expect((await users('list')).out).toBe('no users');
  });

  it.each(['disable', 'remove'])(
    'when a user is %sd, then the device codes they approved and nobody redeemed end, and their device grants',
    async (command) => {
      await users('add', 'ada@example.com');
      const { id } = (await entry('ada@example.com'))!;
      const at = Date.UTC(2026, 0, 1);
      const stores = await openStores({ dataDir });
      try {
        await stores.devices.create({
          deviceCodeHash: 'hash-1',
          userCode: 'BCDFGHJK',
          clientId: 'gatehouse-cli',
          scope: 'api',
          interval: 5,
          createdAt: at,
          expiresAt: at + 600_000,
        });
        await stores.devices.decide('BCDFGHJK', 'approved', id, at);
        await stores.refreshTokens.createFamily(
          {
            id: 'family-1',
            clientId: 'gatehouse-cli',
            userId: id,
            scope: 'api',
            rotationKey: 'key',
            createdAt: at,
            lastUsedAt: at,
            lastUsedFrom: null,
          },
          'refresh-hash-1',
        );
      } finally {
        await stores.close();
      }
      expect((await users(command, 'ada@example.com')).code).toBe(0);
      const after = await openStores({ dataDir });
      try {
        expect(await after.devices.findByDeviceCode('hash-1')).toMatchObject({ status: 'denied' });
        expect(await after.devices.consume('hash-1')).toBe(false);
        // Enabling the user again must not revive the device grant either.
        expect((await after.refreshTokens.find('refresh-hash-1'))?.family.revokedAt).toBe(at);
      } finally {
        await after.close();
      }
    },
  );

  it('when the user does not exist, then exit 1 with a clear message', async () => {
    const result = await users('grant', 'nobody@example.com', 'admin');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'users grant: no user with email nobody@example.com; see "npm run users -- list"',
    );
  });

  it('when the email or role is malformed, then exit 1 naming the value', async () => {
    expect((await users('add', 'not-an-email')).err).toContain(
      '"not-an-email" is not an email address',
    );
    await users('add', 'ada@example.com');
    const bad = await users('grant', 'ada@example.com', 'ad min');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('"ad min" is not a valid role');
  });

  it('when the command or its arguments are wrong, then exit 2 with the usage', async () => {
    expect((await users()).code).toBe(2);
    const unknown = await users('promote', 'ada@example.com');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "promote"');
    expect(unknown.err).toContain('usage: npm run users');
    expect((await users('grant', 'ada@example.com')).code).toBe(2);
    expect((await users('add', 'ada@example.com', '--admin')).code).toBe(2);
  });
});
