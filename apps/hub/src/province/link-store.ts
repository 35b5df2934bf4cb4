import type { Database, Statement } from 'better-sqlite3';

export type LinkState = 'ok' | 'down' | 'refused';

/** The enrolment row as the sender and the commands read it. */
export interface LinkRow {
  url: string;
  communeCode: string;
  communeName: string;
  token: string;
  proxy: string | null;
  epoch: number;
  seqBase: number;
  ackedSeq: number;
  takenSeq: number;
  restoredAt: string | null;
  enrolledAt: number;
  state: LinkState;
  lastError: string | null;
  lastAttemptAt: number | null;
  lastAckAt: number | null;
}

/** One outbox position: `seq` is the outbox's own; on the wire it is `seq - seqBase`. */
export interface OutboxRow {
  seq: number;
  kind: 'day' | 'config';
  day: number | null;
  utcOffsetMinutes: number | null;
}

export interface Enrolment {
  url: string;
  communeCode: string;
  communeName: string;
  token: string;
  proxy: string | null;
  at: number;
  restoredAt: string | null;
}

/**
 * The one writer of `province_link` and `province_outbox` (migration 010), besides the
 * triggers that queue positions. Every method is one short synchronous transaction.
 */
export function linkStore(db: Database) {
  const s = {
    link: db.prepare(
      `SELECT url, commune_code AS communeCode, commune_name AS communeName, token, proxy, epoch, seq_base AS seqBase, acked_seq AS ackedSeq,
              taken_seq AS takenSeq, restored_at AS restoredAt, enrolled_at AS enrolledAt, state, last_error AS lastError,
              last_attempt_at AS lastAttemptAt, last_ack_at AS lastAckAt
       FROM province_link WHERE id = 1`,
    ) as Statement<[], LinkRow>,
    upsert: db.prepare(
      `INSERT INTO province_link (id, url, commune_code, commune_name, token, proxy, epoch, seq_base, enrolled_at)
       VALUES (1, @url, @communeCode, @communeName, @token, @proxy, 0, 0, @at)
       ON CONFLICT (id) DO UPDATE SET url = excluded.url, commune_code = excluded.commune_code, commune_name = excluded.commune_name,
         token = excluded.token, proxy = excluded.proxy, enrolled_at = excluded.enrolled_at`,
    ),
    lastSeq: db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'province_outbox'), 0) AS seq").pluck() as Statement<[], number>,
    clearOutbox: db.prepare('DELETE FROM province_outbox'),
    startEpoch: db.prepare(
      `UPDATE province_link SET epoch = @epoch, seq_base = @base, acked_seq = 0, taken_seq = @base, restored_at = @restoredAt,
         state = 'ok', last_error = NULL WHERE id = 1`,
    ),
    queueConfig: db.prepare("INSERT INTO province_outbox (kind, queued_at) VALUES ('config', ?)"),
    queueKeptDays: db.prepare("INSERT INTO province_outbox (kind, day, utc_offset_minutes, queued_at) SELECT 'day', day, utc_offset_minutes, ? FROM report_days ORDER BY day, utc_offset_minutes"),
    unlink: db.prepare('DELETE FROM province_link'),
    pending: db.prepare('SELECT seq, kind, day, utc_offset_minutes AS utcOffsetMinutes FROM province_outbox ORDER BY seq LIMIT ?') as Statement<[number], OutboxRow>,
    take: db.prepare('UPDATE province_link SET taken_seq = max(taken_seq, ?) WHERE id = 1'),
    dropThrough: db.prepare('DELETE FROM province_outbox WHERE seq <= ?'),
    acked: db.prepare(
      `UPDATE province_link SET acked_seq = @acked, state = 'ok', last_error = NULL, last_attempt_at = @at, last_ack_at = @at WHERE id = 1 AND epoch = @epoch`,
    ),
    setState: db.prepare('UPDATE province_link SET state = @state, last_error = @error, last_attempt_at = @at WHERE id = 1'),
    counts: db.prepare('SELECT count(*) AS pending, min(queued_at) AS oldest, max(seq) AS last FROM province_outbox') as Statement<
      [],
      { pending: number; oldest: number | null; last: number | null }
    >,
    keptDay: db.prepare('SELECT version, tally FROM report_days WHERE day = ? AND utc_offset_minutes = ?') as Statement<[number, number], { version: number; tally: Buffer }>,
  };

  /** A new run of sequence numbers: the outbox emptied, seq 1 next, the configuration and every kept day queued again. */
  const newEpoch = (epoch: number, restoredAt: string | null, queuedAt: number): void => {
    s.clearOutbox.run();
    s.startEpoch.run({ epoch, base: s.lastSeq.get()!, restoredAt });
    s.queueConfig.run(queuedAt);
    s.queueKeptDays.run(queuedAt);
  };

  const enrol = db.transaction((e: Enrolment, epoch: number, queuedAt: number): void => {
    s.upsert.run(e);
    newEpoch(epoch, e.restoredAt, queuedAt);
  });
  const epochTx = db.transaction(newEpoch);
  const unlink = db.transaction((): void => {
    s.clearOutbox.run();
    s.unlink.run();
  });
  const take = db.transaction((limit: number): OutboxRow[] => {
    const rows = s.pending.all(limit);
    if (rows.length > 0) s.take.run(rows[rows.length - 1]!.seq);
    return rows;
  });
  const acked = db.transaction((epoch: number, seqBase: number, through: number, at: number): void => {
    s.dropThrough.run(seqBase + through);
    s.acked.run({ epoch, acked: through, at });
  });

  return {
    link: (): LinkRow | undefined => s.link.get(),
    /** Enrolled (again): the row written and a new epoch begun, at `epoch` ms. */
    enrol: (e: Enrolment, epoch: number, queuedAt: number): void => enrol.immediate(e, epoch, queuedAt),
    newEpoch: (epoch: number, restoredAt: string | null, queuedAt: number): void => epochTx.immediate(epoch, restoredAt, queuedAt),
    /** Not linked any more: the token and the outbox go (the province keeps what it has). */
    unlink: (): void => unlink.immediate(),
    /**
     * The next positions to send, marked as taken in the same transaction: a change after this
     * moment queues a new position (the trigger no longer folds it into one of these). Taken for
     * good, even when the push gets no answer: the province may have stored it (a reply lost)
     * and skips a position it has, so a change folded into it then would never arrive.
     */
    take: (limit: number): OutboxRow[] => take.immediate(limit),
    /** The province stored everything through wire seq `through` of `epoch`: those positions go. */
    acked: (epoch: number, seqBase: number, through: number, at: number): void => acked.immediate(epoch, seqBase, through, at),
    setState: (state: LinkState, error: string | null, at: number): void => void s.setState.run({ state, error, at }),
    /** How far behind: positions not yet acknowledged, when the oldest was queued (SQLite's wall clock), and the last seq. */
    counts: (): { pending: number; oldest: number | null; last: number | null } => s.counts.get()!,
    /** A day's kept tally, if any (of whatever version). */
    keptDay: (day: number, utcOffsetMinutes: number): { version: number; tally: Buffer } | undefined => s.keptDay.get(day, utcOffsetMinutes),
  };
}

export type LinkStore = ReturnType<typeof linkStore>;
