import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { bytesVi } from '@xephang/core';
import { admin, ADMIN_PASSWORD, disposeHub, hubAfterClockRanAhead, unwrap, type HubProcess } from '@xephang/testing';
import { online, stage, textOf } from '@xephang/testing/stage';

const HUB_VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../../hub/package.json'), 'utf8')) as { version: string }).version;

/** The admin's "system" tab in Chromium against real hubs: the figures, and the clock's loud warning. */
describe('the admin system tab', () => {
  const s = stage([]);
  const others: HubProcess[] = [];
  afterAll(async () => {
    for (const h of others) await disposeHub(h);
  });

  /** The admin page of `url` on `tab`, logged in through its form. */
  const openAdmin = async (url: string, tab: string): Promise<Page> => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    await page.goto(`${url}/admin?tab=${tab}`);
    await page.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await online(page);
    return page;
  };

  it('shows the version, uptime, memory, the data disk and both clocks, with no warning on a right clock', async () => {
    const page = await openAdmin(s.hub.url, 'system');
    await page.waitForSelector('[data-testid="system-version"]');
    const a = await admin(s.hub);
    const status = unwrap(await a.send('system:status', {}));
    const backups = await a.send('system:backups', {});
    a.close();

    expect(await textOf(page, 'system-version')).toBe(HUB_VERSION);
    expect(await textOf(page, 'system-uptime')).toMatch(/^\d+ (giây|phút|giờ|ngày)/);
    expect(await textOf(page, 'system-memory')).toMatch(/^\d+(,\d)? MB$/);
    expect(await textOf(page, 'system-disk')).toMatch(new RegExp(`^Còn trống \\d[\\d,]* (MB|GB|TB) / ${bytesVi(status.disk.totalBytes)}$`));
    expect(await page.locator('[data-testid="system-tab"] code').first().innerText()).toBe(s.hub.dataDir);
    // The hub's clock, as the hub says it: today's date in Vietnam and the minute of now.
    const hubClock = await textOf(page, 'system-hub-clock');
    const vn = new Date(Date.now() + 7 * 3_600_000);
    const today = `${String(vn.getUTCDate()).padStart(2, '0')}/${String(vn.getUTCMonth() + 1).padStart(2, '0')}/${vn.getUTCFullYear()}`;
    expect(hubClock).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ngày ${today}$`));
    expect(await textOf(page, 'system-pc-clock')).toMatch(/ngày/);
    // The clocks run on between two asks.
    await page.waitForFunction((was) => document.querySelector('[data-testid="system-hub-clock"]')?.textContent !== was, hubClock);

    expect(await page.locator('[data-testid="clock-warning"]').count()).toBe(0);
    expect(await page.locator('[data-testid="system-tab-alarm"]').count()).toBe(0);
    // The backups section shows what the hub answers: its refusal (a hub without them) or the list.
    if (backups.ok) {
      await page.waitForSelector('[data-testid="backups"] button:has-text("Sao lưu ngay")');
    } else {
      expect(await textOf(page, 'backups-refused')).toBe(backups.error.message);
      // The rest of the tab stays.
      expect(await textOf(page, 'system-version')).toBe(HUB_VERSION);
    }
    await page.close();
  });

  it('warns loudly, and marks the tab from another tab, when the database holds a ticket later than the PC’s clock', async () => {
    // A hub whose clock ran three days ahead issued a ticket; it runs again on the PC's own clock.
    const hub = await hubAfterClockRanAhead(3 * 24 * 3_600_000);
    others.push(hub);

    const page = await openAdmin(hub.url, 'reports');
    // Seen from the reports tab: the system tab's name carries the red mark.
    await page.waitForSelector('[data-tab="system"] [data-testid="system-tab-alarm"]');
    await page.click('[data-tab="system"]');
    const banner = page.locator('[data-testid="clock-warning"]');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    const text = await banner.innerText();
    expect(text).toContain('Đồng hồ của máy chủ có vấn đề!');
    expect(text).toContain('sớm hơn dữ liệu mới nhất trong cơ sở dữ liệu');
    expect(text).toContain('Hãy đặt lại ngày và giờ đúng cho máy tính này ngay.');
    // Loud: white on the red banner, above everything else in the tab.
    const colours = await banner.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
    expect(colours).toEqual({ bg: 'rgb(200, 16, 46)', fg: 'rgb(255, 255, 255)' });
    const bannerTop = (await banner.boundingBox())!.y;
    expect(bannerTop).toBeLessThan((await page.locator('[data-testid="system-tab"]').boundingBox())!.y);
    await page.close();
  });
});
