import type { ZodType } from 'zod';
import { SignInError } from '../sign-in-error.js';
import { githubApi } from './github-api.js';
import {
  githubAnswers,
  githubGroups,
  parseGitHubAnswer,
  primaryVerifiedEmail,
} from './github-answers.js';
import { githubApiUrl, githubEndpoints } from './github-endpoints.js';
import { githubReread } from './github-reread.js';
import type { KindModule, ProviderSettings } from './provider-kind.js';

/** Always asked: the profile and the email addresses with their verified flags. */
const BASE_SCOPES = ['read:user', 'user:email'];

/** Orgs are read for admission (`<ID>_ORGS`) and, with teams, for the role map. */
function readsOrgs(settings: ProviderSettings): boolean {
  return settings.orgs.length > 0 || settings.roleMap.size > 0;
}

/**
 * The `github` kind: OAuth 2 without OpenID, so there is no id_token to verify; what GitHub
 * vouches for comes from its REST API, asked with the access token grant obtained.
 * Identity: `subject` is the numeric user id (a login can be renamed and then taken by someone
 * else); `email` only the primary address and only when GitHub has verified it; `groups` the
 * org logins and `org/team` slugs (asked only when `<ID>_ORGS` or `<ID>_ROLE_MAP` needs them).
 * Refusals: no access token in the token response, 502 `token_exchange_failed`; a person in
 * none of `<ID>_ORGS`, 403 `access_denied` (`org`); the API's own failures as github-api.ts
 * classifies them. With a role map, orgs and teams are read again at refresh with the sign-in's
 * access token (github-reread.ts).
 */
export const githubKind: KindModule = {
  scopes: (settings) => (readsOrgs(settings) ? [...BASE_SCOPES, 'read:org'] : [...BASE_SCOPES]),

  discover: async (settings) => githubEndpoints(settings),

  identify(settings, endpoints, deps) {
    const apiUrl = githubApiUrl(settings);
    const requiredOrgs = settings.orgs.map((org) => org.toLowerCase());
    const withOrgs = readsOrgs(settings);
    const withTeams = settings.roleMap.size > 0;
    return async (response) => {
      const accessToken = response.access_token;
      if (typeof accessToken !== 'string' || accessToken.length === 0) {
        // grant drops an empty token; a success answer without one is GitHub's garbage.
        throw new SignInError(
          502,
          'token_exchange_failed',
          'no_access_token',
          'the provider answered the token request without an access_token',
        );
      }
      const api = githubApi({ apiUrl, accessToken, fetch: deps.fetch, timeoutMs: deps.timeoutMs });
      const read = async <T>(path: string, schema: ZodType<T>) =>
        parseGitHubAnswer(schema, await api.list(path), path);
      const user = parseGitHubAnswer(githubAnswers.user, await api.get('/user'), '/user');
      const [emails, orgs, teams] = await Promise.all([
        read('/user/emails', githubAnswers.emails),
        withOrgs ? read('/user/orgs', githubAnswers.orgs) : [],
        withTeams ? read('/user/teams', githubAnswers.teams) : [],
      ]);
      const orgLogins = orgs.map((org) => org.login.toLowerCase());
      if (requiredOrgs.length > 0 && !requiredOrgs.some((org) => orgLogins.includes(org))) {
        throw new SignInError(
          403,
          'access_denied',
          'org',
          'this GitHub account is not a member of an organisation this service admits',
          { audit: { orgs_required: [...settings.orgs], github_login: user.login } },
        );
      }
      const email = primaryVerifiedEmail(emails);
      return {
        provider: settings.id,
        issuer: endpoints.issuer,
        subject: String(user.id),
        email,
        emailVerified: email !== null,
        // Many GitHub accounts have no display name; the login is what people know them by.
        name: user.name || user.login,
        picture: user.avatar_url || null,
        domain: email === null ? undefined : email.slice(email.lastIndexOf('@') + 1),
        groups: githubGroups(orgLogins, teams),
      };
    };
  },

  reread: githubReread,
};
