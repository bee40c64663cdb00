import { envVar, integer, type EnvValues } from '@gatehouse/shared';
import type { DeviceConfig } from '../oauth/device/device-config.js';

/** The auth-service variables of the device flow (RFC 8628). */
export const deviceEnvSpec = {
  DEVICE_CODE_TTL: envVar(
    'seconds a device login (device and user code) waits for approval (60 to 1800)',
    integer(60).max(1800).default(600),
  ),
  DEVICE_POLL_INTERVAL: envVar(
    'seconds a device must wait between token polls (1 to 60); faster polls get slow_down',
    integer(1).max(60).default(5),
  ),
};

/** Builds the `device` part of the auth-service Config; `config.ts` spreads it in. */
export function buildDeviceConfig(values: EnvValues<typeof deviceEnvSpec>): {
  device: DeviceConfig;
} {
  return {
    device: { codeTtl: values.DEVICE_CODE_TTL, pollInterval: values.DEVICE_POLL_INTERVAL },
  };
}
