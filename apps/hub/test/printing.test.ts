import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { DEFAULT_FOOTER, renderTicket, sliceRows, type TicketData } from '@xephang/printer';
import { FakePrinter, pixelDiff, pngToBitmap } from '@xephang/printer/testing';
import type { IssuedTicket } from '@xephang/protocol';
import { readFileSync } from 'node:fs';
import { DEFAULT_CENTER_NAME } from '../src/default-center';
import { admin, disposeHub, kiosk, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

/** What the hub should have drawn for an issued ticket, drawn here with the same code. */
function expectedTicket(issued: IssuedTicket, extra: Partial<TicketData> = {}): TicketData {
  return {
    centerName: DEFAULT_CENTER_NAME,
    number: issued.ticket.number,
    serviceNameVi: 'Tư pháp – Hộ tịch',
    serviceNameEn: 'Justice – Civil status',
    issuedAt: issued.ticket.issuedAt,
    peopleAhead: issued.peopleAhead,
    estimatedWaitMinutes: issued.estimatedWaitMinutes,
    // The default center: counters 1 and 2 take civil status, 6 any commune field.
    counterIds: [1, 2, 6],
    footer: DEFAULT_FOOTER,
    ...extra,
  };
}

function ticketsIn(hub: HubProcess): { id: string; number: number }[] {
  const db = readDb(hub);
  try {
    return db.prepare('SELECT id, number FROM tickets ORDER BY number').all() as { id: string; number: number }[];
  } finally {
    db.close();
  }
}

function eventsIn(hub: HubProcess, type: string): { ticket_id: string | null; detail: string | null }[] {
  const db = readDb(hub);
  try {
    return db.prepare('SELECT ticket_id, detail FROM events WHERE type = ? ORDER BY id').all(type) as { ticket_id: string | null; detail: string | null }[];
  } finally {
    db.close();
  }
}

describe('kiosk tickets on a network ESC/POS printer (the fake one, over TCP)', () => {
  let hub: HubProcess;
  let boss: HubClient;
  let k: HubClient;
  const printer = new FakePrinter(576);

  beforeAll(async () => {
    await printer.start();
    hub = await startHubProcess({ args: ['--kiosk-burst', '0'] });
    boss = await admin(hub);
    unwrap(await boss.send('printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${printer.port}`, paperWidth: 80 }));
    k = await kiosk(hub);
  });
  afterEach(() => {
    printer.set({ paperOut: false, coverOpen: false, paperNearEnd: false, offline: false, silent: false });
  });
  afterAll(async () => {
    k?.close();
    boss?.close();
    await disposeHub(hub);
    await printer.stop();
  });

  it('prints the number just issued: one cut, the image the hub should draw', async () => {
    const before = printer.tickets.length;
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued.printed).toBe(true);
    expect(issued.ticket.number).toBe(2001);
    expect(printer.tickets).toHaveLength(before + 1);
    const paper = printer.tickets.at(-1)!;
    expect(paper.cut).toBe('full');
    expect(paper.image.width).toBe(576);
    const expected = renderTicket(expectedTicket(issued), 80).bitmap;
    expect(paper.image.height).toBe(expected.height);
    expect(pixelDiff(paper.image, expected)).toBeLessThanOrEqual(0.002);
    // …and not the image of any other number: the number's rows differ.
    const other = renderTicket(expectedTicket(issued, { number: 2002 }), 80).bitmap;
    expect(pixelDiff(sliceRows(paper.image, 0, 400), sliceRows(other, 0, 400))).toBeGreaterThan(0.01);
    expect(eventsIn(hub, 'ticket:printFailed')).toHaveLength(0);
  });

  it('prints the QR code the admin set, with the ticket id in it', async () => {
    unwrap(await boss.send('printer:setTicketText', { footer: 'Tra cứu hồ sơ tại dichvucong.gov.vn', qr: 'https://xephang.invalid/t/{ticketId}' }));
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(printer.tickets.at(-1)!.qr).toEqual([`https://xephang.invalid/t/${issued.ticket.id}`]);
    unwrap(await boss.send('printer:setTicketText', { footer: DEFAULT_FOOTER, qr: '' }));
  });

  it('paper out before issuing: a Vietnamese error, no ticket allocated, the fault logged', async () => {
    const stored = ticketsIn(hub).length;
    const printed = printer.tickets.length;
    printer.set({ paperOut: true });
    const reply = await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('printer_error');
    expect(reply.error.message).toContain('Máy in đã hết giấy');
    expect(ticketsIn(hub)).toHaveLength(stored);
    expect(printer.tickets).toHaveLength(printed);
    expect(eventsIn(hub, 'printer:fault').some((e) => JSON.parse(e.detail!).state === 'paper_out')).toBe(true);
    // Paper back in: the next number is the next one, none was skipped.
    printer.set({ paperOut: false });
    const next = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(next.ticket.number).toBe(ticketsIn(hub).at(-1)!.number);
    expect(next.ticket.number).toBe(2001 + stored);
  });

  it('cover open, and an unreachable printer, refuse too', async () => {
    printer.set({ coverOpen: true });
    const cover = await k.send('ticket:issue', { requestId: rid(), serviceId: 'land' });
    expect(!cover.ok && cover.error.message).toContain('Nắp máy in đang mở');
    printer.set({ coverOpen: false });
    const status = unwrap(await k.send('printer:status', {}));
    expect(status).toMatchObject({ state: 'ok', type: 'tcp', address: `127.0.0.1:${printer.port}` });
  });

  it('paper near end: the ticket is issued and printed, and a warning is logged for the admin', async () => {
    printer.set({ paperNearEnd: true });
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued.printed).toBe(true);
    const warnings = eventsIn(hub, 'printer:warning').map((e) => JSON.parse(e.detail!) as { state: string; message: string });
    expect(warnings.some((w) => w.state === 'paper_near_end' && w.message.includes('sắp hết giấy'))).toBe(true);
  });

  it('connection dropped mid-job: the number stays valid, printed:false, logged; the reprint prints it', async () => {
    printer.dropNextJob(6000);
    const printed = printer.tickets.length;
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued.printed).toBe(false);
    expect(issued.printMessage).toContain(`số ${issued.ticket.number}`);
    expect(issued.printMessage).toContain('ghi lại số này');
    expect(printer.tickets).toHaveLength(printed);
    expect(ticketsIn(hub).map((t) => t.id)).toContain(issued.ticket.id);
    const failures = eventsIn(hub, 'ticket:printFailed');
    expect(failures.map((e) => e.ticket_id)).toContain(issued.ticket.id);
    expect(JSON.parse(failures.at(-1)!.detail!).error).toMatch(/ngắt kết nối|đóng kết nối/);

    const requestId = rid();
    const again = unwrap(await k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id }));
    expect(again).toMatchObject({ ticketId: issued.ticket.id, number: issued.ticket.number, printed: true });
    expect(printer.tickets).toHaveLength(printed + 1);
    const paper = printer.tickets.at(-1)!;
    // The reprint carries the same number (and says it is a reprint, so it is taller).
    const original = renderTicket(expectedTicket(issued), 80).bitmap;
    expect(pixelDiff(sliceRows(paper.image, 0, 380), sliceRows(original, 0, 380))).toBeLessThanOrEqual(0.002);
    expect(paper.image.height).toBeGreaterThan(original.height);
    expect(eventsIn(hub, 'ticket:reprinted').map((e) => e.ticket_id)).toContain(issued.ticket.id);
    // The same request again prints nothing more.
    unwrap(await k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id }));
    expect(printer.tickets).toHaveLength(printed + 1);
  });

  it('a double tap prints one ticket', async () => {
    const printed = printer.tickets.length;
    const requestId = rid();
    const [a, b] = await Promise.all([
      k.send('ticket:issue', { requestId, serviceId: 'business' }).then(unwrap),
      k.send('ticket:issue', { requestId, serviceId: 'business' }).then(unwrap),
    ]);
    expect(a.ticket.id).toBe(b.ticket.id);
    expect(a.printed).toBe(true);
    expect(b.printed).toBe(true);
    expect(printer.tickets).toHaveLength(printed + 1);
  });

  it('refuses reprints of unknown tickets and printer settings from a kiosk', async () => {
    const missing = await k.send('ticket:reprint', { requestId: rid(), ticketId: '2020-01-01-2001' });
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const forbidden = await k.send('printer:set', { kioskId: '*', type: 'preview', paperWidth: 80 });
    expect(!forbidden.ok && forbidden.error.code).toBe('forbidden');
    const bad = await boss.send('printer:set', { kioskId: '*', type: 'tcp', paperWidth: 80 });
    expect(!bad.ok && bad.error.code).toBe('invalid_payload');
  });
});

describe('the embedded default: a preview printer writing PNGs into the data folder', () => {
  let hub: HubProcess;
  afterAll(async () => disposeHub(hub));

  it('writes each ticket as <day>-<number>.png under <dataDir>/tickets', async () => {
    hub = await startHubProcess();
    const k = await kiosk(hub);
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil', priority: 'elderly' }));
    k.close();
    expect(issued.printed).toBe(true);
    const file = join(hub.dataDir, 'tickets', `${issued.ticket.day}-${issued.ticket.number}.png`);
    await until(() => existsSync(file), file);
    const image = pngToBitmap(readFileSync(file));
    const expected = renderTicket(expectedTicket(issued, { priorityLabel: 'ƯU TIÊN – Người cao tuổi' }), 80).bitmap;
    expect(pixelDiff(image, expected)).toBeLessThanOrEqual(0.002);
  });
});
