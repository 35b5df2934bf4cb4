import { z } from 'zod';
import {
  ProvinceUserCreateSchema,
  ProvinceUserUpdateSchema,
  type ProvinceAuditEntry,
  type ProvinceRole,
  type ProvinceUser,
} from '@xephang/protocol';
import { audit, parse, zodMessage, type Actor } from './communes';
import { transaction, type Client, type Pool } from './db';
import { LIMITS, strikes } from './limits';
import { Refused } from './refused';
import { hashPassword, newPassword, newToken, tokenHash, verifyPassword } from './secrets';

/** The user the one password of issue 18 became, and the one the first start creates. */
export const ADMIN_USER = 'admin';
/** How long a session lasts after its login (a working day and then some); a new login after. */
export const SESSION_MS = 12 * 3_600_000;

/** `POST /api/v1/session`: usernames are lower-case; one typed with capitals is the same user. */
export const LoginSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(40),
  password: z.string().min(1).max(200),
});
/** `POST /api/v1/admin/session` (issue 18's admin password): user admin's login. */
export const AdminSessionSchema = z.strictObject({ password: z.string().min(1).max(200) });

/**
 * A well-formed hash no password matches: an unknown username costs a scrypt like a known one,
 * so the time of the answer does not tell which usernames exist.
 */
const NO_USER_HASH = `scrypt$${'A'.repeat(22)}$${'A'.repeat(43)}`;

interface UserRow {
  username: string;
  name: string;
  role: ProvinceRole;
  password_hash: string;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

const view = (r: UserRow): ProvinceUser => ({
  username: r.username,
  name: r.name,
  role: r.role,
  disabled: r.disabled,
  createdAt: r.created_at.getTime(),
  lastLoginAt: r.last_login_at?.getTime() ?? null,
});

const ROLE_VI: Record<ProvinceRole, string> = { admin: 'quản trị', viewer: 'xem báo cáo' };

/**
 * Sets user admin's password (first start, `admin-password`), creating the user if missing and
 * enabling it again (the way back in when every admin is locked out); its sessions end. Only
 * the scrypt hash is stored. Returns the password, generated when none is given.
 */
export async function setAdminPassword(pool: Pool, password: string | undefined, actor: Actor): Promise<string> {
  const chosen = password ?? newPassword();
  const hash = await hashPassword(chosen);
  await transaction(pool, async (c) => {
    await c.query(
      `INSERT INTO users (username, name, role, password_hash, created_at) VALUES ($1, 'Quản trị tỉnh', 'admin', $2, now())
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin', disabled = false`,
      [ADMIN_USER, hash],
    );
    await c.query('DELETE FROM sessions WHERE username = $1', [ADMIN_USER]);
    await audit(c, 'user:password', ADMIN_USER, actor, 'Đặt mật khẩu cho tài khoản admin (quyền quản trị, mở khoá).');
  });
  return chosen;
}

/** Whether the province has any user yet (the first start creates admin). */
export async function hasUsers(pool: Pool): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM users LIMIT 1');
  return Boolean(rowCount);
}

/** Every user, by username. */
export async function listUsers(pool: Pool): Promise<ProvinceUser[]> {
  const { rows } = await pool.query<UserRow>('SELECT * FROM users ORDER BY username');
  return rows.map(view);
}

/**
 * A new user with its own password.
 * @throws Refused (invalid_body) for a bad body or a username already taken (409).
 */
export async function createUser(pool: Pool, body: unknown, actor: Actor): Promise<ProvinceUser> {
  const u = parse(ProvinceUserCreateSchema, body);
  const hash = await hashPassword(u.password);
  return transaction(pool, async (c) => {
    const { rows } = await c.query<UserRow>(
      'INSERT INTO users (username, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT (username) DO NOTHING RETURNING *',
      [u.username, u.name, u.role, hash],
    );
    if (!rows[0]) throw new Refused('invalid_body', `Tên đăng nhập "${u.username}" đã có người dùng.`, { status: 409 });
    await audit(c, 'user:create', u.username, actor, `Tạo tài khoản ${u.username} (${u.name}), quyền ${ROLE_VI[u.role]}.`);
    return view(rows[0]);
  });
}

/** The enabled admins, locked: two admins demoting each other at once cannot leave none. */
async function activeAdmins(c: Client): Promise<string[]> {
  const { rows } = await c.query<{ username: string }>("SELECT username FROM users WHERE role = 'admin' AND NOT disabled ORDER BY username FOR UPDATE");
  return rows.map((r) => r.username);
}

/**
 * Changes a user's name, role, lock or password. Locking a user or setting its password ends
 * its sessions at once; a role change holds from its next request (roles are read per request).
 * @throws Refused (not_found; invalid_body for a bad or empty body, or a change that would
 * leave the province without an enabled admin).
 */
export async function updateUser(pool: Pool, username: string, body: unknown, actor: Actor): Promise<ProvinceUser> {
  const patch = parse(ProvinceUserUpdateSchema, body);
  if (Object.values(patch).every((v) => v === undefined)) throw new Refused('invalid_body', 'Không có gì để thay đổi: gửi name, role, disabled hoặc password.');
  const hash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  return transaction(pool, async (c) => {
    const admins = await activeAdmins(c);
    const { rows } = await c.query<UserRow>('SELECT * FROM users WHERE username = $1 FOR UPDATE', [username]);
    const before = rows[0];
    if (!before) throw new Refused('not_found', `Không có tài khoản ${username.slice(0, 40)}.`);
    const after = { ...before, name: patch.name ?? before.name, role: patch.role ?? before.role, disabled: patch.disabled ?? before.disabled };
    const stillAdmin = after.role === 'admin' && !after.disabled;
    if (admins.includes(username) && !stillAdmin && admins.length === 1) {
      throw new Refused('invalid_body', 'Phải còn ít nhất một tài khoản quản trị đang hoạt động: không thể khoá hay hạ quyền tài khoản này.', { status: 409 });
    }
    const { rows: updated } = await c.query<UserRow>(
      'UPDATE users SET name = $2, role = $3, disabled = $4, password_hash = coalesce($5, password_hash) WHERE username = $1 RETURNING *',
      [username, after.name, after.role, after.disabled, hash ?? null],
    );
    const changes: string[] = [];
    if (after.name !== before.name) changes.push(`tên "${before.name}" → "${after.name}"`);
    if (after.role !== before.role) changes.push(`quyền ${ROLE_VI[before.role]} → ${ROLE_VI[after.role]}`);
    if (after.disabled !== before.disabled) changes.push(after.disabled ? 'khoá tài khoản' : 'mở khoá tài khoản');
    if (hash !== undefined) changes.push('đặt mật khẩu mới');
    if (hash !== undefined || (after.disabled && !before.disabled)) {
      const ended = await c.query('DELETE FROM sessions WHERE username = $1', [username]);
      if (ended.rowCount) changes.push(`kết thúc ${ended.rowCount} phiên đăng nhập`);
    }
    await audit(c, 'user:update', username, actor, `Tài khoản ${username}: ${changes.length ? changes.join('; ') : 'không đổi gì'}.`, {
      fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined),
    });
    return view(updated[0]!);
  });
}

/** `?limit=` of the audit log: 1–1000 lines, 200 unless said. */
const AuditQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

/**
 * The audit log, newest first.
 * @throws Refused (invalid_body) for a query other than `limit`.
 */
export async function auditLog(pool: Pool, query: URLSearchParams): Promise<ProvinceAuditEntry[]> {
  const raw: Record<string, string> = {};
  for (const [k, v] of query) raw[k] = v;
  const r = AuditQuerySchema.safeParse(raw);
  if (!r.success) throw new Refused('invalid_body', `Tham số nhật ký không hợp lệ (chỉ có limit, 1–1000): ${zodMessage(r.error)}`);
  const { rows } = await pool.query<{ at: Date; actor: string | null; action: string; target: string | null; summary: string | null; address: string | null }>(
    'SELECT at, actor, action, target, summary, address FROM admin_audit ORDER BY at DESC, id DESC LIMIT $1',
    [r.data.limit],
  );
  return rows.map((a) => ({
    at: a.at.getTime(),
    actor: a.actor ?? 'system',
    action: a.action,
    target: a.target,
    // Lines from before users (migration 2) had no sentence: their action says what it was.
    detail: a.summary ?? `${a.action}${a.address ? ` (từ ${a.address})` : ''}`,
  }));
}

/**
 * The province's logins: a username and password give a bearer token, kept in PostgreSQL as
 * its sha256 with an expiry (a restart keeps everyone logged in). Wrong passwords are limited
 * per address and per username (a guesser spread over many addresses still meets the second).
 * Every login, failed login and logout goes to the audit log.
 */
export function sessions(pool: Pool, now: () => number = Date.now) {
  const byAddress = strikes(LIMITS.adminGuesses, now);
  const byUser = strikes(LIMITS.userGuesses, now);

  const login = async (username: string, password: string, address: string): Promise<{ token: string; expiresAt: number; user: ProvinceUser }> => {
    const waitAddress = byAddress.waitMs(address);
    const waitUser = byUser.waitMs(username);
    if (waitAddress > 0 || waitUser > 0) {
      const s = Math.ceil(Math.max(waitAddress, waitUser) / 1000);
      const who = waitAddress > 0 ? 'từ máy này' : `cho tài khoản ${username}`;
      throw new Refused('rate_limited', `Sai mật khẩu quá nhiều lần ${who}; thử lại sau ${s} giây.`, { retryAfterS: s });
    }
    // Counted as wrong before anything is awaited, given back if right: guesses sent at once cannot slip past the limits while their hashes run.
    byAddress.fail(address);
    byUser.fail(username);
    const { rows } = await pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
    const row = rows[0];
    const right = await verifyPassword(password, row?.password_hash ?? NO_USER_HASH);
    if (!row || !right || row.disabled) {
      // A locked account is told so only to whoever knows its password.
      const why = row && right ? 'tài khoản đã bị khoá' : row ? 'sai mật khẩu' : 'không có tài khoản';
      await audit(pool, 'session:failed', row ? username : null, { address }, `Đăng nhập không thành công (${why})${row ? '' : ` với tên "${username}"`} từ ${address}.`);
      if (row && right) {
        byAddress.forgive(address);
        byUser.forgive(username);
        throw new Refused('unauthorized', 'Tài khoản này đã bị khoá. Liên hệ quản trị tỉnh.');
      }
      throw new Refused('unauthorized', 'Tên đăng nhập hoặc mật khẩu không đúng.');
    }
    byAddress.forgive(address);
    byUser.forgive(username);
    const token = newToken();
    const expiresAt = now() + SESSION_MS;
    const user = await transaction(pool, async (c) => {
      await c.query('DELETE FROM sessions WHERE expires_at <= $1', [new Date(now())]);
      await c.query('INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash(token), username, new Date(now()), new Date(expiresAt)]);
      const { rows: updated } = await c.query<UserRow>('UPDATE users SET last_login_at = $2 WHERE username = $1 RETURNING *', [username, new Date(now())]);
      await audit(c, 'session:login', username, { address, user: username }, `${username} đăng nhập từ ${address}.`);
      return view(updated[0]!);
    });
    return { token, expiresAt, user };
  };

  const tokenOf = (authorization: string | undefined): string | undefined => /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(authorization ?? '')?.[1];

  return {
    /** `POST /api/v1/session`. @throws Refused (invalid_body, rate_limited, unauthorized) */
    async login(body: unknown, address: string) {
      const r = LoginSchema.safeParse(body);
      if (!r.success) throw new Refused('invalid_body', 'Cần tên đăng nhập và mật khẩu: {"username": "…", "password": "…"}.');
      return login(r.data.username, r.data.password, address);
    },
    /** `POST /api/v1/admin/session` (issue 18): the password of user admin. @throws Refused */
    async loginAdmin(body: unknown, address: string) {
      const r = AdminSessionSchema.safeParse(body);
      if (!r.success) throw new Refused('invalid_body', 'Cần mật khẩu quản trị: {"password": "…"}.');
      return login(ADMIN_USER, r.data.password, address);
    },
    /**
     * The user of a live session (not expired, user not locked), read afresh each request.
     * @throws Refused (unauthorized)
     */
    async check(authorization: string | undefined): Promise<ProvinceUser> {
      const token = tokenOf(authorization);
      if (token !== undefined) {
        const { rows } = await pool.query<UserRow>(
          'SELECT u.* FROM sessions s JOIN users u USING (username) WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled',
          [tokenHash(token), new Date(now())],
        );
        if (rows[0]) return view(rows[0]);
      }
      throw new Refused('unauthorized', 'Cần đăng nhập (phiên đã hết hạn hoặc không có): POST /api/v1/session rồi gửi Authorization: Bearer <token>.');
    },
    /** Ends the session of `authorization` (`DELETE /api/v1/session`). @throws Refused (unauthorized) */
    async logout(authorization: string | undefined, address: string): Promise<void> {
      const user = await this.check(authorization);
      await transaction(pool, async (c) => {
        await c.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(tokenOf(authorization)!)]);
        await audit(c, 'session:logout', user.username, { address, user: user.username }, `${user.username} đăng xuất.`);
      });
    },
  };
}
export type Sessions = ReturnType<typeof sessions>;

/** @throws Refused (forbidden) unless `user` is an admin. */
export function requireAdmin(user: ProvinceUser): void {
  if (user.role !== 'admin') throw new Refused('forbidden', 'Tài khoản chỉ được xem báo cáo; việc này cần quyền quản trị tỉnh.');
}
