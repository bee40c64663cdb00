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
  services: PlannedService[];
}

export declare const DEV_IDP: Readonly<{
  port: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomain: string;
}>;

export declare function isDevMode(env: Record<string, string | undefined>): boolean;

export declare function planServices(env: Record<string, string | undefined>): Plan;
