import { SignInError } from '../sign-in-error.js';
import { githubApi } from './github-api.js';
import { githubAnswers, githubGroups, parseGitHubAnswer } from './github-answers.js';
import { githubApiUrl } from './github-endpoints.js';
import type { GroupReread } from './provider-kind.js';

/**
 * GitHub's orgs and teams read again at refresh with the access token kept from the sign-in
 * (an OAuth app's does not expire; it ends when the person or an admin revokes it). The token
 * must still be the identity's (`/user`'s id is its subject). Failures as github-api.ts
 * classifies them: 401 (revoked) a refusal, rate limits and 5xx an outage, a missing scope a
 * refusal too (fail closed; the operator must fix the registration). A GitHub App's expiring
 * user tokens (8 hours) are not renewed: after that the roles are dropped until the next
 * sign-in.
 */
export const githubReread: GroupReread = {
  applies: (settings) => settings.roleMap.size > 0,
  keep(response) {
    const token = response.access_token;
    return typeof token === 'string' && token !== '' ? { access_token: token } : null;
  },
  reader(settings, _endpoints, deps) {
    const apiUrl = githubApiUrl(settings);
    return async (subject, credential) => {
      const accessToken = credential.access_token;
      if (typeof accessToken !== 'string' || accessToken === '') {
        throw new SignInError(400, 'invalid_grant', 'no_access_token', 'no access token is kept');
      }
      const api = githubApi({ apiUrl, accessToken, fetch: deps.fetch, timeoutMs: deps.timeoutMs });
      const user = parseGitHubAnswer(githubAnswers.user, await api.get('/user'), '/user');
      if (String(user.id) !== subject) {
        throw new SignInError(
          401,
          'invalid_grant',
          'sub',
          'the kept GitHub token belongs to another account than the identity',
        );
      }
      const [orgs, teams] = await Promise.all([
        api
          .list('/user/orgs')
          .then((body) => parseGitHubAnswer(githubAnswers.orgs, body, '/user/orgs')),
        api
          .list('/user/teams')
          .then((body) => parseGitHubAnswer(githubAnswers.teams, body, '/user/teams')),
      ]);
      return {
        groups: githubGroups(
          orgs.map((org) => org.login.toLowerCase()),
          teams,
        ),
      };
    };
  },
};
