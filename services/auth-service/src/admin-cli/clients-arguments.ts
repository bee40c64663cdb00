import {
  CLIENT_CREDENTIALS_GRANT,
  GRANT_TYPES,
  type GrantType,
  type NewClient,
} from '../oauth/clients/client.js';
import { CliError } from './cli-command.js';

const CLIENT_ID = /^[A-Za-z0-9][\w.:-]{0,127}$/;
/**
 * A scope the registry accepts: an RFC 6749 scope-token kept to letters, digits and `: . _ -`
 * (`api`, `api:read`, `billing.invoices:write`), at most 64 characters, so it reads the same
 * in a token, a log line and a shell.
 */
const SCOPE = /^[A-Za-z0-9][\w.:-]{0,63}$/;
/** Defaults of `clients add` for a public client: a CLI-like one. */
const DEFAULT_IDLE = 14 * 86_400;
const DEFAULT_ABSOLUTE = 30 * 86_400;
const GRANT_ALIASES: Record<string, GrantType> = {
  device_code: 'urn:ietf:params:oauth:grant-type:device_code',
  refresh_token: 'refresh_token',
  client_credentials: CLIENT_CREDENTIALS_GRANT,
};
/** The overlap `rotate-secret` gives the old secret unless told otherwise: one hour. */
export const DEFAULT_SECRET_OVERLAP = 3600;

/** What `clients add` asked for; a confidential client's secret is made by the command. */
export type ClientRequest = Omit<NewClient, 'type' | 'secretHash' | 'grantId'> & {
  readonly type: 'public' | 'confidential';
};

/**
 * `clients add CLIENT_ID [--name NAME] [--grant G]... [--scope S]... [--refresh-idle SECONDS]
 * [--refresh-absolute SECONDS]`. Without `--grant` the client is a confidential service client
 * (client_credentials); with device_code or refresh_token a public one. The two never mix: a
 * user grant must not need a secret the CLI on a laptop would hold.
 */
export function parseNewClient(args: readonly string[]): ClientRequest {
  const [clientId, ...options] = args;
  if (clientId === undefined || clientId.startsWith('--')) {
    throw new CliError('CLIENT_ID is required', 2);
  }
  if (!CLIENT_ID.test(clientId)) {
    throw new CliError(`"${clientId}" is not a valid client id (letters, digits, _ . : -)`);
  }
  let name = clientId;
  const grants: GrantType[] = [];
  const scopes: string[] = [];
  let idle = DEFAULT_IDLE;
  let absolute = DEFAULT_ABSOLUTE;
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    const value = options[++i];
    if (value === undefined) throw new CliError(`${option} needs a value`, 2);
    switch (option) {
      case '--name':
        name = value.trim();
        if (name === '') throw new CliError('--name must not be empty', 2);
        break;
      case '--grant': {
        const grant =
          GRANT_ALIASES[value] ?? (GRANT_TYPES as readonly string[]).find((g) => g === value);
        if (!grant) {
          throw new CliError(
            `unknown grant "${value}"; use client_credentials, device_code or refresh_token`,
          );
        }
        grants.push(grant as GrantType);
        break;
      }
      case '--scope':
        if (!SCOPE.test(value)) {
          throw new CliError(`"${value}" is not a scope (letters, digits, : . _ -; e.g. api:read)`);
        }
        scopes.push(value);
        break;
      case '--refresh-idle':
        idle = seconds(option, value, 60, 365 * 86_400);
        break;
      case '--refresh-absolute':
        absolute = seconds(option, value, 60, 365 * 86_400);
        break;
      default:
        throw new CliError(`unexpected "${option}"`, 2);
    }
  }
  const grantTypes: GrantType[] =
    grants.length > 0 ? [...new Set(grants)] : [CLIENT_CREDENTIALS_GRANT];
  const confidential = grantTypes.includes(CLIENT_CREDENTIALS_GRANT);
  if (confidential && grantTypes.length > 1) {
    throw new CliError('client_credentials is for service clients: give it no other grant');
  }
  if (idle > absolute) throw new CliError('--refresh-idle must not exceed --refresh-absolute');
  return {
    clientId,
    name,
    type: confidential ? 'confidential' : 'public',
    grantTypes,
    scopes: scopes.length > 0 ? [...new Set(scopes)] : ['api'],
    refreshIdleTtl: idle,
    refreshAbsoluteTtl: absolute,
  };
}

/** `rotate-secret CLIENT_ID [--overlap SECONDS]`: 0 to 604800, default one hour. */
export function parseRotateSecret(args: readonly string[]): {
  clientId: string;
  overlapSeconds: number;
} {
  const [clientId, option, value, ...rest] = args;
  if (clientId === undefined || clientId.startsWith('--')) {
    throw new CliError('CLIENT_ID is required', 2);
  }
  if (option === undefined) return { clientId, overlapSeconds: DEFAULT_SECRET_OVERLAP };
  if (option !== '--overlap' || value === undefined || rest.length > 0) {
    throw new CliError(`unexpected "${[option, value, ...rest].join(' ')}"`, 2);
  }
  return { clientId, overlapSeconds: seconds(option, value, 0, 7 * 86_400) };
}

function seconds(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CliError(`${option} must be whole seconds from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
