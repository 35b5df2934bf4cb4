import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateWaitMinutes, meanServiceMs } from '@xephang/core';
import type { Opening } from '@xephang/protocol';
import { openDatabase } from './db/open';
import { createLoad } from './load';
import { createStores, type Stores } from './store';

const OPEN: Opening = { state: 'open', closesAt: null };
const DAY = '2025-07-10';
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+07:00`);

describe('the waiting load and the one wait estimate', () => {
  let dir: string;
  let db: Database.Database;
  let stores: Stores;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-load-'));
    db = openDatabase(join(dir, 'xephang.sqlite'));
    stores = createStores(db);
    stores.config.seedDefaults('hub-test');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('promises no wait while no counter of the field is open, or outside a session', () => {
    const load = createLoad(stores);
    expect(load.estimate('civil', 3, OPEN)).toBeNull();
    stores.config.setCounterStatus(1, 'open');
    expect(load.estimate('civil', 3, { state: 'closed', opensAt: null })).toBeNull();
    expect(load.estimate('civil', 3, OPEN)).toBe(estimateWaitMinutes(3, meanServiceMs([]), 1));
  });

  it('counts the waiting tickets and open counters of each field, with the same estimate', () => {
    const load = createLoad(stores);
    stores.config.setCounterStatus(1, 'open');
    stores.config.setCounterStatus(2, 'open');
    for (const n of [2001, 2002, 2003]) {
      stores.tickets.insert({ id: `${DAY}-${n}`, day: DAY, number: n, serviceId: 'civil', priority: 'normal', issuedAt: at('08:00') + n, deviceId: null });
    }
    const byField = load.loadOf(DAY, OPEN);
    // Counters 1 and 2 call civil status: 3 ahead × 8 minutes (no visit finished yet) / 2 counters.
    expect(byField.civil).toEqual({ waiting: 3, openCounters: 2, estimatedWaitMinutes: 12 });
    expect(load.estimate('civil', 3, OPEN)).toBe(12);
    // Land is called by counters 3 and 6, both closed.
    expect(byField.land).toEqual({ waiting: 0, openCounters: 0, estimatedWaitMinutes: null });
  });

  it('keeps a field’s mean service time until a visit of it finishes, or a rollback', () => {
    const load = createLoad(stores);
    stores.config.setCounterStatus(1, 'open');
    expect(load.estimate('civil', 2, OPEN)).toBe(16);
    // A 20-minute visit finished: read again only once the load is told.
    stores.tickets.insert({ id: `${DAY}-2001`, day: DAY, number: 2001, serviceId: 'civil', priority: 'normal', issuedAt: at('08:00'), deviceId: null });
    db.prepare("UPDATE tickets SET state = 'done', started_at = ?, finished_at = ? WHERE id = ?").run(at('08:10'), at('08:30'), `${DAY}-2001`);
    expect(load.estimate('civil', 2, OPEN)).toBe(16);
    load.finished('civil');
    expect(load.estimate('civil', 2, OPEN)).toBe(40);
    // A rollback may have undone the visit a mean was read with: every mean is read again.
    db.prepare("UPDATE tickets SET state = 'serving', finished_at = NULL WHERE id = ?").run(`${DAY}-2001`);
    expect(load.estimate('civil', 2, OPEN)).toBe(40);
    load.forget();
    expect(load.estimate('civil', 2, OPEN)).toBe(16);
  });

  it('reads the opening from the admin’s hours, unless the hub runs at any hour', () => {
    expect(createLoad(stores).openingOf(at('06:00')).state).not.toBe('open');
    expect(createLoad(stores).openingOf(at('09:00')).state).toBe('open');
    expect(createLoad(stores, { anyHours: true }).openingOf(at('06:00'))).toEqual(OPEN);
  });

  it('says when the opening changed since it was last sent', () => {
    const load = createLoad(stores);
    expect(load.openingChanged(at('09:00'))).toBe(false);
    expect(load.openingChanged(at('10:00'))).toBe(false);
    expect(load.openingChanged(at('12:00'))).toBe(true);
    load.sent(load.openingOf(at('12:00')));
    expect(load.openingChanged(at('12:05'))).toBe(false);
  });
});
