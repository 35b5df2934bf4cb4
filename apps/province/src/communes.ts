import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CommuneCodeSchema, type CommuneLinkView, type EnrolmentKeyView, type EnrolReply, type EnrolRequest } from '@xephang/protocol';
import { DAY_MS } from '@xephang/reports';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { transaction, type Client, type Pool } from './db';
import { Refused } from './refused';
import { newToken, tokenHash } from './secrets';

/** How long a commune's one-time enrolment key stays usable. */
export const ENROLMENT_KEY_DAYS = 7;

export const CommuneNameSchema = z.string().trim().min(1, 'Tên xã không được để trống.').max(200, 'Tên xã tối đa 200 ký tự.');
export const NewCommuneSchema = z.strictObject({ code: CommuneCodeSchema, name: CommuneNameSchema });
export const RenameCommuneSchema = z.strictObject({ name: CommuneNameSchema });

/** Who did an admin action, for the audit log. */
export interface Actor {
  /** The client's address, or `cli` for the command line. */
  address: string;
  /** The province user logged in (none: the command line, the server itself, a hub enrolling). */
  user?: string;
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

/**
 * Appends one line to the audit log, inside the caller's transaction: `action` as the contract
 * names them (`commune:create`, `user:update`, `session:login`…), on `target` (a commune code or
 * a username), `summary` one Vietnamese line that never holds a password or a key.
 */
export async function audit(c: Client | Pool, action: string, target: string | null, actor: Actor, summary: string, detail: object = {}): Promise<void> {
  const who = actor.user ?? (actor.address === 'cli' ? 'cli' : 'system');
  const commune = action.startsWith('commune:') ? target : null;
  await c.query('INSERT INTO admin_audit (at, action, commune_code, address, detail, actor, target, summary) VALUES (now(), $1, $2, $3, $4, $5, $6, $7)', [
    action,
    commune,
    actor.address,
    JSON.stringify(detail),
    who,
    target,
    summary,
  ]);
}

/** The Vietnamese words of a zod failure, every path. */
export function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** A body checked against `schema`. @throws Refused (invalid_body) with every failing path in Vietnamese. */
export function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new Refused('invalid_body', `Dữ liệu không hợp lệ: ${zodMessage(r.error)}`);
  return r.data;
}

async function locked(c: Client, code: string): Promise<{ name: string; token_hash: string | null }> {
  const { rows } = await c.query<{ name: string; token_hash: string | null }>('SELECT name, token_hash FROM communes WHERE code = $1 FOR UPDATE', [code]);
  if (!rows[0]) throw new Refused('not_found', `Không có xã mã ${code}.`);
  return rows[0];
}

/** Moves a commune's current token (if any) to the revoked ones: a hub still using it is told to re-enrol. */
async function revokeToken(c: Client, code: string, hash: string | null): Promise<void> {
  if (hash === null) return;
  await c.query('INSERT INTO revoked_tokens (token_hash, commune_code, revoked_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING', [hash, code]);
  await c.query('UPDATE communes SET token_hash = NULL WHERE code = $1', [code]);
}

async function issueKey(c: Client, code: string, name: string): Promise<EnrolmentKeyView> {
  const key = newToken();
  const expiresAt = Date.now() + ENROLMENT_KEY_DAYS * DAY_MS;
  await c.query('UPDATE communes SET enrolment_key_hash = $2, enrolment_expires_at = $3 WHERE code = $1', [code, tokenHash(key), new Date(expiresAt)]);
  return { code, name, enrolmentKey: key, expiresAt };
}

/**
 * Creates a commune with its official code and name, and its one-time enrolment key.
 * @throws Refused (invalid_body) for a bad code or name, or a code already there.
 */
export async function addCommune(pool: Pool, body: unknown, actor: Actor): Promise<EnrolmentKeyView> {
  const { code, name } = parse(NewCommuneSchema, body);
  return transaction(pool, async (c) => {
    const inserted = await c.query('INSERT INTO communes (code, name, created_at) VALUES ($1, $2, now()) ON CONFLICT (code) DO NOTHING', [code, name]);
    if (!inserted.rowCount) throw new Refused('invalid_body', `Xã mã ${code} đã có; muốn cấp mã đăng ký mới thì dùng "rotate".`, { status: 409 });
    const view = await issueKey(c, code, name);
    await audit(c, 'commune:create', code, actor, `Tạo xã ${code} — ${name}, cấp mã đăng ký.`, { name });
    return view;
  });
}

/**
 * A new enrolment key for a commune; its current push token is revoked at once (the hub must
 * enrol again with the new key: a replaced PC, a key that leaked).
 * @throws Refused (not_found)
 */
export async function rotateCommune(pool: Pool, code: string, actor: Actor): Promise<EnrolmentKeyView> {
  return transaction(pool, async (c) => {
    const commune = await locked(c, code);
    await revokeToken(c, code, commune.token_hash);
    const view = await issueKey(c, code, commune.name);
    await audit(c, 'commune:rotate', code, actor, `Cấp mã đăng ký mới cho xã ${code}${commune.token_hash !== null ? ', thu hồi khóa gửi cũ' : ''}.`, { tokenRevoked: commune.token_hash !== null });
    return view;
  });
}

/**
 * Cuts a commune off: its token and any waiting key stop working (rotate gives it a new key).
 * @throws Refused (not_found)
 */
export async function revokeCommune(pool: Pool, code: string, actor: Actor): Promise<{ code: string; revokedAt: number }> {
  return transaction(pool, async (c) => {
    const commune = await locked(c, code);
    await revokeToken(c, code, commune.token_hash);
    const { rows } = await c.query<{ revoked_at: Date }>(
      'UPDATE communes SET revoked_at = now(), enrolment_key_hash = NULL, enrolment_expires_at = NULL WHERE code = $1 RETURNING revoked_at',
      [code],
    );
    await audit(c, 'commune:revoke', code, actor, `Thu hồi xã ${code}: xã không gửi được số liệu nữa.`);
    return { code, revokedAt: rows[0]!.revoked_at.getTime() };
  });
}

/**
 * Renames a commune (the province's own name for it; the commune's hub keeps its own center name).
 * @throws Refused (not_found, invalid_body)
 */
export async function renameCommune(pool: Pool, code: string, body: unknown, actor: Actor): Promise<{ code: string; name: string }> {
  const { name } = parse(RenameCommuneSchema, body);
  return transaction(pool, async (c) => {
    const commune = await locked(c, code);
    await c.query('UPDATE communes SET name = $2 WHERE code = $1', [code, name]);
    await audit(c, 'commune:rename', code, actor, `Đổi tên xã ${code}: "${commune.name}" → "${name}".`, { from: commune.name, to: name });
    return { code, name };
  });
}

/** Every commune with its link's state, by code. */
export type { CommuneLinkView, EnrolmentKeyView };

export async function listCommunes(pool: Pool, now = Date.now()): Promise<CommuneLinkView[]> {
  const { rows } = await pool.query<{
    code: string;
    name: string;
    token_hash: string | null;
    revoked_at: Date | null;
    enrolment_key_hash: string | null;
    enrolment_expires_at: Date | null;
    enrolled_at: Date | null;
    epoch: number | null;
    last_seq: number;
    last_push_at: Date | null;
    hub_version: string | null;
    utc_offset_minutes: number | null;
    newest_day: string | null;
  }>(
    `SELECT c.*, (SELECT max(day) FROM day_tallies d WHERE d.commune_code = c.code) AS newest_day
     FROM communes c ORDER BY c.code`,
  );
  return rows.map((r) => {
    const offset = (r.utc_offset_minutes ?? VIETNAM_UTC_OFFSET_MINUTES) * 60_000;
    const today = Math.floor((now + offset) / DAY_MS);
    const newest = r.newest_day === null ? null : Date.parse(`${r.newest_day}T00:00:00Z`) / DAY_MS;
    return {
      code: r.code,
      name: r.name,
      enrolled: r.token_hash !== null,
      revoked: r.revoked_at !== null,
      keyPending: r.enrolment_key_hash !== null && (r.enrolment_expires_at?.getTime() ?? 0) > now,
      keyExpiresAt: ms(r.enrolment_expires_at),
      enrolledAt: ms(r.enrolled_at),
      epoch: r.epoch,
      lastSeq: r.last_seq,
      lastPushAt: ms(r.last_push_at),
      hubVersion: r.hub_version,
      newestDay: r.newest_day,
      daysBehind: newest === null ? null : Math.max(0, today - 1 - newest),
    };
  });
}

const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A hub enrols with the one-time key: the key is spent and a push token issued (the province
 * keeps its hash). A token the commune had before is revoked: re-enrolment takes the link over,
 * deliberately, with a key only the province admin could give.
 * @throws Refused (unauthorized) for an unknown commune, a wrong, used or expired key.
 */
export async function enrol(pool: Pool, request: EnrolRequest, actor: Actor): Promise<EnrolReply> {
  const presented = tokenHash(request.key);
  return transaction(pool, async (c) => {
    const { rows } = await c.query<{ name: string; enrolment_key_hash: string | null; enrolment_expires_at: Date | null; used_key_hash: string | null; token_hash: string | null }>(
      'SELECT name, enrolment_key_hash, enrolment_expires_at, used_key_hash, token_hash FROM communes WHERE code = $1 FOR UPDATE',
      [request.communeCode],
    );
    const commune = rows[0];
    // An unknown commune and a wrong key read the same: the answer tells a guesser nothing.
    const wrong = new Refused('unauthorized', `Mã đăng ký không đúng cho xã ${request.communeCode}. Kiểm tra mã xã và mã đăng ký tỉnh cấp.`);
    if (!commune) throw wrong;
    if (commune.enrolment_key_hash === null || !sameHash(presented, commune.enrolment_key_hash)) {
      if (commune.used_key_hash !== null && sameHash(presented, commune.used_key_hash)) {
        throw new Refused('unauthorized', 'Mã đăng ký này đã được dùng. Xin tỉnh cấp mã mới (mỗi mã chỉ dùng được một lần).');
      }
      throw wrong;
    }
    if ((commune.enrolment_expires_at?.getTime() ?? 0) <= Date.now()) {
      throw new Refused('unauthorized', `Mã đăng ký đã hết hạn (mã chỉ dùng được trong ${ENROLMENT_KEY_DAYS} ngày). Xin tỉnh cấp mã mới.`);
    }
    await revokeToken(c, request.communeCode, commune.token_hash);
    const token = newToken();
    // A new enrolment follows the new hub's sequence from its first push, whatever its epoch:
    // a replaced PC whose clock is behind starts at a lower epoch, so what was stored under the
    // old hub's (epoch, seq) must not outrank it, or its days and config would be acknowledged
    // and dropped. Its stored days stay (until the new hub sends them again), ranked lowest.
    await c.query(
      `UPDATE communes SET token_hash = $2, used_key_hash = enrolment_key_hash, enrolment_key_hash = NULL, enrolment_expires_at = NULL,
         enrolled_at = now(), revoked_at = NULL, epoch = NULL, last_seq = 0, hub_version = $3, config_epoch = NULL, config_seq = NULL WHERE code = $1`,
      [request.communeCode, tokenHash(token), request.hubVersion],
    );
    await c.query('UPDATE day_tallies SET epoch = 0, seq = 0 WHERE commune_code = $1', [request.communeCode]);
    await c.query('DELETE FROM today_tallies WHERE commune_code = $1', [request.communeCode]);
    await audit(c, 'commune:enrol', request.communeCode, actor, `Máy chủ xã ${request.communeCode} đăng ký kết nối (phiên bản ${request.hubVersion}).`, { hubVersion: request.hubVersion });
    return { communeCode: request.communeCode, communeName: commune.name, token };
  });
}
