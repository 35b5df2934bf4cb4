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
    const civilCounters = stores.config.counters().filter((c) => c.status === 'open' && c.serviceIds.includes('civil')).length;
    expect(civilCounters).toBeGreaterThan(0);
    expect(byField.civil).toEqual({ waiting: 3, openCounters: civilCounters, estimatedWaitMinutes: load.estimate('civil', 3, OPEN) });
    expect(byField.land).toMatchObject({ waiting: 0 });
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
