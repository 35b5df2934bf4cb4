import { afterAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { Page } from 'playwright-core';
import { admin, ADMIN_PASSWORD, openCounter, readDb, rid, unwrap } from '@xephang/testing';
import { logIn, online, stage, textOf } from '@xephang/testing/stage';

const MORNING = Date.parse('2025-07-10T08:00:00+07:00');

/** What a disabled button tells the clerk: its visible reason, its tooltip and what a screen reader reads. */
async function reasonOf(page: Page, selector: string) {
  return page.locator(selector).evaluate((b: HTMLButtonElement) => ({
    disabled: b.disabled,
    title: b.title,
    visible: b.querySelector('.why')?.textContent ?? null,
    described: document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent ?? null,
  }));
}

describe('the counter screen in Chromium: two keys a citizen, dialogs by keyboard, the priority rule', () => {
  // A test clock: the priority rule's wait limit is checked by moving it.
  const s = stage(['--demo', '--kiosk-burst', '0', '--fake-clock', new Date(MORNING).toISOString()]);
  const clients: HubClient[] = [];
  const hubAdmin = async () => {
    const a = await admin(s.hub);
    clients.push(a);
    return a;
  };
  afterAll(() => {
    for (const c of clients) c.close();
  });

  it('serves a citizen with two keys (outcome, N); N with a visit open asks its outcome first; a disabled button says why', async () => {
    const a = await hubAdmin();
    for (let i = 0; i < 4; i++) unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'police' }));
    const page = await s.open('/counter/7', 1366, 768);
    await logIn(page, 7);

    // Nothing called: finishing is impossible, and the button says so three ways.
    expect(await reasonOf(page, '[data-action="finish"]')).toEqual({ disabled: true, title: 'Chưa gọi số nào.', visible: 'Chưa gọi số nào.', described: 'Chưa gọi số nào.' });
    expect(await reasonOf(page, '[data-action="outcome-received"]')).toMatchObject({ disabled: true, visible: 'Chưa gọi số nào.' });

    // Two keys: N calls, 2 finishes with "Hướng dẫn" (never started).
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("5001")');
    expect(await reasonOf(page, '[data-action="finish"]')).toMatchObject({ disabled: false, visible: null, described: null });
    expect(await reasonOf(page, '[data-action="call"]')).toMatchObject({
      disabled: true,
      visible: 'Còn số 5001: kết thúc (phím 1–4) hoặc chuyển số này trước.',
    });
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã kết thúc số 5001: Hướng dẫn.")');
    await page.waitForSelector('[data-testid="current"]:has-text("Chưa gọi số nào")');
    expect(await textOf(page, 'served-today')).toBe('1');

    // Started, then N: the dialog asks the outcome, then the next citizen is called.
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("5002")');
    await page.keyboard.press('b');
    await page.waitForSelector('[data-testid="current"]:has-text("Đang phục vụ")');
    expect(await reasonOf(page, '[data-action="start"]')).toMatchObject({ disabled: true, visible: 'Đã bắt đầu phục vụ số 5002.' });
    await page.keyboard.press('n');
    await page.waitForSelector('[role="dialog"][aria-label="Kết thúc số 5002 rồi gọi số tiếp theo"]');
    await page.keyboard.press('1');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã kết thúc số 5002: Tiếp nhận hồ sơ. Đã gọi số 5003.")');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect(await textOf(page, 'current-number')).toBe('5003');

    // N on a citizen only called offers "Vắng mặt" too: V marks the absence, then calls 5004.
    await page.keyboard.press('n');
    await page.waitForSelector('[role="dialog"] button:has-text("Vắng mặt")');
    await page.keyboard.press('v');
    await page.waitForSelector('[data-testid="message"]:has-text("Số 5003 được ghi là vắng mặt. Đã gọi số 5004.")');
    // The absent list's "Gọi lại" is a button like the others, disabled while 5004 is open, saying why.
    const recall = '[data-testid="missed-list"] button';
    expect(await page.locator(recall).getAttribute('class')).toBe('action small');
    expect(await reasonOf(page, recall)).toMatchObject({ disabled: true, visible: 'Còn số 5004 chưa xong' });
    // N again with nobody left: 5004 is still recorded, and the screen says both.
    await page.keyboard.press('n');
    await page.waitForSelector('[role="dialog"][aria-label="Kết thúc số 5004 rồi gọi số tiếp theo"]');
    await page.keyboard.press('4');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã kết thúc số 5004: Khác. Không còn ai chờ ở các lĩnh vực của Quầy 7.")');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect(await reasonOf(page, recall)).toMatchObject({ disabled: false, visible: null });

    // The visit log and the report: three visits, two without "Bắt đầu phục vụ", timed from their call.
    const db = readDb(s.hub);
    try {
      const rows = db.prepare("SELECT number, called_at = started_at AS atCall FROM tickets WHERE service_id = 'police' AND state = 'done' ORDER BY number").all();
      expect(rows).toEqual([
        { number: 5001, atCall: 1 },
        { number: 5002, atCall: 0 },
        { number: 5004, atCall: 1 },
      ]);
    } finally {
      db.close();
    }
    const report = unwrap(await a.send('report:get', { day: '2025-07-10' }));
    expect(report.fields.find((f) => f.serviceId === 'police')).toMatchObject({ served: 3, startedAtCall: 2, noShow: 1 });
    await page.close();
  });

  it('shows each counter’s state in the transfer dialog, refuses closed and paused ones, and chooses by keyboard', async () => {
    const a = await hubAdmin();
    const c3 = await openCounter(s.hub, 3);
    const c5 = await openCounter(s.hub, 5);
    clients.push(c3, c5);
    unwrap(await c5.send('counter:pause', { reason: 'Họp' }));
    for (let i = 0; i < 2; i++) unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const page = await s.open('/counter/1', 1366, 768);
    await logIn(page, 1);
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("2001")');

    await page.keyboard.press('c');
    await page.waitForSelector('[role="dialog"][aria-label="Chuyển số 2001"]');
    expect(await page.locator('[data-testid="transfer-counter-3"] .state').innerText()).toBe('Đang mở');
    expect(await reasonOf(page, '[data-testid="transfer-counter-5"]')).toEqual({
      disabled: true,
      title: 'Quầy 5 đang tạm nghỉ (Họp): số chuyển đến sẽ không ai gọi.',
      visible: 'Quầy 5 đang tạm nghỉ (Họp): số chuyển đến sẽ không ai gọi.',
      described: 'Quầy 5 đang tạm nghỉ (Họp): số chuyển đến sẽ không ai gọi.',
    });
    expect(await page.locator('[data-testid="transfer-counter-9"] .state').innerText()).toBe('Đóng');
    expect(await reasonOf(page, '[data-testid="transfer-counter-9"]')).toMatchObject({ disabled: true, visible: 'Quầy 9 đang đóng: số chuyển đến sẽ không ai gọi.' });
    // A field whose counters are all closed says so before the clerk sends anyone there.
    expect(await page.locator('[data-testid="transfer-service-landreg"] .state').innerText()).toBe('Chưa quầy nào mở: số chờ đến khi có quầy mở');
    expect(await page.locator('[data-testid="transfer-service-land"] .state').innerText()).toBe('1 quầy đang mở');

    // The keyboard: digit 9 is refused in the dialog itself; digit 3 sends the citizen to counter 3.
    await page.keyboard.press('9');
    await page.waitForSelector('[role="dialog"] [data-testid="message"]:has-text("Quầy 9 đang đóng")');
    await page.keyboard.press('3');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã chuyển số 2001 sang quầy 3.")');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
    expect(unwrap(await c3.send('counter:next', { requestId: rid() })).number).toBe(2001);

    // Arrows and Enter: the first choice has the focus; → moves to the next field; Enter sends.
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("2002")');
    await page.keyboard.press('c');
    await page.waitForSelector('[role="dialog"]');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(await focused()).toBe('transfer-service-land');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('transfer-service-business');
    // Back past the first choice: the last one that can be used (counter 7; 8 and 9 are closed).
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('transfer-counter-7');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('transfer-service-business');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã chuyển số 2002.")');
    const state = unwrap(await a.send('sync', { lastSeq: 0 }));
    if (state.mode !== 'snapshot') throw new Error('expected a snapshot');
    expect(state.snapshot.tickets.find((t) => t.number === 2002)).toMatchObject({ serviceId: 'business', state: 'waiting' });

    // Pause reasons: arrows + Enter, and digits.
    await page.keyboard.press('p');
    await page.waitForSelector('[role="dialog"][aria-label="Tạm nghỉ vì"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="counter-status"]:has-text("Tạm nghỉ: Đi công tác")');
    expect(await reasonOf(page, '[data-action="next"]')).toMatchObject({ disabled: true, visible: 'Quầy đang tạm nghỉ: bấm "Tiếp tục" (P).' });
    await page.keyboard.press('p');
    await page.waitForSelector('[data-testid="counter-status"]:has-text("Đang mở")');
    await page.keyboard.press('p');
    await page.waitForSelector('[role="dialog"][aria-label="Tạm nghỉ vì"]');
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid="counter-status"]:has-text("Tạm nghỉ: Nghỉ giải lao")');
    await page.keyboard.press('p');
    await page.waitForSelector('[data-testid="counter-status"]:has-text("Đang mở")');
    await page.close();
  });

  it('draws the "Gọi số…" refusal above its own dialog', async () => {
    const page = await s.open('/counter/4', 1366, 768);
    await logIn(page, 4);
    await page.keyboard.press('s');
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    const alert = page.locator('[role="dialog"] [role="alert"]');
    await alert.waitFor();
    expect(await alert.innerText()).toBe('Hôm nay chưa có số 9999.');
    // What the clerk sees at the message's centre is the message itself, not the backdrop.
    const onTop = await alert.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    });
    expect(onTop).toBe(true);
    await page.close();
  });

  it('calls by the rule the admin chooses on the admin page: priority first with a wait limit, or one in every N', async () => {
    const a = await hubAdmin();
    const adminPage = await s.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    await adminPage.goto(`${s.hub.url}/admin?tab=counters`);
    await adminPage.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await adminPage.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await adminPage.click('button[type="submit"]');
    await online(adminPage);
    const now = adminPage.locator('[data-testid="priority-rule-now"]');
    await now.locator('text=30 phút').waitFor();
    expect(await now.innerText()).toContain('Số ưu tiên (người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công, người đi cùng trẻ nhỏ) được gọi trước số thường');

    const page = await s.open('/counter/2', 1366, 768);
    await logIn(page, 2);
    const issueTicket = async (priority: 'normal' | 'elderly') => unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'civil', priority })).ticket;
    const issue = async (priority: 'normal' | 'elderly') => (await issueTicket(priority)).number;
    const callAndFinish = async () => {
      const before = await page.locator('[data-testid="served-today"]').innerText();
      await page.keyboard.press('n');
      await page.waitForSelector('[data-testid="current-number"]');
      const number = Number(await textOf(page, 'current-number'));
      await page.keyboard.press('2');
      await page.waitForSelector(`[data-testid="served-today"]:not(:text-is("${before}"))`);
      return number;
    };

    // Priority first: the elderly citizen goes before two normal ones who came earlier.
    const early = [await issue('normal'), await issue('normal')];
    const elderly = await issue('elderly');
    expect(await callAndFinish()).toBe(elderly);
    expect([await callAndFinish(), await callAndFinish()]).toEqual(early);

    // A limit of 5 minutes, set on the page: a normal ticket waiting 6 goes before a later priority one.
    await adminPage.locator('input[aria-label="Số phút chờ tối đa của số thường"]').fill('5');
    await adminPage.click('button:has-text("Lưu quy tắc")');
    await now.locator('text=đã chờ quá 5 phút').waitFor();
    const waited = await issueTicket('normal');
    unwrap(await a.send('clock:set', { at: waited.issuedAt + 6 * 60_000 }));
    const later = await issue('elderly');
    expect(await callAndFinish()).toBe(waited.number);
    expect(await callAndFinish()).toBe(later);

    // One in every 3: two normal tickets, then a priority one, though the priority one came first.
    await adminPage.locator('input[aria-label="N: số lượt gọi có một số ưu tiên"]').fill('3');
    await adminPage.check('input[name="priority-kind"] >> nth=1');
    await adminPage.waitForSelector('[data-testid="priority-rule-draft"]:has-text("Cứ 3 lượt gọi thì có 1 số ưu tiên")');
    await adminPage.click('button:has-text("Lưu quy tắc")');
    await now.locator('text=Cứ 3 lượt gọi thì có 1 số ưu tiên: 2 số thường rồi 1 số ưu tiên').waitFor();
    await adminPage.waitForSelector('[data-testid="admin-status"]:has-text("Đã lưu quy tắc gọi số ưu tiên")');
    // Saved as it is: the button says why it waits.
    expect(await adminPage.locator('#why-priority-rule').innerText()).toBe('Quy tắc này đang được áp dụng.');
    const first = await issue('elderly');
    const n = [await issue('normal'), await issue('normal')];
    // The counter's last call was a priority one: two normal tickets come first.
    expect([await callAndFinish(), await callAndFinish(), await callAndFinish()]).toEqual([...n, first]);
    await page.close();
    await adminPage.close();
  });
});
