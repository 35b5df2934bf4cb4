import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../open';

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
});
