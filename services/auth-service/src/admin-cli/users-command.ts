import type { Env } from '@gatehouse/shared';
import { createAccountActions, type AccountActions } from '../account/account-actions.js';
import type { Stores } from '../db/open-stores.js';
import { cliEnded } from './cli-ended.js';
import type { DirectoryEntry, UserDirectory } from '../users/user-directory.js';
import { CliError, runCliCommand, storesCommand } from './cli-command.js';
import type { CliOutput } from './cli-output.js';
import { checkEmail, checkRole, expectArgs, parseRoleOptions } from './users-arguments.js';
import { createRefreshTokens } from '../oauth/refresh/refresh-tokens.js';
import { describeIdentities, describeUser } from './users-describe.js';

const USAGE = `usage: npm run users -- <command>
  list                        every user: email, roles, linked providers, state, last
                              sign-in
  show EMAIL                  the user, then each linked identity: provider, subject,
                              email, mapped roles, when linked, last sign-in with it
  add EMAIL [--role ROLE]...  register EMAIL (admitted without an allowlist), with roles;
                              claimed by the first sign-in with that verified email
  remove EMAIL                delete the user; their sessions, device grants and approved
                              device codes end now, their access tokens within seconds
                              (the revocation feed)
  grant EMAIL ROLE            add ROLE to the directory roles
  revoke EMAIL ROLE           remove ROLE from the directory roles (a role an identity's
                              provider maps to stays while the provider says so)
  disable EMAIL               refuse sign-in and tokens; ends their sessions, device grants
                              and approved device codes now, their access tokens within
                              seconds
  enable EMAIL                undo disable
DATA_DIR (default ./data) must be the auth-service's.`;

/**
 * `npm run users -- ...`. Returns the exit code; writes only through `io`, so tests run it
 * in-process with their own env, clock and DATA_DIR.
 */
export function runUsersCommand(
  argv: readonly string[],
  env: Env,
  io: CliOutput,
  now: number,
): Promise<number> {
  const cli = storesCommand({
    name: 'users',
    usage: USAGE,
    run: (command, args, stores) =>
      run(command, args, stores.directory, io, now, accountActions(stores, now)),
  });
  return runCliCommand(cli, argv, env, io);
}

async function run(
  command: string,
  args: string[],
  directory: UserDirectory,
  io: CliOutput,
  now: number,
  actions: Pick<AccountActions, 'disableUser' | 'removeUser'>,
): Promise<void> {
  const describe = (user: DirectoryEntry) => describeUser(directory, user);
  switch (command) {
    case 'list': {
      expectArgs(args, 0);
      const users = await directory.list();
      if (users.length === 0) io.out('no users');
      for (const user of users) io.out(await describe(user));
      return;
    }
    case 'show': {
      expectArgs(args, 1);
      const user = await existing(directory, args[0]!);
      io.out(await describe(user));
      for (const line of describeIdentities(await directory.identities(user.id))) io.out(line);
      return;
    }
    case 'add': {
      const [email, ...options] = args;
      const roles = parseRoleOptions(options);
      const before = await directory.findByEmail(checkEmail(email));
      const user = await directory.preRegister(checkEmail(email), roles, now);
      // preRegister merges into an existing entry; saying "added" again would be untrue.
      if (!before) io.out(`added ${await describe(user)}`);
      else if (user.directoryRoles.length > before.directoryRoles.length) {
        io.out(`already in the directory; roles added: ${await describe(user)}`);
      } else io.out(`already in the directory: ${await describe(user)}`);
      return;
    }
    case 'remove': {
      expectArgs(args, 1);
      const user = await existing(directory, args[0]!);
      await actions.removeUser(user);
      io.out(`removed ${args[0]}`);
      return;
    }
    case 'grant':
    case 'revoke': {
      expectArgs(args, 2);
      const user = await existing(directory, args[0]!);
      const role = checkRole(args[1]);
      // Directory roles only: the effective ones also hold what providers map to.
      const { directoryRoles } = user;
      const roles =
        command === 'grant' ? [...directoryRoles, role] : directoryRoles.filter((r) => r !== role);
      await directory.setRoles(user.id, roles);
      const after = await describe(await existing(directory, user.email));
      io.out(`${command === 'grant' ? 'granted' : 'revoked'} ${role}: ${after}`);
      return;
    }
    case 'disable':
    case 'enable': {
      expectArgs(args, 1);
      const user = await existing(directory, args[0]!);
      if (command === 'disable') await actions.disableUser(user);
      else await directory.setDisabled(user.id, false);
      io.out(`${command}d ${await describe(await existing(directory, user.email))}`);
      return;
    }
    default:
      throw new CliError(`unknown command "${command}"`, 2);
  }
}

/**
 * What the admin page does to a user, run by the CLI at its `now`: disabling or removing ends
 * every session, grant and approved device code at once (account/account-actions.ts).
 */
function accountActions(stores: Stores, now: number) {
  const ended = cliEnded(stores, now);
  return createAccountActions({
    sessions: stores.sessions,
    refreshTokens: stores.refreshTokens,
    refresh: createRefreshTokens({ store: stores.refreshTokens, now: () => now, ended }),
    devices: stores.devices,
    directory: stores.directory,
    now: () => now,
    ended,
  });
}

async function existing(directory: UserDirectory, email: string): Promise<DirectoryEntry> {
  const user = await directory.findByEmail(checkEmail(email));
  if (!user) throw new CliError(`no user with email ${email}; see "npm run users -- list"`);
  return user;
}
