import type { ServiceAccountKey } from '../provider/service-account-key.js';
import { WorkspaceGroupsError } from './workspace-groups-error.js';
import { workspaceToken } from './workspace-token.js';

/** The Admin SDK Directory API's origin (`GOOGLE_GROUPS_DIRECTORY_URL` overrides it in tests). */
export const DIRECTORY_URL = 'https://admin.googleapis.com';
/** The Directory API's largest page of groups. */
const PAGE_SIZE = 200;

/** A person's Workspace group emails (lower-cased), by their email or immutable user id. */
export type WorkspaceGroups = (userKey: string) => Promise<string[]>;

/**
 * The Google Workspace groups a user belongs to, as oauth2-proxy's `--google-group` reads
 * them: the Admin SDK Directory API `groups.list?userKey=EMAIL` (or the user's id), every page
 * up to `maxPages`, with a token from workspace-token.ts (domain-wide delegation impersonating
 * `adminEmail`). The groups are those the API lists for the user; nothing here expands nested
 * groups. Failures are WorkspaceGroupsError by `code`:
 * - 404, 403, 400 from the Directory API: `refused` (unknown user, a domain the admin does not
 *   manage, a malformed email);
 * - 401 from it: the token is forgotten and the page asked again once with a new one; a second
 *   401 is `credentials_refused`;
 * - more pages than `maxPages`: `too_many_groups`;
 * - no answer, 429, 5xx, or an answer that is not a groups page: `unavailable`.
 *
 * @example
 * const groupsOf = workspaceGroups({ key: await readServiceAccountKey(file), adminEmail });
 * await groupsOf('ada@example.com'); // ['eng-admins@example.com']
 */
export function workspaceGroups(options: {
  key: ServiceAccountKey;
  adminEmail: string;
  directoryUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  maxPages?: number;
}): WorkspaceGroups {
  const base = (options.directoryUrl ?? DIRECTORY_URL).replace(/\/+$/, '');
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) {
    throw new TypeError(`"directoryUrl" must be an http(s) origin, e.g. ${DIRECTORY_URL}`);
  }
  if (!options.adminEmail.includes('@')) {
    throw new TypeError('"adminEmail" must be the email of a Workspace admin to impersonate');
  }
  const maxPages = options.maxPages ?? 10;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new TypeError('"maxPages" must be a positive integer, e.g. 10');
  }
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const token = workspaceToken({
    key: options.key,
    adminEmail: options.adminEmail,
    fetch: fetchFn,
    now: options.now ?? Date.now,
    timeoutMs,
  });

  const page = async (url: URL, retried = false): Promise<GroupsPage> => {
    const accessToken = await token.get();
    let response: Response;
    let body: unknown;
    try {
      response = await fetchFn(url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      body = await response.json().catch(() => undefined);
    } catch (err) {
      throw new WorkspaceGroupsError('unavailable', `the Directory API did not answer`, {
        cause: err,
      });
    }
    const { status } = response;
    if (status === 401) {
      token.forget(accessToken);
      if (!retried) return page(url, true);
      throw new WorkspaceGroupsError(
        'credentials_refused',
        'the Directory API refused a fresh access token (401)',
        { status },
      );
    }
    if (status === 400 || status === 403 || status === 404) {
      throw new WorkspaceGroupsError(
        'refused',
        `the Directory API refused to list the user's groups (${status})`,
        { status },
      );
    }
    if (!response.ok || !isGroupsPage(body)) {
      throw new WorkspaceGroupsError(
        'unavailable',
        `the Directory API answered ${status}${response.ok ? ' with something other than a groups page' : ''}`,
        { status },
      );
    }
    return body;
  };

  return async (userKey) => {
    const groups = new Set<string>();
    let pageToken: string | undefined;
    for (let pages = 0; pages < maxPages; pages++) {
      const url = new URL(`${base}/admin/directory/v1/groups`);
      url.searchParams.set('userKey', userKey);
      url.searchParams.set('maxResults', String(PAGE_SIZE));
      if (pageToken !== undefined) url.searchParams.set('pageToken', pageToken);
      const answer = await page(url);
      for (const group of answer.groups ?? []) {
        if (typeof group.email === 'string') groups.add(group.email.toLowerCase());
      }
      pageToken = answer.nextPageToken;
      if (pageToken === undefined || pageToken === '') return [...groups];
    }
    throw new WorkspaceGroupsError(
      'too_many_groups',
      `the user's groups span more than ${maxPages} pages of ${PAGE_SIZE}`,
    );
  };
}

interface GroupsPage {
  groups?: { email?: unknown }[];
  nextPageToken?: string;
}

/** `{groups?: [{email}...], nextPageToken?}`; `groups` is absent for a user in none. */
function isGroupsPage(body: unknown): body is GroupsPage {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { groups, nextPageToken } = body as Record<string, unknown>;
  return (
    (groups === undefined ||
      (Array.isArray(groups) && groups.every((g) => g !== null && typeof g === 'object'))) &&
    (nextPageToken === undefined || typeof nextPageToken === 'string')
  );
}
