import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { admin, ADMIN_PASSWORD, unwrap } from '@xephang/testing';
import { online, stage } from '@xephang/testing/stage';

/**
 * The admin page in an English (en-US) Chromium, where a native date input would show
 * 5 December 2026 as 12/05/2026 and a file input "Choose file": the page shows Vietnamese
 * dates and words whatever the browser's language.
 */
describe('the admin page in an en-US browser', () => {
  const s = stage([]);

  // Binary order (as SQLite sorts) puts "Đỗ" last and "Lê" first; Vietnamese lists sort by the
  // given name, with Â after A and Đ after D: Ân, Dung, Đức, Em.
  const CLERKS = ['Phạm Văn Em', 'Đỗ Văn Đức', 'Lê Thị Dung', 'Nguyễn Văn Ân'];
  beforeAll(async () => {
    const a = await admin(s.hub);
    for (const name of CLERKS) unwrap(await a.send('clerk:create', { name, pin: '123456', counterIds: [1] }));
    a.close();
  });

  const openAdmin = async (tab: string, name = 'Lê Văn Tâm'): Promise<Page> => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    await page.goto(`${s.hub.url}/admin?tab=${tab}`);
    await page.fill('input[aria-label="Họ và tên"]', name);
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await online(page);
    return page;
  };

  it('keeps the operator\'s name after a wrong password; only the password is typed again', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    await page.goto(`${s.hub.url}/admin`);
    await page.fill('input[aria-label="Họ và tên"]', 'Trần Thị Hồng Nhung');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', 'sai-mat-khau');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[role="alert"]:has-text("Sai mật khẩu quản trị")');
    expect(await page.inputValue('input[aria-label="Họ và tên"]')).toBe('Trần Thị Hồng Nhung');
    expect(await page.inputValue('input[aria-label="Mật khẩu quản trị"]')).toBe('');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await online(page);
    expect(await page.innerText('.admin-user strong')).toBe('Trần Thị Hồng Nhung');
    await page.close();
  });

  it('shows and takes report dates as dd/mm/yyyy, and says when one does not exist', async () => {
    const page = await openAdmin('reports');
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.waitForSelector('[data-testid="report"]');
    const day = page.locator('input[aria-label="Ngày"]');
    // Today, written the Vietnamese way.
    const today = await day.getAttribute('data-date');
    expect(await day.inputValue()).toBe(`${today!.slice(8, 10)}/${today!.slice(5, 7)}/${today!.slice(0, 4)}`);

    await day.fill('05/12/2026');
    expect(await day.getAttribute('data-date')).toBe('2026-12-05');
    await page.click('button:text-is("Xem báo cáo")');
    await page.waitForSelector('[data-testid="report"] h2:has-text("Ngày 05/12/2026")');

    await day.fill('31/02/2026');
    expect(await page.locator('.date-field [role="alert"]').innerText()).toBe('Không có ngày 31/02/2026.');
    expect(await page.locator('button:text-is("Xem báo cáo")').isDisabled()).toBe(true);
    await day.fill('12/05');
    expect(await page.locator('.date-field [role="alert"]').innerText()).toBe('Nhập ngày dạng ngày/tháng/năm, ví dụ 05/12/2026.');
    await day.fill('5/12/2026');
    expect(await page.locator('.date-field [role="alert"]').count()).toBe(0);
    expect(await day.getAttribute('data-date')).toBe('2026-12-05');

    // A range: the end may not come before the start.
    await page.click('[role="radio"]:text-is("Khoảng ngày")');
    await page.fill('input[aria-label="Từ ngày"]', '01/12/2026');
    await page.fill('input[aria-label="Đến ngày"]', '30/11/2026');
    expect(await page.locator('.date-field [role="alert"]').innerText()).toBe('Ngày phải từ 01/12/2026 trở đi.');
    await page.fill('input[aria-label="Đến ngày"]', '05/12/2026');
    await page.click('button:text-is("Xem báo cáo")');
    await page.waitForSelector('[data-testid="report"] h2:has-text("01/12/2026")');
    expect(await page.innerText('[data-testid="report"] h2')).toContain('05/12/2026');

    // A week by any of its days, a month by number and year: no English "Week 49, 2026".
    await page.click('[role="radio"]:text-is("Tuần")');
    await page.fill('input[aria-label="Một ngày trong tuần"]', '05/12/2026');
    expect(await page.innerText('[data-testid="week-span"]')).toBe('Tuần 49/2026: 30/11 – 06/12/2026');
    await page.click('button:text-is("Xem báo cáo")');
    await page.waitForSelector('[data-testid="report"] h2:has-text("Tuần 49/2026")');
    await page.click('[role="radio"]:text-is("Tháng")');
    await page.selectOption('select[aria-label="Tháng"]', '11');
    await page.fill('input[aria-label="Năm"]', '2026');
    await page.click('button:text-is("Xem báo cáo")');
    await page.waitForSelector('[data-testid="report"] h2:has-text("Tháng 11/2026")');
    // No native date, week or month input is left to follow the browser's language.
    expect(await page.locator('input[type="date"], input[type="week"], input[type="month"]').count()).toBe(0);
    await page.close();
  });

  it('sorts clerks the Vietnamese way and says why a PIN is refused', async () => {
    const page = await openAdmin('clerks');
    await page.waitForSelector('tr[data-clerk] input[aria-label="Họ và tên cán bộ"]');
    const names = await page.locator('tr[data-clerk]:not([data-clerk="new"]) input[aria-label="Họ và tên cán bộ"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(names).toEqual(['Nguyễn Văn Ân', 'Lê Thị Dung', 'Đỗ Văn Đức', 'Phạm Văn Em']);

    const row = page.locator('tr[data-clerk]').first();
    const pin = row.locator('input[aria-label="Mã PIN mới"]');
    const problem = row.locator('[data-testid="pin-problem"]');
    await pin.fill('12a4');
    expect(await problem.innerText()).toBe('Mã PIN chỉ gồm chữ số (0–9), từ 4 đến 8 số.');
    await pin.fill('123');
    expect(await problem.innerText()).toBe('Mã PIN phải có 4 đến 8 chữ số (mới có 3).');
    expect(await row.locator('button:text-is("Lưu")').isDisabled()).toBe(true);
    await pin.fill('123456789');
    expect(await problem.innerText()).toBe('Mã PIN có tối đa 8 chữ số (đang có 9).');
    await pin.fill('4321');
    expect(await problem.count()).toBe(0);
    expect(await row.locator('button:text-is("Lưu")').isEnabled()).toBe(true);

    // A new clerk with a name and no PIN is told the PIN is needed.
    const fresh = page.locator('tr[data-clerk="new"]');
    await fresh.locator('input[aria-label="Họ và tên cán bộ"]').fill('Vũ Thị Hạnh');
    expect(await fresh.locator('[data-testid="pin-problem"]').innerText()).toBe('Cần mã PIN: 4 đến 8 chữ số.');
    await page.close();
  });

  it('the catalog\'s file picker speaks Vietnamese, not the browser\'s "Choose file"', async () => {
    const page = await openAdmin('catalog');
    const pick = page.locator('label.file-pick');
    expect(await pick.innerText()).toBe('Chọn tệp CSV hoặc Excel…');
    expect(await page.innerText('[data-testid="catalog-file"]')).toBe('Chưa chọn tệp nào');
    // The browser's own control is there for the keyboard and the file dialog, but not seen.
    const box = await page.locator('input[type="file"]').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(1);
    expect(await pick.isVisible()).toBe(true);
    await page.setInputFiles('input[aria-label="Tệp danh mục thủ tục"]', { name: 'thu-tuc.csv', mimeType: 'text/csv', buffer: Buffer.from('mã,tên thủ tục,lĩnh vực\nXP-01,Cấp bản sao trích lục hộ tịch,civil\n') });
    expect(await page.innerText('[data-testid="catalog-file"]')).toBe('thu-tuc.csv');
    // The label opens the file dialog, as the native button did.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), pick.click()]);
    expect(chooser.isMultiple()).toBe(false);
    await page.close();
  });
});
