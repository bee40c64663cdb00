import type { Env } from '@gatehouse/shared';
import {
  createUserDirectory,
  type DirectoryEntry,
  type UserDirectory,
} from '../users/user-directory.js';
import { CliError, databaseCommand, runCliCommand } from './cli-command.js';
import type { CliOutput } from './cli-output.js';
import { checkEmail, checkRole, expectArgs, parseRoleOptions } from './users-arguments.js';

const USAGE = `usage: npm run users -- <command>
  list                        every user: email, roles, state, last sign-in
  add EMAIL [--role ROLE]...  register EMAIL (admitted without an allowlist), with roles;
                              claimed by the first sign-in with that verified email
  remove EMAIL                delete the user; their session ends at its next request
  grant EMAIL ROLE            add ROLE
  revoke EMAIL ROLE           remove ROLE
  disable EMAIL               refuse sign-in and tokens; ends their session at its next request
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
): number {
  const cli = databaseCommand({
    name: 'users',
    usage: USAGE,
    run: (command, args, db) => run(command, args, createUserDirectory(db), io, now),
  });
  return runCliCommand(cli, argv, env, io);
}

function run(
  command: string,
  args: string[],
  directory: UserDirectory,
  io: CliOutput,
  now: number,
): void {
  switch (command) {
    case 'list': {
      expectArgs(args, 0);
      const users = directory.list();
      if (users.length === 0) io.out('no users');
      for (const user of users) io.out(describe(user));
      return;
    }
    case 'add': {
      const [email, ...options] = args;
      const roles = parseRoleOptions(options);
      const user = directory.preRegister(checkEmail(email), roles, now);
      io.out(`added ${describe(user)}`);
      return;
    }
    case 'remove': {
      expectArgs(args, 1);
      directory.remove(existing(directory, args[0]!).id);
      io.out(`removed ${args[0]}`);
      return;
    }
    case 'grant':
    case 'revoke': {
      expectArgs(args, 2);
      const user = existing(directory, args[0]!);
      const role = checkRole(args[1]);
      const roles =
        command === 'grant' ? [...user.roles, role] : user.roles.filter((r) => r !== role);
      directory.setRoles(user.id, roles);
      io.out(
        `${command === 'grant' ? 'granted' : 'revoked'} ${role}: ${describe(existing(directory, user.email))}`,
      );
      return;
    }
    case 'disable':
    case 'enable': {
      expectArgs(args, 1);
      const user = existing(directory, args[0]!);
      directory.setDisabled(user.id, command === 'disable');
      io.out(`${command}d ${describe(existing(directory, user.email))}`);
      return;
    }
    default:
      throw new CliError(`unknown command "${command}"`, 2);
  }
}

function existing(directory: UserDirectory, email: string): DirectoryEntry {
  const user = directory.findByEmail(checkEmail(email));
  if (!user) throw new CliError(`no user with email ${email}; see "npm run users -- list"`);
  return user;
}

function describe(user: DirectoryEntry): string {
  const state = user.disabled ? 'disabled' : user.subject === null ? 'not signed in yet' : 'active';
  const roles = user.roles.length > 0 ? user.roles.join(',') : '-';
  const seen = user.lastSignInAt === null ? 'never' : new Date(user.lastSignInAt).toISOString();
  return `${user.email}  roles=${roles}  ${state}  last sign-in ${seen}`;
}
