import type {
  DeviceAuthorization,
  DeviceStatus,
} from '../../oauth/device/device-authorization-store.js';
import { nullableNumber, nullableText, type Row } from './row.js';

/** A `device_authorizations` row (both adapters). */
export function deviceAuthorizationFromRow(row: Row): DeviceAuthorization {
  return {
    deviceCodeHash: String(row.device_code_hash),
    userCode: String(row.user_code),
    clientId: String(row.client_id),
    scope: String(row.scope),
    status: String(row.status) as DeviceStatus,
    userId: nullableText(row.user_id),
    interval: Number(row.interval_seconds),
    lastPolledAt: nullableNumber(row.last_polled_at),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}
