import type { Logger } from '@gatehouse/shared';
import type { UserDirectory } from '../../users/user-directory.js';
import type { Fetch, ReadGroups, TokenResponse } from '../kinds/provider-kind.js';
import type { VerifiedIdentity } from '../kinds/verified-identity.js';
import type { RegisteredProvider } from '../provider-registry.js';
import type { CredentialSeal } from './credential-seal.js';
import { credentialContext, credentialSource } from './credential-source.js';
import { createRoleRereader, type RereadSource } from './reread-roles.js';
import { mapRoles } from './role-map.js';
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
   * At a sign-in or link: keeps, sealed, the credential from the token response that lets
   * the identity's groups be read again at refresh (the kind's GroupReread: an OpenID refresh
   * token, GitHub's access token), replacing any older one; clears it when the response holds
   * none (logged: the roles are then dropped at the next refresh). Nothing for a provider
   * that does not re-read.
   */
  keepCredential(
    identity: VerifiedIdentity,
    response: TokenResponse,
    log: Pick<Logger, 'warn'>,
  ): Promise<void>;
  /**
   * Re-reads the user's identities' groups where it can (Workspace groups with the service
   * account; claims and GitHub orgs and teams with the kept credential) and stores changed
   * mapped roles (reread-roles.ts); undefined when no provider can, so refreshes then cost
   * nothing extra.
   */
  reread: ((userId: string) => Promise<void>) | undefined;
}

/**
 * Builds each provider's role sources from its settings. Workspace groups are looked up by the
 * identity's verified email, and only for an id_token that carries `hd`: a consumer Google
 * account registered with a Workspace address has a verified email but no `hd`, and must not
 * get the Workspace user's groups. Service account keys are read once, on first use.
 * A provider with a role map whose kind can re-read with a kept credential
 * (KindModule.reread) gets a credentialSource, built once its endpoints are discovered.
 */
export function createProviderRoles(options: {
  providers: readonly Pick<RegisteredProvider, 'settings' | 'kind' | 'loader'>[];
  directory: Pick<
    UserDirectory,
    'identities' | 'setMappedRoles' | 'providerCredential' | 'setProviderCredential'
  >;
  /** Seals kept credentials (credential-seal.ts); without one, none is kept or re-read. */
  seal: CredentialSeal | undefined;
  fetch: Fetch;
  now: () => number;
  /** How long one request to a provider may take. */
  timeoutMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}): ProviderRoles {
  const { seal } = options;
  const settingsOf = new Map(options.providers.map(({ settings }) => [settings.id, settings]));
  const groupsOf = new Map<string, WorkspaceGroups>();
  for (const { settings } of options.providers) {
    const workspace = settings.workspaceGroups;
    if (workspace === undefined) continue;
    groupsOf.set(
      settings.id,
      workspaceGroups({
        key: workspace.serviceAccountKey,
        adminEmail: workspace.adminEmail,
        directoryUrl: workspace.directoryUrl,
        fetch: options.fetch,
        now: options.now,
      }),
    );
  }
  const sources = new Map<string, RereadSource>(
    [...groupsOf].map(([id, groups]) => [id, workspaceSource(settingsOf.get(id)!.roleMap, groups)]),
  );
  const keeping = new Map<string, NonNullable<RegisteredProvider['kind']['reread']>>();
  for (const { settings, kind, loader } of options.providers) {
    const reread = kind.reread;
    if (!seal || !reread || sources.has(settings.id) || !reread.applies(settings)) continue;
    keeping.set(settings.id, reread);
    let built: ReadGroups | undefined;
    const deps = { fetch: options.fetch, now: options.now, timeoutMs: options.timeoutMs };
    sources.set(
      settings.id,
      credentialSource({
        roleMap: settings.roleMap,
        reader: () => {
          const endpoints = loader.current();
          if (endpoints !== undefined) built ??= reread.reader(settings, endpoints, deps);
          return built;
        },
        seal,
        directory: options.directory,
      }),
    );
  }
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
    async keepCredential(identity, response, log) {
      const reread = keeping.get(identity.provider);
      if (reread === undefined || seal === undefined) return;
      const { provider, subject } = identity;
      const credential = reread.keep(response);
      if (credential === null) {
        log.warn(
          { provider, sub: subject },
          'the provider gave no credential to read groups again with: the mapped roles of ' +
            'this identity are dropped at its next refresh (for OpenID providers, allow the ' +
            'client refresh tokens and offline_access)',
        );
      }
      const sealed =
        credential === null
          ? null
          : seal.seal(JSON.stringify(credential), credentialContext(provider, subject));
      await options.directory.setProviderCredential(provider, subject, sealed);
    },
    reread:
      rereader &&
      (async (userId) => {
        await rereader(await options.directory.identities(userId));
      }),
  };
}
