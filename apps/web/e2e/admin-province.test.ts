import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, PROVINCE_ARGS, screenshotPath, startTestProvince, type TestProvince } from '@xephang/testing';
import { online, stage, textOf } from '@xephang/testing/stage';

/** The system tab's province card in Chromium, against a real hub and a small protocol-true province server. */
describe('the admin province link card', () => {
  const s = stage(['--demo', ...PROVINCE_ARGS]);
  let province: TestProvince;
  let page: Page;
  beforeAll(async () => {
    province = await startTestProvince();
    province.keys.set('khoa-dang-ky-ha-trung', ['38409', 'Xã Hà Trung']);
  });
  afterAll(async () => {
    await page?.close();
    await province.close();
  });

  const card = () => page.locator('[data-testid="province-link"]');
  const stateOf = async () => page.locator('[data-testid="province-state"]').getAttribute('data-state');

  it('enrols from the form: a wrong key is refused in Vietnamese, the right one links and shows the commune', async () => {
    page = await s.browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'vi-VN' });
    await page.goto(`${s.hub.url}/admin?tab=system`);
    await page.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await online(page);
    await page.waitForSelector('[data-testid="province-enrol"]');
    const submit = page.locator('[data-testid="province-enrol"] button[type="submit"]');
    // An address with a password in it is refused before anything is sent.
    await page.fill('input[aria-label="Địa chỉ máy chủ tỉnh"]', 'http://ai:matkhau@127.0.0.1/');
    expect(await textOf(page, 'province-link')).toContain('không chứa tên hay mật khẩu');
    expect(await submit.isDisabled()).toBe(true);
    await page.fill('input[aria-label="Địa chỉ máy chủ tỉnh"]', province.url);
    await page.fill('input[aria-label="Mã xã"]', '38409');
    await page.fill('input[aria-label="Mã đăng ký"]', 'khoa-sai-khong-dung');
    await card().screenshot({ path: screenshotPath('admin-province-enrol.png') });
    await submit.click();
    await page.waitForSelector('.admin-status.error');
    expect(await page.locator('.admin-status.error').innerText()).toContain('không nhận mã đăng ký này cho xã 38409');
    await page.fill('input[aria-label="Mã đăng ký"]', 'khoa-dang-ky-ha-trung');
    await submit.click();
    await page.waitForSelector('[data-testid="province-state"]');
    expect(await page.locator('.admin-status.ok').innerText()).toContain('Đã liên kết với tỉnh: xã 38409 (Xã Hà Trung)');
    expect(await textOf(page, 'province-commune')).toBe('Xã Hà Trung');
    expect(await textOf(page, 'province-url')).toBe(province.url);
    // Connected once the first push is acknowledged (the card asks every 5 s).
    await page.waitForSelector('[data-testid="province-state"][data-state="ok"]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="province-pending"]')?.textContent === 'Đã gửi hết', undefined, { timeout: 15_000 });
    expect(province.communes.get('38409')!.lastSeq).toBeGreaterThanOrEqual(1);
    const dot = await page.locator('[data-testid="province-state"]').evaluate((el) => getComputedStyle(el, '::before').backgroundColor);
    expect(dot).toBe('rgb(29, 138, 78)');
    await card().screenshot({ path: screenshotPath('admin-province-linked.png') });
  });

  it('shows the link down with the reason in Vietnamese, then back up after "Gửi ngay"', async () => {
    province.mode = { kind: 'status', status: 503 };
    await page.click('[data-testid="province-link"] button:has-text("Gửi ngay")');
    await page.waitForSelector('[data-testid="province-state"][data-state="down"]', { timeout: 15_000 });
    expect(await textOf(page, 'province-error')).toContain('Không gửi được lên tỉnh: máy chủ tỉnh trả lời lỗi 503');
    await card().screenshot({ path: screenshotPath('admin-province-down.png') });
    province.mode = { kind: 'ok' };
    await page.click('[data-testid="province-link"] button:has-text("Gửi ngay")');
    await page.waitForSelector('[data-testid="province-state"][data-state="ok"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="province-error"]').count()).toBe(0);
  });

  it('unlinks only after the admin confirms', async () => {
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.click('[data-testid="province-link"] button:has-text("Ngắt liên kết")');
    expect(asked).toContain('Ngắt liên kết với máy chủ tỉnh');
    expect(await stateOf()).toBe('ok');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="province-link"] button:has-text("Ngắt liên kết")');
    await page.waitForSelector('[data-testid="province-enrol"]');
    expect(await page.locator('.admin-status.ok').innerText()).toContain('Đã ngắt liên kết với tỉnh.');
  });
});
