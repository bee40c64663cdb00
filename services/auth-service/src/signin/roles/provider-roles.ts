import type { Logger } from '@gatehouse/shared';
import type { UserDirectory } from '../../users/user-directory.js';
import type { Fetch, ProviderSettings } from '../kinds/provider-kind.js';
import type { VerifiedIdentity } from '../kinds/verified-identity.js';
import { createRoleRereader, type RereadSource } from './reread-roles.js';
import { mapRoles } from './role-map.js';
import { readServiceAccountKey } from './service-account-key.js';
import { workspaceGroups, type WorkspaceGroups } from './workspace-groups.js';
import { workspaceSource } from './workspace-source.js';

/** Provider facts as roles, at sign-in and again at refresh. */
export interface ProviderRoles {
  /**
   * The roles a verified identity's groups map to now (`<ID>_ROLE_MAP`), from the kind's own
   * groups and, for a google provider with Workspace groups, the Directory API's. A Workspace
   * read that fails maps nothing from Workspace (fails closed; logged).
   */
  atSignIn(identity: VerifiedIdentity, log: Pick<Logger, 'warn'>): Promise<string[]>;
  /**
   * Re-reads what can be read without the person (Workspace groups) for the user's identities
   * and stores changed mapped roles (reread-roles.ts); undefined when no provider has such a
   * source, so refreshes then cost nothing extra.
   */
  reread: ((userId: string) => Promise<void>) | undefined;
}

/**
 * Builds each provider's role sources from its settings. Workspace groups are looked up by the
 * identity's verified email, and only for an id_token that carries `hd`: a consumer Google
 * account registered with a Workspace address has a verified email but no `hd`, and must not
 * get the Workspace user's groups. Service account keys are read once, on first use.
 */
export function createProviderRoles(options: {
  providers: readonly ProviderSettings[];
  directory: Pick<UserDirectory, 'identities' | 'setMappedRoles'>;
  fetch: Fetch;
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn'>;
}): ProviderRoles {
  const settingsOf = new Map(options.providers.map((settings) => [settings.id, settings]));
  const groupsOf = new Map<string, WorkspaceGroups>();
  for (const settings of options.providers) {
    const workspace = settings.workspaceGroups;
    if (workspace === undefined) continue;
    let reader: Promise<WorkspaceGroups> | undefined;
    groupsOf.set(settings.id, async (userKey) => {
      reader ??= readServiceAccountKey(workspace.serviceAccountFile).then((key) =>
        workspaceGroups({
          key,
          adminEmail: workspace.adminEmail,
          directoryUrl: workspace.directoryUrl,
          fetch: options.fetch,
          now: options.now,
        }),
      );
      return (await reader)(userKey);
    });
  }
  const sources = new Map<string, RereadSource>(
    [...groupsOf].map(([id, groups]) => [id, workspaceSource(settingsOf.get(id)!.roleMap, groups)]),
  );
  const rereader =
    sources.size === 0
      ? undefined
      : createRoleRereader({
          directory: options.directory,
          sources,
          now: options.now,
          log: options.logger,
        });
  return {
    async atSignIn(identity, log) {
      const settings = settingsOf.get(identity.provider);
      if (settings === undefined || settings.roleMap.size === 0) return [];
      const groups = [...identity.groups];
      const workspace = groupsOf.get(identity.provider);
      if (workspace && identity.domain !== undefined && identity.emailVerified && identity.email) {
        try {
          groups.push(...(await workspace(identity.email)));
        } catch (err) {
          log.warn(
            { err, provider: identity.provider, code: (err as { code?: unknown }).code },
            'Workspace groups could not be read at sign-in: no role is mapped from them',
          );
        }
      }
      return mapRoles(groups, settings.roleMap);
    },
    reread:
      rereader &&
      (async (userId) => {
        await rereader(await options.directory.identities(userId));
      }),
  };
}
