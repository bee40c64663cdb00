import { z } from 'zod';
import { SignInError } from '../sign-in-error.js';

/** The fields of GitHub's REST answers the sign-in reads; others are ignored. */
export const githubAnswers = {
  /** GET /user */
  user: z.object({
    id: z.number().int().positive(),
    login: z.string().min(1),
    name: z.string().nullish(),
    avatar_url: z.string().nullish(),
  }),
  /** GET /user/emails */
  emails: z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() })),
  /** GET /user/orgs */
  orgs: z.array(z.object({ login: z.string().min(1) })),
  /** GET /user/teams */
  teams: z.array(
    z.object({ slug: z.string().min(1), organization: z.object({ login: z.string().min(1) }) }),
  ),
};

export type GitHubEmails = z.infer<typeof githubAnswers.emails>;
export type GitHubTeams = z.infer<typeof githubAnswers.teams>;

/** `body` as `schema` says, else GitHub answered garbage: 502 `provider_unavailable`. */
export function parseGitHubAnswer<T>(schema: z.ZodType<T>, body: unknown, path: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
  throw new SignInError(
    502,
    'provider_unavailable',
    'github_api',
    `GitHub's answer to GET ${path} is not usable (${fields.join(', ') || 'not an object'})`,
  );
}

/**
 * The address GitHub vouches for: the primary one, and only when verified. A verified
 * secondary address does not count (the person chose the primary as theirs), nor does the
 * profile's public `email`, which anyone can set to anything.
 */
export function primaryVerifiedEmail(emails: GitHubEmails): string | null {
  const primary = emails.find((entry) => entry.primary && entry.verified);
  return primary && primary.email.includes('@') ? primary.email.toLowerCase() : null;
}

/** The role map's groups: each org login and each `org/team-slug`, lower-cased, once. */
export function githubGroups(orgLogins: readonly string[], teams: GitHubTeams): string[] {
  const teamGroups = teams.map((team) => `${team.organization.login}/${team.slug}`);
  return [...new Set([...orgLogins, ...teamGroups].map((group) => group.toLowerCase()))];
}
