/** Types for plan.mjs (imported by test/start-plan.test.ts). */
export interface PlannedService {
  label: 'dev-idp' | 'auth' | 'api' | 'gateway';
  dir: string;
  color: string;
  env: Record<string, string | undefined>;
}

export interface Plan {
  devMode: boolean;
  publicUrl: string;
  gatewayUrl: string;
  /** The dev-idp's issuer (http://localhost:DEV_IDP_PORT); undefined when Google is used. */
  devIdpIssuer: string | undefined;
  /** `metrics` is the gateway's METRICS_PORT (0: off). */
  ports: { gateway: number; auth: number; api: number; devIdp: number; metrics: number };
  services: PlannedService[];
}

export declare const DEV_IDP: Readonly<{
  port: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomain: string;
}>;

export declare const PORT_VARIABLES: Readonly<{
  GATEWAY_PORT: number;
  AUTH_PORT: number;
  API_PORT: number;
  DEV_IDP_PORT: number;
}>;

export declare class PlanError extends Error {
  readonly problems: readonly string[];
}

export declare const PORT_NAMES: Readonly<Record<keyof Plan['ports'], string>>;

export declare function isDevMode(env: Record<string, string | undefined>): boolean;

export declare function planServices(env: Record<string, string | undefined>): Plan;
