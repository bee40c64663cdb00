import type { Grant, KoaContextWithOIDC } from 'oidc-provider';

/** The scopes the single registered client receives without a consent page. */
export const GRANTED_SCOPES = 'openid email profile';

/**
 * oidc-provider's `loadExistingGrant`, granting consent on the developer's behalf: the only
 * client is Gatehouse itself, and Google does not ask its users again for a first-party
 * sign-in either. Reuses the grant already made for this session and client when there is one.
 */
export async function loadOrGrantConsent(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const client = oidc.client;
  const accountId = oidc.session?.accountId;
  if (!client || !accountId) return undefined;
  const existingId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
  if (existingId) {
    const existing = await oidc.provider.Grant.find(existingId);
    if (existing) return existing;
  }
  const grant = new oidc.provider.Grant({ clientId: client.clientId, accountId });
  grant.addOIDCScope(GRANTED_SCOPES);
  await grant.save();
  return grant;
}
