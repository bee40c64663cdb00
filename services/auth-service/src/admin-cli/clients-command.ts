import type { Env } from '@gatehouse/shared';
import {
  BuiltInClientError,
  ClientExistsError,
  type Client,
  type ClientRegistry,
} from '../oauth/clients/client.js';
import { CliError, runCliCommand, storesCommand } from './cli-command.js';
import type { CliOutput } from './cli-output.js';
import { randomUUID } from 'node:crypto';
import { newClientSecret, storedSecretHash } from '../oauth/clients/client-secret.js';
import { parseNewClient, parseRotateSecret } from './clients-arguments.js';
import { expectArgs } from './users-arguments.js';
import { cliEnded } from './cli-ended.js';
import type { AccessEnded } from '../oauth/revocation-feed/ended-access.js';

const USAGE = `usage: npm run clients -- <command>
  list                           every registered client: id, type, grants, scopes, lifetimes
  add CLIENT_ID                  register a client; options:
      [--name NAME]                            default CLIENT_ID
      [--scope SCOPE]...                       default api; e.g. api:read
      [--grant client_credentials|device_code|refresh_token]...
                                               default client_credentials: a confidential
                                               service client, its secret printed once;
                                               device_code, refresh_token: a public client
      [--refresh-idle SECONDS]                 public; default 1209600 (14 days)
      [--refresh-absolute SECONDS]             public; default 2592000 (30 days)
  rotate-secret CLIENT_ID [--overlap SECONDS]
                                 print a new secret; the old one keeps working for the
                                 overlap (default 3600, 0 ends it now, at most 604800)
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
    run: (command, args, stores) =>
      run(command, args, stores.clients, io, now, cliEnded(stores, now)),
  });
  return runCliCommand(cli, argv, env, io);
}

async function run(
  command: string,
  args: string[],
  clients: ClientRegistry,
  io: CliOutput,
  now: number,
  ended: AccessEnded,
): Promise<void> {
  switch (command) {
    case 'list':
      expectArgs(args, 0);
      for (const client of await clients.list()) io.out(describe(client));
      return;
    case 'add': {
      const request = parseNewClient(args);
      if (request.type === 'public') {
        io.out(`added ${describe(await clients.add({ ...request, type: 'public' }, now))}`);
        return;
      }
      const secret = newClientSecret();
      const client = await clients.add(
        {
          ...request,
          type: 'confidential',
          secretHash: storedSecretHash(secret),
          grantId: randomUUID(),
        },
        now,
      );
      io.out(`added ${describe(client)}`);
      printSecret(io, secret);
      return;
    }
    case 'rotate-secret': {
      const { clientId, overlapSeconds } = parseRotateSecret(args);
      const secret = newClientSecret();
      const until = overlapSeconds === 0 ? null : now + overlapSeconds * 1000;
      if (!(await clients.replaceSecret(clientId, storedSecretHash(secret), until))) {
        throw new CliError(`no confidential client ${clientId}; see "npm run clients -- list"`);
      }
      io.out(
        until === null
          ? `rotated ${clientId}: the old secret no longer works`
          : `rotated ${clientId}: the old secret works until ${new Date(until).toISOString()}`,
      );
      printSecret(io, secret);
      return;
    }
    case 'remove':
      expectArgs(args, 1);
      if (!(await clients.remove(args[0]!))) {
        throw new CliError(`no client ${args[0]}; see "npm run clients -- list"`);
      }
      // A service client's tokens name it as `sub`: they stop working at the APIs too.
      await ended({ sub: args[0]!, reason: 'client_removed' });
      io.out(`removed ${args[0]}`);
      return;
    default:
      throw new CliError(`unknown command "${command}"`, 2);
  }
}

/** The one time a secret is shown: stdout, so it can be piped into a secret manager. */
function printSecret(io: CliOutput, secret: string): void {
  io.out(`client_secret ${secret}`);
  io.err('store the secret now: it is shown only this once (the registry keeps a hash)');
}

function describe(client: Client): string {
  const grants = client.grantTypes.map((g) => g.replace(/^.*:/, '')).join(',') || '-';
  const lifetimes = client.grantTypes.includes('refresh_token')
    ? `  refresh idle=${client.refreshIdleTtl}s absolute=${client.refreshAbsoluteTtl}s`
    : '';
  return `${client.clientId}  "${client.name}"  ${client.type}${client.builtIn ? ' built-in' : ''}  grants=${grants}  scopes=${client.scopes.join(',')}${lifetimes}`;
}
