import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { migrate, openDatabase } from '../open';

/**
 * What the migrations' tests share: a real database file at a given schema version, the rows
 * a hub of version 1 wrote on an ordinary day (its visit log too, inserted as that hub did, so
 * this folder is test support that the one-writer scan leaves out), and readers for the schema
 * and the rows.
 */

/** A database file in a fresh temporary folder, opened as the hub opens it and migrated up to `version`. */
export function tempDatabase(version: number): { db: Database.Database; file: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-migration-'));
  const file = join(dir, 'xephang.sqlite');
  const db = openDatabase(file, version);
  return {
    db,
    file,
    dispose: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A database as the hub of version `to − 1` left it (the rows `write` puts in), then migrated
 * to `to`; `before` is every row it held before the migration ran.
 */
export function upgrade(to: number, write: (db: Database.Database) => void = seedVersion1) {
  const t = tempDatabase(to - 1);
  write(t.db);
  const before = allRows(t.db);
  migrate(t.db, to);
  return { ...t, before };
}

/** 08:00 in Hà Trung (UTC+7) on the day the rows were written; the ordinary day's times are after it. */
export const DAY_START = Date.UTC(2026, 10, 27, 1, 0);
export const DAY = '2026-11-27';
export const EVE = '2026-11-26';
export const MINUTE = 60_000;
/** Local days since 1970-01-01 in UTC+7, as report_days keys them. */
export const localDay = (at: number, offsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): number => Math.floor((at + offsetMinutes * MINUTE) / 86_400_000);

/**
 * The rows a hub of schema version 1 wrote: the seeded center (three fields, three counters,
 * two clerks), paired devices and pairing codes, yesterday's expired ticket and today's tickets
 * in every state, their visit log, broadcasts and a stored reply. Columns and values are the
 * ones that hub's stores wrote (see git show f0e0370:apps/hub/src/store/).
 */
export function seedVersion1(db: Database.Database): void {
  const at = (minutes: number) => DAY_START + minutes * MINUTE;
  db.transaction(() => {
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    meta.run('hub_id', 'hub-5b0d7c1e');
    meta.run('center_name', 'Trung tâm Phục vụ hành chính công xã Hà Trung');
    const service = db.prepare('INSERT INTO services (id, name_vi, name_en, kind, block_start, active, sort_order) VALUES (?, ?, ?, ?, ?, 1, ?)');
    service.run('land', 'Nông nghiệp – Môi trường – Đất đai', 'Agriculture – Environment – Land', 'commune', 1001, 0);
    service.run('civil', 'Tư pháp – Hộ tịch', 'Justice – Civil status', 'commune', 2001, 1);
    service.run('police', 'Công an', 'Police', 'partner', 5001, 2);
    const counter = db.prepare('INSERT INTO counters (id, name) VALUES (?, ?)');
    const counterService = db.prepare('INSERT INTO counter_services (counter_id, service_id, position) VALUES (?, ?, ?)');
    for (const [id, serviceId] of [[1, 'civil'], [2, 'land'], [7, 'police']] as const) {
      counter.run(id, `Quầy ${id}`);
      counterService.run(id, serviceId, 0);
    }
    const clerk = db.prepare('INSERT INTO clerks (name, pin_hash, created_at) VALUES (?, ?, ?) RETURNING id');
    clerk.run('Nguyễn Thị Lan', 'scrypt$c2FsdA$aGFzaC1vZi0xMTEx', at(-600));
    clerk.run('Trần Văn Đức', 'scrypt$c2FsdA$aGFzaC1vZi0yMjIy', at(-600));
    db.prepare('INSERT INTO clerk_counters (clerk_id, counter_id) VALUES (1, 1), (2, 2), (2, 7)').run();
    db.prepare("UPDATE counters SET status = 'open', clerk_id = 1 WHERE id = 1").run();
    db.prepare("UPDATE counters SET status = 'paused', pause_reason = 'Họp giao ban', clerk_id = 2 WHERE id = 2").run();
    const session = db.prepare('INSERT INTO clerk_sessions (token_hash, clerk_id, counter_id, started_at) VALUES (?, ?, ?, ?)');
    session.run('c2Vzc2lvbi0x', 1, 1, at(0));
    session.run('c2Vzc2lvbi0y', 2, 2, at(1));
    db.prepare('UPDATE clerk_sessions SET ended_at = ? WHERE token_hash = ?').run(at(-1), 'c2Vzc2lvbi0y');
    session.run('c2Vzc2lvbi0z', 2, 2, at(2));

    const device = db.prepare('INSERT INTO devices (id, role, counter_id, name, token_hash, paired_at) VALUES (?, ?, ?, ?, ?, ?)');
    device.run('tv-hall', 'display', null, 'TV phòng chờ', 'dG9rZW4tdHY', at(-700));
    device.run('kiosk-door', 'kiosk', null, 'Máy lấy số cửa chính', 'dG9rZW4ta2lvc2s', at(-700));
    device.run('pc-counter-1', 'counter', 1, 'Máy tính quầy 1', 'dG9rZW4tcGMx', at(-700));
    db.prepare('UPDATE devices SET last_seen_at = ? WHERE id IN (?, ?)').run(at(30), 'tv-hall', 'kiosk-door');
    db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ?').run(at(-5), 'pc-counter-1');
    const code = db.prepare('INSERT INTO pairing_codes (code, role, counter_id, expires_at) VALUES (?, ?, ?, ?)');
    code.run('483920', 'kiosk', null, at(-690));
    db.prepare('UPDATE pairing_codes SET used_at = ? WHERE code = ?').run(at(-700), '483920');
    code.run('120577', 'counter', 2, at(60));

    const seq = (payload: object) => (db.prepare('INSERT INTO broadcasts (payload) VALUES (?) RETURNING seq').get(JSON.stringify(payload)) as { seq: number }).seq;
    const log = db.prepare(
      `INSERT INTO events (seq, at, type, ticket_id, service_id, counter_id, clerk_id, device_id, detail)
       VALUES (@seq, @at, @type, @ticketId, @serviceId, @counterId, @clerkId, @deviceId, @detail)`,
    );
    const bump = db.prepare(
      `INSERT INTO day_counters (service_id, day, last) VALUES (?, ?, 1)
       ON CONFLICT (service_id, day) DO UPDATE SET last = last + 1 RETURNING last`,
    );
    const insertTicket = db.prepare(
      `INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, device_id)
       VALUES (@id, @day, @number, @serviceId, @serviceId, @priority, 'waiting', @issuedAt, @deviceId)`,
    );
    const issue = (id: string, day: string, serviceId: string, blockStart: number, priority: string, issuedAt: number) => {
      const number = blockStart + (bump.get(serviceId, day) as { last: number }).last - 1;
      insertTicket.run({ id, day, number, serviceId, priority, issuedAt, deviceId: 'kiosk-door' });
      const s = seq({ type: 'ticket:issued', at: issuedAt });
      log.run({ seq: s, at: issuedAt, type: 'ticket:issued', ticketId: id, serviceId, counterId: null, clerkId: null, deviceId: 'kiosk-door', detail: JSON.stringify({ priority }) });
    };
    const step = (id: string, type: string, when: number, counterId: number, clerkId: number, set: string, detail: object | null = null) => {
      db.prepare(`UPDATE tickets SET ${set} WHERE id = ?`).run(id);
      const serviceId = (db.prepare('SELECT service_id FROM tickets WHERE id = ?').get(id) as { service_id: string }).service_id;
      log.run({ seq: seq({ type, at: when }), at: when, type, ticketId: id, serviceId, counterId, clerkId, deviceId: null, detail: detail && JSON.stringify(detail) });
    };

    // Yesterday's ticket, never called, expired by the morning's rollover.
    issue('t-eve-1', EVE, 'civil', 2001, 'normal', at(-1380));
    db.prepare("UPDATE tickets SET state = 'expired' WHERE day < ? AND state IN ('waiting', 'no_show')").run(DAY);
    log.run({ seq: seq({ type: 'day:started', at: at(-60) }), at: at(-60), type: 'day:started', ticketId: null, serviceId: null, counterId: null, clerkId: null, deviceId: null, detail: JSON.stringify({ day: DAY, expired: 1 }) });
    log.run({ seq: seq({ type: 'counter:opened', at: at(0) }), at: at(0), type: 'counter:opened', ticketId: null, serviceId: null, counterId: 1, clerkId: 1, deviceId: null, detail: null });

    issue('t-civil-1', DAY, 'civil', 2001, 'normal', at(5));
    issue('t-civil-2', DAY, 'civil', 2001, 'elderly', at(6));
    issue('t-land-1', DAY, 'land', 1001, 'normal', at(7));
    issue('t-civil-3', DAY, 'civil', 2001, 'normal', at(8));
    // 2001: called, served, finished with a dossier received.
    step('t-civil-1', 'ticket:called', at(10), 1, 1, `state = 'called', counter_id = 1, clerk_id = 1, first_called_at = ${at(10)}, called_at = ${at(10)}`);
    step('t-civil-1', 'ticket:started', at(11), 1, 1, `state = 'serving', started_at = ${at(11)}`);
    step('t-civil-1', 'ticket:finished', at(25), 1, 1, `state = 'done', finished_at = ${at(25)}, outcome = 'received'`, { outcome: 'received' });
    // 2002: called, recalled, absent.
    step('t-civil-2', 'ticket:called', at(26), 1, 1, `state = 'called', counter_id = 1, clerk_id = 1, first_called_at = ${at(26)}, called_at = ${at(26)}`);
    step('t-civil-2', 'ticket:recalled', at(28), 1, 1, `called_at = ${at(28)}, recalls = recalls + 1`);
    step('t-civil-2', 'ticket:missed', at(31), 1, 1, `state = 'no_show'`);
    // 1001: called at counter 2 and standing there; 2003 still waiting.
    step('t-land-1', 'ticket:called', at(32), 2, 2, `state = 'called', counter_id = 2, clerk_id = 2, first_called_at = ${at(32)}, called_at = ${at(32)}`);

    db.prepare('INSERT INTO requests (id, command, reply, at) VALUES (?, ?, ?, ?)').run(
      'req-7f3a9c21',
      'ticket:issue',
      JSON.stringify({ ok: true, data: { ticket: { id: 't-civil-3', number: 2003 } } }),
      at(8),
    );
  }).immediate();
}

/** Every table's rows, sorted, keyed by table: what a migration must keep. */
export function allRows(db: Database.Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(
    tables.map((t) => {
      const rows = db.prepare(`SELECT * FROM "${t}"`).all();
      return [t, rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))];
    }),
  );
}

/** The schema's objects of one type (table, index, trigger), by name. */
export const schemaNames = (db: Database.Database, type: 'table' | 'index' | 'trigger'): string[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all(type) as string[];

/** A table's column names, in order. */
export const columnsOf = (db: Database.Database, table: string): string[] =>
  db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];

/** Whether a table was created STRICT (a rebuilt table must stay so). */
export const isStrict = (db: Database.Database, table: string): boolean =>
  (db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').pluck().get(table) as number | undefined) === 1;

/** What SQLite says about the file: `ok`, and no row pointing to a row that is not there. */
export function soundness(db: Database.Database): { integrity: unknown; foreignKeys: unknown[] } {
  return { integrity: db.pragma('integrity_check', { simple: true }), foreignKeys: db.pragma('foreign_key_check') as unknown[] };
}

/** The plan SQLite picks for a query, as one line per step. */
export const planOf = (db: Database.Database, sql: string, ...params: unknown[]): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
