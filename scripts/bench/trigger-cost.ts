/**
 * What the report_days triggers add to the hub's commands: the same visits (issue → next →
 * start → finish, each command its own transaction, through the hub's queue in this process)
 * on two databases that differ only in the triggers, in alternating blocks so the machine's
 * noise falls on both. Each database already keeps a year of day tallies, as a hub would; the
 * visits are today's, so the triggers look for a kept day and find none (as nearly every command
 * of a real day does): this is the cost of the lookups, not of dropping a tally.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { createCommands, createStores, openDatabase } from '@xephang/hub';
import { TALLY_VERSION } from '@xephang/hub/reports';
import { summarize, type Summary } from '../lib/stats';

export interface TriggerCost {
  synchronous: 'FULL' | 'OFF';
  withTriggers: Summary;
  without: Summary;
}

/** The triggers a database is set up without (a LIKE pattern), and whether it is linked to a province (migration 010). */
interface Variant {
  drop?: string;
  linked?: boolean;
}

function setUp(dir: string, name: string, synchronous: 'FULL' | 'OFF', variant: Variant) {
  const db = openDatabase(join(dir, `${name}.sqlite`));
  db.pragma(`synchronous = ${synchronous}`);
  if (variant.drop) {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?").pluck().all(variant.drop) as string[];
    for (const t of names) db.exec(`DROP TRIGGER ${t}`);
  }
  if (variant.linked) {
    db.prepare("INSERT INTO province_link (id, url, commune_code, commune_name, token, epoch, seq_base, enrolled_at) VALUES (1, 'https://tinh.example/', '00004', 'Xã thử', 'bench', 1, 0, 0)").run();
  }
  const start = Date.parse('2025-07-10T07:00:00+07:00');
  const put = db.prepare("INSERT INTO report_days (day, utc_offset_minutes, version, tally, computed_at) VALUES (?, ?, ?, x'00', 0)");
  const today = Math.floor((start + VIETNAM_UTC_OFFSET_MINUTES * 60_000) / 86_400_000);
  for (let d = today - 365; d < today; d++) put.run(d, VIETNAM_UTC_OFFSET_MINUTES, TALLY_VERSION);
  let now = start;
  const stores = createStores(db);
  const queue = createCommands(db, stores, { now: () => now });
  queue.seed(randomUUID());
  // Counter 6 calls every commune field: four blocks of 999 numbers a day.
  const clerkId = stores.access.createClerk('Cán bộ thử', 'bench-no-login', [6], now);
  const desk = { deviceId: null, counterId: 6, clerkId };
  queue.counters.login({ id: clerkId, name: 'Cán bộ thử', counterIds: [6] }, 6, randomUUID(), desk);
  const fields = ['civil', 'land', 'business', 'culture'];
  let n = 0;
  queue.counters.setStatus('open', desk);
  const kiosk = { deviceId: 'bench-kiosk', counterId: null, clerkId: null };
  /** One visit; the time of each of its four commands (ms). */
  const visit = (times: number[]) => {
    const timed = (f: () => unknown) => {
      now += 1_000;
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    };
    timed(() => queue.tickets.issue({ requestId: randomUUID(), serviceId: fields[n++ % fields.length]!, priority: 'normal' }, kiosk));
    timed(() => queue.counters.next({ requestId: randomUUID() }, desk));
    timed(() => queue.counters.start({ requestId: randomUUID() }, desk));
    timed(() => queue.counters.finish({ requestId: randomUUID(), outcome: 'guidance' }, desk));
  };
  return { db, visit };
}

/** Times `visits` visits (at most 3,996) on each database, in blocks of 50 taken in turn. */
export function triggerCost(visits: number, synchronous: 'FULL' | 'OFF'): TriggerCost {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-trigger-cost-'));
  try {
    const a = setUp(dir, 'with', synchronous, {});
    const b = setUp(dir, 'without', synchronous, { drop: 'report_days_%' });
    const withTimes: number[] = [];
    const withoutTimes: number[] = [];
    for (let done = 0; done < visits; done += 50) {
      for (let i = 0; i < 50; i++) a.visit(withTimes);
      for (let i = 0; i < 50; i++) b.visit(withoutTimes);
    }
    a.db.close();
    b.db.close();
    return { synchronous, withTriggers: summarize(withTimes), without: summarize(withoutTimes) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ProvinceTriggerCost {
  synchronous: 'FULL' | 'OFF';
  /** Migration 010's triggers dropped: the hub as it was before the province link. */
  before: Summary;
  unlinked: Summary;
  linked: Summary;
}

/**
 * The same visits with the province link's triggers (migration 010) dropped, present on a hub
 * not linked, and on a linked one: they fire only when a kept day or a name changes, so a
 * ticket's commands of today should cost the same in all three.
 */
export function provinceTriggerCost(visits: number, synchronous: 'FULL' | 'OFF'): ProvinceTriggerCost {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-trigger-cost-'));
  try {
    const variants = [setUp(dir, 'before', synchronous, { drop: 'province_outbox_%' }), setUp(dir, 'unlinked', synchronous, {}), setUp(dir, 'linked', synchronous, { linked: true })];
    const times: number[][] = variants.map(() => []);
    for (let done = 0; done < visits; done += 50) {
      variants.forEach((v, i) => {
        for (let k = 0; k < 50; k++) v.visit(times[i]!);
      });
    }
    for (const v of variants) v.db.close();
    return { synchronous, before: summarize(times[0]!), unlinked: summarize(times[1]!), linked: summarize(times[2]!) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
