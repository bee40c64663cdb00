import type { Client } from '../clients/client.js';
import { hashOpaqueToken, newOpaqueToken } from '../../tokens/opaque-token.js';
import type { DeviceAuthorizationStore } from './device-authorization-store.js';
import { formatUserCode, generateUserCode } from './user-code.js';

/** RFC 8628 section 3.2: the device authorization response. */
export interface DeviceAuthorizationResponse {
  readonly device_code: string;
  readonly user_code: string;
  readonly verification_uri: string;
  readonly verification_uri_complete: string;
  readonly expires_in: number;
  readonly interval: number;
}

/**
 * Creates a pending device authorization for `client`: a fresh device code (kept only as a
 * hash) and a user code no pending request holds (drawn again on a collision).
 */
export async function startDeviceAuthorization(options: {
  devices: Pick<DeviceAuthorizationStore, 'create'>;
  client: Client;
  scope: string;
  verificationUri: string;
  ttlSeconds: number;
  intervalSeconds: number;
  now: number;
}): Promise<DeviceAuthorizationResponse> {
  const deviceCode = newOpaqueToken();
  for (let attempt = 0; attempt < 5; attempt++) {
    const userCode = generateUserCode();
    const created = await options.devices.create({
      deviceCodeHash: hashOpaqueToken(deviceCode),
      userCode,
      clientId: options.client.clientId,
      scope: options.scope,
      interval: options.intervalSeconds,
      createdAt: options.now,
      expiresAt: options.now + options.ttlSeconds * 1000,
    });
    if (!created) continue;
    const complete = new URL(options.verificationUri);
    complete.searchParams.set('user_code', formatUserCode(userCode));
    return {
      device_code: deviceCode,
      user_code: formatUserCode(userCode),
      verification_uri: options.verificationUri,
      verification_uri_complete: complete.href,
      expires_in: options.ttlSeconds,
      interval: options.intervalSeconds,
    };
  }
  throw new Error('could not draw a free user code in 5 attempts');
}
