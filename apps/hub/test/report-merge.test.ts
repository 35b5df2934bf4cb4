import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { CommuneConfigSchema } from '@xephang/protocol';
import { dayClips, decodeTally, emptyTally, encodeTally, mergeReport, resolveRange, type DayTally } from '@xephang/reports';
import { openDatabase } from '../src/db/open';
import { createCommands } from '../src/commands';
import { createStores } from '../src/store';
import { computeReport, reportNames } from '../src/reports';
import { tallyDay } from '../src/reports/tally';
import { rid } from '@xephang/testing';

const DAY_MS = 86_400_000;
const OFFSET = 420;
const at = (iso: string) => Date.parse(`${iso}+07:00`);
/** The whole local day (UTC+7) of a date, as a report clip. */
const wholeDay = (date: string) => {
  const from = at(`${date}T00:00:00`);
  return { day: Date.parse(`${date}T00:00:00Z`) / DAY_MS, from, to: from + DAY_MS };
};

describe('@xephang/reports against the hub’s own database', () => {
  let dir: string;
  let db: Database.Database;
  let clerk: number;
  const evening = at('2025-07-12T18:00:00');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-report-merge-'));
    db = openDatabase(join(dir, 'xephang.sqlite'));
    // Thursday 10 July has visits, a wait, a pause and a rating; the 9th and the 11th stay empty.
    let now = at('2025-07-10T07:30:00');
    const stores = createStores(db);
    const queue = createCommands(db, stores, { now: () => now });
    queue.seed('hub-test');
    clerk = stores.access.createClerk('Trần Văn Bình', 'not-a-pin', [2], now);
    const desk = { deviceId: null, counterId: 2, clerkId: clerk };
    queue.counters.login({ id: clerk, name: 'Trần Văn Bình', counterIds: [2] }, 2, 'session', desk);
    queue.counters.setStatus('open', desk);
    now = at('2025-07-10T08:15:00');
    for (const serviceId of ['land', 'civil', 'civil']) queue.tickets.issue({ requestId: rid(), serviceId, priority: 'normal' }, { deviceId: 'k', counterId: null, clerkId: null });
    for (const minutes of [3, 11]) {
      now += minutes * 60_000;
      queue.counters.next({ requestId: rid() }, desk);
      now += 4 * 60_000 + minutes * 17;
      queue.counters.finish({ requestId: rid(), outcome: minutes === 3 ? 'guidance' : 'received' }, desk);
    }
    const rated = db.prepare("SELECT id FROM tickets WHERE state = 'done' ORDER BY finished_at LIMIT 1").pluck().get() as string;
    db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES (?, 2, ?, 3, ?)').run(rated, clerk, now);
    now += 60_000;
    queue.counters.setStatus('pause', desk, 'Nghỉ trưa');
    now += 45 * 60_000;
    queue.counters.setStatus('open', desk);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('emptyTally() is what the hub tallies for a day with nothing in it', () => {
    const empty = tallyDay(db, wholeDay('2025-07-11'), OFFSET, evening);
    expect(empty).toEqual(emptyTally());
    expect(decodeTally(encodeTally(empty))).toEqual(emptyTally());
    // …and not what it tallies for a day with visits, or the test above could not fail.
    expect(tallyDay(db, wholeDay('2025-07-10'), OFFSET, evening)).not.toEqual(emptyTally());
  });

  it('a real day’s bytes cut at every length decode to nothing', () => {
    const bytes = encodeTally(tallyDay(db, wholeDay('2025-07-10'), OFFSET, evening));
    expect(decodeTally(bytes)?.served).toBe(2);
    for (let n = 0; n < bytes.length; n++) expect(decodeTally(bytes.subarray(0, n))).toBeUndefined();
  });

  it('merging the days as the province gets them (bytes, emptyTally for a day never sent, the config as JSON) gives the hub’s report', () => {
    const range = resolveRange({ week: '2025-W28' }, OFFSET);
    const clips = dayClips(range.from, range.to, OFFSET);
    const sent = new Map<number, Buffer>([[wholeDay('2025-07-10').day, encodeTally(tallyDay(db, wholeDay('2025-07-10'), OFFSET, evening))]]);
    const days: DayTally[] = clips.map((c) => {
      const blob = sent.get(c.day);
      return blob ? decodeTally(Buffer.from(blob.toString('base64'), 'base64'))! : emptyTally();
    });
    const names = CommuneConfigSchema.parse(JSON.parse(JSON.stringify(reportNames(db))));
    const atProvince = mergeReport({ range, clips, days, names, now: evening, utcOffsetMinutes: OFFSET });
    const atHub = computeReport(db, range, { now: evening, utcOffsetMinutes: OFFSET, cache: false });
    expect(atProvince).toEqual(atHub);
    expect(atHub.fieldTotal).toMatchObject({ issued: 3, served: 2, guidance: 1, received: 1 });
    expect(atHub.clerks.map((c) => [c.name, c.served, c.pausedMs, c.ratingV5.count])).toEqual([['Trần Văn Bình', 2, 45 * 60_000, 1]]);
  });

  it('refuses tallies that do not match the days', () => {
    const range = resolveRange({ day: '2025-07-10' }, OFFSET);
    const clips = dayClips(range.from, range.to, OFFSET);
    expect(() => mergeReport({ range, clips, days: [], names: reportNames(db), now: evening, utcOffsetMinutes: OFFSET })).toThrow('0 tallies for 1 days');
  });
});
