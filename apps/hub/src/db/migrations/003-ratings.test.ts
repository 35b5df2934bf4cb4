import { afterEach, describe, expect, it } from '@jest/globals';
import { DAY_START, MINUTE, allRows, isStrict, planOf, schemaNames, soundness, upgrade } from '../test/versions';

describe('migration 003: ratings, and rating tablets as a device role', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  const migrated = () => {
    const t = upgrade(3);
    dispose = t.dispose;
    return t;
  };

  it('keeps every device and pairing code as it was through the rebuild of their tables', () => {
    const { db, before } = migrated();
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(allRows(db)).toEqual({ ...before, ratings: [] });
    expect(before.devices).toHaveLength(3);
    expect(before.pairing_codes).toHaveLength(2);
    for (const table of ['devices', 'pairing_codes', 'ratings']) expect(isStrict(db, table)).toBe(true);
    expect(schemaNames(db, 'table')).not.toEqual(expect.arrayContaining(['devices_new', 'pairing_codes_new']));
    expect(schemaNames(db, 'index')).toEqual(expect.arrayContaining(['ratings_by_at', 'tickets_done_by_counter']));
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('pairs a rating tablet, and the rebuilt tables keep their rules', () => {
    const { db } = migrated();
    const pair = db.prepare('INSERT INTO devices (id, role, counter_id, name, token_hash, paired_at) VALUES (?, ?, ?, ?, ?, ?)');
    pair.run('tablet-1', 'rating', 1, 'Máy đánh giá quầy 1', 'dG9rZW4tdGFibGV0', DAY_START);
    db.prepare('INSERT INTO pairing_codes (code, role, counter_id, expires_at) VALUES (?, ?, ?, ?)').run('771204', 'rating', 2, DAY_START);
    expect(() => pair.run('printer-1', 'printer', null, 'Máy in', 'dG9rZW4tcHJpbnRlcg', DAY_START)).toThrow(/CHECK constraint failed/);
    // A token opens one device only; a device sits at a counter that exists.
    expect(() => pair.run('tablet-2', 'rating', 2, 'Máy đánh giá quầy 2', 'dG9rZW4tdGFibGV0', DAY_START)).toThrow(/UNIQUE constraint failed: devices.token_hash/);
    expect(() => pair.run('tablet-9', 'rating', 9, 'Máy đánh giá quầy 9', 'dG9rZW4tOQ', DAY_START)).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => pair.run('tablet-3', 'rating', 'ba', 'Máy đánh giá quầy 3', 'dG9rZW4tMw', DAY_START)).toThrow(/cannot store TEXT value in INTEGER column devices.counter_id/);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('takes one rating per finished visit, from 1 to 4, and finds the visit a counter finished last by its index', () => {
    const { db } = migrated();
    // How the hub writes a rating: a second tap, a retry or another tablet adds none.
    const rate = db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING');
    expect(rate.run('t-civil-1', 1, 1, 4, DAY_START + 26 * MINUTE).changes).toBe(1);
    expect(rate.run('t-civil-1', 1, 1, 1, DAY_START + 27 * MINUTE).changes).toBe(0);
    expect(db.prepare('SELECT ticket_id, score FROM ratings').all()).toEqual([{ ticket_id: 't-civil-1', score: 4 }]);
    expect(() => rate.run('t-civil-2', 1, 1, 5, DAY_START)).toThrow(/CHECK constraint failed/);
    expect(() => rate.run('t-civil-2', 1, 1, 0, DAY_START)).toThrow(/CHECK constraint failed/);
    expect(() => rate.run('t-nowhere', 1, 1, 3, DAY_START)).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => rate.run('t-civil-2', 1, 1, 'Rất hài lòng', DAY_START)).toThrow(/cannot store TEXT value in INTEGER column ratings.score/);

    const lastFinished = "SELECT id FROM tickets WHERE counter_id = ? AND state = 'done' ORDER BY finished_at DESC LIMIT 1";
    expect(db.prepare(lastFinished).pluck().get(1)).toBe('t-civil-1');
    expect(planOf(db, lastFinished, 1)).toMatch(/USING INDEX tickets_done_by_counter/);
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });
});
