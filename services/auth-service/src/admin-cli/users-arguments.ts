/** Argument checking for `npm run users`: what is a usage error, what is a bad value. */
import { isRoleName } from '../users/role-name.js';
import { CliError } from './cli-command.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function expectArgs(args: string[], count: number): void {
  if (args.length !== count) {
    throw new CliError(`expected ${count} argument(s), got ${args.length}`, 2);
  }
}

export function parseRoleOptions(options: string[]): string[] {
  const roles: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    if (option === '--role') roles.push(checkRole(options[++i]));
    else if (option.startsWith('--role=')) roles.push(checkRole(option.slice('--role='.length)));
    else throw new CliError(`unexpected "${option}"; roles are given as --role ROLE`, 2);
  }
  return roles;
}

export function checkEmail(email: string | undefined): string {
  if (email === undefined) throw new CliError('EMAIL is required', 2);
  if (!EMAIL.test(email)) throw new CliError(`"${email}" is not an email address`);
  return email;
}

export function checkRole(role: string | undefined): string {
  if (role === undefined) throw new CliError('ROLE is required', 2);
  if (!isRoleName(role)) {
    throw new CliError(`"${role}" is not a valid role (letters, digits, _ : . -), e.g. admin`);
  }
  return role;
}
