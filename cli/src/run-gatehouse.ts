import { CliError } from './cli-error.js';
import { DEFAULT_SERVER, type CliDeps } from './cli-deps.js';
import {
  credentialsPath,
  readCredentials,
  removeCredentials,
  writeCredentials,
  type Credentials,
} from './credentials-file.js';
import { deviceLogin } from './device-login.js';
import { freshAccessToken } from './fresh-access-token.js';
import { OAuthError, requestJson } from './http-client.js';

const USAGE = `usage: gatehouse <command> [--server URL]
  login     sign in through the browser (device flow); keeps a refresh token in
            $XDG_CONFIG_HOME/gatehouse/credentials.json (default ~/.config), mode 0600
  token     print a fresh access token: curl -H "Authorization: Bearer $(gatehouse token)" ...
  whoami    the signed-in user, as the API sees them
  logout    revoke the sign-in on the server and delete the local file
--server (or GATEHOUSE_URL) is the Gatehouse public URL, default ${DEFAULT_SERVER}.
Exit codes: 0 done, 1 failed, 2 usage.`;

/**
 * `gatehouse ...`: returns the exit code; writes only through `deps`. Every failure is one
 * line on standard error and exit 1 (2 for usage), never a stack trace: a CliError says it
 * in its own words, a server's OAuth error names the URL that answered, anything else is
 * still one line.
 */
export async function runGatehouse(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    await run(argv, deps);
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      deps.err(`gatehouse: ${err.message}`);
      if (err.exitCode === 2) deps.err(USAGE);
      return err.exitCode;
    }
    deps.err(`gatehouse: ${failureLine(err)}`);
    return 1;
  }
}

function failureLine(err: unknown): string {
  if (err instanceof OAuthError) {
    return `${err.url || 'the server'} answered ${err.status} ${err.message}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `unexpected failure: ${message.split('\n')[0]}`;
}

async function run(argv: readonly string[], deps: CliDeps): Promise<void> {
  const { command, server } = parseArguments(argv);
  const path = credentialsPath(deps.env);
  switch (command) {
    case 'help':
      deps.out(USAGE);
      return;
    case 'login': {
      const credentials = await deviceLogin(
        server ?? deps.env.GATEHOUSE_URL ?? DEFAULT_SERVER,
        deps,
      );
      writeCredentials(path, credentials);
      const me = await requestJson(deps.fetch, new URL('/api/me', credentials.server).href, {
        bearer: credentials.accessToken,
      }).catch(() => undefined);
      deps.err(`Signed in${me?.email ? ` as ${String(me.email)}` : ''}. Credentials: ${path}`);
      return;
    }
    case 'token':
      deps.out(await freshAccessToken(path, signedIn(path), deps));
      return;
    case 'whoami': {
      const credentials = signedIn(path);
      const token = await freshAccessToken(path, credentials, deps);
      const me = await requestJson(deps.fetch, new URL('/api/me', credentials.server).href, {
        bearer: token,
      }).catch((err: unknown) => {
        if (err instanceof OAuthError)
          throw new CliError(`the API refused the token: ${err.message}`);
        throw err;
      });
      const roles = Array.isArray(me.roles) && me.roles.length > 0 ? me.roles.join(', ') : 'none';
      deps.out(
        `${String(me.email)} (sub ${String(me.sub)}) roles: ${roles} at ${credentials.server}`,
      );
      return;
    }
    case 'logout': {
      const credentials = readCredentials(path);
      if (!credentials) {
        deps.err('not signed in; nothing to do');
        return;
      }
      await requestJson(deps.fetch, credentials.revocationEndpoint, {
        form: {
          token: credentials.refreshToken,
          token_type_hint: 'refresh_token',
          client_id: credentials.clientId,
        },
      }).catch((err: unknown) => {
        if (err instanceof OAuthError)
          throw new CliError(`the server refused to revoke: ${err.message}`);
        throw err;
      });
      removeCredentials(path);
      deps.err(`Signed out of ${credentials.server}; the refresh token is revoked.`);
      return;
    }
    default:
      throw new CliError(`unknown command "${command}"`, 2);
  }
}

function signedIn(path: string): Credentials {
  const credentials = readCredentials(path);
  if (!credentials) throw new CliError('not signed in; run "gatehouse login"');
  return credentials;
}

function parseArguments(argv: readonly string[]): { command: string; server?: string } {
  let command: string | undefined;
  let server: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--server') server = argv[++i];
    else if (arg.startsWith('--server=')) server = arg.slice('--server='.length);
    else if (arg === '--help' || arg === '-h') command = 'help';
    else if (command === undefined) command = arg;
    else throw new CliError(`unexpected "${arg}"`, 2);
  }
  if (command === undefined) throw new CliError('a command is required', 2);
  if (server !== undefined) {
    try {
      const url = new URL(server);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      server = url.origin;
    } catch {
      throw new CliError(
        `--server must be an http(s) URL, e.g. https://app.example.com; got "${server}"`,
        2,
      );
    }
  }
  return { command, server };
}
