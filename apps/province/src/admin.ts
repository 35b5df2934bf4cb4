import { z } from 'zod';
import { audit } from './communes';
import { transaction, type Pool } from './db';
import { LIMITS, strikes } from './limits';
import { Refused } from './refused';
import { hashPassword, newPassword, newToken, tokenHash, verifyPassword } from './secrets';

const PASSWORD_KEY = 'admin_password_hash';
/** How long an admin session lasts (the next issue's screens log in again after). */
export const SESSION_MS = 12 * 3_600_000;

export const AdminSessionSchema = z.strictObject({ password: z.string().min(1).max(200) });

/**
 * Sets the admin password (first start, `admin-password`): only its scrypt hash is stored.
 * Returns the password, generated when none is given.
 */
export async function setAdminPassword(pool: Pool, password: string | undefined, actor: { address: string }): Promise<string> {
  const chosen = password ?? newPassword();
  const hash = await hashPassword(chosen);
  await transaction(pool, async (c) => {
    await c.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [PASSWORD_KEY, hash]);
    await audit(c, 'admin.password', null, actor);
  });
  return chosen;
}

/** Whether an admin password was ever set. */
export async function hasAdminPassword(pool: Pool): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM settings WHERE key = $1', [PASSWORD_KEY]);
  return Boolean(rowCount);
}

/**
 * The province admin's sessions: a password gives a bearer token (kept in memory as a hash,
 * for SESSION_MS; a restart logs everyone out). Wrong passwords are limited per address.
 */
export function adminSessions(pool: Pool, now: () => number = Date.now) {
  const sessions = new Map<string, number>();
  const guesses = strikes(LIMITS.adminGuesses, now);
  return {
    /** @throws Refused (invalid_body, rate_limited, unauthorized) */
    async login(body: unknown, address: string): Promise<{ token: string; expiresAt: number }> {
      const parsed = AdminSessionSchema.safeParse(body);
      if (!parsed.success) throw new Refused('invalid_body', 'Cần mật khẩu quản trị: {"password": "…"}.');
      const wait = guesses.waitMs(address);
      if (wait > 0) throw new Refused('rate_limited', `Sai mật khẩu quá nhiều lần; thử lại sau ${Math.ceil(wait / 1000)} giây.`, { retryAfterS: Math.ceil(wait / 1000) });
      // Counted as wrong before anything is awaited, given back if right: guesses sent at once cannot slip past the limit while their hashes run.
      guesses.fail(address);
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [PASSWORD_KEY]);
      if (!rows[0] || !(await verifyPassword(parsed.data.password, rows[0].value))) throw new Refused('unauthorized', 'Mật khẩu quản trị không đúng.');
      guesses.forgive(address);
      await transaction(pool, (c) => audit(c, 'admin.login', null, { address }));
      const token = newToken();
      const expiresAt = now() + SESSION_MS;
      sessions.set(tokenHash(token), expiresAt);
      for (const [k, until] of sessions) if (until <= now()) sessions.delete(k);
      return { token, expiresAt };
    },
    /** @throws Refused (unauthorized) unless `authorization` is a live session's `Bearer` token. */
    check(authorization: string | undefined): void {
      const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      const until = token === undefined ? undefined : sessions.get(tokenHash(token));
      if (until === undefined || until <= now()) throw new Refused('unauthorized', 'Cần đăng nhập quản trị tỉnh (Authorization: Bearer <token> từ POST /api/v1/admin/session).');
    },
  };
}
export type AdminSessions = ReturnType<typeof adminSessions>;
