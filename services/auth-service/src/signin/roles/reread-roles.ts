import type { Logger } from '@gatehouse/shared';
import type { LinkedIdentity, UserDirectory } from '../../users/user-directory.js';
import { BoundedCache } from './bounded-cache.js';
import { mapRoles, type RoleMap } from './role-map.js';

/**
 * A provider whose group facts the auth-service can read again without the person: the google
 * kind with Workspace groups configured (workspaceSource, by the identity's email), and kinds
 * that re-read with the credential kept at sign-in (credentialSource: OpenID claims through a
 * refresh token, GitHub orgs and teams through its access token).
 */
export interface RereadSource {
  roleMap: RoleMap;
  /**
   * The identity's groups now. Throws to fail: an error whose `code` is `unavailable` is an
   * outage (see createRoleRereader); any other error is a refusal and fails closed.
   */
  readGroups(identity: LinkedIdentity): Promise<string[]>;
}

/**
 * What became of one identity's mapped roles:
 * - `not_rereadable`: no source for its provider; left as last mapped (see below);
 * - `unchanged`, `changed`: read and mapped;
 * - `refused`: the source refused (unknown user, 403, bad credentials): now [];
 * - `kept_in_outage`: the source is unreachable and the last good read is recent: kept;
 * - `dropped_in_outage`: unreachable and the last good read is too old: now [].
 */
export type RereadOutcome =
  'not_rereadable' | 'unchanged' | 'changed' | 'refused' | 'kept_in_outage' | 'dropped_in_outage';

export interface RereadResult {
  provider: string;
  subject: string;
  outcome: RereadOutcome;
  /** The identity's mapped roles after the re-read. */
  mappedRoles: string[];
  /** The failure's `code` for `refused` and the outage outcomes. */
  code?: string;
}

export type RereadRoles = (identities: readonly LinkedIdentity[]) => Promise<RereadResult[]>;

/** Groups are read again when the cached read is older than this. */
export const FRESH_MS = 5 * 60_000;
/** In an outage, mapped roles outlive their last good read by at most this. */
export const MAX_STALE_MS = 15 * 60_000;

/**
 * The refresh-time re-read of provider groups. Call it from the refresh_token grant with the
 * user's linked identities before reading the user (whose effective roles are directory roles
 * plus every identity's mapped roles); it calls `setMappedRoles` only when the roles changed.
 *
 * - Groups are cached per identity (and email) for `freshMs`: a role lost at the provider is
 *   gone at the first refresh after that, so it lasts at most `freshMs` plus an access
 *   token's lifetime.
 * - A refusal (any error whose `code` is not `unavailable`) fails closed: mapped roles become [].
 *   Until the cached read is stale, no read is made, so nothing is refused either.
 * - An outage (`code` `unavailable`) keeps the stored mapped roles while the last good read is
 *   younger than `maxStaleMs` (15 minutes), then drops them: an outage never extends access
 *   beyond that. The last good read is the later of this process's last successful read and
 *   the identity's `lastSignInAt`. So the sign-in must map from a fresh read, and when that
 *   read fails either refuse the sign-in or set the mapped roles to [] (never keep old ones).
 *   Reads live in memory: after a restart, or on another replica, only `lastSignInAt` counts.
 * - Identities of a provider without a source are left as last mapped at sign-in
 *   (`not_rereadable`): the google kind's claims without Workspace groups, any provider
 *   without a role map. A credential source without a usable credential refuses
 *   (`no_credential`), so claims and GitHub groups never outlive a lost credential.
 */
export function createRoleRereader(options: {
  directory: Pick<UserDirectory, 'setMappedRoles'>;
  /** By provider id; providers without a re-readable source are absent. */
  sources: ReadonlyMap<string, RereadSource>;
  now: () => number;
  log: Pick<Logger, 'info' | 'warn'>;
  freshMs?: number;
  maxStaleMs?: number;
  maxEntries?: number;
}): RereadRoles {
  const { directory, sources, now, log } = options;
  const freshMs = options.freshMs ?? FRESH_MS;
  const maxStaleMs = options.maxStaleMs ?? MAX_STALE_MS;
  if (!(freshMs > 0 && freshMs <= maxStaleMs)) {
    throw new TypeError('"freshMs" must be positive and at most "maxStaleMs"');
  }
  // Entries outlive freshness: an expired read still dates the last good one in an outage.
  const reads = new BoundedCache<string, { groups: string[]; at: number }>({
    maxEntries: options.maxEntries ?? 10_000,
    ttlMs: maxStaleMs,
    now,
  });
  const inFlight = new Map<string, Promise<string[]>>();

  const readOnce = (key: string, source: RereadSource, identity: LinkedIdentity) => {
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = source.readGroups(identity).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  const set = async (identity: LinkedIdentity, roles: string[]) => {
    if (!sameRoles(identity.mappedRoles, roles)) {
      await directory.setMappedRoles(identity.provider, identity.subject, roles);
    }
  };

  const reread = async (identity: LinkedIdentity): Promise<RereadResult> => {
    const { provider, subject } = identity;
    const source = sources.get(provider);
    const result = (outcome: RereadOutcome, mappedRoles: string[], code?: string) => ({
      provider,
      subject,
      outcome,
      mappedRoles,
      ...(code !== undefined && { code }),
    });
    if (source === undefined) return result('not_rereadable', identity.mappedRoles);
    const key = `${provider}\n${subject}\n${identity.email ?? ''}`;
    const cached = reads.get(key);
    let groups: string[];
    if (cached !== undefined && now() - cached.at < freshMs) {
      groups = cached.groups;
    } else {
      try {
        groups = await readOnce(key, source, identity);
        reads.set(key, { groups, at: now() });
      } catch (err) {
        const code = errorCode(err);
        const fields = { provider, sub: subject, code, err: { message: messageOf(err) } };
        if (code !== 'unavailable') {
          reads.delete(key);
          log.info(fields, 'the provider refused to list groups: mapped roles dropped');
          await set(identity, []);
          return result('refused', [], code);
        }
        const lastGood = Math.max(cached?.at ?? -Infinity, identity.lastSignInAt ?? -Infinity);
        if (now() - lastGood < maxStaleMs) {
          log.warn(fields, 'groups unavailable: mapped roles kept from the last good read');
          return result('kept_in_outage', identity.mappedRoles, code);
        }
        log.warn(fields, 'groups unavailable for too long: mapped roles dropped');
        await set(identity, []);
        return result('dropped_in_outage', [], code);
      }
    }
    const roles = mapRoles(groups, source.roleMap);
    const changed = !sameRoles(identity.mappedRoles, roles);
    await set(identity, roles);
    return result(changed ? 'changed' : 'unchanged', roles);
  };

  return (identities) => Promise.all(identities.map(reread));
}

/** The `code` a source's error carries (WorkspaceGroupsError's), `error` when none. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...new Set(a)].sort();
  return sorted.length === b.length && sorted.every((role, i) => role === b[i]);
}
