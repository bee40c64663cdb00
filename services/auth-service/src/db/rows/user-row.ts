import { normalizeEmail, type DirectoryEntry, type Identity } from '../../users/user-directory.js';
import { flag, nullableNumber, nullableText, type Row } from './row.js';

/**
 * A `users` row as a directory entry (both adapters). `roles` is the column of directory roles;
 * `mapped_roles` is the JSON array of every linked identity's mapped roles, repeats allowed
 * (each adapter's user query aggregates it), so the effective roles are their union.
 */
export function userFromRow(row: Row): DirectoryEntry {
  const directoryRoles = JSON.parse(String(row.roles)) as string[];
  const mappedRoles =
    row.mapped_roles === null || row.mapped_roles === undefined
      ? []
      : (JSON.parse(String(row.mapped_roles)) as string[]);
  return {
    id: String(row.id),
    issuer: String(row.issuer),
    subject: nullableText(row.subject),
    email: String(row.email),
    name: nullableText(row.name),
    picture: nullableText(row.picture),
    roles: unionOfRoles(directoryRoles, mappedRoles),
    directoryRoles,
    disabled: flag(row.disabled),
    registered: flag(row.registered),
    createdAt: Number(row.created_at),
    lastSignInAt: nullableNumber(row.last_sign_in_at),
  };
}

/** Roles as stored: without repeats, sorted. */
export function unionOfRoles(roles: readonly string[], more: readonly string[]): string[] {
  return [...new Set([...roles, ...more])].sort();
}

/** The email a new entry is created with: a verified one, since the directory keys people by it. */
export function requiredEmail(identity: Identity): string {
  if (identity.email === null) {
    throw new Error(
      `cannot create a user for ${identity.provider} ${identity.subject} without a verified email`,
    );
  }
  return normalizeEmail(identity.email);
}
