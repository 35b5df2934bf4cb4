import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { HubClient } from '@xephang/client';
import { DEFAULT_FOOTER, layoutTicket, renderTicket, sliceRows, type TicketData } from '@xephang/printer';
import { FakePrinter, pixelDiff } from '@xephang/printer/testing';
import { DEFAULT_CENTER_NAME, admin, disposeHub, launchChromium, readDb, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

const textOf = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).innerText();

/** Taps keys of the on-screen keyboard, one by one, as a finger would. */
async function tap(page: Page, keys: string[]): Promise<void> {
  for (const k of keys) await page.click(`[data-testid="vietnamese-keyboard"] [data-key="${k}"]`);
}
const letters = (word: string) => [...word];

describe('searching a procedure at the kiosk, in Chromium, printing on the fake ESC/POS printer', () => {
  let hub: HubProcess;
  let browser: Browser;
  let boss: HubClient;
  const printer = new FakePrinter(576);

  beforeAll(async () => {
    await printer.start();
    hub = await startHubProcess();
    boss = await admin(hub);
    // The kiosk's printer, configured as a technician would: every kiosk prints on this one.
    unwrap(await boss.send('printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${printer.port}`, paperWidth: 80 }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    boss?.close();
    await disposeHub(hub);
    await printer.stop();
  });

  it('the on-screen keyboard finds "Đăng ký khai sinh"; a tap issues a Tư pháp – Hộ tịch ticket that prints the procedure', async () => {
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`${hub.url}/kiosk`);
    await page.waitForSelector('[data-testid="connection"][data-online="true"]');
    await page.click('[data-testid="open-search"]');
    await page.waitForSelector('[data-testid="vietnamese-keyboard"]');

    // Telex typed without an input method, on the on-screen keys: "ddang kys khai s".
    await tap(page, [...letters('ddang'), 'space', ...letters('kys'), 'space', ...letters('khai'), 'space', 's']);
    expect(await page.inputValue('[data-testid="search-box"]')).toBe('ddang kys khai s');
    const first = page.locator('[data-testid="search-results"] li').first();
    await first.locator('.procedure-name:text-is("Đăng ký khai sinh")').waitFor();

    // With the Vietnamese keys and a tone key instead: "đăng ký khai sinh".
    await tap(page, ['clear', 'đ', 'ă', 'n', 'g', 'space', 'k', 'y', 'tone-sac', 'space', ...letters('khai'), 'space', ...letters('sinh')]);
    expect(await page.inputValue('[data-testid="search-box"]')).toBe('đăng ký khai sinh');
    await first.locator('.procedure-name:text-is("Đăng ký khai sinh")').waitFor();
    expect(await first.locator('[data-testid="procedure-field"]').innerText()).toBe('Tư pháp – Hộ tịch');

    await first.locator('button').click();
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await textOf(page, 'ticket-number')).toBe('2001');
    expect(await page.locator('.ticket-service').innerText()).toBe('Tư pháp – Hộ tịch');
    expect(await textOf(page, 'ticket-procedure')).toContain('Thủ tục: Đăng ký khai sinh');
    expect(await textOf(page, 'print-status')).toBe('Đang in phiếu, xin mời nhận phiếu bên dưới.');

    const db = readDb(hub);
    const stored = db.prepare('SELECT id, service_id, procedure_code, issued_at FROM tickets').all() as {
      id: string;
      service_id: string;
      procedure_code: string;
      issued_at: number;
    }[];
    db.close();
    expect(stored).toEqual([expect.objectContaining({ service_id: 'civil', procedure_code: 'HT-01' })]);

    // The paper: decoded from the ESC/POS bytes, compared with what the same code draws for
    // this ticket with the procedure, and shown to differ from the ticket without it.
    await printer.waitForTickets(1);
    const paper = printer.tickets[0]!;
    const procedure = { procedureName: 'Đăng ký khai sinh', papers: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh (bản chính)', 'Thẻ căn cước (hoặc căn cước công dân) của người đi làm thủ tục'] };
    const data: TicketData = {
      centerName: DEFAULT_CENTER_NAME,
      number: 2001,
      serviceNameVi: 'Tư pháp – Hộ tịch',
      serviceNameEn: 'Justice – Civil status',
      issuedAt: stored[0]!.issued_at,
      day: stored[0]!.id.slice(0, 10),
      peopleAhead: 0,
      // No counter is open in this test: the ticket says the wait is not known yet.
      estimatedWaitMinutes: null,
      // The counters whose lists hold civil status in the default center.
      counterIds: [1, 2, 6],
      footer: DEFAULT_FOOTER,
    };
    const layout = layoutTicket({ ...data, ...procedure }, 80);
    const block = layout.blocks.find((b) => b.kind === 'text' && b.role === 'procedure');
    if (block?.kind !== 'text') throw new Error('the layout has no procedure block');
    expect(block.lines.map((l) => l.text).join(' ')).toBe('Thủ tục: Đăng ký khai sinh');

    const withProcedure = renderTicket({ ...data, ...procedure }, 80).bitmap;
    expect(paper.image.height).toBe(withProcedure.height);
    expect(pixelDiff(paper.image, withProcedure)).toBeLessThanOrEqual(0.002);
    // The rows where the procedure's name is printed match; another procedure's would not.
    const rows = (img: typeof withProcedure) => sliceRows(img, block.top, block.bottom);
    const other = renderTicket({ ...data, ...procedure, procedureName: 'Đăng ký kết hôn' }, 80).bitmap;
    expect(pixelDiff(rows(paper.image), rows(withProcedure))).toBeLessThanOrEqual(0.002);
    expect(pixelDiff(rows(paper.image), rows(other))).toBeGreaterThan(0.01);
    expect(renderTicket(data, 80).bitmap.height).toBeLessThan(paper.image.height);
    await page.close();
  });

  it('browsing by field lists each field\'s procedures; a tap issues for that field', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${hub.url}/kiosk`);
    await page.waitForSelector('[data-testid="connection"][data-online="true"]');
    await page.click('[data-testid="open-browse"]');
    await page.click('[data-field="police"]');
    await page.locator('[data-testid="browse-list"] .procedure-name:text-is("Đăng ký thường trú")').waitFor();
    expect(await page.locator('[data-testid="browse-list"] li').count()).toBeGreaterThan(5);
    await page.click('[data-testid="browse-list"] [data-procedure="CA-01"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    expect(await textOf(page, 'ticket-number')).toBe('5001');
    expect(await textOf(page, 'ticket-procedure')).toContain('Đăng ký thường trú');
    await printer.waitForTickets(2);
    await page.close();
  });
});
