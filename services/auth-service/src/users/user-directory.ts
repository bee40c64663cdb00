import { randomUUID } from 'node:crypto';
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { User } from './user.js';

/** What the provider says about a person at sign-in, after the id_token was verified. */
export interface Identity {
  issuer: string;
  subject: string;
  email: string;
  name: string | null;
  picture: string | null;
}

/** A directory entry plus whether an administrator registered it (admitted without allowlist). */
export interface DirectoryEntry extends User {
  registered: boolean;
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;

/**
 * The user directory over the embedded database. Emails are compared lower-cased. Methods
 * keyed by email serve the users CLI; sign-in works by (issuer, subject).
 *
 * @example
 * const directory = createUserDirectory(openDatabase(dataDir));
 * directory.preRegister('ada@example.com', ['admin'], Date.now());
 */
export function createUserDirectory(db: DatabaseSync) {
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const bySubject = db.prepare('SELECT * FROM users WHERE issuer = ? AND subject = ?');
  const all = db.prepare('SELECT * FROM users ORDER BY email');
  const insert = db.prepare(
    `INSERT INTO users (id, issuer, subject, email, name, picture, roles, registered, created_at,
       last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateSignIn = db.prepare(
    `UPDATE users SET issuer = ?, subject = ?, email = ?, name = ?, picture = ?,
       last_sign_in_at = ? WHERE id = ?`,
  );
  const updateRoles = db.prepare('UPDATE users SET roles = ? WHERE id = ?');
  const updateDisabled = db.prepare('UPDATE users SET disabled = ? WHERE id = ?');
  const updateRegistered = db.prepare('UPDATE users SET registered = 1 WHERE id = ?');
  const deleteById = db.prepare('DELETE FROM users WHERE id = ?');

  const one = (row: Record<string, SQLOutputValue> | undefined) => (row ? toEntry(row) : undefined);
  const findByEmail = (email: string) => one(byEmail.get(normalizeEmail(email)));

  return {
    findById: (id: string): DirectoryEntry | undefined => one(byId.get(id)),
    findByEmail: (email: string): DirectoryEntry | undefined => findByEmail(email),
    findBySubject: (issuer: string, subject: string): DirectoryEntry | undefined =>
      one(bySubject.get(issuer, subject)),
    list: (): DirectoryEntry[] => all.all().map(toEntry),

    /** Adds an entry an administrator vouches for, claimed later by a verified sign-in. */
    preRegister(email: string, roles: readonly string[], now: number): DirectoryEntry {
      const existing = findByEmail(email);
      if (existing) {
        updateRegistered.run(existing.id);
        updateRoles.run(JSON.stringify(union(existing.roles, roles)), existing.id);
      } else {
        insert.run(
          randomUUID(),
          '',
          null,
          normalizeEmail(email),
          null,
          null,
          JSON.stringify(union([], roles)),
          1,
          now,
          null,
        );
      }
      return findByEmail(email)!;
    },

    /** Creates the entry for someone admitted by an allowlist at their first sign-in. */
    create(identity: Identity, now: number): DirectoryEntry {
      const id = randomUUID();
      insert.run(
        id,
        identity.issuer,
        identity.subject,
        normalizeEmail(identity.email),
        identity.name,
        identity.picture,
        '[]',
        0,
        now,
        now,
      );
      return one(byId.get(id))!;
    },

    /** Records a sign-in: claims a pre-registered entry and refreshes the profile. */
    recordSignIn(id: string, identity: Identity, now: number): DirectoryEntry {
      updateSignIn.run(
        identity.issuer,
        identity.subject,
        normalizeEmail(identity.email),
        identity.name,
        identity.picture,
        now,
        id,
      );
      return one(byId.get(id))!;
    },

    setRoles(id: string, roles: readonly string[]): void {
      updateRoles.run(JSON.stringify(union([], roles)), id);
    },
    setDisabled(id: string, disabled: boolean): void {
      updateDisabled.run(disabled ? 1 : 0, id);
    },
    remove(id: string): void {
      deleteById.run(id);
    },
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function union(roles: readonly string[], more: readonly string[]): string[] {
  return [...new Set([...roles, ...more])].sort();
}

function toEntry(row: Record<string, SQLOutputValue>): DirectoryEntry {
  return {
    id: String(row.id),
    issuer: String(row.issuer),
    subject: row.subject === null ? null : String(row.subject),
    email: String(row.email),
    name: row.name === null ? null : String(row.name),
    picture: row.picture === null ? null : String(row.picture),
    roles: JSON.parse(String(row.roles)) as string[],
    disabled: row.disabled === 1,
    registered: row.registered === 1,
    createdAt: Number(row.created_at),
    lastSignInAt: row.last_sign_in_at === null ? null : Number(row.last_sign_in_at),
  };
}
