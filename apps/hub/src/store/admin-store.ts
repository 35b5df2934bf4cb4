import type { Database } from 'better-sqlite3';
import { compareNamesVi } from '@xephang/core';
import type { AuditEntry, ClerkAdminView, ServiceSave } from '@xephang/protocol';

export interface FinishedRow {
  id: string;
  number: number;
  service_id: string;
  counter_id: number;
  clerk_id: number | null;
  clerk_name: string | null;
  finished_at: number;
  rated: number;
}

/** A rating with the visit it rates. */
export interface RatedRow {
  ticket_id: string;
  counter_id: number;
  scale: 'v4' | 'v5';
  score: number;
  reason: string | null;
  trips: number | null;
  number: number;
  finished_at: number;
}

/** What only the admin screen and the rating tablets read or write: fields, clerks, the admin log, ratings. */
export function adminStore(db: Database, hooks: { servicesChanged: () => void }) {
  const upsertService = db.prepare(
    `INSERT INTO services (id, name_vi, name_en, kind, block_start, active, sort_order, official_code)
     VALUES (@id, @nameVi, @nameEn, @kind, @blockStart, @active, (SELECT coalesce(max(sort_order), 0) + 1 FROM services), @officialCode)
     ON CONFLICT (id) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, kind = excluded.kind,
       block_start = excluded.block_start, active = excluded.active,
       official_code = CASE WHEN @keepCode THEN services.official_code ELSE excluded.official_code END`,
  );
  const blockOwner = db.prepare<[number, string], { id: string; name_vi: string }>(
    'SELECT id, name_vi FROM services WHERE block_start = ? AND id <> ?',
  );
  const setSortOrder = db.prepare('UPDATE services SET sort_order = ? WHERE id = ?');
  const setOfficialCode = db.prepare('UPDATE services SET official_code = ? WHERE id = ?');
  const allClerks = db.prepare<[], { id: number; name: string; active: number; counters: string | null }>(
    `SELECT k.id, k.name, k.active, group_concat(cc.counter_id) AS counters
     FROM clerks k LEFT JOIN clerk_counters cc ON cc.clerk_id = k.id GROUP BY k.id`,
  );
  const audit = db.prepare<[number], { id: number; at: number; type: string; detail: string | null }>(
    `SELECT id, at, type, detail FROM events WHERE type LIKE 'admin:%' OR type = 'clerk:changed' ORDER BY id DESC LIMIT ?`,
  );
  const lastFinished = db.prepare<[number], FinishedRow>(
    `SELECT t.id, t.number, t.service_id, t.counter_id, t.clerk_id, k.name AS clerk_name, t.finished_at,
       EXISTS (SELECT 1 FROM ratings r WHERE r.ticket_id = t.id) AS rated
     FROM tickets t LEFT JOIN clerks k ON k.id = t.clerk_id
     WHERE t.counter_id = ? AND t.state = 'done' ORDER BY t.finished_at DESC, t.id DESC LIMIT 1`,
  );
  // Every new rating is on the official five levels ('v5'); the old four-level rows keep 'v4'.
  const insertRating = db.prepare(
    "INSERT INTO ratings (ticket_id, counter_id, clerk_id, scale, score, at) VALUES (?, ?, ?, 'v5', ?, ?) ON CONFLICT (ticket_id) DO NOTHING",
  );
  const ratingOf = db.prepare<[string], RatedRow>(
    `SELECT r.ticket_id, r.counter_id, r.scale, r.score, r.reason, r.trips, t.number, t.finished_at
     FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE r.ticket_id = ?`,
  );
  // Once: a rating whose reason or trips were already given is not changed again.
  const addDetail = db.prepare('UPDATE ratings SET reason = ?, trips = ? WHERE ticket_id = ? AND reason IS NULL AND trips IS NULL');

  return {
    /** Creates or updates a field; call inside a queue transaction. */
    saveService: (s: ServiceSave) => {
      // A save without the code (an older admin screen) keeps the stored one.
      upsertService.run({ ...s, active: Number(s.active), officialCode: s.officialCode ?? null, keepCode: Number(s.officialCode === undefined) });
      hooks.servicesChanged();
    },
    /** Sets fields' official codes (a catalog import); call inside a queue transaction. */
    setOfficialCodes: (codes: ReadonlyMap<string, string>) => {
      for (const [id, code] of codes) setOfficialCode.run(code, id);
      hooks.servicesChanged();
    },
    /** The other field already numbering from `blockStart`, if any. */
    blockOwner: (blockStart: number, exceptId: string) => blockOwner.get(blockStart, exceptId),
    /** Gives the fields their kiosk order: the listed ones first, in that order. */
    orderServices: (ids: readonly string[]) => {
      ids.forEach((id, i) => setSortOrder.run(i + 1, id));
      hooks.servicesChanged();
    },
    /** Every clerk, active ones first, each group in Vietnamese name order (compareNamesVi). */
    clerks: (): ClerkAdminView[] =>
      allClerks
        .all()
        .sort((a, b) => b.active - a.active || compareNamesVi(a.name, b.name) || a.id - b.id)
        .map((r) => ({
          id: r.id,
          name: r.name,
          active: r.active === 1,
          counterIds: r.counters ? r.counters.split(',').map(Number).sort((a, b) => a - b) : [],
        })),
    /** The latest configuration changes, newest first. */
    audit: (limit: number): AuditEntry[] =>
      audit.all(limit).map((r) => {
        const detail = (r.detail ? JSON.parse(r.detail) : {}) as { by?: unknown; what?: unknown };
        return {
          id: r.id,
          at: r.at,
          type: r.type,
          by: typeof detail.by === 'string' ? detail.by : '',
          what: typeof detail.what === 'string' ? detail.what : '',
        };
      }),
    /** The visit a counter finished last, with whether it has a rating. */
    lastFinished: (counterId: number) => lastFinished.get(counterId),
    /** Stores a rating on the five-level scale; false when the visit already has one. */
    rate: (ticketId: string, counterId: number, clerkId: number | null, score: number, at: number): boolean =>
      insertRating.run(ticketId, counterId, clerkId, score, at).changes === 1,
    /** A visit's rating, with the visit's number and finish. */
    ratingOf: (ticketId: string) => ratingOf.get(ticketId),
    /** Adds a rating's reason and trips; false when either was given already. */
    addRatingDetail: (ticketId: string, reason: string | null, trips: number | null): boolean => addDetail.run(reason, trips, ticketId).changes === 1,
  };
}

export type AdminStore = ReturnType<typeof adminStore>;
