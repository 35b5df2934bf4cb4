import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import { adminPasswordProblem, PAIRING_CODE_DIGITS } from '@xephang/protocol';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** A salted scrypt hash for a password or PIN, as `scrypt$salt$hash`. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Whether `secret` matches a hash from hashSecret. Runs off the event loop's hot path. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** A bearer token for a device or a clerk session. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Tokens are stored hashed: a copied database does not let anyone in. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A password a technician can read aloud: three groups of four lower-case letters and digits. */
export function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

/** A pairing code of PAIRING_CODE_DIGITS digits. */
export function newPairingCode(): string {
  return String(randomInt(0, 10 ** PAIRING_CODE_DIGITS)).padStart(PAIRING_CODE_DIGITS, '0');
}

/**
 * Sets the admin password: the one place that writes it (the admin page's `admin:changePassword`,
 * the first start, the command-line reset). Stores only a scrypt hash, in `meta`, and when it was
 * set; a running hub checks the stored hash at every admin login, so a change made by another
 * process (the command line) counts at once. Unless `checkStrength` is false (the first start's
 * `XEPHANG_ADMIN_PASSWORD`, the installer's own choice), the password must follow
 * ADMIN_PASSWORD_RULE.
 * @throws QueueError (invalid_payload) with a Vietnamese message when the password is too weak.
 */
export async function setAdminPassword(db: Database, password: string, options: { at?: number; checkStrength?: boolean } = {}): Promise<void> {
  const problem = options.checkStrength === false ? undefined : adminPasswordProblem(password);
  if (problem) throw new QueueError('invalid_payload', problem);
  const hash = await hashSecret(password);
  const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    set.run('admin_password_hash', hash);
    set.run('admin_password_set_at', String(options.at ?? Date.now()));
  }).immediate();
}
