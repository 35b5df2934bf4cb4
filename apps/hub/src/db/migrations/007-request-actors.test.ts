import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../open';
import { allRows, soundness, upgrade } from '../test/versions';

describe('migration 007: stored replies and clerk sessions', () => {
  it('adds the actor of a stored reply and the day and last use of a session, keeping the rows there', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const m of MIGRATIONS.filter((x) => x.version <= 6)) m.up(db);
    db.pragma('user_version = 6');
    db.prepare("INSERT INTO requests (id, command, reply, at) VALUES ('req-00000001', 'counter:next', '{}', 1)").run();

    migrate(db);

    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // A reply stored before 007 has no actor: answered to anyone until pruned.
    expect(db.prepare('SELECT id, actor FROM requests').all()).toEqual([{ id: 'req-00000001', actor: null }]);
    const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('requests')).toContain('actor');
    expect(columns('clerk_sessions')).toEqual(expect.arrayContaining(['day', 'last_active_at']));
    db.close();
  });

  it('keeps a day of rows in a file, the new columns empty, and refuses a last use that is not a time', () => {
    const t = upgrade(7);
    try {
      const after = allRows(t.db);
      expect(after.requests).toEqual((t.before.requests as object[]).map((r) => ({ ...r, actor: null })));
      expect(after.clerk_sessions).toEqual((t.before.clerk_sessions as object[]).map((r) => ({ ...r, day: null, last_active_at: null })));
      expect({ ...after, requests: t.before.requests, clerk_sessions: t.before.clerk_sessions }).toEqual(t.before);
      // How the hub now writes them: a session's day and last use, a reply's actor.
      t.db.prepare('UPDATE clerk_sessions SET day = ?, last_active_at = ? WHERE ended_at IS NULL').run('2026-11-27', 1);
      t.db.prepare("INSERT INTO requests (id, command, reply, at, actor) VALUES ('req-00000002', 'counter:next', '{}', 2, 'counter:1')").run();
      expect(() => t.db.prepare("UPDATE clerk_sessions SET last_active_at = 'hôm nay'").run()).toThrow(/cannot store TEXT value in INTEGER column clerk_sessions.last_active_at/);
      expect(soundness(t.db)).toEqual({ integrity: 'ok', foreignKeys: [] });
    } finally {
      t.dispose();
    }
  });
});
