import { describe, expect, it } from '@jest/globals';
import { admin, rid, startHubProcess, unwrap } from '@xephang/testing';
import { logIn, notReloaded, offline, online, stage, textOf } from '@xephang/testing/stage';

describe('the screens in Chromium against a real hub', () => {
  const s = stage();

  const open = s.open;

  it('a kiosk ticket is called at a counter and shows on the TV and above the counter, through a hub restart', async () => {
    const kiosk = await open('/kiosk', 1080, 1920);
    const counter = await open('/counter/3', 1366, 768);
    const tv = await open('/display', 1920, 1080);
    const above = await open('/display/counter/3', 1280, 720);
    await logIn(counter, 3);

    await kiosk.click('[data-service="land"]');
    await kiosk.waitForSelector('[data-testid="ticket-number"]');
    expect(await textOf(kiosk, 'ticket-number')).toBe('1001');
    await counter.waitForSelector('[data-testid="waiting-list"] li:has-text("1001")');

    const pressed = Date.now();
    await counter.keyboard.press('n');
    await Promise.all([
      counter.waitForSelector('[data-testid="current-number"]:has-text("1001")'),
      tv.waitForSelector('[data-testid="tv-counter-3"]:has-text("1001")'),
      above.waitForSelector('[data-testid="above-number"]:has-text("1001")'),
      tv.waitForSelector('[data-testid="tv-latest"]:has-text("1001")'),
    ]);
    expect(Date.now() - pressed).toBeLessThan(1000);

    // The power drops. Every screen says so; the kiosk will not take a tap.
    await s.hub.kill();
    await Promise.all([offline(kiosk), offline(counter), offline(tv), offline(above)]);
    expect(await kiosk.locator('[data-service="land"]').isDisabled()).toBe(true);

    s.hub = await startHubProcess({ dataDir: s.hub.dataDir, port: s.hub.port, args: ['--demo'] });
    await Promise.all([online(kiosk), online(counter), online(tv), online(above)]);
    expect(await textOf(tv, 'tv-counter-3')).toBe('1001');
    expect(await textOf(above, 'above-number')).toBe('1001');
    expect(await textOf(counter, 'current-number')).toBe('1001');

    // Life goes on without a reload: the clerk is still logged in, the kiosk issues, the TV follows.
    await counter.keyboard.press('b');
    await counter.waitForSelector('[data-testid="current"]:has-text("Đang phục vụ")');
    await counter.keyboard.press('k');
    await counter.keyboard.press('1');
    await counter.waitForSelector('[data-testid="message"]:has-text("Tiếp nhận hồ sơ")');
    // The first ticket may have left the kiosk's screen by itself meanwhile.
    if (await kiosk.locator('text=Xong').isVisible()) await kiosk.click('text=Xong');
    await kiosk.click('[data-service="land"]');
    await kiosk.waitForSelector('[data-testid="ticket-number"]:has-text("1002")');
    await counter.keyboard.press('n');
    await tv.waitForSelector('[data-testid="tv-counter-3"]:has-text("1002")');
    await above.waitForSelector('[data-testid="above-number"]:has-text("1002")');
    expect(await textOf(counter, 'served-today')).toBe('1');
    for (const page of [kiosk, counter, tv, above]) {
      expect(await notReloaded(page)).toBe(true);
      await page.close();
    }
  });

  it('the counter screen works from the keyboard alone', async () => {
    const a = await admin(s.hub);
    for (let i = 0; i < 4; i++) unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'police' }));
    const page = await open('/counter/7', 1366, 768);
    const tv = await open('/display', 1920, 1080);
    await logIn(page, 7);
    const current = () => textOf(page, 'current-number');

    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("5001")');
    await page.keyboard.press('l');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã gọi lại số 5001")');
    await page.keyboard.press('v');
    await page.waitForSelector('[data-testid="message"]:has-text("vắng mặt")');
    await page.waitForSelector('[data-testid="current"]:has-text("Chưa gọi số nào")');

    // Call a number by hand: S, type it, Enter.
    await page.keyboard.press('s');
    await page.keyboard.type('5003');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="current-number"]:has-text("5003")');
    await tv.waitForSelector('[data-testid="tv-counter-7"]:has-text("5003")');

    // Transfer opens a dialog; Escape closes it and changes nothing.
    await page.keyboard.press('c');
    await page.waitForSelector('[role="dialog"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect(await current()).toBe('5003');

    await page.keyboard.press('b');
    await page.keyboard.press('k');
    await page.waitForSelector('[role="dialog"]:has-text("Kết thúc")');
    await page.waitForSelector('[data-testid="current"]:has-text("Đang phục vụ")');
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid="message"]:has-text("Hướng dẫn")');
    expect(await textOf(page, 'served-today')).toBe('1');

    // Pause with a reason, then P again resumes.
    await page.keyboard.press('p');
    await page.click('[role="dialog"] >> text=Họp');
    await page.waitForSelector('[data-testid="counter-status"]:has-text("Tạm nghỉ: Họp")');
    await tv.waitForSelector('[data-counter="7"]:has-text("Tạm nghỉ")');
    await page.keyboard.press('p');
    await page.waitForSelector('[data-testid="counter-status"]:has-text("Đang mở")');

    const state = unwrap(await a.send('sync', { lastSeq: 0 }));
    if (state.mode !== 'snapshot') throw new Error('expected a snapshot');
    const missed = state.snapshot.tickets.find((t) => t.number === 5001);
    expect(missed?.state).toBe('no_show');
    a.close();
    await page.close();
    await tv.close();
  });
});
