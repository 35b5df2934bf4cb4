import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { HubClient } from '@xephang/client';
import { admin, disposeHub, launchChromium, readDb, screenshotPath, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';
import { logIn, online } from '@xephang/testing/stage';

/**
 * The citizen's ID card at the kiosk (issue 20), in Chromium: a keyboard-mode 2D scanner types
 * the card's QR line and Enter. A real card's line is `079123456789|123456789|Nguyễn Văn A|…`; the
 * scanner cannot type the name's letters, so it types the digits and the separators, as here.
 */
const ID = '079123456789';
const OTHER_ID = '001099012345';
const scanLine = (id: string) => `${id}|123456789||01011990|||01012021`;

function stored(hub: HubProcess) {
  const db = readDb(hub);
  try {
    return {
      tickets: db.prepare("SELECT count(*) FROM tickets WHERE service_id = 'civil'").pluck().get() as number,
      marks: db.prepare('SELECT count(*) FROM citizen_marks').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

describe('the kiosk asks for the ID card of a field with a limit', () => {
  let hub: HubProcess;
  let browser: Browser;
  let a: HubClient;
  let page: Page;

  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
    browser = await launchChromium();
    a = await admin(hub);
    unwrap(await a.send('citizen:setRule', { serviceId: 'civil', rule: { mode: 'limit', maxActive: 1 } }));
    page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN' });
    await page.goto(`${hub.url}/kiosk`);
    await online(page);
  });
  afterAll(async () => {
    a?.close();
    await browser?.close();
    await disposeHub(hub);
  });

  /** The scanner: the QR's text typed key by key, then Enter. */
  const scan = async (line: string) => {
    await page.keyboard.type(line, { delay: 5 });
    await page.keyboard.press('Enter');
  };

  it('says why it asks, takes the scan, issues the ticket and never shows the number', async () => {
    const before = stored(hub);
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="citizen-scan"][data-mode="limit"]');
    const notice = await page.locator('[data-testid="citizen-scan-notice"]').innerText();
    expect(notice).toContain('chống việc lấy số hộ');
    expect(notice).toContain('không được lưu lại');
    expect(notice).toContain('xóa khi hết ngày');
    expect(await page.locator('[data-testid="citizen-scan-skip"]').isVisible()).toBe(true);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath('kiosk-citizen-scan.png') });

    await scan(scanLine(ID));
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await page.content()).not.toContain(ID);
    expect(stored(hub)).toEqual({ tickets: before.tickets + 1, marks: before.marks + 1 });
    await page.click('[data-testid="done"]');
  });

  it('refuses the same card over the limit, in Vietnamese with English beside, and issues nothing', async () => {
    const before = stored(hub);
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="citizen-scan"]');
    await scan(scanLine(ID));
    await page.waitForSelector('[data-testid="citizen-refused"]');
    const said = await page.locator('[data-testid="citizen-refused"]').innerText();
    expect(said).toContain('Quá số phiếu cho phép');
    expect(said).toContain('Over the number of tickets allowed');
    expect(said).not.toContain(ID.slice(-4));
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath('kiosk-citizen-refused.png') });
    expect(stored(hub)).toEqual(before);
    await page.click('[data-testid="citizen-refused-done"]');
    await page.waitForSelector('[data-service="civil"]');
  });

  it('drops a half-typed scan when the citizen goes back; a garbled one is asked again; skip issues without a card', async () => {
    const before = stored(hub);
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="citizen-scan"]');
    await page.keyboard.type(OTHER_ID.slice(0, 7));
    await page.click('[data-testid="citizen-scan-back"]');
    await page.waitForSelector('[data-service="civil"]');
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="citizen-scan"]');
    // Nothing of the first try is left: this card's own line reads as it is.
    await scan('12345|x');
    await page.waitForSelector('[data-testid="citizen-scan-unreadable"]');
    await scan(scanLine(OTHER_ID));
    await page.waitForSelector('[data-testid="ticket-number"]');
    await page.click('[data-testid="done"]');
    await page.click('[data-service="civil"]');
    await page.click('[data-testid="citizen-scan-skip"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    await page.click('[data-testid="done"]');
    expect(stored(hub)).toEqual({ tickets: before.tickets + 2, marks: before.marks + 1 });
  });

  it('a card scanned into the search box, before a field was chosen, puts nothing of it on the screen', async () => {
    await page.click('[data-testid="open-search"]');
    await page.waitForSelector('[data-testid="vietnamese-keyboard"]');
    // The citizen touched the box (it has the focus), then scanned the card there.
    await page.click('[data-testid="search-box"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-box');
    await scan(scanLine(OTHER_ID));
    expect(await page.inputValue('[data-testid="search-box"]')).toBe('');
    expect(await page.content()).not.toContain(OTHER_ID.slice(-6));
    // The on-screen keys still type there.
    await page.click('[data-testid="vietnamese-keyboard"] [data-key="k"]');
    expect(await page.inputValue('[data-testid="search-box"]')).toBe('k');
    await page.click('.kiosk-search .panel-back');
    await page.waitForSelector('[data-service="civil"]');
  });

  it('a required field offers no skip, and the counter issues one for a citizen without a card', async () => {
    unwrap(await a.send('citizen:setRule', { serviceId: 'police', rule: { mode: 'required', maxActive: 1 } }));
    await page.click('[data-service="police"]');
    await page.waitForSelector('[data-testid="citizen-scan"][data-mode="required"]');
    expect(await page.locator('[data-testid="citizen-scan-skip"]').count()).toBe(0);
    expect(await page.locator('[data-testid="citizen-scan-required"]').innerText()).toContain('đến quầy');
    await page.click('[data-testid="citizen-scan-back"]');

    const counter = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await counter.goto(`${hub.url}/counter/7`);
    await logIn(counter, 7);
    await counter.click('[data-testid="open-without-card"]');
    await counter.click('[role="dialog"] .chip:has-text("Người cao tuổi")');
    await counter.click('[data-testid="without-card-police"]');
    await counter.waitForSelector('[data-testid="message"]:has-text("cho người không mang thẻ")');
    const db = readDb(hub);
    try {
      expect(db.prepare("SELECT tickets.service_id, tickets.priority, events.counter_id, events.clerk_id FROM events JOIN tickets ON tickets.id = events.ticket_id WHERE events.type = 'ticket:issued' AND events.counter_id = 7").get()).toEqual({
        service_id: 'police',
        priority: 'elderly',
        counter_id: 7,
        clerk_id: 7,
      });
    } finally {
      db.close();
    }
    await counter.close();
  });
});
