import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import { createCommands, type Commands } from '../commands';
import type { Actor } from '../commit';
import { openDatabase } from '../db/open';
import { createStores, type Stores } from '.';

const KIOSK: Actor = { deviceId: null, counterId: null, clerkId: null, role: 'kiosk' };
const SERVICES = ['civil', 'land', 'business', 'culture', 'police', 'landreg', 'post'] as const;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('the waiting counts the ticket store keeps', () => {
  let dir: string;
  let db: Database.Database;
  let stores: Stores;
  let commands: Commands;
  let now: number;
  let ids = 0;
  const rid = () => `req-${String(++ids).padStart(8, '0')}`;
  /** What the load would read from the table itself. */
  const counted = (day: string) =>
    new Map(
      (db.prepare("SELECT service_id, count(*) AS n FROM tickets WHERE day = ? AND state = 'waiting' GROUP BY service_id").all(day) as { service_id: string; n: number }[]).map(
        (r) => [r.service_id, r.n],
      ),
    );
  const kept = (day: string) => new Map([...stores.tickets.waitingCounts(day)].filter(([, n]) => n > 0));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-ticket-store-'));
    db = openDatabase(join(dir, 'xephang.sqlite'));
    stores = createStores(db);
    now = Date.parse('2025-07-10T08:00:00+07:00');
    commands = createCommands(db, stores, { now: () => now, anyHours: true });
    commands.seed('hub-test');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function openCounters(): Actor[] {
    const actors: Actor[] = [];
    for (let c = 1; c <= 9; c++) {
      const clerkId = stores.access.createClerk(`Cán bộ ${c}`, 'không dùng', [c], now);
      const actor: Actor = { deviceId: null, counterId: c, clerkId: null, role: 'counter' };
      commands.counters.login({ id: clerkId, name: `Cán bộ ${c}`, counterIds: [c] }, c, `phiên ${c}`, actor);
      actor.clerkId = clerkId;
      commands.counters.setStatus('open', actor);
      actors.push(actor);
    }
    return actors;
  }

  /** Runs one command, a refusal (an empty queue, a busy counter) being as good as a success here. */
  function attempt(command: () => unknown): void {
    try {
      command();
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
    }
  }

  it('stay what the table says through issues, calls, transfers, no-shows, recalls, rollbacks and a new day', () => {
    const counters = openCounters();
    const next = random(20250710);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const day = commands.today();
    // Read once, before anything changes: from here on the counts are kept, not read.
    expect(kept(day)).toEqual(counted(day));

    for (let step = 0; step < 400; step++) {
      now += 1000;
      const counter = pick(counters);
      const roll = next();
      if (roll < 0.4) attempt(() => commands.tickets.issue({ requestId: rid(), serviceId: pick(SERVICES), priority: next() < 0.2 ? 'elderly' : 'normal' }, KIOSK));
      else if (roll < 0.6) attempt(() => commands.counters.next({ requestId: rid() }, counter));
      else if (roll < 0.7) attempt(() => commands.counters.finish({ requestId: rid(), outcome: 'guidance' }, counter));
      else if (roll < 0.77) attempt(() => commands.counters.noShow({ requestId: rid() }, counter));
      else if (roll < 0.84) attempt(() => commands.counters.transfer({ requestId: rid(), toServiceId: pick(SERVICES) }, counter));
      else if (roll < 0.88) attempt(() => commands.counters.transfer({ requestId: rid(), toCounterId: pick(counters).counterId! }, counter));
      else if (roll < 0.94) {
        const missed = db.prepare("SELECT id FROM tickets WHERE state = 'no_show' LIMIT 1").pluck().get() as string | undefined;
        if (missed) attempt(() => commands.counters.recall({ requestId: rid(), ticketId: missed }, counter));
      } else {
        // A command that numbers a ticket, then fails: nothing of it stays, in the table or in the counts.
        expect(() =>
          commands.commit.run('ticket:issue', rid(), (at) => {
            const number = 1000 + stores.tickets.nextOrdinal('land', day);
            stores.tickets.insert({ id: `${day}-${number}`, day, number, serviceId: 'land', priority: 'normal', issuedAt: at, deviceId: null });
            throw new QueueError('printer_error', 'hỏng giữa chừng');
          }),
        ).toThrow('hỏng giữa chừng');
      }
      expect(kept(day)).toEqual(counted(day));
    }
    expect(counted(day).size).toBeGreaterThan(0);

    // The next day: yesterday's waiting tickets expire, and today's counts start from nothing.
    now += 86_400_000;
    commands.tickets.issue({ requestId: rid(), serviceId: 'post', priority: 'normal' }, KIOSK);
    const today = commands.today();
    expect(today).not.toBe(day);
    expect(counted(day).size).toBe(0);
    expect(kept(today)).toEqual(new Map([['post', 1]]));
    expect(kept(day)).toEqual(new Map());
  });
});
