import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { HubClient } from '@xephang/client';
import { admin, readDb, rid, unwrap } from '@xephang/testing';
import { logIn, stage } from '@xephang/testing/stage';

const VISITS = 205;

describe('the counter’s list of today past 200 visits, in Chromium (issue 20, fix5 item 3)', () => {
  const s = stage(['--demo', '--kiosk-burst', '0']);
  let boss: HubClient;
  afterAll(() => boss?.close());

  it('says it shows the 200 newest of N, and its search finds an older visit at the hub', async () => {
    boss = await admin(s.hub);
    // The hub's day, as it wrote it on a ticket of its own.
    unwrap(await boss.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const read = readDb(s.hub);
    const { day } = read.prepare('SELECT day FROM tickets LIMIT 1').get() as { day: string };
    read.close();
    // 205 visits finished at counter 1 today, written straight into the hub's file.
    const db = new Database(s.hub.dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      const put = db.prepare(`INSERT INTO tickets (id, day, number, issued_service_id, service_id, priority, state, issued_at, counter_id,
        first_called_at, called_at, started_at, finished_at, outcome, dossier_code) VALUES (?, ?, ?, 'civil', 'civil', 'normal', 'done', ?, 1, ?, ?, ?, ?, 'received', ?)`);
      const t0 = Date.now() - VISITS * 10_000;
      db.transaction(() => {
        for (let i = 0; i < VISITS; i++) {
          const at = t0 + i * 10_000;
          put.run(`old-${i}`, day, 7000 + i, at, at + 1000, at + 1000, at + 2000, at + 5000, `HS-${String(i).padStart(6, '0')}`);
        }
      })();
    } finally {
      db.close();
    }

    const page = await s.open('/counter/1', 1366, 900);
    await logIn(page, 1);
    await page.waitForSelector(`[data-testid="today-heading"]:has-text("Đã phục vụ hôm nay (${VISITS})")`);
    expect(await page.locator('[data-testid="today-partial"]').innerText()).toContain(`200 lượt gần nhất / of ${VISITS}`);
    const numbers = await page.locator('[data-testid="today-list"] .num').allInnerTexts();
    // Newest first: the last visit finished at the top, the five oldest left to the search.
    expect(numbers).toHaveLength(200);
    expect(numbers[0]).toBe(String(7000 + VISITS - 1));
    expect(numbers.at(-1)).toBe('7005');

    // The oldest visit, by its number and by its code: the hub finds it, though the list held it not.
    await page.fill('[data-testid="today-search"]', '7000');
    await page.waitForSelector('[data-testid="today-list"] .num:text-is("7000")');
    await page.fill('[data-testid="today-search"]', 'hs-000002');
    await page.waitForSelector('[data-testid="today-code"]:has-text("HS-000002")');
    expect(await page.locator('[data-testid="today-list"] .num').allInnerTexts()).toEqual(['7002']);
    expect(await page.locator('[data-testid="today-partial"]').count()).toBe(0);
    // Emptied, the search gives back the newest 200 and the heading keeps the day's count.
    await page.fill('[data-testid="today-search"]', '');
    await page.waitForSelector(`[data-testid="today-list"] .num:text-is("${7000 + VISITS - 1}")`);
    expect(await page.locator('[data-testid="today-heading"]').innerText()).toBe(`Đã phục vụ hôm nay (${VISITS})`);
    await page.close();
  });
});
