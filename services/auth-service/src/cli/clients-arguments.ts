import { GRANT_TYPES, type GrantType, type NewClient } from '../clients/client.js';
import { CliError } from './cli-command.js';

const CLIENT_ID = /^[A-Za-z0-9][\w.:-]{0,127}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** Defaults of `clients add`: a CLI-like public client. */
const DEFAULT_IDLE = 14 * 86_400;
const DEFAULT_ABSOLUTE = 30 * 86_400;
const GRANT_ALIASES: Record<string, GrantType> = {
  device_code: 'urn:ietf:params:oauth:grant-type:device_code',
  refresh_token: 'refresh_token',
};

/**
 * `clients add CLIENT_ID --name NAME [--grant device_code|refresh_token]... [--scope S]...
 * [--refresh-idle SECONDS] [--refresh-absolute SECONDS]`.
 */
export function parseNewClient(args: readonly string[]): NewClient {
  const [clientId, ...options] = args;
  if (clientId === undefined || clientId.startsWith('--')) {
    throw new CliError('CLIENT_ID is required', 2);
  }
  if (!CLIENT_ID.test(clientId)) {
    throw new CliError(`"${clientId}" is not a valid client id (letters, digits, _ . : -)`);
  }
  let name: string | undefined;
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
        name = value;
        break;
      case '--grant': {
        const grant =
          GRANT_ALIASES[value] ?? (GRANT_TYPES as readonly string[]).find((g) => g === value);
        if (!grant)
          throw new CliError(`unknown grant "${value}"; use device_code or refresh_token`);
        grants.push(grant as GrantType);
        break;
      }
      case '--scope':
        if (!SCOPE.test(value)) throw new CliError(`"${value}" is not a scope token`);
        scopes.push(value);
        break;
      case '--refresh-idle':
        idle = seconds(option, value);
        break;
      case '--refresh-absolute':
        absolute = seconds(option, value);
        break;
      default:
        throw new CliError(`unexpected "${option}"`, 2);
    }
  }
  if (name === undefined || name.trim() === '') throw new CliError('--name NAME is required', 2);
  if (idle > absolute) throw new CliError('--refresh-idle must not exceed --refresh-absolute');
  return {
    clientId,
    name: name.trim(),
    grantTypes: grants.length > 0 ? [...new Set(grants)] : Object.values(GRANT_ALIASES),
    scopes: scopes.length > 0 ? [...new Set(scopes)] : ['api'],
    refreshIdleTtl: idle,
    refreshAbsoluteTtl: absolute,
  };
}

function seconds(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60 || n > 365 * 86_400) {
    throw new CliError(`${option} must be whole seconds from 60 to 31536000, got "${value}"`);
  }
  return n;
}
