import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { HubClient } from '@xephang/client';
import { disposeHub, frozenHub, openCounter, rid, unwrap, type HubProcess } from '@xephang/testing';

const DAY = '2025-07-14';
const VISITS = 250;

describe('a counter’s list of today past 200 visits: the newest page, the search reaching the older (issue 20, fix5 item 3)', () => {
  let hub: HubProcess;
  let c1: HubClient;

  beforeAll(async () => {
    hub = await frozenHub(`${DAY}T16:00:00+07:00`);
    // 250 visits finished at counter 1 today, written straight into the hub's file (the 1st at 07:30, one a minute).
    const db = new Database(hub.dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      const put = db.prepare(`INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id,
        first_called_at, called_at, started_at, finished_at, outcome, dossier_code) VALUES (?, ?, ?, 'civil', 'civil', 'normal', 'done', ?, 1, ?, ?, ?, ?, 'received', ?)`);
      const t0 = Date.parse(`${DAY}T07:30:00+07:00`);
      db.transaction(() => {
        for (let i = 0; i < VISITS; i++) {
          const at = t0 + i * 60_000;
          put.run(`t-${i}`, DAY, 5000 + i, at, at + 10_000, at + 10_000, at + 20_000, at + 50_000, `HS-${String(i).padStart(6, '0')}`);
        }
      })();
    } finally {
      db.close();
    }
    c1 = await openCounter(hub, 1);
  });
  afterAll(async () => {
    c1?.close();
    await disposeHub(hub);
  });

  it('without an offset the counter gets its 200 newest visits and the count of all', async () => {
    const list = unwrap(await c1.send('visit:list', { day: DAY }));
    expect(list.total).toBe(VISITS);
    expect(list.rows).toHaveLength(200);
    // Still in issue order: the 51st to the last, the one just finished included.
    expect(list.rows[0]!.number).toBe(5050);
    expect(list.rows.at(-1)!.number).toBe(5000 + VISITS - 1);
    // An explicit offset still pages from the oldest.
    expect(unwrap(await c1.send('visit:list', { day: DAY, offset: 0, limit: 10 })).rows.map((r) => r.number)).toEqual([...Array(10).keys()].map((i) => 5000 + i));
  });

  it('the search goes to the hub and finds a visit older than the 200 shown, by its number or its code', async () => {
    const byNumber = unwrap(await c1.send('visit:list', { day: DAY, q: '5003' }));
    expect(byNumber.total).toBe(1);
    expect(byNumber.rows.map((r) => [r.number, r.dossierCode])).toEqual([[5003, 'HS-000003']]);
    const byCode = unwrap(await c1.send('visit:list', { day: DAY, q: 'hs-00000' }));
    expect(byCode.total).toBe(10);
    expect(byCode.rows.map((r) => r.number)).toEqual([...Array(10).keys()].map((i) => 5000 + i));
    // A code set on such an old visit, later in the day, is found too.
    unwrap(await c1.send('visit:setDossier', { requestId: rid(), ticketId: 't-1', code: 'KQ-OLD-0001' }));
    expect(unwrap(await c1.send('visit:list', { day: DAY, q: 'kq-old' })).rows.map((r) => r.ticketId)).toEqual(['t-1']);
  });
});
