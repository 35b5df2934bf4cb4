import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import { adminPasswordProblem, PAIRING_CODE_DIGITS } from '@xephang/protocol';
import { storeAdminPasswordHash } from './store/config-store';

const scryptRaw = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/**
 * Hashes running at once. Each scrypt holds one of libuv's four threads (shared with file I/O:
 * preview tickets, backups, the sound files) for tens of ms; a burst of 150 PIN guesses once
 * queued 150 of them and a kiosk ticket took 2.4 s. Two leave the other threads to the kiosks.
 */
export const MAX_HASHES_IN_FLIGHT = 2;
/** Hashes that may wait for a turn; beyond that a guess is refused at once, unchecked. */
export const MAX_HASHES_WAITING = 64;

let hashing = 0;
const waiting: (() => void)[] = [];

/** Thrown when too many password or PIN checks are already waiting: the caller answers "busy". */
export class HashesBusyError extends Error {}

async function scryptAsync(password: string, salt: Buffer, keylen: number): Promise<Buffer> {
  if (hashing >= MAX_HASHES_IN_FLIGHT) {
    if (waiting.length >= MAX_HASHES_WAITING) throw new HashesBusyError('too many secrets waiting to be checked');
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    hashing += 1;
  }
  try {
    return await scryptRaw(password, salt, keylen);
  } finally {
    // The slot passes straight to the next in line, so `hashing` never drops below the queue's needs.
    const next = waiting.shift();
    if (next) next();
    else hashing -= 1;
  }
}

/** A salted scrypt hash for a password or PIN, as `scrypt$salt$hash`. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Whether `secret` matches a hash from hashSecret. Runs off the event loop's hot path, at most
 * MAX_HASHES_IN_FLIGHT at once.
 * @throws HashesBusyError when MAX_HASHES_WAITING checks already wait for a turn.
 */
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
  storeAdminPasswordHash(db, await hashSecret(password), options.at ?? Date.now());
}
