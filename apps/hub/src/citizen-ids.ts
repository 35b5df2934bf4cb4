import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { citizenIdRefusal, keepsMark } from '@xephang/core';
import type { CitizenStore } from './store/citizen-store';

export interface CitizenIdsDeps {
  db: Database;
  citizen: CitizenStore;
  log: (line: string) => void;
}

/** What a ticket's issue does with the citizen's ID once it is allowed: keep its mark on the ticket. */
export type CitizenHold = ((ticketId: string) => void) | undefined;

/**
 * The citizen's ID at the kiosk (issue 20). An ID is kept only as an HMAC-SHA256 under a key made
 * with randomBytes at the first scan of a hub day and held in this closure only: never written,
 * logged or sent. When the day turns the key is dropped and the marks deleted with secure_delete,
 * then the WAL is checkpointed and truncated after the commit, so neither the database's free
 * pages nor its -wal keep them. A 12-digit number hashed with a key stored beside it would fall to
 * a search of all 10^12 numbers in minutes; without the key a mark says nothing.
 *
 * A restart loses the key: the marks of the day can no longer match, so they are deleted at start
 * and the limit starts afresh for the rest of that day (the price of never storing the key).
 */
export function createCitizenIds(deps: CitizenIdsDeps) {
  const { db, citizen, log } = deps;
  let key: { day: string; bytes: Buffer } | undefined;
  /** Marks were deleted: the WAL is checkpointed and truncated after the commit (retried while busy). */
  let checkpointDue = false;

  function markOf(citizenId: string, day: string): Buffer {
    if (key?.day !== day) {
      key?.bytes.fill(0);
      key = { day, bytes: randomBytes(32) };
    }
    return createHmac('sha256', key.bytes).update(citizenId).digest();
  }

  function dropKey(): void {
    key?.bytes.fill(0);
    key = undefined;
  }

  /** Deletes the marks (secure_delete) and asks for the checkpoint; inside the caller's transaction. */
  function clear(): void {
    dropKey();
    if (citizen.clearMarks() > 0) checkpointDue = true;
  }

  /** The WAL's pages written back and the file truncated to nothing, so the old pages with marks are gone from it too. */
  function checkpoint(): void {
    if (!checkpointDue || db.inTransaction) return;
    try {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      // A reader (a backup's step) kept it from finishing: the next commit or tick tries again.
      if (row && row.busy === 0) checkpointDue = false;
    } catch (error) {
      log(`không dọn được tệp -wal sau khi xóa dấu thẻ căn cước: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    /**
     * Inside `ticket:issue`'s transaction, before a number is allocated: the field's rule checked
     * against the ID's active tickets of the field today. Returns what to do with the ticket's id
     * once it is inserted (keep the mark), or undefined when nothing is kept.
     * @throws QueueError when the rule refuses (over the limit, a required scan missing, an override on a field that needs none).
     */
    admit(ask: { serviceId: string; day: string; citizenId: string | undefined; withoutCard: boolean }): CitizenHold {
      const rule = citizen.rule(ask.serviceId);
      const scanned = ask.citizenId !== undefined;
      // A field whose rule is off keeps nothing, even from a kiosk that still asked (its rule just changed).
      const mark = keepsMark(rule, scanned) && !ask.withoutCard ? markOf(ask.citizenId!, ask.day) : undefined;
      const refusal = citizenIdRefusal(rule, { scanned, withoutCard: ask.withoutCard, held: mark ? citizen.held(mark, ask.serviceId, ask.day) : 0 });
      if (refusal) throw refusal;
      return mark ? (ticketId) => citizen.holdMark(ticketId, mark, ask.serviceId, ask.day) : undefined;
    },
    /** The day turned (day.ts, inside the commit): the key goes, the marks are deleted. */
    dayTurned: clear,
    /** At start: the key of the marks in the database died with the last process; they go. */
    atStart(): void {
      db.transaction(clear).immediate();
      checkpoint();
    },
    /** After every commit. */
    committed: checkpoint,
  };
}

export type CitizenIds = ReturnType<typeof createCitizenIds>;
