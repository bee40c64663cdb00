import { commaList, envVar, httpUrl, type EnvSpec } from '@gatehouse/shared';
import { z } from 'zod';
import { grantNameProblem } from '../signin/grant-config.js';
import { PROVIDER_KINDS } from '../signin/kinds/verified-identity.js';
import { allowedDomains, allowedEmails } from './allowlist-schemas.js';

/** A provider id: what PROVIDERS lists and `/auth/connect/<id>` names. */
export const PROVIDER_ID = /^[a-z][a-z0-9]{0,31}$/;

/** `okta` -> `OKTA`: the prefix of a provider's variables. */
export const providerPrefix = (id: string) => id.toUpperCase();

/**
 * The variables of one provider, `<ID>_*`. Google's keep their meaning from before PROVIDERS
 * (`GOOGLE_ISSUER` defaults to Google); every other id names its issuer itself.
 *
 * @example
 * providerEnvSpec('okta'); // { OKTA_CLIENT_ID, OKTA_CLIENT_SECRET, OKTA_ISSUER, ... }
 */
export function providerEnvSpec(id: string): EnvSpec {
  const p = providerPrefix(id);
  const google = id === 'google';
  return {
    [`${p}_CLIENT_ID`]: envVar(`OAuth client id registered with provider ${id}`, z.string()),
    [`${p}_CLIENT_SECRET`]: envVar(`OAuth client secret of provider ${id}`, z.string(), {
      secret: true,
    }),
    [`${p}_ISSUER`]: envVar(
      google
        ? 'OpenID issuer; endpoints come from its discovery document'
        : `issuer of provider ${id} (OpenID kinds: endpoints from its discovery document; github: its web origin, default https://github.com)`,
      google ? httpUrl().default('https://accounts.google.com') : httpUrl().optional(),
    ),
    [`${p}_BACKCHANNEL_URL`]: envVar(
      google
        ? "origin replacing the issuer's origin for server-to-server calls only (compose: http://dev-idp:4003)"
        : `origin replacing provider ${id}'s issuer origin for server-to-server calls only`,
      httpUrl().optional(),
    ),
    [`${p}_KIND`]: envVar(
      `kind of provider ${id}: ${PROVIDER_KINDS.join(', ')} (default: the id when it is one of these, else oidc)`,
      z.enum(PROVIDER_KINDS).optional(),
    ),
    [`${p}_NAME`]: envVar(
      `button label of provider ${id} on the sign-in choice page`,
      z.string().optional(),
    ),
    [`${p}_ALLOWED_EMAILS`]: envVar(
      `emails admitted when signing in with ${id}, on top of ALLOWED_EMAILS`,
      allowedEmails(),
    ),
    [`${p}_ALLOWED_DOMAINS`]: envVar(
      `domains admitted when signing in with ${id}, on top of ALLOWED_DOMAINS`,
      allowedDomains(),
    ),
    [`${p}_API_URL`]: envVar(
      `github kind: REST API origin of provider ${id} (default https://api.github.com, or <issuer>/api/v3 for GitHub Enterprise Server)`,
      httpUrl().optional(),
    ),
    [`${p}_TENANTS`]: envVar(
      `microsoft kind: Entra tenant ids (tid) admitted by provider ${id}; required with the multi-tenant issuer`,
      commaList().default([]),
    ),
    [`${p}_ORGS`]: envVar(
      `github kind: organisations one of which a person must belong to (empty: any)`,
      commaList().default([]),
    ),
    [`${p}_ROLES_CLAIM`]: envVar(
      `OpenID kinds: the id_token claim whose values are groups for ${p}_ROLE_MAP (e.g. groups, roles)`,
      z
        .string()
        .regex(/^[\w:.-]+$/, 'must be a claim name, e.g. groups')
        .optional(),
    ),
    [`${p}_GROUPS_SERVICE_ACCOUNT_FILE`]: envVar(
      `google kind: a service account's JSON key with domain-wide delegation, to read Workspace groups for ${p}_ROLE_MAP through the Admin SDK Directory API; read at start-up (unreadable or malformed: the start is refused)`,
      z.string().optional(),
    ),
    [`${p}_GROUPS_ADMIN_EMAIL`]: envVar(
      `google kind: the Workspace administrator the service account acts as when reading groups`,
      z.string().email('must be an email address, e.g. admin@example.com').optional(),
    ),
    [`${p}_GROUPS_DIRECTORY_URL`]: envVar(
      `google kind: the Directory API origin (default https://admin.googleapis.com; tests point it at a stand-in)`,
      httpUrl().optional(),
    ),
    [`${p}_ROLE_MAP`]: envVar(
      `group:role pairs mapping provider ${id}'s groups to roles, e.g. eng-admins:admin,analysts:analyst`,
      z.string().optional(),
    ),
  };
}

/** PROVIDERS as written: ids, each checked. */
export const providersList = () =>
  commaList()
    .superRefine((ids, ctx) => {
      if (ids.length === 0)
        ctx.addIssue({ code: 'custom', message: 'must name at least one provider, e.g. google' });
      for (const id of ids) {
        const grantProblem = PROVIDER_ID.test(id) ? grantNameProblem(id) : undefined;
        if (grantProblem !== undefined) {
          ctx.addIssue({ code: 'custom', message: `has ${grantProblem}; pick another id` });
        } else if (!PROVIDER_ID.test(id)) {
          ctx.addIssue({
            code: 'custom',
            message: `has ${JSON.stringify(id)}: a provider id is lower-case letters and digits, starting with a letter, e.g. okta`,
          });
        }
      }
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (repeated.length > 0)
        ctx.addIssue({ code: 'custom', message: `names ${repeated[0]} twice` });
    })
    .default(['google']);

/**
 * The ids whose variables `env` makes the auth-service read: PROVIDERS' ids when it is valid
 * (`google` when unset). When it is not, the loader reports it and builds with its default
 * (`google`), so google is read then, with every well-formed id listed (for the misspelling
 * check).
 */
export function providerIds(env: Readonly<Record<string, string | undefined>>): string[] {
  const parsed = providersList().safeParse(env.PROVIDERS === '' ? undefined : env.PROVIDERS);
  if (parsed.success) return parsed.data;
  const named = (env.PROVIDERS ?? '').split(',').map((id) => id.trim());
  return [...new Set(['google', ...named.filter((id) => PROVIDER_ID.test(id))])];
}
