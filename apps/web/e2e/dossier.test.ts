import { afterAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { Page } from 'playwright-core';
import { admin, ADMIN_PASSWORD, readDb, rid, unwrap } from '@xephang/testing';
import { logIn, stage } from '@xephang/testing/stage';

const CODE = '000.00.12.H12-250714-0001';

function storedCode(s: ReturnType<typeof stage>, number: number): string | null {
  const db = readDb(s.hub);
  try {
    return (db.prepare('SELECT dossier_code FROM tickets WHERE number = ?').get(number) as { dossier_code: string | null }).dossier_code;
  } finally {
    db.close();
  }
}

const value = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).inputValue();

describe('the dossier code in Chromium: a scanner on the counter, the admin’s visit list', () => {
  const s = stage(['--demo', '--kiosk-burst', '0']);
  let boss: HubClient;
  afterAll(() => boss?.close());

  it('a scanner’s prefix + code + Enter lands in the code field, never in the search box, and the keys still work', async () => {
    boss = await admin(s.hub);
    unwrap(await boss.send('visit:setDossierSettings', { pattern: '^[A-Za-z0-9./-]{6,40}$', scannerPrefix: '~' }));
    for (let i = 0; i < 3; i++) unwrap(await boss.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const page = await s.open('/counter/1', 1366, 900);
    await logIn(page, 1);

    // Two keys, as before: N calls 2001, 1 finishes it ("Tiếp nhận hồ sơ") with no code.
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("2001")');
    await page.keyboard.press('1');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã kết thúc số 2001: Tiếp nhận hồ sơ.")');
    await page.waitForSelector('label[for="dossier-code"]:has-text("Mã hồ sơ số 2001")');

    // The clerk is typing in today's search box when the receipt slip is scanned: a burst, no delay.
    await page.click('[data-testid="today-search"]');
    await page.keyboard.type('20');
    await page.keyboard.type(`~${CODE}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="dossier-note"]:has-text("Đã ghi mã hồ sơ ${CODE} cho số 2001.")`);
    expect(await value(page, 'dossier-code')).toBe(CODE);
    expect(await value(page, 'today-search')).toBe('20');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('today-search');
    expect(storedCode(s, 2001)).toBe(CODE);
    await page.waitForSelector(`[data-testid="today-code"]:has-text("${CODE}")`);

    // A visit in hand: the scan waits in the field and goes with the finish by 3 ("Trả kết quả").
    await page.fill('[data-testid="today-search"]', '');
    await page.locator('[data-testid="today-search"]').blur();
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("2002")');
    await page.waitForSelector('label[for="dossier-code"]:has-text("Mã hồ sơ số 2002")');
    await page.keyboard.type('~KQ-250714-0002');
    await page.keyboard.press('Enter');
    expect(await value(page, 'dossier-code')).toBe('KQ-250714-0002');
    expect(storedCode(s, 2002)).toBeNull();
    await page.keyboard.press('3');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã kết thúc số 2002: Trả kết quả, mã hồ sơ KQ-250714-0002.")');
    expect(storedCode(s, 2002)).toBe('KQ-250714-0002');

    // A code the pattern refuses: the message beside the field, the finish does not happen, the clerk clears it and finishes.
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("2003")');
    await page.keyboard.type('~ab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="dossier-note"]:has-text("Mã hồ sơ \\"ab\\" không hợp lệ")');
    await page.fill('[data-testid="dossier-code"]', 'x');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="dossier-note"][role="alert"]:has-text("từ 6 đến 40 ký tự")');
    await page.locator('[data-testid="dossier-code"]').blur();
    await page.keyboard.press('1');
    await page.waitForSelector('[data-testid="dossier-note"]:has-text("Mã hồ sơ \\"x\\" không hợp lệ")');
    expect(await page.locator('[data-testid="current-number"]').innerText()).toBe('2003');
    await page.fill('[data-testid="dossier-code"]', '');
    await page.locator('[data-testid="dossier-code"]').blur();
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid="message"]:has-text("Đã kết thúc số 2003: Hướng dẫn.")');
    expect(storedCode(s, 2003)).toBeNull();

    // An earlier visit of today, from the counter's own list: its code corrected, then the list shows it.
    await page.click('[data-testid="dossier-pick-2002"]');
    await page.waitForSelector('label[for="dossier-code"]:has-text("Mã hồ sơ số 2002")');
    expect(await value(page, 'dossier-code')).toBe('KQ-250714-0002');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dossier-code');
    await page.fill('[data-testid="dossier-code"]', 'KQ-250714-0022');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="dossier-note"]:has-text("Đã ghi mã hồ sơ KQ-250714-0022 cho số 2002.")');
    expect(storedCode(s, 2002)).toBe('KQ-250714-0022');
    await page.waitForSelector('[data-testid="today-code"]:has-text("KQ-250714-0022")');
    // The guidance visit offers no code.
    expect(await page.locator('[data-testid="dossier-pick-2003"]').count()).toBe(0);
  });

  it('a prefix of two characters: its first character alone still types where the clerk types', async () => {
    unwrap(await boss.send('visit:setDossierSettings', { pattern: '^[A-Za-z0-9./-]{6,40}$', scannerPrefix: '~#' }));
    const page = await s.open('/counter/1', 1366, 900);
    await logIn(page, 1);
    await page.waitForSelector('[data-testid="dossier"][data-prefix="~#"]');
    await page.click('[data-testid="today-search"]');
    // A held "~" is typed once the next key shows it was no prefix ("~~": the first is typed, the second held).
    await page.keyboard.type('~2~~x');
    expect(await value(page, 'today-search')).toBe('~2~~x');
    await page.fill('[data-testid="today-search"]', '');
    await page.click('[data-testid="dossier-pick-2001"]');
    await page.click('[data-testid="today-search"]');
    await page.keyboard.type('~#AB-250714-0003');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="dossier-note"]:has-text("Đã ghi mã hồ sơ AB-250714-0003 cho số 2001.")');
    expect(await value(page, 'today-search')).toBe('');
    expect(storedCode(s, 2001)).toBe('AB-250714-0003');

    // Unikey with Telex on rewrites the scanner's "dd" as "đ": the code is refused, and the note says the typing program is the likely cause.
    await page.keyboard.type('~#AB-250714-');
    // Playwright knows no "đ" key: the event is sent as the typing program's is (a key with that text).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'đ', text: 'đ', unmodifiedText: 'đ' });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'đ' });
    await page.keyboard.type('03');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="dossier-note"][role="alert"]:has-text("Mã hồ sơ \\"AB-250714-đ03\\" không hợp lệ")');
    expect(await page.locator('[data-testid="dossier-note"]').innerText()).toContain('Mã có chữ tiếng Việt: có thể bộ gõ tiếng Việt (Unikey…) đang bật — hãy tắt bộ gõ khi quét.');
    expect(storedCode(s, 2001)).toBe('AB-250714-0003');
    // A code refused for another reason, plain letters only: no word of the typing program.
    await page.keyboard.type('~#AB_250714_0003');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="dossier-note"][role="alert"]:has-text("Mã hồ sơ \\"AB_250714_0003\\" không hợp lệ")');
    expect(await page.locator('[data-testid="dossier-note"]').innerText()).not.toContain('bộ gõ');
    await page.close();
  });

  it('a scan at the PIN box is no PIN; a scan cut short (no Enter) gives the keys back: the clerk’s N calls the next citizen', async () => {
    unwrap(await boss.send('visit:setDossierSettings', { pattern: '^[A-Za-z0-9./-]{6,40}$', scannerPrefix: '~' }));
    unwrap(await boss.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const page = await s.open('/counter/1', 1366, 900);
    // A slip scanned at the PIN box: its digits do not become a PIN, its Enter sends no login.
    await page.waitForSelector('input[aria-label="Mã PIN"]');
    await page.keyboard.type('~000.00.12.H12-250714-0009');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=hãy đăng nhập bằng mã PIN trước khi quét');
    expect(await page.locator('input[aria-label="Mã PIN"]').inputValue()).toBe('');
    await logIn(page, 1);
    await page.waitForSelector('[data-testid="dossier"][data-prefix="~"]');
    // Its Enter lost: the screen says a scan is under way even with no visit to write it to, then drops it.
    await page.keyboard.type('~KQ-2507');
    await page.waitForSelector('[data-testid="dossier-note"]:has-text("Đang nhận mã từ máy quét")');
    await page.waitForSelector('[data-testid="dossier-note"]', { state: 'detached', timeout: 5000 });
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="current-number"]:has-text("2004")');
    // A whole scan after it still lands in the field.
    await page.keyboard.type('~KQ-250714-0004');
    await page.keyboard.press('Enter');
    expect(await value(page, 'dossier-code')).toBe('KQ-250714-0004');
    await page.close();
  });

  it('the admin’s visit list finds the visit by its code and corrects it', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1500, height: 900 }, locale: 'vi-VN' });
    await page.goto(`${s.hub.url}/admin?tab=visits`);
    await page.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="visits-table"]');
    await page.fill('[data-testid="visits-search"]', 'ab-250714');
    await page.waitForSelector('[data-testid="visits-count"]:has-text("1–1 trong 1 lượt")');
    const row = page.locator('[data-testid="visit-2001"]');
    expect(await row.locator('[data-testid="visit-code"]').innerText()).toBe('AB-250714-0003');
    expect(await row.innerText()).toContain('Tiếp nhận hồ sơ');

    await row.locator('[data-testid="visit-edit-2001"]').click();
    await page.fill('[data-testid="visit-code-input"]', 'sai mã');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="visit-2001"] [role="alert"]:has-text("không hợp lệ")');
    await page.fill('[data-testid="visit-code-input"]', 'H12-250714-0009');
    await page.keyboard.press('Enter');
    await page.fill('[data-testid="visits-search"]', '0009');
    await page.waitForSelector('[data-testid="visit-2001"] [data-testid="visit-code"]:has-text("H12-250714-0009")');
    expect(storedCode(s, 2001)).toBe('H12-250714-0009');
    await page.close();
  });
});
