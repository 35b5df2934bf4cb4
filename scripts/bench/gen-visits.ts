#!/usr/bin/env node
/**
 * Writes a database of a busy center's visits for the report benchmark: `--visits` visits
 * (1,000,000 by default), `--per-day` on each weekday (1,000), ending on `--end` (2025-12-31).
 *
 * Unlike the tests, which load visits through the hub's commands, this writes the rows
 * directly (tickets, the visit log through its one writer, counter pauses, ratings) in the hub's own
 * schema, in one transaction per day: a million visits through the socket protocol would take
 * hours. The rows are the ones the hub writes for the same actions: issued → called →
 * started → finished (with an outcome), 3% missed (then expired), 2% never called (expired),
 * counters opened, paused for lunch and for a meeting, closed; 40% of visits rated.
 *
 *   node scripts/dist/bench/gen-visits.js --out /tmp/xephang-bench [--visits 1000000] [--per-day 1000] [--seed 7]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localMidnight } from '@xephang/core';
import { createCommands, createStores, openDatabase } from '@xephang/hub';
import type { VisitLogType } from '@xephang/protocol';
import { fieldPicker, rng } from './visit-shape';

const OUTCOMES = ['received', 'guidance', 'guidance', 'returned', 'other'] as const;
const MIN = 60_000;
const DAY = 86_400_000;

export function generate(out: string, visits: number, perDay: number, end: string, seed: number): { days: number; file: string } {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const file = join(out, 'xephang.sqlite');
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  // The log lines of a visit are written before its ticket row; the rows are consistent by construction.
  db.pragma('foreign_keys = OFF');
  // The triggers that keep report_days true fire on every row: a history nobody has reported on
  // yet needs none of them (they tripled the time). Put back as they were once the rows are in.
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  const stores = createStores(db);
  createCommands(db, stores, { now: () => Date.parse(`${end}T17:00:00+07:00`) }).seed(randomUUID());
  for (let c = 1; c <= 9; c++) stores.access.createClerk(`Cán bộ quầy ${c}`, 'bench-no-login', [c], 0);
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const service = fieldPicker(random);

  const ticket = db.prepare(
    `INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id, clerk_id,
       first_called_at, called_at, started_at, finished_at, outcome)
     VALUES (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let seq = 0;
  // Through the visit log's one writer, as the hub writes it (clerk c works at counter c).
  const log = (at: number, type: VisitLogType, ticketId: string | null, serviceId: string | null, counterId: number | null, detail?: Record<string, unknown>) =>
    stores.visitLog.append(++seq, { type, at, ticketId, serviceId, counterId, clerkId: counterId, ...(detail ? { detail } : {}) });
  const rating = db.prepare('INSERT INTO ratings (ticket_id, counter_id, clerk_id, score, at) VALUES (?, ?, ?, ?, ?)');

  // Weekdays back from `end`, enough of them for the visits asked for.
  const days: string[] = [];
  for (let t = Date.parse(`${end}T00:00:00Z`); days.length * perDay < visits; t -= DAY) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) days.unshift(new Date(t).toISOString().slice(0, 10));
  }
  let left = visits;
  const writeDay = db.transaction((day: string) => {
    const midnight = localMidnight(day)!;
    const at = (minutes: number) => midnight + Math.round(minutes * MIN);
    for (let c = 1; c <= 9; c++) {
      log(at(7 * 60 + 25), 'counter:opened', null, null, c);
      log(at(11 * 60 + 30), 'counter:paused', null, null, c, { reason: 'Nghỉ trưa' });
      log(at(13 * 60 + 30), 'counter:resumed', null, null, c, { reason: 'Nghỉ trưa' });
      if (random() < 0.2) {
        const start = 14 * 60 + random() * 120;
        log(at(start), 'counter:paused', null, null, c, { reason: 'Họp giao ban' });
        log(at(start + 10 + random() * 30), 'counter:resumed', null, null, c, { reason: 'Họp giao ban' });
      }
      log(at(17 * 60 + 5), 'counter:closed', null, null, c);
    }
    const ordinals = new Map<string, number>();
    const n = Math.min(perDay, left);
    left -= n;
    for (let i = 0; i < n; i++) {
      const s = service();
      const ordinal = (ordinals.get(s.id) ?? 0) + 1;
      ordinals.set(s.id, ordinal);
      const number = s.block + ordinal - 1;
      const id = `${day}-${number}`;
      const issued = 7 * 60 + ((i + random()) / n) * 9 * 60; // 07:00–16:00, spread over the day
      const counter = pick(s.counters);
      const r = random();
      log(at(issued), 'ticket:issued', id, s.id, null);
      if (r < 0.02) {
        ticket.run(id, day, number, s.id, s.id, 'expired', at(issued), null, null, null, null, null, null, null);
        continue;
      }
      const called = issued + 1 + random() * 45;
      log(at(called), 'ticket:called', id, s.id, counter);
      if (r < 0.05) {
        log(at(called + 3), 'ticket:missed', id, s.id, counter);
        ticket.run(id, day, number, s.id, s.id, 'expired', at(issued), counter, counter, at(called), at(called), null, null, null);
        continue;
      }
      const started = called + 0.5 + random() * 2;
      const finished = started + 3 + random() * 17;
      const outcome = pick(OUTCOMES);
      log(at(started), 'ticket:started', id, s.id, counter);
      log(at(finished), 'ticket:finished', id, s.id, counter, { outcome });
      ticket.run(id, day, number, s.id, s.id, 'done', at(issued), counter, counter, at(called), at(called), at(started), at(finished), outcome);
      if (random() < 0.4) rating.run(id, counter, counter, random() < 0.6 ? 4 : random() < 0.7 ? 3 : random() < 0.6 ? 2 : 1, at(finished + 0.5));
    }
  });
  for (const day of days) writeDay.immediate(day);
  for (const t of triggers) db.exec(t.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return { days: days.length, file };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '/tmp/xephang-bench-visits' },
      visits: { type: 'string', default: '1000000' },
      'per-day': { type: 'string', default: '1000' },
      end: { type: 'string', default: '2025-12-31' },
      seed: { type: 'string', default: '7' },
    },
  });
  const t0 = performance.now();
  const { days, file } = generate(values.out!, Number(values.visits), Number(values['per-day']), values.end!, Number(values.seed));
  process.stdout.write(`${values.visits} visits over ${days} weekdays → ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
