/** Entra's path segments that stand for any organisation's tenant (`common` also personal). */
const MULTI_TENANT_SEGMENTS: readonly string[] = ['organizations', 'common'];

/** The placeholder the multi-tenant discovery document publishes in its `issuer`. */
const TENANT_PLACEHOLDER = '{tenantid}';

/** A tenant id as Entra writes it in `tid` and in issuers: a lower-case GUID. */
export const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What a configured Entra issuer admits: one tenant (`<origin>/<tenant id>/v2.0`), or any
 * tenant (`<origin>/organizations/v2.0`, `<origin>/common/v2.0`) whose discovery document
 * publishes `template` (`<origin>/{tenantid}/v2.0`) instead of a real issuer.
 */
export type MicrosoftTenancy =
  | { multiTenant: false; tenant: string; template: string }
  | { multiTenant: true; template: string };

/** The tenancy of an Entra issuer, or undefined when the issuer is not one. */
export function microsoftTenancy(issuer: string): MicrosoftTenancy | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return undefined;
  }
  const segment = /^\/([^/]+)\/v2\.0$/.exec(url.pathname)?.[1];
  if (!segment || url.search || url.hash || `${url.origin}${url.pathname}` !== issuer) {
    return undefined;
  }
  const template = `${url.origin}/${TENANT_PLACEHOLDER}/v2.0`;
  if (MULTI_TENANT_SEGMENTS.includes(segment)) return { multiTenant: true, template };
  if (TENANT_ID.test(segment)) return { multiTenant: false, tenant: segment, template };
  return undefined;
}

/** The issuer of one tenant's tokens, from the template a multi-tenant document publishes. */
export function tenantIssuer(template: string, tenant: string): string {
  return template.replace(TENANT_PLACEHOLDER, tenant);
}
