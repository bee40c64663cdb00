import type { LinkedIdentity } from '../../users/user-directory.js';
import { nullableNumber, nullableText, type Row } from './row.js';

/** An `identities` row as a linked identity (both adapters). */
export function identityFromRow(row: Row): LinkedIdentity {
  return {
    provider: String(row.provider),
    issuer: String(row.issuer),
    subject: String(row.subject),
    email: nullableText(row.email),
    mappedRoles: JSON.parse(String(row.mapped_roles)) as string[],
    linkedAt: Number(row.linked_at),
    lastSignInAt: nullableNumber(row.last_sign_in_at),
  };
}
