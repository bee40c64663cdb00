/** The device flow's settings: the `device` part of the auth-service Config (config/device-env.ts). */
export interface DeviceConfig {
  /** Seconds. */
  readonly codeTtl: number;
  /** Seconds. */
  readonly pollInterval: number;
}
