import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { selfTestTicket } from '@xephang/printer';
import { FakePrinter } from '@xephang/printer/testing';
import type { Page } from 'playwright-core';
import { admin, ADMIN_PASSWORD, kiosk, rid, unwrap } from '@xephang/testing';
import { online, stage } from '@xephang/testing/stage';

describe('the printer editor on the admin page, against the fake network printer', () => {
  const s = stage();
  const printer = new FakePrinter(576);
  let boss: HubClient;
  beforeAll(async () => {
    await printer.start();
    boss = await admin(s.hub);
  });
  afterAll(async () => {
    boss?.close();
    await printer.stop();
  });

  const openPrinters = async (): Promise<Page> => {
    const page = await s.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    await page.goto(`${s.hub.url}/admin?tab=devices`);
    await page.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
    await page.click('button[type="submit"]');
    await online(page);
    await page.waitForSelector('[data-testid="printers"] tr[data-printer="*"]');
    return page;
  };

  it('sets the default printer to the network printer, refusing a bad port, and its test print comes out of it', async () => {
    const page = await openPrinters();
    const row = page.locator('tr[data-printer="*"]');
    // The preview printer until set, asked by itself: ready.
    await row.locator('.printer-state[data-state="ok"]:text-is("Sẵn sàng")').waitFor();
    expect(await row.innerText()).toContain('Xem trước');

    await row.locator('button:text-is("Sửa")').click();
    await row.locator('select[aria-label="Loại máy in"]').selectOption('tcp');
    const address = row.locator('input[aria-label="Địa chỉ máy in mạng"]');
    await address.fill('192.168.1.50:70000');
    expect(await row.locator('[data-testid="address-problem"]').innerText()).toBe('Cổng 70000 không hợp lệ: cổng từ 1 đến 65535 (máy in thường dùng 9100).');
    expect(await row.locator('button:text-is("Lưu")').isDisabled()).toBe(true);
    await address.fill('http://192.168.1.50');
    expect(await row.locator('[data-testid="address-problem"]').innerText()).toContain('không http://');
    await address.fill(`127.0.0.1:${printer.port}`);
    expect(await row.locator('[data-testid="address-problem"]').count()).toBe(0);
    await row.locator('button:text-is("Lưu")').click();
    await page.waitForSelector(`[data-testid="admin-status"]:has-text("Đã lưu máy in mặc định: máy in mạng 127.0.0.1:${printer.port}, khổ 80 mm.")`);
    await row.locator(`td:text-is("127.0.0.1:${printer.port}")`).waitFor();
    expect(unwrap(await boss.send('printer:list', {})).printers.find((p) => p.kioskId === '*')).toEqual({
      kioskId: '*',
      type: 'tcp',
      address: `127.0.0.1:${printer.port}`,
      paperWidth: 80,
    });

    const before = printer.tickets.length;
    await row.locator('button:text-is("In thử")').click();
    await row.locator('[data-testid="printer-test-result"]:text-is("Đã in phiếu thử.")').waitFor();
    expect(printer.tickets).toHaveLength(before + 1);
    const paper = printer.tickets.at(-1)!;
    expect(paper.cut).toBe('full');
    expect(paper.image.width).toBe(576);
    expect(paper.qr).toEqual([selfTestTicket(0, '').qr]);
    await page.close();
  });

  it('shows the printer\'s state live, in Vietnamese, without a click', async () => {
    const page = await openPrinters();
    const state = page.locator('tr[data-printer="*"] .printer-state');
    await state.and(page.locator('[data-state="ok"]')).waitFor();
    const cases = [
      [{ paperNearEnd: true }, 'paper_near_end', 'Sắp hết giấy'],
      [{ paperNearEnd: false, paperOut: true }, 'paper_out', 'Hết giấy'],
      [{ paperOut: false, coverOpen: true }, 'cover_open', 'Nắp đang mở'],
      [{ coverOpen: false }, 'ok', 'Sẵn sàng'],
    ] as const;
    for (const [fake, key, text] of cases) {
      printer.set(fake);
      await page.waitForSelector(`tr[data-printer="*"] .printer-state[data-state="${key}"]:text-is("${text}")`, { timeout: 12_000 });
    }
    // A fault prints no test ticket and says why.
    printer.set({ paperOut: true });
    await page.waitForSelector('tr[data-printer="*"] .printer-state[data-state="paper_out"]', { timeout: 12_000 });
    const before = printer.tickets.length;
    await page.click('tr[data-printer="*"] button:text-is("In thử")');
    const result = page.locator('tr[data-printer="*"] [data-testid="printer-test-result"]');
    await result.waitFor();
    expect(await result.innerText()).toContain('Chưa in thử: Máy in đã hết giấy');
    expect(printer.tickets).toHaveLength(before);
    printer.set({ paperOut: false });
    await page.close();
  });

  it('lists a paired kiosk on the default printer, and edits the ticket\'s footer and QR, which the next ticket carries', async () => {
    const { code } = unwrap(await boss.send('pairing:create', { role: 'kiosk' }));
    const paired = await fetch(`${s.hub.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Ki-ốt sảnh B' }) });
    expect(paired.status).toBe(200);
    const { deviceId } = ((await paired.json()) as { data: { deviceId: string } }).data;

    const page = await openPrinters();
    const row = page.locator(`tr[data-printer="${deviceId}"]`);
    await row.waitFor();
    expect(await row.locator('td').first().innerText()).toBe('Ki-ốt sảnh B');
    expect(await row.innerText()).toContain('dùng máy in mặc định');

    // Its own printer, 58 mm: the test ticket is drawn 384 dots wide; then back to the default.
    await row.locator('button:text-is("Đặt máy in riêng")').click();
    await row.locator('select[aria-label="Loại máy in"]').selectOption('tcp');
    await row.locator('input[aria-label="Địa chỉ máy in mạng"]').fill(`127.0.0.1:${printer.port}`);
    await row.locator('select[aria-label="Khổ giấy"]').selectOption('58');
    await row.locator('button:text-is("Lưu")').click();
    await row.locator('td:text-is("58 mm")').waitFor();
    expect(await row.innerText()).not.toContain('dùng máy in mặc định');
    const before = printer.tickets.length;
    await row.locator('button:text-is("In thử")').click();
    await row.locator('[data-testid="printer-test-result"]:text-is("Đã in phiếu thử.")').waitFor();
    expect(printer.tickets).toHaveLength(before + 1);
    expect(printer.tickets.at(-1)!.rasters.every((r) => r.width === 384)).toBe(true);
    await row.locator('button:text-is("Sửa")').click();
    await row.locator('button:text-is("Dùng máy in mặc định")').click();
    await page.waitForSelector('[data-testid="admin-status"]:has-text("Ki-ốt sảnh B dùng lại máy in mặc định.")');
    await row.locator('.hint:text-is("dùng máy in mặc định")').waitFor();
    expect(unwrap(await boss.send('printer:list', {})).printers.map((p) => p.kioskId)).toEqual(['*']);

    const text = page.locator('[data-testid="ticket-text"]');
    await text.locator('textarea[aria-label="Dòng cuối phiếu"]').fill('Tra cứu hồ sơ tại dichvucong.gov.vn. Xin cảm ơn!');
    await text.locator('input[aria-label="Nội dung mã QR"]').fill('https://xephang.invalid/t/{number}');
    await text.locator('button:text-is("Lưu chữ trên phiếu")').click();
    await page.waitForSelector('[data-testid="admin-status"]:has-text("Đã lưu chữ cuối phiếu và mã QR")');
    expect(unwrap(await boss.send('printer:list', {}))).toMatchObject({ footer: 'Tra cứu hồ sơ tại dichvucong.gov.vn. Xin cảm ơn!', qr: 'https://xephang.invalid/t/{number}' });

    const k = await kiosk(s.hub);
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    k.close();
    expect(printer.tickets.at(-1)!.qr).toEqual([`https://xephang.invalid/t/${issued.ticket.number}`]);

    // Both changes are in the admin log, under the name given at login.
    await page.click('[data-tab="log"]');
    const log = page.locator('[data-testid="audit-log"] tbody tr');
    await log.first().waitFor();
    const lines = await log.allInnerTexts();
    expect(lines[0]).toContain('Lê Văn Tâm');
    expect(lines[2]).toContain(`Máy in của ki-ốt ${deviceId}: máy in mạng 127.0.0.1:${printer.port}, khổ 58 mm`);
    expect(lines[0]).toContain('Chữ trên phiếu: cuối phiếu "Tra cứu hồ sơ tại dichvucong.gov.vn. Xin cảm ơn!"');
    expect(lines.some((l) => l.includes(`Máy in mặc định (mọi ki-ốt): máy in mạng 127.0.0.1:${printer.port}, khổ 80 mm`))).toBe(true);
    await page.close();
  });
});
