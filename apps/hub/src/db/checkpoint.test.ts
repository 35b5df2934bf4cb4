import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { startCheckpoints, type CheckpointResult } from './checkpoint';
import { openDatabase } from './open';

/** Waits, without a time limit of its own (jest's is the limit), for what the checkpoint thread reports. */
function until(results: CheckpointResult[], done: (r: CheckpointResult) => boolean): Promise<CheckpointResult> {
  return new Promise((resolve) => {
    const look = () => {
      const found = results.find(done);
      if (found) resolve(found);
      else setTimeout(look, 20);
    };
    look();
  });
}

describe('checkpoints off the commit path', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-checkpoint-'));
    const file = join(dir, 'xephang.sqlite');
    const db = openDatabase(file);
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL) STRICT');
    return { db, file };
  };
  /** `n` commits of about 4 pages each, as the hub makes them: one immediate transaction each. */
  const commits = (db: Database.Database, n: number) => {
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    const one = db.transaction(() => insert.run(Buffer.alloc(12_000, 7)));
    for (let i = 0; i < n; i++) one.immediate();
  };
  const walPages = (db: Database.Database) => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log;

  it("leaves the hub's connection writing only its WAL, and copies the WAL into the database on its own thread", async () => {
    const { db, file } = open();
    const results: CheckpointResult[] = [];
    const checkpoints = startCheckpoints(db, { busyMs: 30, quietMs: 30, onCheckpoint: (r) => results.push(r) });
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      // Past SQLite's default of 1000 pages: by default the commit that crosses it checkpoints.
      commits(db, 400);
      checkpoints.committed();
      // The database file alone, copied without its WAL, comes to hold everything committed.
      const copy = join(dir, 'copy.sqlite');
      const rowsInFile = () => {
        copyFileSync(file, copy);
        try {
          const reader = new Database(copy, { readonly: true });
          try {
            return reader.prepare('SELECT count(*) FROM filler').pluck().get();
          } finally {
            reader.close();
          }
        } catch {
          return undefined; // copied while the thread was writing it: look again
        }
      };
      await new Promise<void>((resolve) => {
        const look = () => (rowsInFile() === 400 && results.length > 0 ? resolve() : setTimeout(look, 20));
        look();
      });
      expect(results.some((r) => r.mode === 'PASSIVE' && r.checkpointed > 0)).toBe(true);
    } finally {
      await checkpoints.stop();
      db.close();
    }
    // The hub's connection, the last one, checkpoints what is left and removes the WAL as before.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('has a WAL past its bound start over, so a hub that never pauses does not grow it forever', async () => {
    const { db, file } = open();
    const results: CheckpointResult[] = [];
    const checkpoints = startCheckpoints(db, { busyMs: 30, quietMs: 30, boundPages: 200, onCheckpoint: (r) => results.push(r) });
    try {
      commits(db, 100);
      checkpoints.committed();
      const restarted = await until(results, (r) => r.mode === 'RESTART');
      expect(restarted.log).toBeGreaterThanOrEqual(200);
      // The next commit writes the WAL from its start again: a few pages, where the bound was passed.
      commits(db, 1);
      expect(walPages(db)).toBeGreaterThan(0);
      expect(walPages(db)).toBeLessThan(20);
      // The file is kept for the next burst (up to 64 MiB), not cut to nothing.
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(101);
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });

  it('hands the checkpoints back to SQLite if its thread cannot run', async () => {
    const { db } = open();
    const lines: string[] = [];
    // The folder gone under the open connection: the thread cannot open the database at start.
    rmSync(dir, { recursive: true, force: true });
    const checkpoints = startCheckpoints(db, { busyMs: 30, quietMs: 30, log: (line) => lines.push(line) });
    commits(db, 1);
    checkpoints.committed();
    await new Promise<void>((resolve) => {
      const look = () => (lines.some((l) => l.startsWith('luồng checkpoint dừng')) ? resolve() : setTimeout(look, 20));
      look();
    });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpoints.stop();
    db.close();
  });

  it('ends its thread when quiet with the WAL all copied, and starts one again at the next commit that writes', async () => {
    const { db } = open();
    const checkpoints = startCheckpoints(db, { busyMs: 20, quietMs: 20, endAfterMs: 100 });
    try {
      expect(checkpoints.running()).toBe(false);
      commits(db, 10);
      checkpoints.committed();
      expect(checkpoints.running()).toBe(true);
      await new Promise<void>((resolve) => {
        const look = () => (checkpoints.running() ? setTimeout(look, 20) : resolve());
        look();
      });
      // Ended by itself, not failed: the hub's connection still leaves the checkpoints to the thread.
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      // A commit that wrote nothing (the hub's timer) does not start it.
      db.transaction(() => undefined).immediate();
      checkpoints.committed();
      expect(checkpoints.running()).toBe(false);
      commits(db, 1);
      checkpoints.committed();
      expect(checkpoints.running()).toBe(true);
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });
});
