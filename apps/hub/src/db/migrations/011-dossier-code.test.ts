import { afterEach, describe, expect, it } from '@jest/globals';
import { allRows, columnsOf, planOf, schemaNames, soundness, upgrade } from '../test/versions';

describe('migration 011: the dossier code on the visit', () => {
  let dispose = () => {};
  afterEach(() => dispose());
  const at = (version: number) => {
    const u = upgrade(version);
    dispose = u.dispose;
    return u;
  };

  it('keeps every row as it was, each ticket without a code', () => {
    const { db, before } = at(11);
    const after = allRows(db);
    const tickets = after.tickets as Record<string, unknown>[];
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((t) => t.dossier_code === null)).toBe(true);
    expect(tickets.map(({ dossier_code: _code, ...rest }) => rest)).toEqual(before.tickets);
    expect({ ...after, tickets: [] }).toEqual({ ...before, tickets: [] });
    expect(soundness(db)).toEqual({ integrity: 'ok', foreignKeys: [] });
  });

  it('finds a visit by its code through the partial index, and refuses an empty or overlong code', () => {
    const { db } = at(11);
    expect(columnsOf(db, 'tickets')).toContain('dossier_code');
    expect(schemaNames(db, 'index')).toContain('tickets_by_dossier');
    expect(planOf(db, 'SELECT id FROM tickets WHERE dossier_code = ?', 'H12-0001')).toContain('tickets_by_dossier');
    const id = db.prepare('SELECT id FROM tickets LIMIT 1').pluck().get() as string;
    db.prepare('UPDATE tickets SET dossier_code = ? WHERE id = ?').run('000.00.12.H12-250710-0001', id);
    expect(db.prepare('SELECT id FROM tickets WHERE dossier_code = ?').pluck().all('000.00.12.H12-250710-0001')).toEqual([id]);
    expect(() => db.prepare('UPDATE tickets SET dossier_code = ? WHERE id = ?').run('', id)).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE tickets SET dossier_code = ? WHERE id = ?').run('x'.repeat(81), id)).toThrow(/CHECK/);
  });
});
