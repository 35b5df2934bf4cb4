import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { ADMIN_PASSWORD, disposeHub, frozenHub, type HubProcess } from '@xephang/testing';

const DAY = '2025-07-10';
// Enough rows that the first workbook is still being built when the second request comes.
const VISITS = 4_000;

describe('one XLSX export at a time (issue 20, fix5 item 1)', () => {
  let hub: HubProcess;

  beforeAll(async () => {
    hub = await frozenHub('2025-07-14T08:00:00+07:00');
    const db = new Database(hub.dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      const put = db.prepare(`INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id,
        first_called_at, called_at, started_at, finished_at, outcome, dossier_code) VALUES (?, ?, ?, 'civil', 'civil', 'normal', 'done', ?, 1, ?, ?, ?, ?, 'received', ?)`);
      const t0 = Date.parse(`${DAY}T07:30:00+07:00`);
      db.transaction(() => {
        for (let i = 0; i < VISITS; i++) {
          const at = t0 + i * 1000;
          put.run(`t-${i}`, DAY, 100_000 + i, at, at + 60_000, at + 60_000, at + 90_000, at + 600_000, `H12-250710-${String(i).padStart(5, '0')}`);
        }
      })();
    } finally {
      db.close();
    }
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
  const get = (path: string) =>
    fetch(`${hub.url}${path}`, { headers: auth }).then(async (res) => ({
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: Buffer.from(await res.arrayBuffer()),
    }));

  it('a second XLSX request while one is built gets 503 with Retry-After; the first completes, the next one after it too', async () => {
    // Both sent at once: whichever the hub takes first builds, the other is refused.
    const [a, b] = await Promise.all([get(`/api/reports/export.xlsx?day=${DAY}`), get(`/api/reports/export.xlsx?day=${DAY}`)]);
    const done = [a, b].filter((r) => r.status === 200);
    const refused = [a, b].filter((r) => r.status === 503);
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(done[0]!.body.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0);
    const err = JSON.parse(refused[0]!.body.toString('utf8')) as { ok: boolean; error: { code: string; message: string } };
    expect(err.ok).toBe(false);
    expect(err.error.message).toContain('đang tạo một tệp Excel khác');

    // The slot is given back: the next export is built, and CSV never waited for it.
    const again = await get(`/api/reports/export.xlsx?day=${DAY}`);
    expect(again.status).toBe(200);
    expect(again.body.subarray(0, 2).toString('latin1')).toBe('PK');
  }, 120_000);

  it('a CSV export is not held back while an XLSX is built', async () => {
    const [x, c] = await Promise.all([get(`/api/reports/export.xlsx?day=${DAY}`), get(`/api/reports/export.csv?day=${DAY}`)]);
    expect(x.status).toBe(200);
    expect(c.status).toBe(200);
  }, 120_000);
});
