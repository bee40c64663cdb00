import type { DirectoryEntry } from '../../users/user-directory.js';
import { flag, nullableNumber, nullableText, type Row } from './row.js';

/** A `users` row as a directory entry (both adapters). */
export function userFromRow(row: Row): DirectoryEntry {
  return {
    id: String(row.id),
    issuer: String(row.issuer),
    subject: nullableText(row.subject),
    email: String(row.email),
    name: nullableText(row.name),
    picture: nullableText(row.picture),
    roles: JSON.parse(String(row.roles)) as string[],
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
