import { PROVINCE_API_VERSION, PushBatchSchema, type PushBatch, type PushReply } from '@xephang/protocol';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { DAY_MS, decodeTally, TALLY_VERSIONS_READ } from '@xephang/reports';
import { parseJson } from './body';
import { ensurePartitions, partitionName, transaction, type Pool } from './db';
import { zodMessage } from './communes';
import { Refused } from './refused';
import { tokenHash } from './secrets';

/**
 * Checks a push's body before any database work: JSON, the API version, the shape, the seqs
 * contiguous, every tally decodable in a version the province knows.
 * @throws Refused (invalid_body, unsupported_version)
 */
export function parsePush(text: string, now: number = Date.now()): PushBatch {
  const json = parseJson(text);
  // Said apart from a wrong shape: a hub newer than the province needs the province updated, not fixed.
  if (typeof json === 'object' && json !== null && 'api' in json && json.api !== PROVINCE_API_VERSION) {
    throw new Refused('unsupported_version', `Máy chủ tỉnh chỉ hiểu giao thức phiên bản ${PROVINCE_API_VERSION}; máy chủ xã gửi phiên bản ${String(json.api)}. Cần cập nhật máy chủ tỉnh.`);
  }
  const parsed = PushBatchSchema.safeParse(json);
  if (!parsed.success) throw new Refused('invalid_body', `Dữ liệu gửi lên sai cấu trúc: ${zodMessage(parsed.error)}`);
  const batch = parsed.data;
  batch.items.forEach((item, i) => {
    if (item.seq !== batch.items[0]!.seq + i) throw new Refused('invalid_body', `Số thứ tự trong một lần gửi phải liền nhau: mục ${i + 1} là ${item.seq}, phải là ${batch.items[0]!.seq + i}.`);
  });
  const days = [...batch.items.flatMap((i) => (i.kind === 'day' ? [i.day] : [])), ...(batch.today ? [batch.today.day] : [])];
  // A hub's clock run ahead would otherwise freeze its today's tally (a later day always wins)
  // and make its days behind read 0: a day past the province's own tomorrow is refused.
  const latest = (Math.floor((now + VIETNAM_UTC_OFFSET_MINUTES * 60_000) / DAY_MS) + 1) * DAY_MS;
  for (const day of days) {
    // The schema checks the shape only: 2025-02-30 would fail in PostgreSQL, as an internal error.
    const at = Date.parse(`${day}T00:00:00Z`);
    if (Number.isNaN(at) || at < 0 || new Date(at).toISOString().slice(0, 10) !== day) throw new Refused('invalid_body', `Ngày ${day} không tồn tại.`);
    if (at > latest) {
      throw new Refused('invalid_body', `Ngày ${day} còn ở tương lai (tỉnh đang ở ngày ${new Date(latest - DAY_MS).toISOString().slice(0, 10)}): đồng hồ máy chủ xã chạy sai, cần chỉnh lại giờ. Không lưu gì.`);
    }
  }
  const tallies = [...batch.items.flatMap((i) => (i.kind === 'day' ? [i] : [])), ...(batch.today ? [batch.today] : [])];
  for (const t of tallies) {
    const what = 'seq' in t ? `ngày ${t.day} (mục ${t.seq})` : `hôm nay (${t.day})`;
    // An older format is still read: a hub not yet upgraded keeps sending its days.
    if (!(TALLY_VERSIONS_READ as readonly number[]).includes(t.version)) {
      throw new Refused('unsupported_version', `Tổng hợp ${what} ở định dạng ${t.version}; máy chủ tỉnh chỉ đọc định dạng ${TALLY_VERSIONS_READ.join(', ')}. Cần cập nhật máy chủ tỉnh hoặc máy chủ xã.`);
    }
    if (!decodeTally(Buffer.from(t.tally, 'base64'), t.version)) throw new Refused('invalid_body', `Tổng hợp ${what} không đọc được (dữ liệu hỏng).`);
  }
  return batch;
}

const revokedToken = () => new Refused('revoked', 'Tỉnh đã thu hồi khóa của xã này (hoặc đã cấp khóa mới). Quản trị xã cần đăng ký lại bằng mã đăng ký mới tỉnh cấp.');
const unknownToken = () => new Refused('unauthorized', 'Khóa gửi dữ liệu không đúng. Quản trị xã cần đăng ký lại với tỉnh.');

interface Commune {
  code: string;
  epoch: number | null;
  last_seq: number;
}

/**
 * Stores one push in one transaction; the reply is sent only after COMMIT (the hub drops what
 * was acknowledged from its outbox). Per day, the tally with the highest (epoch, seq) wins, so
 * a resend or an older copy arriving late never replaces a newer one. A batch holding nothing
 * new (a replay after a lost reply) stores nothing and says `duplicate`.
 * @throws Refused (unauthorized, revoked, wrong_commune, stale_epoch, sequence_gap)
 */
export function createIngest(pool: Pool) {
  /** Partitions known to exist (made at start, then when a push lands in a new month). */
  const partitions = new Set<string>();
  const ready = async (at: number) => {
    if (partitions.has(partitionName(at))) return;
    await ensurePartitions(pool, at);
    partitions.add(partitionName(at));
  };

  return {
    ready,
    /**
     * The commune a push token belongs to, read before the push's body (one indexed read): an
     * unknown or revoked token is refused without the body being read or parsed.
     * @throws Refused (unauthorized, revoked)
     */
    async identify(token: string): Promise<string> {
      const hash = tokenHash(token);
      const { rows } = await pool.query<{ code: string }>('SELECT code FROM communes WHERE token_hash = $1', [hash]);
      if (rows[0]) return rows[0].code;
      const revoked = await pool.query('SELECT 1 FROM revoked_tokens WHERE token_hash = $1', [hash]);
      if (revoked.rowCount) throw revokedToken();
      throw unknownToken();
    },
    async push(token: string, batch: PushBatch, bytes: number): Promise<PushReply> {
      const at = Date.now();
      await ready(at);
      const hash = tokenHash(token);
      return transaction(pool, async (c) => {
        const { rows } = await c.query<Commune>('SELECT code, epoch, last_seq FROM communes WHERE token_hash = $1 FOR UPDATE', [hash]);
        const commune = rows[0];
        if (!commune) {
          const revoked = await c.query('SELECT 1 FROM revoked_tokens WHERE token_hash = $1', [hash]);
          // Revoked between identify() and here (a rotate while the body was read).
          if (revoked.rowCount) throw revokedToken();
          throw unknownToken();
        }
        if (commune.code !== batch.communeCode) {
          throw new Refused('wrong_commune', `Khóa này của xã ${commune.code}, không được gửi dữ liệu thay xã ${batch.communeCode}.`);
        }
        const first = batch.items[0]?.seq;
        let lastSeq: number;
        if (commune.epoch === null || batch.epoch > commune.epoch) {
          // A new run of the hub's sequence (first push, a restore from backup, a replaced PC): from 1.
          if (first !== undefined && first !== 1) {
            throw new Refused('sequence_gap', `Lượt gửi mới (epoch ${batch.epoch}) phải bắt đầu từ số 1, không phải ${first}.`, { expected: 1 });
          }
          lastSeq = 0;
        } else if (batch.epoch < commune.epoch) {
          throw new Refused(
            'stale_epoch',
            `Dữ liệu này thuộc một bản cũ của máy chủ xã (epoch ${batch.epoch}, tỉnh đang theo epoch ${commune.epoch}): có thể một máy khác đang giữ bản sao cũ. Không lưu gì.`,
          );
        } else {
          lastSeq = commune.last_seq;
          if (first !== undefined && first > lastSeq + 1) {
            throw new Refused('sequence_gap', `Thiếu dữ liệu: tỉnh đã nhận đến số ${lastSeq}, lần gửi này bắt đầu từ ${first}. Gửi lại từ số ${lastSeq + 1}.`, { expected: lastSeq + 1 });
          }
        }
        const fresh = batch.items.filter((i) => i.seq > lastSeq);
        if (batch.items.length > 0 && fresh.length === 0) {
          // Everything here was stored before: acknowledge again, change nothing (the transaction only read).
          return { ackedThrough: lastSeq, epoch: batch.epoch, duplicate: true };
        }
        let offset: number | null = null;
        for (const item of fresh) {
          if (item.kind === 'day') {
            offset = item.utcOffsetMinutes;
            await c.query(
              `INSERT INTO day_tallies (commune_code, day, utc_offset_minutes, version, tally, epoch, seq, received_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8 / 1000.0))
               ON CONFLICT (commune_code, day) DO UPDATE SET utc_offset_minutes = EXCLUDED.utc_offset_minutes, version = EXCLUDED.version,
                 tally = EXCLUDED.tally, epoch = EXCLUDED.epoch, seq = EXCLUDED.seq, received_at = EXCLUDED.received_at
               WHERE (day_tallies.epoch, day_tallies.seq) < (EXCLUDED.epoch, EXCLUDED.seq)`,
              [commune.code, item.day, item.utcOffsetMinutes, item.version, Buffer.from(item.tally, 'base64'), batch.epoch, item.seq, at],
            );
          } else {
            await c.query(
              `UPDATE communes SET config = $2, config_epoch = $3, config_seq = $4
               WHERE code = $1 AND (config_epoch IS NULL OR (config_epoch, config_seq) < ($3, $4))`,
              [commune.code, JSON.stringify(item.config), batch.epoch, item.seq],
            );
          }
        }
        if (batch.today) {
          const t = batch.today;
          offset = t.utcOffsetMinutes;
          // A later day, or the same day computed later: a reply lost and an older push resent never goes back.
          await c.query(
            `INSERT INTO today_tallies (commune_code, day, utc_offset_minutes, version, as_of, tally, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0))
             ON CONFLICT (commune_code) DO UPDATE SET day = EXCLUDED.day, utc_offset_minutes = EXCLUDED.utc_offset_minutes,
               version = EXCLUDED.version, as_of = EXCLUDED.as_of, tally = EXCLUDED.tally, received_at = EXCLUDED.received_at
             WHERE (today_tallies.day, today_tallies.as_of) <= (EXCLUDED.day, EXCLUDED.as_of)`,
            [commune.code, t.day, t.utcOffsetMinutes, t.version, t.asOf, Buffer.from(t.tally, 'base64'), at],
          );
        }
        const acked = fresh.length ? fresh[fresh.length - 1]!.seq : lastSeq;
        await c.query(
          `UPDATE communes SET epoch = $2, last_seq = $3, last_push_at = to_timestamp($4 / 1000.0), hub_version = $5,
             utc_offset_minutes = coalesce($6, utc_offset_minutes) WHERE code = $1`,
          [commune.code, batch.epoch, acked, at, batch.hubVersion, offset],
        );
        await c.query(
          `INSERT INTO push_receipts (commune_code, received_at, epoch, first_seq, last_seq, items, with_today, bytes, hub_version, sent_at)
           VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7, $8, $9, $10)`,
          [commune.code, at, batch.epoch, fresh[0]?.seq ?? null, acked, fresh.length, batch.today !== undefined, bytes, batch.hubVersion, batch.sentAt],
        );
        return { ackedThrough: acked, epoch: batch.epoch, duplicate: false };
      });
    },
  };
}
export type Ingest = ReturnType<typeof createIngest>;
