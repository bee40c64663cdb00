import {
  commaList,
  type Env,
  envVar,
  httpUrl,
  loadConfig as loadSharedConfig,
  processConfig,
  processEnv,
  requireOrigin,
  trustProxyEnv,
} from '@gatehouse/shared';
import { z } from 'zod';

/** A redirect URI is matched exactly, so it is kept as written (no trailing-slash trimming). */
const redirectUris = () =>
  commaList().transform((uris, ctx) => {
    for (const uri of uris) {
      let url: URL | undefined;
      try {
        url = new URL(uri);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash) {
        ctx.addIssue({
          code: 'custom',
          message: `has ${JSON.stringify(uri)}, which is not an absolute http(s) URL without a fragment, e.g. http://localhost:8080/auth/connect/google/callback`,
        });
      }
    }
    if (uris.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one URI' });
    return uris;
  });

export const envSpec = {
  ...processEnv({ port: 4003 }),
  DEV_IDP_ISSUER: envVar(
    'issuer URL as the browser and the auth-service see it',
    httpUrl().default('http://localhost:4003'),
  ),
  DEV_IDP_CLIENT_ID: envVar(
    'client id of the one registered client (the auth-service)',
    z.string().default('gatehouse-dev'),
  ),
  DEV_IDP_CLIENT_SECRET: envVar(
    'client secret of the one registered client',
    z.string().default('gatehouse-dev-secret'),
    { secret: true },
  ),
  DEV_IDP_REDIRECT_URIS: envVar(
    'comma list of redirect URIs registered for the client',
    z.string().default('http://localhost:8080/auth/connect/google/callback').pipe(redirectUris()),
  ),
  ...trustProxyEnv({
    default: false,
    description:
      'trust X-Forwarded-* headers (only behind a proxy; the browser usually reaches the dev-idp directly)',
  }),
};

export interface Config extends ReturnType<typeof processConfig> {
  issuer: string;
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
  trustProxy: boolean;
}

export const PRODUCTION_REFUSED =
  'NODE_ENV=production: the dev-idp lets anyone sign in as anyone and refuses to run in production; ' +
  'point the auth-service at a real OpenID provider (GOOGLE_ISSUER=https://accounts.google.com) instead';

/**
 * Reads the dev-idp's environment. Refuses NODE_ENV=production outright: a provider that
 * signs whatever email is typed into a form must never stand in for Google there.
 */
export function loadConfig(env: Env): Readonly<Config> {
  return loadSharedConfig('dev-idp', envSpec, env, (values, problem) => {
    if (values.NODE_ENV === 'production') problem(PRODUCTION_REFUSED);
    requireOrigin('DEV_IDP_ISSUER', values.DEV_IDP_ISSUER, problem);
    return {
      ...processConfig(values, problem),
      issuer: values.DEV_IDP_ISSUER,
      client: {
        clientId: values.DEV_IDP_CLIENT_ID,
        clientSecret: values.DEV_IDP_CLIENT_SECRET,
        redirectUris: values.DEV_IDP_REDIRECT_URIS,
      },
      trustProxy: values.TRUST_PROXY,
    };
  });
}
