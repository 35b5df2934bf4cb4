import { afterEach, describe, expect, it } from '@jest/globals';
import type { Database } from 'better-sqlite3';
import { STARTER_CATALOG } from '@xephang/catalog';
import { openDatabase } from '../db/open';
import { catalogStore } from './catalog-store';

const AT = Date.parse('2025-07-14T08:00:00+07:00');

let db: Database | undefined;
afterEach(() => {
  db?.close();
});

/** A real (in-memory) database with the real migrations and the fields named here. */
function withFields(...ids: string[]) {
  db = openDatabase(':memory:');
  const insert = db.prepare("INSERT INTO services (id, name_vi, name_en, kind, block_start, sort_order) VALUES (?, ?, ?, 'commune', ?, ?)");
  ids.forEach((id, i) => insert.run(id, id, id, 1001 + i * 1000, i));
  return { db, store: catalogStore(db) };
}

describe('catalogStore', () => {
  it('writes the starter catalog once, only for the fields the center has', () => {
    const { store } = withFields('civil', 'police');
    expect(store.seedStarter(AT)).toBe(true);
    const expected = STARTER_CATALOG.filter((p) => p.serviceId === 'civil' || p.serviceId === 'police');
    expect(expected.length).toBeGreaterThan(0);
    expect(store.list()).toEqual(expected);
    expect(store.seedStarter(AT)).toBe(false);
    expect(store.version()).toBe(1);
  });

  it('answers a client that holds the current version with the version alone', () => {
    const { store } = withFields('civil');
    expect(store.reply(undefined)).toEqual({ version: 0, procedures: [] });
    store.apply([{ code: 'A', name: 'Một', serviceId: 'civil', papers: [] }], 'merge', AT);
    expect(store.reply(0)).toEqual({ version: 1, procedures: [{ code: 'A', name: 'Một', serviceId: 'civil', papers: [] }] });
    expect(store.reply(1)).toEqual({ version: 1 });
  });

  it('a merge keeps an updated procedure in its place and puts new ones last; a replace takes the file order', () => {
    const { store } = withFields('civil');
    const p = (code: string, name = code) => ({ code, name, serviceId: 'civil', papers: [] });
    store.apply([p('B'), p('A')], 'merge', AT);
    expect(store.apply([p('C'), { ...p('B', 'Bê'), keywords: ['bê'] }], 'merge', AT)).toEqual({ added: 1, updated: 1, removed: 0, total: 3 });
    expect(store.list().map((x) => x.code)).toEqual(['B', 'A', 'C']);
    // A file has no keywords column: updating B from one keeps the keywords it had.
    store.apply([p('B', 'Bờ')], 'merge', AT);
    expect(store.get('B')).toEqual({ ...p('B', 'Bờ'), keywords: ['bê'] });
    expect(store.apply([p('C'), p('A')], 'replace', AT)).toEqual({ added: 0, updated: 2, removed: 1, total: 2 });
    expect(store.list().map((x) => x.code)).toEqual(['C', 'A']);
  });
});
