import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { fail, ok, type Ack, type DesktopBridge, type DesktopPrintResult } from '@xephang/protocol';
import { readDb } from '@xephang/testing';
import { online, stage } from '@xephang/testing/stage';

/**
 * The kiosk inside the desktop shell, in Chromium (Electron cannot run here): `window.xephang`
 * is the DesktopBridge of @xephang/protocol, stubbed by a function in Node that answers as the
 * shell's main process would. The kiosk must hand it the ticket the hub just issued, and show
 * what the shell's printer did.
 */

const s = stage();
/** The ticket ids the page asked the shell to print, in order. */
const asked: string[] = [];
let answer: Ack<DesktopPrintResult> = ok({ printed: true, state: 'ok', message: '' });
const bridge: DesktopBridge = {
  printTicket: async (ticketId) => {
    asked.push(ticketId);
    return answer;
  },
};

async function openShellKiosk(): Promise<Page> {
  const page = await s.browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN' });
  await page.exposeFunction('xephangPrintStub', (ticketId: string) => bridge.printTicket(ticketId));
  await page.addInitScript(() => {
    const stub = (window as unknown as { xephangPrintStub: (id: string) => Promise<unknown> }).xephangPrintStub;
    Object.assign(window, { xephang: { printTicket: (ticketId: string) => stub(ticketId) } });
  });
  await page.goto(`${s.hub.url}/kiosk`);
  await online(page);
  return page;
}

/** Takes a civil-status ticket and returns the print line the kiosk shows, and the id the hub stored. */
async function takeTicket(page: Page): Promise<{ status: string; failed: boolean; storedId: string }> {
  await page.click('[data-service="civil"]');
  await page.waitForSelector('[data-testid="ticket-number"]');
  const number = Number(await page.locator('[data-testid="ticket-number"]').innerText());
  const line = page.locator('[data-testid="print-status"]');
  const result = { status: await line.innerText(), failed: (await line.getAttribute('class'))!.split(' ').includes('failed') };
  await page.click('[data-testid="done"]');
  await page.waitForSelector('[data-service="civil"]');
  const db = readDb(s.hub);
  try {
    const row = db.prepare('SELECT id FROM tickets WHERE number = ?').get(number) as { id: string };
    return { ...result, storedId: row.id };
  } finally {
    db.close();
  }
}

describe('the kiosk in the desktop shell prints through window.xephang', () => {
  it('asks the shell to print the ticket the hub issued, and says so when it printed', async () => {
    const page = await openShellKiosk();
    answer = ok({ printed: true, state: 'ok', message: '' });
    const taken = await takeTicket(page);
    expect(asked).toEqual([taken.storedId]);
    expect(taken.failed).toBe(false);
    await page.close();
  });

  it('keeps the number on screen and asks the citizen to note it when the shell could not print', async () => {
    const page = await openShellKiosk();
    answer = ok({ printed: false, state: 'paper_out', message: 'Máy in hết giấy.' });
    const noPaper = await takeTicket(page);
    answer = fail('printer_error', 'Máy này không được cài đặt máy in phiếu.');
    const noPrinter = await takeTicket(page);
    expect(asked.slice(-2)).toEqual([noPaper.storedId, noPrinter.storedId]);
    for (const taken of [noPaper, noPrinter]) {
      expect(taken.failed).toBe(true);
      expect(taken.status).toContain('ghi lại số này');
    }
    await page.close();
  });
});
