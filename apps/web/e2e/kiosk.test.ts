import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { HubClient } from '@xephang/client';
import { admin, ADMIN_PASSWORD, disposeHub, frozenHub, type HubProcess, launchChromium, readDb, startHubProcess, unwrap } from '@xephang/testing';
import { online } from '@xephang/testing/stage';

/** Taps keys of the on-screen keyboard, one by one, as a finger would. */
async function type(page: Page, word: string): Promise<void> {
  for (const k of word) await page.click(`[data-testid="vietnamese-keyboard"] [data-key="${k === ' ' ? 'space' : k}"]`);
}

/** The page's height against the screen's: a kiosk must never scroll its center's name away. */
const heights = (page: Page) =>
  page.evaluate(() => ({
    doc: document.documentElement.scrollHeight,
    view: window.innerHeight,
    nameTop: document.querySelector('.center-name')!.getBoundingClientRect().top,
  }));

function storedTickets(hub: HubProcess) {
  const db = readDb(hub);
  try {
    return db.prepare('SELECT number, service_id, priority, procedure_code FROM tickets ORDER BY issued_at, number').all() as {
      number: number;
      service_id: string;
      priority: string;
      procedure_code: string | null;
    }[];
  } finally {
    db.close();
  }
}

describe('the kiosk, in Chromium: one citizen’s turn never leaks into the next, it fits the screen, it speaks English', () => {
  let hub: HubProcess;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await disposeHub(hub);
  });

  const openKiosk = async (width: number, height: number) => {
    const page = await browser.newPage({ viewport: { width, height }, locale: 'vi-VN' });
    await page.goto(`${hub.url}/kiosk`);
    await online(page);
    return page;
  };

  it('after Xong the next citizen’s plain tap is a normal ticket, in Vietnamese (as the hub stored it)', async () => {
    const page = await openKiosk(1080, 1920);
    // The first citizen: elderly, in English.
    await page.click('.priority-row button:has-text("Người cao tuổi")');
    await page.click('button.lang');
    await page.waitForSelector('.kiosk[lang="en"]');
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.locator('.your-number').innerText()).toBe('YOUR NUMBER');
    expect(await page.locator('.ticket-priority').innerText()).toBe('Priority: Elderly');
    await page.click('[data-testid="done"]');

    // The next citizen just taps a field.
    await page.waitForSelector('.kiosk[lang="vi"] [data-service="civil"]');
    expect(await page.locator('button.lang').innerText()).toBe('English');
    expect(await page.locator('.priority-row [aria-pressed="true"]').count()).toBe(0);
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.locator('.your-number').innerText()).toBe('SỐ THỨ TỰ CỦA BẠN');
    expect(await page.locator('.ticket-priority').count()).toBe(0);
    await page.click('[data-testid="done"]');

    expect(storedTickets(hub).slice(-2)).toEqual([
      { number: 2001, service_id: 'civil', priority: 'elderly', procedure_code: null },
      { number: 2002, service_id: 'civil', priority: 'normal', procedure_code: null },
    ]);
    await page.close();
  });

  it('the ticket leaving the screen by itself (10 s) also resets language and priority', async () => {
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN' });
    // The page's own clock, moved by hand: the 10 s wait without waiting.
    await page.clock.install();
    await page.goto(`${hub.url}/kiosk`);
    await online(page);
    await page.click('.priority-row button:has-text("Người khuyết tật")');
    await page.click('button.lang');
    await page.click('[data-service="police"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.locator('.ticket-priority').innerText()).toBe('Priority: Disabled');
    await page.clock.runFor(11_000);
    await page.waitForSelector('.kiosk[lang="vi"] [data-service="police"]');
    expect(await page.locator('.priority-row [aria-pressed="true"]').count()).toBe(0);
    await page.click('[data-service="police"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.locator('.your-number').innerText()).toBe('SỐ THỨ TỰ CỦA BẠN');
    expect(storedTickets(hub).filter((t) => t.service_id === 'police')).toEqual([
      { number: 5001, service_id: 'police', priority: 'disabled', procedure_code: null },
      { number: 5002, service_id: 'police', priority: 'normal', procedure_code: null },
    ]);
    await page.close();
  });

  it('an English search for "birth" finds Birth registration, and the ticket it gives ends the turn the same way', async () => {
    const page = await openKiosk(1080, 1920);
    await page.click('.priority-row button:has-text("Phụ nữ mang thai")');
    await page.click('button.lang');
    expect(await page.locator('[data-testid="connection"]').innerText()).toBe('Connected');
    await page.click('[data-testid="open-search"]');
    await type(page, 'birth');
    const first = page.locator('[data-testid="search-results"] li .procedure').first();
    await first.locator('.procedure-name:text-is("Birth registration")').waitFor();
    expect(await first.locator('.procedure-vi').innerText()).toBe('Đăng ký khai sinh');
    expect(await first.locator('[data-testid="procedure-field"]').innerText()).toBe('Justice – Civil status');
    // Nothing from another field (the Vietnamese index offered a farming procedure for "birth").
    const fields = await page.locator('[data-testid="search-results"] [data-testid="procedure-field"]').allInnerTexts();
    expect(new Set(fields)).toEqual(new Set(['Justice – Civil status']));
    expect(await page.locator('[data-testid="search-results"]').innerText()).toContain('Bring: Birth registration form');
    const h = await heights(page);
    expect(h.doc).toBeLessThanOrEqual(h.view);

    await first.click();
    await page.waitForSelector('[data-testid="ticket-procedure"]');
    expect(await page.locator('[data-testid="ticket-procedure"]').innerText()).toContain('Procedure: Birth registration');
    await page.click('[data-testid="done"]');
    await page.waitForSelector('.kiosk[lang="vi"] [data-testid="open-search"]');
    expect(await page.locator('[data-testid="connection"]').innerText()).toBe('Đã kết nối');
    // The search panel is closed and, opened again, empty.
    expect(await page.locator('[data-testid="search-panel"]').count()).toBe(0);
    await page.click('[data-testid="open-search"]');
    expect(await page.inputValue('[data-testid="search-box"]')).toBe('');
    expect(storedTickets(hub).at(-1)).toEqual({ number: 2003, service_id: 'civil', priority: 'pregnant', procedure_code: 'HT-01' });
    await page.close();
  });

  it('says plainly in English when nothing matches, and offers the fields', async () => {
    const page = await openKiosk(1080, 1920);
    await page.click('button.lang');
    await page.click('[data-testid="open-search"]');
    await type(page, 'zzqx');
    await page.waitForSelector('[data-testid="search-none"]');
    expect(await page.locator('[data-testid="search-none"]').innerText()).toContain('Procedures are officially listed in Vietnamese');
    await page.click('[data-testid="search-none"] button:has-text("Choose a field")');
    await page.waitForSelector('[data-service="civil"]');
    await page.close();
  });

  for (const [width, height] of [
    [1080, 1920],
    [1920, 1080],
  ] as const) {
    it(`fits ${width}×${height} in search and browse mode, the center's name in view`, async () => {
      const page = await openKiosk(width, height);
      const start = await heights(page);
      expect(start.doc).toBeLessThanOrEqual(start.view);
      await page.click('[data-testid="open-search"]');
      await type(page, 'dang ky');
      await page.locator('[data-testid="search-results"] li .procedure').nth(3).waitFor();
      const search = await heights(page);
      expect(search.doc).toBeLessThanOrEqual(search.view);
      expect(search.nameTop).toBeGreaterThanOrEqual(0);
      await page.click('.panel-back');
      await page.click('[data-testid="open-browse"]');
      await page.waitForSelector('[data-testid="browse-list"] .procedure');
      const browse = await heights(page);
      expect(browse.doc).toBeLessThanOrEqual(browse.view);
      expect(browse.nameTop).toBeGreaterThanOrEqual(0);
      await page.close();
    });
  }

  it('the home page lists every screen from the hub’s real counters, each page has a title and an icon, no 404', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${hub.url}/`);
    await page.waitForSelector('[data-testid="home-counters"] tbody tr');
    const state = (await (await fetch(`${hub.url}/api/state`)).json()) as { counters: { id: number; name: string }[] };
    const rows = page.locator('[data-testid="home-counters"] tbody tr');
    expect(await rows.count()).toBe(state.counters.length);
    for (const c of state.counters) {
      const row = page.locator(`[data-testid="home-counters"] tr[data-counter="${c.id}"]`);
      expect(await row.locator('th').innerText()).toContain(c.name);
      for (const href of [`/counter/${c.id}`, `/display/counter/${c.id}`, `/rate/${c.id}`]) expect(await row.locator(`a[href="${href}"]`).count()).toBe(1);
    }
    for (const href of ['/kiosk', '/display', '/admin']) expect(await page.locator(`.home-cards a[href="${href}"]`).count()).toBe(1);
    expect(await page.locator('.home-counters').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(255, 255, 255)');

    for (const path of ['/', '/kiosk', '/display', '/admin', '/counter/1', '/display/counter/1', '/rate/1']) {
      await page.goto(`${hub.url}${path}`);
      await page.waitForLoadState('load');
      expect(await page.title()).toMatch(/\S+ · xephang$/);
      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      expect(icon).toBe('/favicon.png');
    }
    const favicon = await fetch(`${hub.url}/favicon.png`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toContain('image/png');
    expect(missing).toEqual([]);
    await page.close();
  });
});

describe('the kiosk by the opening hours, on the hub’s fake clock (not the browser’s)', () => {
  let hub: HubProcess;
  let browser: Browser;
  let boss: HubClient;
  let page: Page;

  beforeAll(async () => {
    // 2026-12-12 is a Saturday; the default week opens Monday–Saturday at 07:30, reset at midnight.
    hub = await frozenHub('2026-12-12T03:00:00+07:00', [], { hours: true });
    boss = await admin(hub);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN' });
    await page.goto(`${hub.url}/kiosk`);
    await online(page);
  });
  afterAll(async () => {
    await browser?.close();
    boss?.close();
    await disposeHub(hub);
  });

  const setClock = async (local: string) => void unwrap(await boss.send('clock:set', { at: Date.parse(`${local}:00+07:00`) }));
  const banner = () => page.locator('[data-testid="kiosk-opening"]').innerText();

  it('at 03:00 on a Saturday issues nothing and shows the next opening', async () => {
    await page.waitForSelector('[data-testid="kiosk-closed"]');
    expect(await page.locator('[data-testid="kiosk-next-opening"]').innerText()).toBe('Quầy mở lúc 07:30 thứ Bảy 12/12. Xin mời quay lại.');
    expect(await page.locator('[data-service]').count()).toBe(0);
    await page.click('button.lang');
    expect(await page.locator('[data-testid="kiosk-next-opening"]').innerText()).toBe('Counters open at 07:30 on Saturday 12/12. Please come back then.');
    await page.click('button.lang');
    expect(storedTickets(hub)).toEqual([]);
  });

  it('before opening issues, and says when counters open instead of "được phục vụ ngay"', async () => {
    await setClock('2026-12-12T07:10');
    await page.waitForSelector('[data-testid="kiosk-opening"]');
    expect(await banner()).toBe('Quầy mở lúc 07:30. Xin mời lấy số trước, số sẽ được gọi khi quầy mở.');
    expect(await page.locator('[data-service="civil"] [data-testid="service-load"]').innerText()).toBe('Không có ai đang chờ · phục vụ từ 07:30');
    expect(await page.locator('.kiosk').innerText()).not.toContain('được phục vụ ngay');
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.locator('.ticket-opening').innerText()).toBe('Quầy mở lúc 07:30. Xin mời lấy số trước, số sẽ được gọi khi quầy mở.');
    await page.click('[data-testid="done"]');
    expect(storedTickets(hub)).toEqual([{ number: 2001, service_id: 'civil', priority: 'normal', procedure_code: null }]);
  });

  it('in opening hours with no counter open for a field, says so rather than "được phục vụ ngay"', async () => {
    await setClock('2026-12-12T07:40');
    await page.waitForSelector('[data-testid="kiosk-opening"]', { state: 'detached' });
    expect(await page.locator('[data-service="civil"] [data-testid="service-load"]').innerText()).toBe('1 người đang chờ · chưa có quầy mở');
    expect(await page.locator('[data-service="land"] [data-testid="service-load"]').innerText()).toBe('Không có ai đang chờ · chưa có quầy mở');
  });

  it('in the lunch break issues, saying when the afternoon opens', async () => {
    await setClock('2026-12-14T12:10');
    await page.waitForFunction(() => document.querySelector('[data-testid="kiosk-opening"]')?.textContent?.startsWith('Đang nghỉ trưa'));
    expect(await banner()).toBe('Đang nghỉ trưa. Quầy mở lúc 13:30. Xin mời lấy số, số sẽ được gọi khi quầy mở.');
    await page.click('[data-service="land"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.locator('[data-testid="ticket-number"]').innerText()).toBe('1001');
    await page.click('[data-testid="done"]');
  });

  it('after an evening reset time issues for the next day, saying when', async () => {
    await setClock('2026-12-14T17:30');
    await page.waitForSelector('[data-testid="kiosk-closed"]');
    expect(await page.locator('[data-testid="kiosk-next-opening"]').innerText()).toBe('Quầy mở lúc 07:30 thứ Ba 15/12. Xin mời quay lại.');
    const { week } = unwrap(await boss.send('config:get', {})).hours;
    unwrap(await boss.send('config:setHours', { week, resetTime: '18:00', earlyIssueMinutes: 30 }));
    await setClock('2026-12-14T18:20');
    await page.waitForSelector('[data-testid="kiosk-opening"]');
    expect(await banner()).toBe('Đã hết giờ làm việc hôm nay. Số lấy bây giờ được gọi khi quầy mở lúc 07:30 thứ Ba 15/12.');
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    // Numbered for Tuesday: the first of its day.
    expect(await page.locator('[data-testid="ticket-number"]').innerText()).toBe('2001');
    const db = readDb(hub);
    try {
      expect(db.prepare('SELECT day FROM tickets ORDER BY issued_at DESC LIMIT 1').get()).toEqual({ day: '2026-12-15' });
    } finally {
      db.close();
    }
  });

  it('the admin sets how early the kiosk issues on the hours form, and the kiosk follows', async () => {
    const form = await browser.newPage({ viewport: { width: 1366, height: 1100 }, locale: 'vi-VN' });
    await form.goto(`${hub.url}/admin`);
    await form.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await form.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await form.click('button[type="submit"]');
    await online(form);
    await form.click('[data-tab="texts"]');
    const minutes = form.locator('[data-testid="early-issue-minutes"]');
    expect(await minutes.inputValue()).toBe('30');
    await minutes.fill('90');
    await form.click('button:has-text("Lưu giờ làm việc")');
    await form.waitForSelector('text=Đã lưu giờ làm việc');
    await form.close();
    expect(unwrap(await boss.send('config:get', {})).hours.earlyIssueMinutes).toBe(90);
    // Tuesday 06:10 is within 90 minutes of 07:30 (the evening reset of 18:00 still holds).
    await page.click('[data-testid="done"]');
    await setClock('2026-12-15T06:10');
    await page.waitForFunction(() => document.querySelector('[data-testid="kiosk-opening"]')?.textContent?.startsWith('Quầy mở lúc 07:30.'));
    expect(await banner()).toBe('Quầy mở lúc 07:30. Xin mời lấy số trước, số sẽ được gọi khi quầy mở.');
  });
});
