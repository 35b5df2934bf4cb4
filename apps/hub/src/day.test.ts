import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pending } from './commit';
import { createDay } from './day';
import { openDatabase } from './db/open';
import { createStores, type Stores } from './store';
import type { VisitLogLine } from './store/visit-log';

/** 08:00 in Vietnam on `day`. */
const morning = (day: string) => Date.parse(`${day}T08:00:00+07:00`);

describe('the service day', () => {
  let dir: string;
  let db: Database.Database;
  let stores: Stores;
  let emitted: { event: Pending; log: VisitLogLine[] }[];
  let logged: string[];
  const day = () => createDay(stores, { log: (line) => logged.push(line), emit: (event, ...log) => void emitted.push({ event, log }) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-day-'));
    db = openDatabase(join(dir, 'xephang.sqlite'));
    stores = createStores(db);
    stores.config.seedDefaults('hub-test');
    emitted = [];
    logged = [];
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns to a new day once, expiring what still waited from the day before', () => {
    const d = day();
    d.rollover(morning('2025-07-10'));
    stores.tickets.insert({ id: '2025-07-10-2001', day: '2025-07-10', number: 2001, serviceId: 'civil', priority: 'normal', issuedAt: morning('2025-07-10'), deviceId: null });
    emitted = [];
    d.rollover(morning('2025-07-11'));
    d.rollover(morning('2025-07-11') + 60_000);
    expect(stores.config.meta('day')).toBe('2025-07-11');
    expect(stores.tickets.get('2025-07-10-2001')?.state).toBe('expired');
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.event).toMatchObject({ type: 'day:started', day: '2025-07-11', expired: 1 });
    expect(emitted[0]!.log.map((l) => [l.type, l.ticketId ?? null])).toEqual([
      ['day:started', null],
      ['ticket:expired', '2025-07-10-2001'],
    ]);
  });

  it('stays on its day when the clock goes back less than a day, follows it further back and warns', () => {
    const d = day();
    d.rollover(morning('2025-07-11'));
    // 23:30 on the 10th, a little before the day the queue is on.
    expect(d.dayAt(Date.parse('2025-07-10T23:30:00+07:00'))).toBe('2025-07-11');
    expect(d.dayAt(morning('2025-07-08'))).toBe('2025-07-08');
    d.rollover(morning('2025-07-08'));
    expect(stores.config.meta('day')).toBe('2025-07-08');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('CẢNH BÁO: đồng hồ máy chủ lùi về ngày 2025-07-08, trước ngày hàng đợi đang chạy (2025-07-11)');
  });

  it('reads its day again from the database after a rollback', () => {
    const d = day();
    d.rollover(morning('2025-07-10'));
    const turn = db.transaction(() => {
      d.rollover(morning('2025-07-12'));
      throw new Error('rolled back');
    });
    expect(() => turn()).toThrow('rolled back');
    d.reload();
    expect(stores.config.meta('day')).toBe('2025-07-10');
    emitted = [];
    d.rollover(morning('2025-07-12'));
    expect(emitted.map((e) => e.event.type)).toEqual(['day:started']);
  });
});
