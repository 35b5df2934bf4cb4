import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { FakePrinter } from '@xephang/printer/testing';
import { admin, readDb, ticketCount, unwrap } from '@xephang/testing';
import { stage } from '@xephang/testing/stage';

describe('the kiosk screen when the printer fails', () => {
  const s = stage();
  const printer = new FakePrinter(576);
  let boss: HubClient;
  beforeAll(async () => {
    await printer.start();
    boss = await admin(s.hub);
    unwrap(await boss.send('printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${printer.port}`, paperWidth: 80 }));
  });
  afterAll(async () => {
    boss?.close();
    await printer.stop();
  });

  it('says so when the paper is out and gives no number; keeps the number on screen when a job is cut', async () => {
    const kiosk = await s.open('/kiosk', 1080, 1920);

    printer.set({ paperOut: true });
    await kiosk.click('[data-service="civil"]');
    const error = kiosk.locator('[data-testid="kiosk-error"]');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/giấy/i);
    expect(ticketCount(s.hub)).toBe(0);

    printer.set({ paperOut: false });
    printer.dropNextJob(6000);
    await kiosk.click('[data-service="civil"]');
    await kiosk.waitForSelector('[data-testid="ticket-number"]');
    expect(await kiosk.locator('[data-testid="ticket-number"]').innerText()).toBe('2001');
    expect(await kiosk.locator('[data-testid="print-status"]').innerText()).toContain('ghi lại số này');
    expect(ticketCount(s.hub)).toBe(1);
    const db = readDb(s.hub);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM events WHERE type = 'ticket:printFailed'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    await kiosk.close();
  });
});
