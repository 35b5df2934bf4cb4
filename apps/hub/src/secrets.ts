import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';

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

/**
 * Sets the admin password: the only place that writes its hash. The hub reads the hash from the
 * database at every admin login and report download, so a password set here by another process
 * (the command-line reset while the hub runs) takes effect at the next login.
 */
export async function setAdminPassword(db: Database, password: string): Promise<void> {
  const hash = await hashSecret(password);
  db.prepare("INSERT INTO meta (key, value) VALUES ('admin_password_hash', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(hash);
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

/** A six-digit pairing code. */
export function newPairingCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
