import type { ProviderSettings } from '../../src/signin/kinds/provider-kind.js';

/**
 * A provider's settings as config/build-providers.ts would give them, with nothing optional
 * set: id, kind, client, issuer and whatever a test cares about come from `given`.
 *
 * @example
 * providerSettings({ id: 'entra', kind: 'microsoft', issuer, clientId, clientSecret });
 */
export function providerSettings(
  given: Pick<ProviderSettings, 'id' | 'kind' | 'name' | 'clientId' | 'clientSecret' | 'issuer'> &
    Partial<ProviderSettings>,
): ProviderSettings {
  return {
    backchannelUrl: undefined,
    apiUrl: undefined,
    redirectUri: `https://app.example/auth/connect/${given.id}/callback`,
    allowedEmails: [],
    allowedDomains: [],
    tenants: [],
    orgs: [],
    rolesClaim: undefined,
    roleMap: new Map(),
    workspaceGroups: undefined,
    ...given,
  };
}
