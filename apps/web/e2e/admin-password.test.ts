import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, tryConnect } from '@xephang/testing';
import { online, stage } from '@xephang/testing/stage';

const NEW_PASSWORD = 'Mật-khẩu-mới-2026';

describe('changing the admin password on the admin page', () => {
  const s = stage([]);

  const openAdmin = async (name: string, password = ADMIN_PASSWORD, tab = 'password'): Promise<Page> => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    await page.goto(`${s.hub.url}/admin?tab=${tab}`);
    await page.fill('input[aria-label="Họ và tên"]', name);
    await page.fill('input[aria-label="Mật khẩu quản trị"]', password);
    await page.click('button[type="submit"]');
    await online(page);
    return page;
  };

  it('states the rule, refuses a weak or mistyped one, then changes it: this screen goes on, another is logged out with why', async () => {
    const page = await openAdmin('Lê Văn Tâm');
    const other = await openAdmin('Nguyễn Thị Lan', ADMIN_PASSWORD, 'services');
    const form = page.locator('[data-testid="password-tab"]');
    expect(await form.locator('.hint').innerText()).toContain('ít nhất 10 ký tự, có ít nhất hai loại trong ba: chữ cái, chữ số, ký hiệu');
    const submit = form.locator('button:text-is("Đổi mật khẩu")');

    await form.locator('input[aria-label="Mật khẩu hiện tại"]').fill(ADMIN_PASSWORD);
    await form.locator('input[aria-label="Mật khẩu mới"]').fill('matkhau');
    expect(await form.locator('[data-testid="password-problem"]').innerText()).toContain('Mật khẩu chưa đủ mạnh: cần ít nhất 10 ký tự');
    await form.locator('input[aria-label="Mật khẩu mới"]').fill(NEW_PASSWORD);
    expect(await form.locator('[data-testid="password-problem"]').count()).toBe(0);
    await form.locator('input[aria-label="Nhập lại mật khẩu mới"]').fill(`${NEW_PASSWORD}!`);
    expect(await form.locator('[data-testid="repeat-problem"]').innerText()).toBe('Hai lần nhập mật khẩu mới chưa giống nhau.');
    expect(await submit.isDisabled()).toBe(true);
    await form.locator('input[aria-label="Nhập lại mật khẩu mới"]').fill(NEW_PASSWORD);

    // A wrong current password: the hub's word, nothing changed.
    await form.locator('input[aria-label="Mật khẩu hiện tại"]').fill('khong-phai-mat-khau-1');
    await submit.click();
    await page.waitForSelector('[data-testid="admin-status"]:has-text("Mật khẩu hiện tại không đúng; mật khẩu quản trị chưa được đổi.")');
    expect(await tryConnect(s.hub, { role: 'admin', password: ADMIN_PASSWORD })).toBe('connected');

    await form.locator('input[aria-label="Mật khẩu hiện tại"]').fill(ADMIN_PASSWORD);
    await submit.click();
    await page.waitForSelector('[data-testid="admin-status"]:has-text("Đã đổi mật khẩu quản trị. 1 màn hình quản trị khác đã bị đăng xuất.")');

    // The other screen is back at the login form, told why, its operator's name kept.
    await other.waitForSelector('[role="alert"]:has-text("Mật khẩu quản trị vừa được đổi bởi Lê Văn Tâm. Hãy đăng nhập lại bằng mật khẩu mới.")');
    expect(await other.inputValue('input[aria-label="Họ và tên"]')).toBe('Nguyễn Thị Lan');

    // This screen reconnected with the new password and keeps working, also after a reload.
    await online(page);
    await page.click('[data-tab="log"]');
    await page.waitForSelector('[data-testid="audit-log"] tbody tr:has-text("Đổi mật khẩu quản trị")');
    await page.reload();
    await online(page);
    expect(await page.evaluate(() => sessionStorage.getItem('xephang.admin'))).toContain(NEW_PASSWORD);

    // Old password refused, new one accepted, by the form.
    await other.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await other.click('button[type="submit"]');
    await other.waitForSelector('[role="alert"]:has-text("Sai mật khẩu quản trị")');
    await other.fill('input[aria-label="Mật khẩu quản trị"]', NEW_PASSWORD);
    await other.click('button[type="submit"]');
    await online(other);
    expect(await other.innerText('.admin-user strong')).toBe('Nguyễn Thị Lan');
    await page.close();
    await other.close();
  });
});
