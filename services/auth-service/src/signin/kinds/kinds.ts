import { githubKind } from './github-kind.js';
import { microsoftKind } from './microsoft-kind.js';
import { openIdKind } from './openid-kind.js';
import type { KindModule } from './provider-kind.js';
import type { ProviderKind } from './verified-identity.js';

/** Each kind's module; sign-in reaches a kind only through this table. */
export const KINDS: Readonly<Record<ProviderKind, KindModule>> = {
  google: openIdKind('google'),
  oidc: openIdKind('oidc'),
  microsoft: microsoftKind,
  github: githubKind,
};
