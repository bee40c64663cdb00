import {
  commaList,
  envVar,
  httpUrl,
  integer,
  type EnvValues,
  type ReportProblem,
} from '@gatehouse/shared';
import { z } from 'zod';
import { allowedDomains, allowedEmails } from './allowlist-schemas.js';
import { GOOGLE_CALLBACK_PATH } from '../http/endpoints.js';

const GOOGLE = 'https://accounts.google.com';
const MIN_SESSION_KEY_LENGTH = 32;

/** Sign-in variables: the OpenID provider, who is admitted, and the session cookie. */
export const signInEnv = {
  GOOGLE_CLIENT_ID: envVar('OAuth client id registered with Google', z.string()),
  GOOGLE_CLIENT_SECRET: envVar('OAuth client secret', z.string(), { secret: true }),
  GOOGLE_ISSUER: envVar(
    'OpenID issuer; endpoints come from its discovery document',
    httpUrl().default(GOOGLE),
  ),
  GOOGLE_BACKCHANNEL_URL: envVar(
    "origin replacing the issuer's origin for server-to-server calls only (compose: http://dev-idp:4003)",
    httpUrl().optional(),
  ),
  ALLOWED_EMAILS: envVar('comma list of emails admitted at sign-in', allowedEmails()),
  ALLOWED_DOMAINS: envVar(
    "comma list of Google Workspace domains admitted (matched against the id_token's hd)",
    allowedDomains(),
  ),
  SESSION_KEYS: envVar(
    `comma list of cookie-signing secrets (${MIN_SESSION_KEY_LENGTH}+ characters), newest first; older ones still verify`,
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
  const issuer = values.GOOGLE_ISSUER;
  if (production && !issuer.startsWith('https://')) {
    problem('GOOGLE_ISSUER must be https:// when NODE_ENV=production');
  }
  if (production && values.GOOGLE_BACKCHANNEL_URL?.startsWith('http://')) {
    problem('GOOGLE_BACKCHANNEL_URL must be https:// when NODE_ENV=production');
  }
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
    google: {
      issuer,
      backchannelUrl: values.GOOGLE_BACKCHANNEL_URL,
      clientId: values.GOOGLE_CLIENT_ID,
      clientSecret: values.GOOGLE_CLIENT_SECRET,
      redirectUri: `${publicUrl.origin}${GOOGLE_CALLBACK_PATH}`,
    },
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
