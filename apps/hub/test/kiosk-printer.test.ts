import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { EscPosDecoder, type DecodedTicket } from '@xephang/printer/testing';
import { UNPAIRED_KIOSK_ID, type KioskPrintJob, type PrinterReport } from '@xephang/protocol';
import { admin, client, display, disposeHub, frozenHub, kiosk, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

/** Every ticket in a job, as a printer of `dots` width would print it. */
function decode(bytes: KioskPrintJob['bytes'], dots: number): DecodedTicket[] {
  const tickets: DecodedTicket[] = [];
  const decoder = new EscPosDecoder(dots, () => undefined, (t) => tickets.push(t));
  decoder.push(Buffer.from(bytes as Uint8Array));
  expect(decoder.incomplete).toBe(0);
  return tickets;
}

/** Visit-log lines of one type, oldest first, as stored. */
function events(hub: HubProcess, type: string): { ticket_id: string | null; device_id: string | null; detail: Record<string, unknown> }[] {
  const db = readDb(hub);
  try {
    const rows = db.prepare('SELECT ticket_id, device_id, detail FROM events WHERE type = ? ORDER BY id').all(type) as { ticket_id: string | null; device_id: string | null; detail: string | null }[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail ?? '{}') as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

function printerRow(hub: HubProcess, kioskId: string): Record<string, unknown> | undefined {
  const db = readDb(hub);
  try {
    return db.prepare('SELECT * FROM printers WHERE kiosk_id = ?').get(kioskId) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

/** A kiosk paired through the admin's code, as a kiosk elsewhere on the LAN is. */
async function pairedKiosk(hub: HubProcess, boss: HubClient, name: string): Promise<{ k: HubClient; deviceId: string; token: string }> {
  const { code } = unwrap(await boss.send('pairing:create', { role: 'kiosk' }));
  const res = await fetch(`${hub.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
  const body = (await res.json()) as { data: { token: string; deviceId: string } };
  return { k: await client(hub, { role: 'kiosk', token: body.data.token }), deviceId: body.data.deviceId, token: body.data.token };
}

const CUPS: PrinterReport = { connection: 'system', name: 'CUPS: xephang-kiosk', paperWidth: 58, state: 'ok', message: '' };

describe('a kiosk that prints itself: the hub draws the job, the kiosk prints it and says how it came out', () => {
  let hub: HubProcess;
  let boss: HubClient;
  let local: HubClient;
  const QR = 'https://xephang.invalid/t/{ticketId}';

  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--kiosk-burst', '0'] });
    boss = await admin(hub);
    unwrap(await boss.send('printer:setTicketText', { footer: 'Tra cứu hồ sơ tại dichvucong.gov.vn', qr: QR }));
    // The hub PC's own kiosk screen, not paired.
    local = await kiosk(hub);
  });
  afterAll(async () => {
    local?.close();
    boss?.close();
    await disposeHub(hub);
  });

  it('issues with printHere: a binary ESC/POS job for the kiosk\'s paper, no preview, no bytes stored; a repeat draws it again', async () => {
    const requestId = rid();
    const issued = unwrap(await local.send('ticket:issue', { requestId, serviceId: 'civil', printHere: { paperWidth: 80 } }));
    expect(issued.printed).toBeUndefined();
    const job = issued.kioskJob!;
    expect(job).toMatchObject({ ticketId: issued.ticket.id, number: issued.ticket.number, kind: 'ticket', paperWidth: 80, title: `xephang: phiếu ${issued.ticket.number}` });
    expect(job.printId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    // socket.io carried it as an attachment: a Buffer here, starting with ESC @.
    expect(Buffer.isBuffer(job.bytes)).toBe(true);
    const bytes = job.bytes as Buffer;
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    const [paper, ...more] = decode(bytes, 576);
    expect(more).toHaveLength(0);
    expect(paper!.cut).toBe('full');
    expect(paper!.image.width).toBe(576);
    expect(paper!.qr).toEqual([`https://xephang.invalid/t/${issued.ticket.id}`]);

    // The hub drew no preview of its own for it.
    const previews = join(hub.dataDir, 'tickets');
    expect(existsSync(previews) ? readdirSync(previews) : []).toEqual([]);
    // The stored reply holds the ticket, not the job's bytes.
    const db = readDb(hub);
    const stored = db.prepare('SELECT reply FROM requests WHERE id = ?').pluck().get(requestId) as string;
    db.close();
    expect(JSON.parse(stored)).toMatchObject({ ticket: { id: issued.ticket.id } });
    expect(stored).not.toContain('kioskJob');
    expect(stored.length).toBeLessThan(2000);

    // The ack was lost: the same request gets the same ticket drawn again, under a new print id.
    const again = unwrap(await local.send('ticket:issue', { requestId, serviceId: 'civil', printHere: { paperWidth: 80 } }));
    expect(again.ticket.id).toBe(issued.ticket.id);
    expect(again.kioskJob!.printId).not.toBe(job.printId);
    expect(Buffer.compare(again.kioskJob!.bytes as Buffer, bytes)).toBe(0);

    // 58 mm paper: drawn 384 dots wide.
    const narrow = unwrap(await local.send('ticket:issue', { requestId: rid(), serviceId: 'land', printHere: { paperWidth: 58 } }));
    const [small] = decode(narrow.kioskJob!.bytes, 384);
    expect(small!.image.width).toBe(384);
    expect(small!.qr).toEqual([`https://xephang.invalid/t/${narrow.ticket.id}`]);
  });

  it('after a hub restart, a repeat composes the ticket again from the stored reply: the same job', async () => {
    const requestId = rid();
    const issued = unwrap(await local.send('ticket:issue', { requestId, serviceId: 'business', printHere: { paperWidth: 80 } }));
    hub = await hub.restart(['--kiosk-burst', '0']);
    await local.synced();
    const again = unwrap(await local.send('ticket:issue', { requestId, serviceId: 'business', printHere: { paperWidth: 80 } }));
    expect(again.ticket).toEqual(issued.ticket);
    expect(again.kioskJob!.printId).not.toBe(issued.kioskJob!.printId);
    expect(Buffer.compare(again.kioskJob!.bytes as Buffer, issued.kioskJob!.bytes as Buffer)).toBe(0);
    // The job handed out before the restart is not known any more; the new one is.
    const old = await local.send('ticket:printed', { printId: issued.kioskJob!.printId, printed: true, state: 'ok', message: '' });
    expect(!old.ok && old.error.code).toBe('not_found');
    expect(unwrap(await local.send('ticket:printed', { printId: again.kioskJob!.printId, printed: true, state: 'ok', message: '' })).noted).toBe(true);
  });

  it('ticket:printed: the first answer counts; unknown, another kiosk\'s, a display\'s and malformed answers change nothing', async () => {
    const issued = unwrap(await local.send('ticket:issue', { requestId: rid(), serviceId: 'civil', printHere: { paperWidth: 80 } }));
    const printId = issued.kioskJob!.printId;
    const { k: other } = await pairedKiosk(hub, boss, 'Ki-ốt khác');
    const tv = await display(hub);
    const failedBefore = events(hub, 'ticket:printFailed').length;
    try {
      const stranger = await other.send('ticket:printed', { printId, printed: false, state: 'paper_out', message: 'Hết giấy' });
      expect(!stranger.ok && stranger.error.code).toBe('not_found');
      expect(!stranger.ok && stranger.error.message).toContain('không giao lệnh in');
      const unknown = await local.send('ticket:printed', { printId: 'khong-co-lenh-nay', printed: false, state: 'failed', message: '' });
      expect(!unknown.ok && unknown.error.code).toBe('not_found');
      const fromTv = await tv.send('ticket:printed', { printId, printed: false, state: 'failed', message: '' });
      expect(!fromTv.ok && fromTv.error.code).toBe('forbidden');
      for (const bad of [
        { printId, printed: 'yes', state: 'ok', message: '' },
        { printId, printed: true, state: 'jammed', message: '' },
        { printId: 'ngắn', printed: true, state: 'ok', message: '' },
        { printId, printed: true, state: 'ok', message: 'x'.repeat(301) },
        { printId, printed: true, state: 'ok', message: '', extra: 1 },
      ]) {
        const reply = await local.send('ticket:printed', bad as never);
        expect(!reply.ok && reply.error.code).toBe('invalid_payload');
      }
      expect(events(hub, 'ticket:printFailed')).toHaveLength(failedBefore);

      // The real answer: it did not come out. Logged once; a repeat is not noted again.
      expect(unwrap(await local.send('ticket:printed', { printId, printed: false, state: 'failed', message: 'Máy in không nhận lệnh in.' }))).toEqual({ printId, noted: true });
      expect(unwrap(await local.send('ticket:printed', { printId, printed: true, state: 'ok', message: '' }))).toEqual({ printId, noted: false });
      const failed = events(hub, 'ticket:printFailed');
      expect(failed).toHaveLength(failedBefore + 1);
      expect(failed.at(-1)).toMatchObject({ ticket_id: issued.ticket.id, device_id: null, detail: { state: 'failed', error: 'Máy in không nhận lệnh in.' } });
    } finally {
      other.close();
      tv.close();
    }
  });

  it('the unpaired kiosk\'s printer is shown to the admin, never stored; a paper-out answer is its state, logged once', async () => {
    unwrap(await local.send('printer:report', { connection: 'usb', name: 'USB 0416:5011', paperWidth: 80, state: 'ok', message: '' }));
    expect(printerRow(hub, UNPAIRED_KIOSK_ID)).toBeUndefined();
    const list = unwrap(await boss.send('printer:list', {}));
    expect(list.printers).toContainEqual({ kioskId: UNPAIRED_KIOSK_ID, type: 'kiosk', address: 'USB 0416:5011', paperWidth: 80, connection: 'usb' });
    // The kiosk asks about its own printer: its own report, not the hub's default printer.
    expect(unwrap(await local.send('printer:status', {}))).toMatchObject({ type: 'kiosk', state: 'ok' });

    const faultsBefore = events(hub, 'printer:fault').length;
    const issued = unwrap(await local.send('ticket:issue', { requestId: rid(), serviceId: 'civil', printHere: { paperWidth: 80 } }));
    unwrap(await local.send('ticket:printed', { printId: issued.kioskJob!.printId, printed: false, state: 'paper_out', message: 'Máy in đã hết giấy.' }));
    const status = unwrap(await boss.send('printer:status', { kioskId: UNPAIRED_KIOSK_ID }));
    expect(status).toMatchObject({ kioskId: UNPAIRED_KIOSK_ID, type: 'kiosk', state: 'paper_out', message: 'Máy in đã hết giấy.' });
    // Reported again (every ~30 s) with the same state: not logged again.
    unwrap(await local.send('printer:report', { connection: 'usb', name: 'USB 0416:5011', paperWidth: 80, state: 'paper_out', message: 'Máy in đã hết giấy.' }));
    const faults = events(hub, 'printer:fault');
    expect(faults).toHaveLength(faultsBefore + 1);
    expect(faults.at(-1)!.detail).toMatchObject({ state: 'paper_out', printer: `kiosk:${UNPAIRED_KIOSK_ID} (usb: USB 0416:5011)` });
    // The admin cannot send it a print (nothing names it): the test print is done at the kiosk.
    const test = await boss.send('printer:test', { requestId: rid(), kioskId: UNPAIRED_KIOSK_ID });
    expect(!test.ok && test.error.message).toContain('chưa ghép nối');
    unwrap(await local.send('printer:report', { connection: 'usb', name: 'USB 0416:5011', paperWidth: 80, state: 'ok', message: '' }));
  });

  it('printer:report from a paired kiosk makes its row a kiosk printer, written only on a change; bad reports and other roles change nothing', async () => {
    const { k, deviceId } = await pairedKiosk(hub, boss, 'Ki-ốt cửa chính');
    const tv = await display(hub);
    try {
      // The admin had set a network printer for it; the kiosk's own printer replaces it.
      unwrap(await boss.send('printer:set', { kioskId: deviceId, type: 'tcp', address: '192.168.1.77', paperWidth: 80 }));
      const reply = unwrap(await k.send('printer:report', CUPS));
      expect(reply).toMatchObject({ kioskId: deviceId, type: 'kiosk', address: 'CUPS: xephang-kiosk', paperWidth: 58, connection: 'system', state: 'ok' });
      const row = printerRow(hub, deviceId)!;
      expect(row).toMatchObject({ type: 'kiosk', address: 'CUPS: xephang-kiosk', paper_width: 58, connection: 'system', state: 'ok', state_message: '' });
      const list = unwrap(await boss.send('printer:list', {}));
      expect(list.printers).toContainEqual({ kioskId: deviceId, type: 'kiosk', address: 'CUPS: xephang-kiosk', paperWidth: 58, connection: 'system' });

      // The same report 30 s later writes nothing; the admin's "checked at" still moves.
      await new Promise((r) => setTimeout(r, 20));
      const later = unwrap(await k.send('printer:report', CUPS));
      expect(printerRow(hub, deviceId)).toEqual(row);
      expect(later.checkedAt).toBeGreaterThan(reply.checkedAt);

      for (const bad of [
        { ...CUPS, connection: 'bluetooth' },
        { ...CUPS, paperWidth: 76 },
        { ...CUPS, state: 'jammed' },
        { ...CUPS, name: '' },
        { ...CUPS, name: 'x'.repeat(121) },
        { ...CUPS, name: 'COM3\nmáy in ki-ốt ok' },
        { ...CUPS, copies: 2 },
        'CUPS',
      ]) {
        const refused = await k.send('printer:report', bad as never);
        expect(!refused.ok && refused.error.code).toBe('invalid_payload');
      }
      for (const someone of [tv, boss]) {
        const refused = await someone.send('printer:report', CUPS);
        expect(!refused.ok && refused.error.code).toBe('forbidden');
      }
      expect(printerRow(hub, deviceId)).toEqual(row);

      // The admin sets it up at the kiosk, not here.
      const set = await boss.send('printer:set', { kioskId: deviceId, type: 'tcp', address: '192.168.1.77', paperWidth: 80 });
      expect(!set.ok && set.error).toMatchObject({ code: 'forbidden' });
      expect(!set.ok && set.error.message).toContain('được cài đặt tại ki-ốt');
      expect(printerRow(hub, deviceId)).toEqual(row);

      // Paper out: one fault line, however often it is reported; the admin sees it.
      const faultsBefore = events(hub, 'printer:fault').length;
      const out = { ...CUPS, state: 'paper_out' as const, message: 'Hàng đợi CUPS đã dừng: máy in hết giấy.' };
      unwrap(await k.send('printer:report', out));
      unwrap(await k.send('printer:report', out));
      const faults = events(hub, 'printer:fault');
      expect(faults).toHaveLength(faultsBefore + 1);
      expect(faults.at(-1)).toMatchObject({ device_id: deviceId, detail: { state: 'paper_out', message: out.message } });
      expect(unwrap(await boss.send('printer:status', { kioskId: deviceId }))).toMatchObject({ type: 'kiosk', state: 'paper_out', message: out.message, connection: 'system' });
      expect(printerRow(hub, deviceId)).toMatchObject({ state: 'paper_out', state_message: out.message });
      unwrap(await k.send('printer:report', CUPS));
    } finally {
      tv.close();
    }

    // The kiosk goes away: its last report, said as such.
    k.close();
    let away: Awaited<ReturnType<HubClient['send']>> | undefined;
    for (let i = 0; i < 50; i++) {
      away = await boss.send('printer:status', { kioskId: deviceId });
      if (away.ok && (away.data as { state: string }).state === 'offline') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(away).toMatchObject({ ok: true, data: { type: 'kiosk', state: 'offline' } });
    expect(away!.ok && (away!.data as { message: string }).message).toMatch(/^Ki-ốt không kết nối — trạng thái máy in báo lúc \d{2}:\d{2}/);

    // The admin drops it; the admin log says what it was.
    expect(unwrap(await boss.send('printer:unset', { kioskId: deviceId }))).toEqual({ kioskId: deviceId, removed: true });
    expect(printerRow(hub, deviceId)).toBeUndefined();
    expect(unwrap(await boss.send('config:log', { limit: 1 }))[0]?.what).toBe(
      `Máy in của ki-ốt ${deviceId}: dùng máy in mặc định (trước: máy in gắn tại ki-ốt (máy in của hệ điều hành: CUPS: xephang-kiosk), khổ 58 mm)`,
    );
  });

  it('printer:none: a kiosk set up at the kiosk with no printer of its own is forgotten as one; its tickets print on the default printer again', async () => {
    const { k, deviceId } = await pairedKiosk(hub, boss, 'Ki-ốt đổi cài đặt');
    try {
      // Nothing reported yet: nothing to forget, nothing written.
      expect(unwrap(await k.send('printer:none', {}))).toEqual({ kioskId: deviceId, removed: false });
      unwrap(await k.send('printer:report', CUPS));
      expect(printerRow(hub, deviceId)).toMatchObject({ type: 'kiosk' });
      const refused = await k.send('printer:none', { printer: 'x' } as never);
      expect(!refused.ok && refused.error.code).toBe('invalid_payload');
      const byAdmin = await boss.send('printer:none', {});
      expect(!byAdmin.ok && byAdmin.error.code).toBe('forbidden');
      expect(printerRow(hub, deviceId)).toMatchObject({ type: 'kiosk' });

      // The technician set the shell to "the hub prints": the page says so on loading.
      expect(unwrap(await k.send('printer:none', {}))).toEqual({ kioskId: deviceId, removed: true });
      expect(printerRow(hub, deviceId)).toBeUndefined();
      expect(unwrap(await boss.send('printer:list', {})).printers.some((p) => p.kioskId === deviceId)).toBe(false);
      const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
      expect(issued.printed).toBe(true);
      expect(existsSync(join(hub.dataDir, 'tickets', `${issued.ticket.day}-${issued.ticket.number}.png`))).toBe(true);
    } finally {
      k.close();
    }
  });
});

describe('the admin\'s reprint and test print of a kiosk\'s own printer print at that kiosk', () => {
  let hub: HubProcess;
  let boss: HubClient;
  let door: { k: HubClient; deviceId: string; token: string };
  const received: KioskPrintJob[] = [];
  /** What the kiosk's shell answers for the next job it gets; undefined: it says nothing. */
  let answer: { printed: boolean; state: 'ok' | 'failed' | 'paper_out'; message: string } | undefined = { printed: true, state: 'ok', message: '' };

  const listen = (k: HubClient) =>
    k.socket.on('kiosk:print', (job) => {
      received.push(job);
      if (answer) void k.send('ticket:printed', { printId: job.printId, ...answer });
    });

  beforeAll(async () => {
    // The admin waits 1.5 s for a kiosk's answer here (15 s by default).
    hub = await startHubProcess({ args: ['--kiosk-burst', '0', '--timeout-ms', 'kioskAnswer=1500'] });
    boss = await admin(hub);
    door = await pairedKiosk(hub, boss, 'Ki-ốt cửa chính');
    listen(door.k);
    unwrap(await door.k.send('printer:report', { connection: 'tcp', name: '192.168.1.60:9100', paperWidth: 80, state: 'ok', message: '' }));
  });
  afterAll(async () => {
    door?.k.close();
    boss?.close();
    await disposeHub(hub);
  });

  it('a kiosk printer\'s own page without printHere prints nothing and says so; the number is kept', async () => {
    const issued = unwrap(await door.k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued).toMatchObject({ printed: false });
    expect(issued.kioskJob).toBeUndefined();
    expect(issued.printMessage).toContain('ngoài ứng dụng xephang');
    expect(issued.printMessage).toContain(`số ${issued.ticket.number}`);
    expect(existsSync(join(hub.dataDir, 'tickets', `${issued.ticket.day}-${issued.ticket.number}.png`))).toBe(false);
  });

  it('the admin\'s reprint goes to the kiosk that issued it; the kiosk\'s answer is the reply and the log', async () => {
    const issued = unwrap(await door.k.send('ticket:issue', { requestId: rid(), serviceId: 'civil', printHere: { paperWidth: 80 } }));
    unwrap(await door.k.send('ticket:printed', { printId: issued.kioskJob!.printId, printed: true, state: 'ok', message: '' }));
    const before = received.length;
    answer = { printed: true, state: 'ok', message: '' };
    const reply = unwrap(await boss.send('ticket:reprint', { requestId: rid(), ticketId: issued.ticket.id }));
    expect(reply).toMatchObject({ ticketId: issued.ticket.id, number: issued.ticket.number, printed: true });
    expect(reply.message).toContain('đã in lại');
    expect(received).toHaveLength(before + 1);
    const job = received.at(-1)!;
    expect(job).toMatchObject({ kind: 'reprint', ticketId: issued.ticket.id, paperWidth: 80 });
    const [paper] = decode(job.bytes, 576);
    expect(paper!.cut).toBe('full');
    // A reprint says so: taller than the first print of the same ticket.
    expect(paper!.image.height).toBeGreaterThan(decode(issued.kioskJob!.bytes, 576)[0]!.image.height);
    expect(events(hub, 'ticket:reprinted').map((e) => e.ticket_id)).toContain(issued.ticket.id);

    // The kiosk's paper ran out on the reprint: the admin reads it, the admin page shows it.
    answer = { printed: false, state: 'paper_out', message: 'Máy in đã hết giấy.' };
    const out = unwrap(await boss.send('ticket:reprint', { requestId: rid(), ticketId: issued.ticket.id }));
    expect(out).toMatchObject({ printed: false, message: 'Máy in đã hết giấy.' });
    expect(events(hub, 'ticket:reprintFailed').map((e) => e.ticket_id)).toContain(issued.ticket.id);
    expect(unwrap(await boss.send('printer:status', { kioskId: door.deviceId }))).toMatchObject({ state: 'paper_out' });
    answer = { printed: true, state: 'ok', message: '' };
  });

  it('the kiosk\'s own reprint with printHere gets the job back; a repeat draws it again', async () => {
    const issued = unwrap(await door.k.send('ticket:issue', { requestId: rid(), serviceId: 'land', printHere: { paperWidth: 80 } }));
    const requestId = rid();
    const reprint = unwrap(await door.k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id, printHere: { paperWidth: 80 } }));
    expect(reprint).toMatchObject({ ticketId: issued.ticket.id, printed: false, kioskJob: { kind: 'reprint', ticketId: issued.ticket.id } });
    const again = unwrap(await door.k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id, printHere: { paperWidth: 80 } }));
    expect(again.kioskJob!.printId).not.toBe(reprint.kioskJob!.printId);
    expect(Buffer.compare(again.kioskJob!.bytes as Buffer, reprint.kioskJob!.bytes as Buffer)).toBe(0);
    unwrap(await door.k.send('ticket:printed', { printId: reprint.kioskJob!.printId, printed: false, state: 'failed', message: 'Kẹt giấy.' }));
    expect(events(hub, 'ticket:reprintFailed').at(-1)).toMatchObject({ ticket_id: issued.ticket.id, detail: { error: 'Kẹt giấy.' } });
  });

  it('the admin\'s test print of a kiosk printer is a self-test job at the kiosk', async () => {
    const before = received.length;
    const reply = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: door.deviceId }));
    expect(reply).toMatchObject({ kioskId: door.deviceId, type: 'kiosk', printed: true, state: 'ok', connection: 'tcp' });
    expect(received).toHaveLength(before + 1);
    expect(received.at(-1)).toMatchObject({ kind: 'test', title: 'xephang: in thử' });
    expect(decode(received.at(-1)!.bytes, 576)[0]!.qr).toEqual(['https://xephang.invalid/self-test']);
    expect(events(hub, 'printer:tested').at(-1)).toMatchObject({ device_id: door.deviceId, detail: { printed: true, by: 'quản trị' } });
  });

  it('a kiosk that does not answer: the admin is told after the wait; a late answer is still logged', async () => {
    const issued = unwrap(await door.k.send('ticket:issue', { requestId: rid(), serviceId: 'civil', printHere: { paperWidth: 80 } }));
    answer = undefined;
    const before = received.length;
    const started = Date.now();
    const reply = unwrap(await boss.send('ticket:reprint', { requestId: rid(), ticketId: issued.ticket.id }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(reply).toMatchObject({ printed: false, message: 'Ki-ốt "Ki-ốt cửa chính" chưa trả lời sau 2 giây: phiếu có thể chưa in lại, hãy xem tại ki-ốt.' });
    expect(events(hub, 'ticket:reprintFailed').at(-1)).toMatchObject({ ticket_id: issued.ticket.id, device_id: door.deviceId });
    expect(received).toHaveLength(before + 1);
    // The shell answers late: it printed after all, and the log says so too.
    const reprinted = events(hub, 'ticket:reprinted').length;
    expect(unwrap(await door.k.send('ticket:printed', { printId: received.at(-1)!.printId, printed: true, state: 'ok', message: '' })).noted).toBe(true);
    expect(events(hub, 'ticket:reprinted')).toHaveLength(reprinted + 1);
    answer = { printed: true, state: 'ok', message: '' };
  });

  it('kiosk not connected: the reprint and the test print say so, nothing hangs', async () => {
    const issued = unwrap(await door.k.send('ticket:issue', { requestId: rid(), serviceId: 'civil', printHere: { paperWidth: 80 } }));
    door.k.close();
    let reply: Awaited<ReturnType<HubClient['send']>> | undefined;
    for (let i = 0; i < 50; i++) {
      reply = await boss.send('ticket:reprint', { requestId: rid(), ticketId: issued.ticket.id });
      if (reply.ok && (reply.data as { message?: string }).message?.includes('không kết nối')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(reply).toMatchObject({ ok: true, data: { printed: false, message: 'Ki-ốt "Ki-ốt cửa chính" đang không kết nối, chưa in lại được.' } });
    const test = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: door.deviceId }));
    expect(test).toMatchObject({ printed: false, state: 'offline', message: 'Ki-ốt "Ki-ốt cửa chính" đang không kết nối, chưa in thử được.' });
    expect(events(hub, 'printer:tested').at(-1)!.detail).toMatchObject({ printed: false, state: 'offline' });
    // Back: it prints again.
    door = { ...door, k: await client(hub, { role: 'kiosk', token: door.token }) };
    listen(door.k);
    expect(unwrap(await boss.send('ticket:reprint', { requestId: rid(), ticketId: issued.ticket.id })).printed).toBe(true);
  });
});

describe('a hostile kiosk on the LAN (the clock frozen): repeats and bursts change nothing they should not', () => {
  let hub: HubProcess;
  let boss: HubClient;

  beforeAll(async () => {
    // A frozen clock: the kiosks' buckets (3 at once) never refill during the test.
    hub = await frozenHub('2025-07-10T08:30:00+07:00', ['--kiosk-burst', '3']);
    boss = await admin(hub);
  });
  afterAll(async () => {
    boss?.close();
    await disposeHub(hub);
  });

  it('a repeat of ticket:issue with printHere counts against the kiosk\'s limit: a replay flood draws nothing more and issues nothing', async () => {
    const { k } = await pairedKiosk(hub, boss, 'Ki-ốt phát lại');
    try {
      const requestId = rid();
      const tap = { requestId, serviceId: 'civil', printHere: { paperWidth: 80 as const } };
      const issued = unwrap(await k.send('ticket:issue', tap));
      // The lost ack's retry is inside the burst: the same ticket, drawn again.
      const retry = unwrap(await k.send('ticket:issue', tap));
      expect(retry.ticket.id).toBe(issued.ticket.id);
      expect(retry.kioskJob!.printId).not.toBe(issued.kioskJob!.printId);
      unwrap(await k.send('ticket:issue', tap));
      // Every repeat after the burst is refused before anything is drawn.
      const refused = [];
      for (let i = 0; i < 5; i++) refused.push(await k.send('ticket:issue', tap));
      for (const r of refused) expect(!r.ok && r.error.code).toBe('rate_limited');
      // Nothing else was issued: the day holds the one ticket this kiosk took.
      const db = readDb(hub);
      const count = db.prepare('SELECT COUNT(*) FROM tickets').pluck().get();
      db.close();
      expect(count).toBe(1);
      // Without printHere a repeat is only the stored reply, drawn by nobody: still answered.
      const plain = unwrap(await k.send('ticket:issue', { requestId, serviceId: 'civil' }));
      expect(plain.ticket.id).toBe(issued.ticket.id);
      expect(plain.kioskJob).toBeUndefined();
    } finally {
      k.close();
    }
  });

  it('another kiosk repeating a reprint\'s request id is checked as its own request: no job of a ticket it did not issue', async () => {
    const a = await pairedKiosk(hub, boss, 'Ki-ốt A');
    const b = await pairedKiosk(hub, boss, 'Ki-ốt B');
    try {
      const issued = unwrap(await a.k.send('ticket:issue', { requestId: rid(), serviceId: 'land', printHere: { paperWidth: 80 } }));
      const requestId = rid();
      const reprint = unwrap(await a.k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id, printHere: { paperWidth: 80 } }));
      expect(reprint.kioskJob).toMatchObject({ kind: 'reprint', ticketId: issued.ticket.id });
      // B saw the request id on the LAN and sends it again, for the same ticket.
      const stolen = await b.k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id, printHere: { paperWidth: 80 } });
      expect(stolen.ok).toBe(false);
      expect(!stolen.ok && stolen.error.code).toBe('forbidden');
      expect(!stolen.ok && stolen.error.message).toContain('ki-ốt khác');
      // A's own repeat still gets its job again.
      const again = unwrap(await a.k.send('ticket:reprint', { requestId, ticketId: issued.ticket.id, printHere: { paperWidth: 80 } }));
      expect(again.kioskJob).toMatchObject({ kind: 'reprint', ticketId: issued.ticket.id });
    } finally {
      a.k.close();
      b.k.close();
    }
  });
  it('a burst of reports is refused and changes nothing: ten at once, then none while the clock stands still', async () => {
    const { k, deviceId } = await pairedKiosk(hub, boss, 'Ki-ốt dồn dập');
    try {
      const replies = await Promise.all(Array.from({ length: 14 }, (_, i) => k.send('printer:report', { ...CUPS, name: `COM${i + 1}`, connection: 'serial' })));
      // Handled in the order sent: the first ten pass, the last four are refused.
      expect(replies.map((r) => r.ok)).toEqual([...Array<boolean>(10).fill(true), ...Array<boolean>(4).fill(false)]);
      for (const r of replies.slice(10)) expect(!r.ok && r.error.code).toBe('rate_limited');
      // The row is the last report that was let through, not a refused one.
      expect(printerRow(hub, deviceId)).toMatchObject({ address: 'COM10' });
    } finally {
      k.close();
    }
  });
});
