import type { Env } from '@gatehouse/shared';
import {
  BuiltInClientError,
  ClientExistsError,
  type Client,
  type ClientRegistry,
} from '../clients/client.js';
import { CliError, runCliCommand, storesCommand } from './cli-command.js';
import type { CliOutput } from './cli-output.js';
import { parseNewClient } from './clients-arguments.js';
import { expectArgs } from './users-arguments.js';

const USAGE = `usage: npm run clients -- <command>
  list                           every registered client: id, type, grants, scopes, lifetimes
  add CLIENT_ID --name NAME      register a public client; options:
      [--grant device_code|refresh_token]...   default both
      [--scope SCOPE]...                       default api
      [--refresh-idle SECONDS]                 default 1209600 (14 days)
      [--refresh-absolute SECONDS]             default 2592000 (30 days)
  remove CLIENT_ID               delete the client (built-in clients cannot be removed)
DATA_DIR (default ./data) must be the auth-service's.
Exit codes: 0 done, 1 refused, 2 usage.`;

/**
 * `npm run clients -- ...`, with the users CLI's exit codes (0 done, 1 refused, 2 usage).
 * Writes only through `io`, so tests run it in-process with their own env and DATA_DIR.
 */
export function runClientsCommand(
  argv: readonly string[],
  env: Env,
  io: CliOutput,
  now: number,
): Promise<number> {
  const cli = storesCommand({
    name: 'clients',
    usage: USAGE,
    refusalOf: (err) =>
      err instanceof ClientExistsError || err instanceof BuiltInClientError
        ? new CliError(err.message)
        : undefined,
    run: (command, args, stores) => run(command, args, stores.clients, io, now),
  });
  return runCliCommand(cli, argv, env, io);
}

async function run(
  command: string,
  args: string[],
  clients: ClientRegistry,
  io: CliOutput,
  now: number,
): Promise<void> {
  switch (command) {
    case 'list':
      expectArgs(args, 0);
      for (const client of await clients.list()) io.out(describe(client));
      return;
    case 'add':
      io.out(`added ${describe(await clients.add(parseNewClient(args), now))}`);
      return;
    case 'remove':
      expectArgs(args, 1);
      if (!(await clients.remove(args[0]!))) {
        throw new CliError(`no client ${args[0]}; see "npm run clients -- list"`);
      }
      io.out(`removed ${args[0]}`);
      return;
    default:
      throw new CliError(`unknown command "${command}"`, 2);
  }
}

function describe(client: Client): string {
  const grants = client.grantTypes.map((g) => g.replace(/^.*:/, '')).join(',') || '-';
  const lifetimes = client.grantTypes.includes('refresh_token')
    ? `  refresh idle=${client.refreshIdleTtl}s absolute=${client.refreshAbsoluteTtl}s`
    : '';
  return `${client.clientId}  "${client.name}"  ${client.type}${client.builtIn ? ' built-in' : ''}  grants=${grants}  scopes=${client.scopes.join(',')}${lifetimes}`;
}
