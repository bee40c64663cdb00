import {
  commaList,
  envVar,
  flag,
  integer,
  type EnvValues,
  type ReportProblem,
} from '@gatehouse/shared';
import { allowedDomains, allowedEmails } from './allowlist-schemas.js';
import { buildProviders } from './build-providers.js';
import { providersList } from './provider-env.js';

const MIN_SESSION_KEY_LENGTH = 32;

/**
 * Sign-in variables: the identity providers, who is admitted, and the session cookie. Each
 * provider's own `<ID>_*` variables are provider-env.ts's, added per id PROVIDERS names.
 */
export const signInEnv = {
  PROVIDERS: envVar(
    'comma list of identity provider ids; each reads <ID>_CLIENT_ID, <ID>_CLIENT_SECRET, <ID>_ISSUER, <ID>_KIND, <ID>_NAME, ...',
    providersList(),
  ),
  LINK_BY_VERIFIED_EMAIL: envVar(
    "link a new provider identity to the user holding the same email when both providers verified it (dangerous: trusts every provider's email verification; off by default)",
    flag().default(false),
  ),
  ALLOWED_EMAILS: envVar('comma list of emails admitted at sign-in', allowedEmails()),
  ALLOWED_DOMAINS: envVar(
    "comma list of domains admitted (Google: the id_token's hd; other providers: a verified email's domain)",
    allowedDomains(),
  ),
  SESSION_KEYS: envVar(
    `comma list of secrets (${MIN_SESSION_KEY_LENGTH}+ characters), newest first: the first signs cookies and seals kept provider credentials, older ones still verify and open`,
    commaList().optional(),
    { secret: true },
  ),
  SESSION_IDLE_TIMEOUT: envVar(
    'seconds without a request after which a session ends',
    integer(60)
      .max(366 * 86_400)
      .default(8 * 3600),
    { unit: 'seconds' },
  ),
  SESSION_MAX_AGE: envVar(
    'seconds after sign-in after which a session ends however active',
    integer(60)
      .max(366 * 86_400)
      .default(7 * 24 * 3600),
    { unit: 'seconds' },
  ),
};

export function buildSignInConfig(
  values: EnvValues<typeof signInEnv> & { NODE_ENV: string; PUBLIC_URL: string },
  problem: ReportProblem,
) {
  const production = values.NODE_ENV === 'production';
  const sessionKeys = values.SESSION_KEYS ?? [];
  const keysGenerated = sessionKeys.length === 0;
  if (keysGenerated && production) problem('SESSION_KEYS is required when NODE_ENV=production');
  if (sessionKeys.some((key) => key.length < MIN_SESSION_KEY_LENGTH)) {
    problem(
      `SESSION_KEYS entries must be at least ${MIN_SESSION_KEY_LENGTH} characters, e.g. \`openssl rand -base64 32\``,
    );
  }
  if (values.SESSION_IDLE_TIMEOUT > values.SESSION_MAX_AGE) {
    problem('SESSION_IDLE_TIMEOUT must not exceed SESSION_MAX_AGE');
  }
  const publicUrl = new URL(values.PUBLIC_URL);
  return {
    /** In PROVIDERS order; the first is the default sign-in when only one is configured. */
    providers: buildProviders(
      values,
      values.PROVIDERS,
      { publicOrigin: publicUrl.origin, production },
      problem,
    ),
    linkByVerifiedEmail: values.LINK_BY_VERIFIED_EMAIL,
    admission: {
      allowedEmails: values.ALLOWED_EMAILS.map((email) => email.toLowerCase()),
      allowedDomains: values.ALLOWED_DOMAINS.map((domain) => domain.toLowerCase()),
      explainRefusals: !production,
    },
    session: {
      keys: sessionKeys,
      /**
       * True when no SESSION_KEYS was given (development only): `keys` is empty and the server
       * uses the key generated once into DATA_DIR (sessions/development-session-keys.ts).
       */
      keysGenerated,
      idleTimeoutMs: values.SESSION_IDLE_TIMEOUT * 1000,
      maxAgeMs: values.SESSION_MAX_AGE * 1000,
      secureCookie: publicUrl.protocol === 'https:',
    },
  };
}
