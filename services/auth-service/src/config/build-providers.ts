import { readFileSync } from 'node:fs';
import type { ReportProblem } from '@gatehouse/shared';
import { connectPaths } from '../http/endpoints.js';
import type { ProviderSettings } from '../signin/kinds/provider-kind.js';
import { checkMicrosoftSettings } from '../signin/kinds/microsoft-settings-check.js';
import { groupCaseFor, parseRoleMap } from '../signin/roles/role-map.js';
import {
  parseServiceAccountKey,
  type ServiceAccountKey,
} from '../signin/provider/service-account-key.js';
import { PROVIDER_KINDS, type ProviderKind } from '../signin/kinds/verified-identity.js';
import { providerPrefix } from './provider-env.js';

const DEFAULT_NAMES: Readonly<Record<ProviderKind, string>> = {
  google: 'Google',
  microsoft: 'Microsoft',
  github: 'GitHub',
  oidc: 'OpenID',
};

/**
 * Each provider PROVIDERS names, from its `<ID>_*` values (provider-env.ts), with the problems
 * no single variable shows: an OpenID kind without an issuer, a variable that does not apply
 * to the kind, http issuers in production.
 */
export function buildProviders(
  values: Readonly<Record<string, unknown>>,
  ids: readonly string[],
  options: { publicOrigin: string; production: boolean },
  problem: ReportProblem,
): ProviderSettings[] {
  return ids.map((id) => {
    const p = providerPrefix(id);
    const value = <T>(name: string) => values[`${p}_${name}`] as T;
    const kind: ProviderKind =
      value<ProviderKind | undefined>('KIND') ??
      ((PROVIDER_KINDS as readonly string[]).includes(id) ? (id as ProviderKind) : 'oidc');
    let issuer = value<string | undefined>('ISSUER');
    if (issuer === undefined && kind === 'github') issuer = 'https://github.com';
    if (issuer === undefined) {
      problem(
        `${p}_ISSUER is required for provider ${id} (kind ${kind}), e.g. https://login.example.com`,
      );
    }
    const notFor = (name: string, kinds: readonly ProviderKind[], set: boolean) => {
      if (set && !kinds.includes(kind)) {
        problem(
          `${p}_${name} applies only to kind ${kinds.join(' or ')}; provider ${id} is ${kind}`,
        );
      }
    };
    notFor('API_URL', ['github'], value('API_URL') !== undefined);
    notFor('ORGS', ['github'], value<string[]>('ORGS').length > 0);
    notFor('TENANTS', ['microsoft'], value<string[]>('TENANTS').length > 0);
    notFor('ROLES_CLAIM', ['google', 'microsoft', 'oidc'], value('ROLES_CLAIM') !== undefined);
    const groupsFile = value<string | undefined>('GROUPS_SERVICE_ACCOUNT_FILE');
    const groupsAdmin = value<string | undefined>('GROUPS_ADMIN_EMAIL');
    notFor('GROUPS_SERVICE_ACCOUNT_FILE', ['google'], groupsFile !== undefined);
    notFor('GROUPS_ADMIN_EMAIL', ['google'], groupsAdmin !== undefined);
    notFor('GROUPS_DIRECTORY_URL', ['google'], value('GROUPS_DIRECTORY_URL') !== undefined);
    // Read now, so a missing or damaged key stops the start instead of every later sign-in.
    const groupsKey =
      groupsFile === undefined
        ? undefined
        : serviceAccountKeyFrom(`${p}_GROUPS_SERVICE_ACCOUNT_FILE`, groupsFile, problem);
    if ((groupsFile === undefined) !== (groupsAdmin === undefined)) {
      problem(
        `${p}_GROUPS_SERVICE_ACCOUNT_FILE and ${p}_GROUPS_ADMIN_EMAIL go together: Workspace groups need both`,
      );
    }
    if (options.production) {
      for (const name of ['ISSUER', 'BACKCHANNEL_URL', 'API_URL']) {
        if (value<string | undefined>(name)?.startsWith('http://')) {
          problem(`${p}_${name} must be https:// when NODE_ENV=production`);
        }
      }
    }
    const settings: ProviderSettings = {
      id,
      kind,
      name:
        value<string | undefined>('NAME') ??
        (kind === 'oidc' ? capitalised(id) : DEFAULT_NAMES[kind]),
      clientId: value<string>('CLIENT_ID'),
      clientSecret: value<string>('CLIENT_SECRET'),
      issuer: issuer ?? '',
      backchannelUrl: value<string | undefined>('BACKCHANNEL_URL'),
      apiUrl: value<string | undefined>('API_URL'),
      redirectUri: `${options.publicOrigin}${connectPaths(id).callback}`,
      allowedEmails: value<string[]>('ALLOWED_EMAILS').map((email) => email.toLowerCase()),
      allowedDomains: value<string[]>('ALLOWED_DOMAINS').map((domain) => domain.toLowerCase()),
      tenants: value<string[]>('TENANTS'),
      orgs: value<string[]>('ORGS').map((org) => org.toLowerCase()),
      rolesClaim: value<string | undefined>('ROLES_CLAIM'),
      roleMap: parseRoleMap(`${p}_ROLE_MAP`, value<string | undefined>('ROLE_MAP'), problem, {
        groupCase: groupCaseFor(kind),
      }),
      workspaceGroups:
        groupsKey !== undefined && groupsAdmin !== undefined
          ? {
              serviceAccountKey: groupsKey,
              adminEmail: groupsAdmin,
              directoryUrl: value<string | undefined>('GROUPS_DIRECTORY_URL'),
            }
          : undefined,
    };
    // Production's https rule is checked above for every kind.
    if (kind === 'microsoft' && issuer !== undefined) checkMicrosoftSettings(settings, problem);
    return settings;
  });
}

/**
 * The service account key in `path` (`variable`'s value), or undefined with the problem
 * reported: unreadable, not JSON, a field missing, not an RSA key. Never quotes the file.
 */
function serviceAccountKeyFrom(
  variable: string,
  path: string,
  problem: ReportProblem,
): ServiceAccountKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    problem(`${variable}: cannot read the service account key file ${path} (${code})`);
    return undefined;
  }
  try {
    return parseServiceAccountKey(text, `${variable} (${path})`);
  } catch (err) {
    problem((err as Error).message);
    return undefined;
  }
}

function capitalised(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
