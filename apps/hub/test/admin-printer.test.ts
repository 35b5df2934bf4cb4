import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { renderTicket, selfTestTicket } from '@xephang/printer';
import { FakePrinter, pngToBitmap } from '@xephang/printer/testing';
import { DEFAULT_CENTER_NAME } from '../src/default-center';
import { admin, disposeHub, kiosk, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

/** The admin log's lines, newest first, as the admin page reads them. */
async function auditLog(boss: HubClient) {
  return unwrap(await boss.send('config:log', { limit: 20 }));
}

describe('the admin sets, tests and watches the kiosks\' printers', () => {
  let hub: HubProcess;
  let boss: HubClient;
  const printer = new FakePrinter(576);

  beforeAll(async () => {
    await printer.start();
    hub = await startHubProcess({ args: ['--kiosk-burst', '0'] });
    boss = await admin(hub);
  });
  afterAll(async () => {
    boss?.close();
    await disposeHub(hub);
    await printer.stop();
  });

  it('a test print on the default preview printer writes its own PNG, never a real ticket\'s name', async () => {
    const reply = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: '*' }));
    expect(reply).toMatchObject({ kioskId: '*', type: 'preview', printed: true, state: 'ok' });
    expect(reply.file).toMatch(/tickets\/in-thu-\d{4}-\d{2}-\d{2}-\d+\.png$/);
    expect(existsSync(reply.file!)).toBe(true);
    expect(reply.message).toContain('Đã lưu phiếu in thử');
    // It is the self-test ticket (every tone mark), drawn at full width.
    expect(pngToBitmap(readFileSync(reply.file!)).width).toBe(576);
  });

  it('a network printer set on the page gets the test ticket through the real TCP path, once per request', async () => {
    unwrap(await boss.send('printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${printer.port}`, paperWidth: 80 }));
    const requestId = rid();
    const before = printer.tickets.length;
    const reply = unwrap(await boss.send('printer:test', { requestId, kioskId: '*' }));
    expect(reply).toMatchObject({ type: 'tcp', address: `127.0.0.1:${printer.port}`, printed: true, state: 'ok', message: 'Đã in phiếu thử.' });
    expect(printer.tickets).toHaveLength(before + 1);
    const paper = printer.tickets.at(-1)!;
    expect(paper.cut).toBe('full');
    expect(paper.qr).toEqual([selfTestTicket(0, '').qr]);
    // Drawn for the 80 mm paper set on the page, as tall as the self-test ticket with this center's name.
    const expected = renderTicket({ ...selfTestTicket(Date.now(), `tcp://127.0.0.1:${printer.port}`), centerName: `${DEFAULT_CENTER_NAME} — IN THỬ / TEST` }, 80).bitmap;
    expect(paper.image.width).toBe(576);
    expect(paper.image.height).toBe(expected.height);
    // A double click: the stored answer, no second ticket.
    expect(unwrap(await boss.send('printer:test', { requestId, kioskId: '*' })).printed).toBe(true);
    expect(printer.tickets).toHaveLength(before + 1);
  });

  it('paper out: no test ticket, the state and a Vietnamese reason; paper near end: printed with a warning', async () => {
    const before = printer.tickets.length;
    printer.set({ paperOut: true });
    const out = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: '*' }));
    expect(out).toMatchObject({ printed: false, state: 'paper_out' });
    expect(out.message).toContain('hết giấy');
    expect(printer.tickets).toHaveLength(before);
    expect(unwrap(await boss.send('printer:status', { kioskId: '*' })).state).toBe('paper_out');

    printer.set({ paperOut: false, paperNearEnd: true });
    const near = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: '*' }));
    expect(near).toMatchObject({ printed: true, state: 'paper_near_end' });
    expect(near.message).toContain('sắp hết giấy');
    printer.set({ paperNearEnd: false, coverOpen: true });
    expect(unwrap(await boss.send('printer:status', { kioskId: '*' })).state).toBe('cover_open');
    printer.set({ coverOpen: false });
    expect(unwrap(await boss.send('printer:status', { kioskId: '*' })).state).toBe('ok');
    expect(printer.tickets).toHaveLength(before + 1);
  });

  it('an unreachable printer is offline, and the test says so without hanging', async () => {
    unwrap(await boss.send('printer:set', { kioskId: 'kiosk-cong', type: 'tcp', address: '127.0.0.1:1', paperWidth: 58 }));
    const reply = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: 'kiosk-cong' }));
    expect(reply).toMatchObject({ kioskId: 'kiosk-cong', printed: false, state: 'offline', paperWidth: 58 });
    expect(reply.message).toMatch(/^Chưa in thử: Không kết nối được với máy in/);
  });

  it('refuses bad addresses and ports in Vietnamese, changing nothing; a kiosk may not test or set', async () => {
    const before = unwrap(await boss.send('printer:list', {}));
    for (const address of ['192.168.1.50:70000', 'http://192.168.1.50', '192.168.1.50:0', '']) {
      const bad = await boss.send('printer:set', { kioskId: '*', type: 'tcp', address, paperWidth: 80 });
      expect(bad.ok).toBe(false);
      if (bad.ok) continue;
      expect(bad.error.code).toBe('invalid_payload');
      expect(bad.error.message).toMatch(/address/);
    }
    expect(unwrap(await boss.send('printer:list', {}))).toEqual(before);
    const k = await kiosk(hub);
    const refused = await k.send('printer:test', { requestId: rid(), kioskId: '*' });
    expect(!refused.ok && refused.error.code).toBe('forbidden');
    k.close();
    const unknownField = await boss.send('printer:test', { requestId: rid(), kioskId: '*', copies: 3 } as never);
    expect(!unknownField.ok && unknownField.error.code).toBe('invalid_payload');
  });

  it('printer settings, a kiosk back on the default printer and the ticket text are in the admin log under the operator\'s name', async () => {
    unwrap(await boss.send('printer:set', { kioskId: 'kiosk-2', type: 'tcp', address: ' 192.168.1.77 ', paperWidth: 58 }));
    const list = unwrap(await boss.send('printer:list', {}));
    expect(list.printers.find((p) => p.kioskId === 'kiosk-2')).toEqual({ kioskId: 'kiosk-2', type: 'tcp', address: '192.168.1.77', paperWidth: 58 });
    unwrap(await boss.send('printer:setTicketText', { footer: 'Tra cứu hồ sơ tại dichvucong.gov.vn', qr: 'https://xephang.invalid/t/{ticketId}' }));
    const log = await auditLog(boss);
    expect(log[0]).toMatchObject({ type: 'admin:ticketText', what: 'Chữ trên phiếu: cuối phiếu "Tra cứu hồ sơ tại dichvucong.gov.vn"; mã QR "https://xephang.invalid/t/{ticketId}"' });
    expect(log[1]).toMatchObject({ type: 'admin:printer', what: 'Máy in của ki-ốt kiosk-2: máy in mạng 192.168.1.77, khổ 58 mm' });
    // Back to the default printer; asking again says there is nothing to drop, and * cannot be dropped.
    expect(unwrap(await boss.send('printer:unset', { kioskId: 'kiosk-2' }))).toEqual({ kioskId: 'kiosk-2', removed: true });
    expect(unwrap(await boss.send('printer:list', {})).printers.some((p) => p.kioskId === 'kiosk-2')).toBe(false);
    expect((await auditLog(boss))[0]?.what).toBe('Máy in của ki-ốt kiosk-2: dùng máy in mặc định (trước: máy in mạng 192.168.1.77, khổ 58 mm)');
    const again = await boss.send('printer:unset', { kioskId: 'kiosk-2' });
    expect(!again.ok && again.error).toMatchObject({ code: 'not_found', message: 'Ki-ốt kiosk-2 không có máy in riêng: nó đang dùng máy in mặc định.' });
    const star = await boss.send('printer:unset', { kioskId: '*' });
    expect(!star.ok && star.error.code).toBe('invalid_payload');
    const db = readDb(hub);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM events WHERE type = 'printer:tested'").get()).toEqual({ n: 5 });
    } finally {
      db.close();
    }
  });
});
