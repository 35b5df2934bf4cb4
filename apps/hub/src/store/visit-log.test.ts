import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { VISIT_LOG_TYPES } from '@xephang/protocol';
import { openDatabase } from '../db/open';
import { visitLog } from './visit-log';

const ROOT = resolve(__dirname, '../../../..');
const WRITER = 'apps/hub/src/store/visit-log.ts';
/**
 * The migrations' test support (db/test/versions.ts) writes a database as an older hub did, its
 * visit log too: it lives in a test folder, which the scan leaves out like every test, and is
 * checked below to be imported by tests alone.
 */

/** Whether a source text inserts rows into the visit log (`events`), in any SQL spelling. */
function insertsIntoEvents(source: string): boolean {
  return /\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?:main\.)?["`[]?events["`\]]?(?=[\s(])/i.test(source);
}

/** Source files under apps/, packages/ and scripts/, without tests, builds and dependencies. */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (['node_modules', 'dist', 'test', 'e2e', 'toolchain', 'coverage'].includes(entry.name)) continue;
      found.push(...sources(path));
    } else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !/\.test\.\w+$/.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

describe('the visit log has one writer', () => {
  it('recognises an insert into events however it is written, and nothing else', () => {
    expect(insertsIntoEvents('db.prepare(`INSERT INTO events (seq, at, type) VALUES (?, ?, ?)`)')).toBe(true);
    expect(insertsIntoEvents("insert  into\n  events(at, type) values (1, 'x')")).toBe(true);
    expect(insertsIntoEvents('INSERT OR IGNORE INTO "events" (at) VALUES (1)')).toBe(true);
    expect(insertsIntoEvents('INSERT INTO main.events (at) VALUES (1)')).toBe(true);
    expect(insertsIntoEvents('SELECT * FROM events WHERE type = ?')).toBe(false);
    expect(insertsIntoEvents('INSERT INTO events_archive (at) VALUES (1)')).toBe(false);
    expect(insertsIntoEvents('INSERT INTO report_days (day) VALUES (?)')).toBe(false);
  });

  it('finds inserts into events only in store/visit-log.ts', () => {
    const writers = ['apps', 'packages', 'scripts']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((file) => insertsIntoEvents(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file).split('\\').join('/'))
      .sort();
    expect(writers).toEqual([WRITER]);
  });

  it('leaves the old-version fixture to the tests: no source of the hub imports it', () => {
    const importers = sources(join(ROOT, 'apps/hub/src'))
      .filter((file) => /from '(\.\.?\/)+(db\/)?test\/versions'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file).split('\\').join('/'));
    expect(importers).toEqual([]);
  });
});

describe('visit-log types', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('knows every type the migrations’ triggers match on', () => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-visit-log-'));
    const db = openDatabase(join(dir, 'x.sqlite'));
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").pluck().all() as string[]).join('\n');
    db.close();
    const literals = [...new Set([...sql.matchAll(/'([a-z]+:[a-zA-Z]+)'/g)].map((m) => m[1]!))];
    // The tally triggers of migration 006 match on the log's types: a list that found none would prove nothing.
    expect(literals.length).toBeGreaterThan(0);
    expect(literals.filter((t) => !(VISIT_LOG_TYPES as readonly string[]).includes(t))).toEqual([]);
  });

  it('writes a line with its broadcast, a note after the last broadcast, and an audit line', () => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-visit-log-'));
    const db = openDatabase(join(dir, 'x.sqlite'));
    const log = visitLog(db);
    db.prepare("INSERT INTO broadcasts (payload) VALUES ('{}'), ('{}')").run();
    log.append(1, { type: 'ticket:issued', at: 10, ticketId: null, serviceId: 'civil', deviceId: 'k1', detail: { priority: 'normal' } });
    log.note({ type: 'ticket:printFailed', at: 20, serviceId: 'civil', detail: { error: 'hết giấy' } });
    log.audit('catalog:imported', { by: 'quản trị' }, 30);
    const rows = db.prepare('SELECT seq, at, type, service_id, counter_id, device_id, detail FROM events ORDER BY id').all();
    db.close();
    expect(rows).toEqual([
      { seq: 1, at: 10, type: 'ticket:issued', service_id: 'civil', counter_id: null, device_id: 'k1', detail: '{"priority":"normal"}' },
      { seq: 2, at: 20, type: 'ticket:printFailed', service_id: 'civil', counter_id: null, device_id: null, detail: '{"error":"hết giấy"}' },
      { seq: 2, at: 30, type: 'catalog:imported', service_id: null, counter_id: null, device_id: null, detail: '{"by":"quản trị"}' },
    ]);
  });
});
