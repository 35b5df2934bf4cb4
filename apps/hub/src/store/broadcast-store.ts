import type { Database } from 'better-sqlite3';

/** Broadcasts kept (with their sequence numbers) so a screen that reconnects can catch up. */
export function broadcastStore(db: Database) {
  const insert = db.prepare<[string], { seq: number }>('INSERT INTO broadcasts (payload) VALUES (?) RETURNING seq');
  const last = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM broadcasts');
  const first = db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM broadcasts');
  const after = db.prepare<[number, number], { seq: number; payload: string }>('SELECT seq, payload FROM broadcasts WHERE seq > ? ORDER BY seq LIMIT ?');
  const prune = db.prepare('DELETE FROM broadcasts WHERE seq <= ?');
  return {
    /** Stores what goes out to the screens and returns its sequence number. */
    add: (payload: object): number => insert.get(JSON.stringify(payload))!.seq,
    lastSeq: (): number => last.get()!.seq ?? 0,
    firstSeq: (): number | null => first.get()!.seq,
    after: (seq: number, limit: number) => after.all(seq, limit),
    prune: (upToSeq: number) => void prune.run(upToSeq),
  };
}

export type BroadcastStore = ReturnType<typeof broadcastStore>;
