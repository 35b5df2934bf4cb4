import type { Database } from 'better-sqlite3';

/** Replies stored by request id, with whom they belong to: a repeated request gets the same answer. */
export function replyStore(db: Database) {
  const get = db.prepare<[string], { command: string; reply: string; actor: string | null }>('SELECT command, reply, actor FROM requests WHERE id = ?');
  const put = db.prepare('INSERT INTO requests (id, command, reply, at, actor) VALUES (?, ?, ?, ?, ?)');
  const set = db.prepare('UPDATE requests SET reply = ? WHERE id = ?');
  const prune = db.prepare('DELETE FROM requests WHERE at < ?');
  return {
    get: (requestId: string) => get.get(requestId),
    put: (requestId: string, command: string, reply: unknown, at: number, actor: string | null) => void put.run(requestId, command, JSON.stringify(reply), at, actor),
    /** Rewrites a stored reply once the rest of its answer is known (a ticket's print outcome). */
    update: (requestId: string, reply: unknown) => void set.run(JSON.stringify(reply), requestId),
    prune: (before: number) => void prune.run(before),
  };
}

export type ReplyStore = ReturnType<typeof replyStore>;
