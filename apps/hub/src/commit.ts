import type { Database } from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import type { HubEvent, LoadByService, Opening, Role } from '@xephang/protocol';
import type { Stores } from './store';
import type { VisitLogLine } from './store/visit-log';

/** Who sent a command: from the socket's handshake and login, never from the payload. */
export interface Actor {
  deviceId: string | null;
  counterId: number | null;
  clerkId: number | null;
  /** The socket's role; absent only for the hub's own changes. */
  role?: Role;
}

/**
 * Whom a stored reply belongs to: a paired device (any of its sockets), else the role and
 * counter of an unpaired screen on the hub PC.
 */
export function actorKey(actor: Actor): string {
  return actor.deviceId !== null ? `device:${actor.deviceId}` : `${actor.role ?? 'hub'}:${actor.counterId ?? '-'}`;
}

/** Replies stored before migration 007 have no actor and are answered to anyone. */
export function sameActor(stored: string | null, by: string | null): boolean {
  return stored === null || stored === by;
}

/** The refusal of a request id another device already used. */
export function reusedId(requestId: string): QueueError {
  return new QueueError(
    'invalid_payload',
    `Mã yêu cầu ${requestId} đã được một thiết bị khác dùng. Mỗi lệnh mới cần một mã yêu cầu mới (requestId không trùng).`,
  );
}

/** A command's result: its reply, and what to broadcast once the transaction has committed. */
export interface Result<T> {
  reply: T;
  events: HubEvent[];
  /** Answered from the stored reply of an earlier command with the same request id: nothing was done. */
  replayed?: true;
}

/** An event before it has its sequence number and the load and opening of the commit. */
export type Pending = HubEvent extends unknown ? DistributiveOmit<HubEvent, 'seq' | 'load' | 'opening'> : never;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Stores one broadcast and its visit-log lines; sent after the commit. */
export type Emit = (event: Pending, ...log: VisitLogLine[]) => void;
/** Runs `body` as one command (see createCommit). */
export type Run = <T>(command: string, requestId: string | undefined, body: (now: number) => T, actor?: Actor) => Result<T>;

/** What the commit runner does around every command's body; given by the composition (commands/index.ts). */
export interface CommitHooks {
  /** Before the body: turn the day, end the sessions that ran out. */
  begin(now: number): void;
  /** After the body, in the same transaction (a reset moved earlier turns the day at once). */
  end(now: number, actor: Actor | undefined): void;
  /** The opening at `now`, and the load when something is broadcast, attached to every event. */
  attach(now: number, withLoad: boolean): { opening: Opening; load: LoadByService };
  /** A committed broadcast went out with this opening. */
  sent(opening: Opening): void;
  /** After a rollback: what was cached from inside the transaction is not true any more. */
  reset(): void;
}

export interface CommitOptions {
  now: () => number;
  log?: (line: string) => void;
  hooks: CommitHooks;
  /**
   * How long a completed reply may wait for the next command's commit before it is written on
   * its own (default 1 s; see `completeReply`).
   */
  completeWithinMs?: number;
  /** After every commit (the checkpoint thread, db/checkpoint.ts, starts if it is not running). */
  committed?: () => void;
}

const COMPLETE_WITHIN_MS = 1000;

/**
 * The one way the hub writes: every command runs as one immediate SQLite transaction that
 * answers a repeated request id from the stored reply (only to the actor who sent it first),
 * checks the day before and after the body, numbers what it broadcasts and logs the visit
 * through `emit`, and stores the reply. Nothing here awaits; callers broadcast the returned
 * events after it returns, so nothing is sent that did not commit.
 */
export function createCommit(db: Database, stores: Pick<Stores, 'replies' | 'broadcasts' | 'visitLog'>, options: CommitOptions) {
  const { replies, broadcasts, visitLog } = stores;
  const { hooks } = options;
  let pending: { events: Pending[]; seqs: number[] } | undefined;
  /** Stored replies completed since the last commit, by request id (see `completeReply`). */
  const completions = new Map<string, unknown>();
  let completionTimer: NodeJS.Timeout | undefined;

  /** Writes the completed replies inside the caller's transaction; they are dropped once it commits. */
  function writeCompletions(): void {
    for (const [requestId, reply] of completions) replies.update(requestId, reply);
  }

  function committed(): void {
    options.committed?.();
    if (completions.size === 0) return;
    completions.clear();
    clearTimeout(completionTimer);
    completionTimer = undefined;
  }

  /** Writes what is still waiting in a commit of its own (the timer, the hub stopping). */
  function flush(): void {
    if (completions.size === 0) return;
    db.transaction(writeCompletions).immediate();
    committed();
  }

  // Built once: better-sqlite3 makes new wrappers for every transaction() call.
  const txn = db.transaction(<T>(command: string, requestId: string | undefined, body: (now: number) => T, actor: Actor | undefined, now: number): Result<T> => {
    // First, so a repeat below reads its reply completed.
    writeCompletions();
    const by = actor ? actorKey(actor) : null;
    if (requestId) {
      const stored = replies.get(requestId);
      if (stored) {
        if (stored.command !== command) {
          throw new QueueError(
            'invalid_payload',
            `Mã yêu cầu ${requestId} đã dùng cho lệnh ${stored.command}. Mỗi lệnh mới cần một mã yêu cầu mới.`,
          );
        }
        if (!sameActor(stored.actor, by)) {
          options.log?.(`mã yêu cầu của thiết bị khác bị dùng lại (${command}, ${requestId.slice(0, 64)}) bởi ${by ?? 'không rõ'}: đã từ chối`);
          throw reusedId(requestId);
        }
        return { reply: JSON.parse(stored.reply) as T, events: [], replayed: true };
      }
    }
    pending = { events: [], seqs: [] };
    hooks.begin(now);
    const reply = body(now);
    hooks.end(now, actor);
    if (requestId) replies.put(requestId, command, reply, now, by);
    const { opening, load } = hooks.attach(now, pending.events.length > 0);
    const { events, seqs } = pending;
    return { reply, events: events.map((e, i) => ({ ...e, seq: seqs[i]!, load, opening }) as HubEvent) };
  });

  const run: Run = <T>(command: string, requestId: string | undefined, body: (now: number) => T, actor?: Actor): Result<T> => {
    try {
      const result = txn.immediate(command, requestId, body, actor, options.now()) as Result<T>;
      committed();
      if (result.events.length > 0) hooks.sent(result.events[0]!.opening);
      return result;
    } catch (error) {
      hooks.reset();
      throw error;
    } finally {
      pending = undefined;
    }
  };

  const emit: Emit = (event, ...log) => {
    if (!pending) throw new Error('emit outside a queue transaction');
    const seq = broadcasts.add(event);
    for (const line of log) visitLog.append(seq, line);
    pending.events.push(event);
    pending.seqs.push(seq);
  };

  return {
    run,
    emit,
    /** Whether a request id already has a stored reply for this actor (a retry, not a new command). */
    answered(requestId: string, actor: Actor): boolean {
      const stored = replies.get(requestId);
      return stored !== undefined && sameActor(stored.actor, actorKey(actor));
    },
    /**
     * Completes a stored reply once the rest of its answer is known (a ticket's print outcome),
     * so a repeat says the same. Written inside the next command's commit, not in a commit of its
     * own: a second fsync per ticket halved the kiosks' throughput. Until then a repeat is answered
     * from the printing's memory (issuing.ts), and a hub that loses power in that second says what
     * it says after a stop mid-print: not known whether the ticket printed. The number itself was
     * durable before the reply went out.
     */
    completeReply(requestId: string, reply: unknown): void {
      completions.set(requestId, reply);
      completionTimer ??= setTimeout(() => {
        completionTimer = undefined;
        try {
          flush();
        } catch (error) {
          options.log?.(`không ghi được phản hồi đã hoàn tất: ${error instanceof Error ? error.message : String(error)}`);
        }
      }, options.completeWithinMs ?? COMPLETE_WITHIN_MS);
      completionTimer.unref();
    },
    /** Writes the completed replies still waiting for a commit: before the database closes. */
    flush,
  };
}

export type Commit = ReturnType<typeof createCommit>;
