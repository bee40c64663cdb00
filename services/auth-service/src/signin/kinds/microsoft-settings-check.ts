import type { ProviderSettings } from './provider-kind.js';
import { microsoftTenancy, TENANT_ID } from './microsoft-tenancy.js';

/**
 * Lists every problem of one `microsoft` provider's settings: an issuer that is not an Entra
 * one (a tenant's, or the multi-tenant `organizations`/`common`), not https in production, a
 * multi-tenant issuer without `<ID>_TENANTS` (it would admit every Entra tenant in the
 * world, including one an attacker creates), tenant ids that are not GUIDs, and a tenant
 * issuer whose own tenant `<ID>_TENANTS` leaves out (no one could sign in).
 *
 * @example
 * checkMicrosoftSettings(settings, problem, { production: env.NODE_ENV === 'production' });
 */
export function checkMicrosoftSettings(
  settings: ProviderSettings,
  problem: (message: string) => void,
  options: { production: boolean } = { production: false },
): void {
  const prefix = settings.id.toUpperCase();
  const issuerVariable = `${prefix}_ISSUER`;
  const tenantsVariable = `${prefix}_TENANTS`;
  const tenancy = microsoftTenancy(settings.issuer);
  if (!tenancy) {
    problem(
      `${issuerVariable} must be a Microsoft Entra issuer, https://login.microsoftonline.com/<tenant id>/v2.0 or https://login.microsoftonline.com/organizations/v2.0 (got ${settings.issuer})`,
    );
  }
  if (options.production && !settings.issuer.startsWith('https://')) {
    problem(`${issuerVariable} must be https:// when NODE_ENV=production`);
  }
  const notIds = settings.tenants.filter((tenant) => !TENANT_ID.test(tenant));
  if (notIds.length > 0) {
    problem(
      `${tenantsVariable} must list tenant ids (lower-case GUIDs, the tokens' tid), not ${notIds.join(', ')}`,
    );
  }
  if (tenancy?.multiTenant && settings.tenants.length === 0) {
    problem(
      `${tenantsVariable} is required with the multi-tenant issuer ${settings.issuer}: list the tenant ids admitted, e.g. ${tenantsVariable}=<tenant id>,<tenant id>`,
    );
  }
  if (
    tenancy &&
    !tenancy.multiTenant &&
    settings.tenants.length > 0 &&
    !settings.tenants.includes(tenancy.tenant)
  ) {
    problem(
      `${tenantsVariable} leaves out ${tenancy.tenant}, the tenant of ${issuerVariable}, so no one could sign in; add it or leave ${tenantsVariable} empty`,
    );
  }
}
