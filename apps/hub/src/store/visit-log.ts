import type { Database } from 'better-sqlite3';
import type { VisitLogType } from '@xephang/protocol';

/** One line of the visit log: what happened, when, to which ticket, where and by whom. */
export interface VisitLogLine {
  type: VisitLogType;
  at: number;
  ticketId?: string | null;
  serviceId?: string | null;
  counterId?: number | null;
  clerkId?: number | null;
  deviceId?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * The one writer of the visit log (`events`): reports are computed from it, migration 006's
 * triggers keep the day tallies from it, so every line goes through here with one column set.
 * A test fails if any other source file inserts into `events`.
 */
export function visitLog(db: Database) {
  const columns = `at, type, ticket_id, service_id, counter_id, clerk_id, device_id, detail`;
  const values = `@at, @type, @ticketId, @serviceId, @counterId, @clerkId, @deviceId, @detail`;
  const withSeq = db.prepare(`INSERT INTO events (seq, ${columns}) VALUES (@seq, ${values})`);
  // A line that is no broadcast is filed after the last one that went out, so a replay
  // (by sequence) and the log stay in one order.
  const afterLast = db.prepare(`INSERT INTO events (seq, ${columns}) VALUES ((SELECT coalesce(max(seq), 0) FROM broadcasts), ${values})`);
  const row = (line: VisitLogLine) => ({
    at: line.at,
    type: line.type,
    ticketId: line.ticketId ?? null,
    serviceId: line.serviceId ?? null,
    counterId: line.counterId ?? null,
    clerkId: line.clerkId ?? null,
    deviceId: line.deviceId ?? null,
    detail: line.detail ? JSON.stringify(line.detail) : null,
  });

  return {
    /** A line that belongs to the broadcast `seq` (written by the commit runner, in its transaction). */
    append: (seq: number, line: VisitLogLine): void => void withSeq.run({ seq, ...row(line) }),
    /** A line with no broadcast of its own (a print's outcome), filed after the last broadcast. */
    note: (line: VisitLogLine): void => void afterLast.run(row(line)),
    /** An audit line (an import, a test print): who did what, as `detail`. */
    audit: (type: VisitLogType, detail: Record<string, unknown>, at: number): void => void afterLast.run(row({ type, at, detail })),
  };
}

export type VisitLog = ReturnType<typeof visitLog>;
