import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { jobTitle, runRenderJob, STATE_MESSAGES } from '@xephang/printer';
import { EscPosDecoder, FakePrinter, FakeWinspool, SAMPLE_TICKET, type DecodedTicket } from '@xephang/printer/testing';
import { freePort, startCups, type CupsRig } from '@xephang/testing/cups';
import { ptyPair, type PtyPair } from '@xephang/testing/pty';
import { drawTestTickets } from './build/draw-test-tickets';
import type { PrinterSetting } from './config';
import { MAX_JOB_BYTES } from './ipc';
import { handlePrinterStatus, handlePrintJob, handleTestPrint, kioskPrinter, printerInfo } from './print';
import { listSerialPorts, listSystemPrinters } from './printer-lists';
import { loadTestTicket } from './test-ticket';

/**
 * The shell's print path, in Node since Electron cannot run here: the job the hub drew goes from
 * the kiosk page's `printJob` through `handlePrintJob` to a fake ESC/POS printer over each
 * connection that exists here (TCP, a serial line made of a socat pty pair, a real CUPS raw
 * queue), and comes out as the same ticket on each. The printer's state is asked the same way.
 */

/** A job as the hub draws it for an 80 mm kiosk (the same renderer, the same sample ticket). */
const JOB = runRenderJob({ ticket: SAMPLE_TICKET, paperWidth: 80, output: 'escpos' }).bytes;
const request = (extra: Record<string, unknown> = {}) => ({ ticketId: '2025-07-10-2001', title: 'xephang: phiếu 2001', bytes: JOB, ...extra });

/** What a ticket is on paper, without when and over what it came. */
const onPaper = (t: DecodedTicket) => ({ image: t.image, rasters: t.rasters, qr: t.qr, text: t.text, lineFeeds: t.lineFeeds, cut: t.cut });

/** The job decoded straight from its bytes: what every connection must deliver. */
function decoded(bytes: Uint8Array, paperDots = 576): ReturnType<typeof onPaper>[] {
  const tickets: DecodedTicket[] = [];
  new EscPosDecoder(paperDots, () => undefined, (t) => tickets.push(t)).push(Buffer.from(bytes));
  return tickets.map(onPaper);
}

const CLEAR = { paperOut: false, coverOpen: false, paperNearEnd: false, offline: false, silent: false };

describe('kioskPrinter and printerInfo, per setting', () => {
  it('none: no printer, and nothing to tell the page', () => {
    expect(kioskPrinter({ type: 'none' })).toBeUndefined();
    expect(printerInfo({ type: 'none' })).toBeNull();
  });

  it('the system printer by name: a CUPS queue on Linux, a Windows printer on Windows', () => {
    const setting: PrinterSetting = { type: 'system', name: 'xephang-kiosk', paperWidth: 80 };
    expect(kioskPrinter(setting, { platform: 'linux', cupsServer: '127.0.0.1:6310' })!.description).toBe('cups://127.0.0.1:6310/xephang-kiosk');
    expect(printerInfo(setting, { platform: 'linux' })).toEqual({ connection: 'system', name: 'CUPS: xephang-kiosk', paperWidth: 80 });
    const windows: PrinterSetting = { type: 'system', name: 'EPSON TM-T82III Receipt', paperWidth: 58 };
    expect(kioskPrinter(windows, { platform: 'win32', winspool: new FakeWinspool() })!.description).toBe('windows://EPSON TM-T82III Receipt');
    expect(printerInfo(windows, { platform: 'win32' })).toEqual({ connection: 'system', name: 'Windows: EPSON TM-T82III Receipt', paperWidth: 58 });
  });

  it('refuses a CUPS queue name CUPS would not take (the settings screen says why)', () => {
    expect(() => kioskPrinter({ type: 'system', name: '-o evil', paperWidth: 80 }, { platform: 'linux' })).toThrow('Tên hàng đợi CUPS không hợp lệ');
  });

  it('USB, serial, TCP: named for the admin page', () => {
    expect(printerInfo({ type: 'usb', paperWidth: 80 })).toEqual({ connection: 'usb', name: 'USB (máy in đầu tiên)', paperWidth: 80 });
    expect(printerInfo({ type: 'usb', vendorId: 0x04b8, productId: 0x0e28, paperWidth: 80 })!.name).toBe('USB 04b8:0e28');
    expect(printerInfo({ type: 'serial', path: 'COM3', baudRate: 19200, paperWidth: 58 })).toEqual({ connection: 'serial', name: 'COM3 (19200 baud)', paperWidth: 58 });
    expect(printerInfo({ type: 'tcp', host: '192.168.1.50', port: 9100, paperWidth: 80 })).toEqual({ connection: 'tcp', name: '192.168.1.50:9100', paperWidth: 80 });
    expect(kioskPrinter({ type: 'tcp', host: '192.168.1.50', port: 9100, paperWidth: 80 })!.description).toBe('tcp://192.168.1.50:9100');
    expect(kioskPrinter({ type: 'serial', path: 'COM3', baudRate: 19200, paperWidth: 58 })!.description).toBe('serial:COM3@19200');
  });

  it('a USB printer that is not plugged in is offline, said in Vietnamese', async () => {
    const status = await handlePrinterStatus(kioskPrinter({ type: 'usb', vendorId: 0x04b8, productId: 0x0e28, paperWidth: 80 }, { usb: () => undefined }));
    expect(status).toEqual({ ok: true, data: { state: 'offline', message: expect.stringContaining('Không thấy máy in USB (usb:04b8:0e28)') } });
  });

  it('a write-only printer-class device file (/dev/usb/lp0) cannot tell its paper, and says so', async () => {
    const status = await handlePrinterStatus(kioskPrinter({ type: 'serial', path: '/dev/usb/lp0', baudRate: 9600, paperWidth: 80 }));
    expect(status.ok && status.data.state).toBe('no_status');
    expect(status.ok && status.data.message).toContain('không biết máy in còn giấy hay không');
  });

  it('a Windows printer by name gets the job as one RAW document, and its status says what Windows cannot know', async () => {
    const winspool = new FakeWinspool().addPrinter({ printerName: 'EPSON TM-T82III Receipt' });
    winspool.writeChunk = 4096;
    const printer = kioskPrinter({ type: 'system', name: 'EPSON TM-T82III Receipt', paperWidth: 80 }, { platform: 'win32', winspool });
    const status = await handlePrinterStatus(printer);
    expect(status.ok && status.data.state).toBe('no_status');
    expect(status.ok && status.data.message).toContain('không biết máy in còn giấy hay không');
    expect(await handlePrintJob(request(), printer)).toEqual({ ok: true, data: { printed: true, state: 'no_status', message: STATE_MESSAGES.no_status } });
    expect(winspool.spooled).toEqual([expect.objectContaining({ printer: 'EPSON TM-T82III Receipt', title: 'xephang: phiếu 2001', datatype: 'RAW' })]);
    expect(Buffer.from(winspool.spooled[0]!.bytes).equals(Buffer.from(JOB))).toBe(true);
    expect(winspool.openHandles).toBe(0);
  });

  it('a kiosk with no printer set up answers the page plainly', async () => {
    expect(await handlePrinterStatus(undefined)).toEqual({ ok: false, error: { code: 'printer_error', message: 'Máy này không được cài đặt máy in phiếu.' } });
    expect(await handlePrintJob(request(), undefined)).toEqual({ ok: false, error: { code: 'printer_error', message: 'Máy này không được cài đặt máy in phiếu.' } });
  });
});

describe('over TCP 9100', () => {
  const fake = new FakePrinter(576);
  let setting: PrinterSetting;
  beforeAll(async () => {
    await fake.start();
    setting = { type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 };
  });
  afterEach(() => {
    fake.tickets.length = 0;
    fake.set(CLEAR);
  });
  afterAll(() => fake.stop());

  it('asks the status, then prints the hub\'s job as it was drawn', async () => {
    const printer = kioskPrinter(setting);
    expect(await handlePrinterStatus(printer)).toEqual({ ok: true, data: { state: 'ok', message: STATE_MESSAGES.ok } });
    expect(await handlePrintJob(request(), printer)).toEqual({ ok: true, data: { printed: true, state: 'ok', message: '' } });
    expect(fake.tickets.map(onPaper)).toEqual(decoded(JOB));
    expect(fake.tickets[0]!.qr).toEqual([SAMPLE_TICKET.qr]);
  });

  it('takes the job as socket.io hands it to the page (an ArrayBuffer)', async () => {
    const buffer = JOB.buffer.slice(JOB.byteOffset, JOB.byteOffset + JOB.byteLength);
    expect(await handlePrintJob(request({ bytes: buffer }), kioskPrinter(setting))).toMatchObject({ ok: true, data: { printed: true } });
    expect(fake.tickets.map(onPaper)).toEqual(decoded(JOB));
  });

  it('paper out: the status says so before a number, and a job is not counted as printed', async () => {
    fake.set({ paperOut: true });
    const printer = kioskPrinter(setting);
    expect(await handlePrinterStatus(printer)).toEqual({ ok: true, data: { state: 'paper_out', message: STATE_MESSAGES.paper_out } });
    expect(await handlePrintJob(request(), printer)).toEqual({ ok: true, data: { printed: false, state: 'paper_out', message: STATE_MESSAGES.paper_out } });
  });

  it('paper near end: printed, with the warning', async () => {
    fake.set({ paperNearEnd: true });
    const printer = kioskPrinter(setting);
    expect(await handlePrinterStatus(printer)).toMatchObject({ ok: true, data: { state: 'paper_near_end' } });
    expect(await handlePrintJob(request(), printer)).toEqual({ ok: true, data: { printed: true, state: 'paper_near_end', message: STATE_MESSAGES.paper_near_end } });
    expect(fake.tickets).toHaveLength(1);
  });

  it('cover open, and a printer switched off', async () => {
    fake.set({ coverOpen: true });
    expect(await handlePrinterStatus(kioskPrinter(setting))).toMatchObject({ ok: true, data: { state: 'cover_open' } });
    const off = kioskPrinter({ type: 'tcp', host: '127.0.0.1', port: await freePort(), paperWidth: 80 });
    expect(await handlePrinterStatus(off)).toMatchObject({ ok: true, data: { state: 'offline', message: expect.stringContaining(STATE_MESSAGES.offline) } });
    const printed = await handlePrintJob(request(), off);
    expect(printed).toMatchObject({ ok: true, data: { printed: false, state: 'failed', message: expect.stringMatching(/^Phiếu chưa in được: /) } });
  });
});

describe('over a serial line (a socat pseudo-terminal pair standing for COM3)', () => {
  let pair: PtyPair;
  const fake = new FakePrinter(576);
  let unserve: () => Promise<void>;
  const printer = () => kioskPrinter({ type: 'serial', path: pair.kiosk, baudRate: 115200, paperWidth: 80 });
  beforeAll(async () => {
    pair = await ptyPair();
    unserve = await fake.servePath(pair.printer);
  });
  afterEach(() => {
    fake.tickets.length = 0;
    fake.set(CLEAR);
  });
  afterAll(async () => {
    await unserve();
    await pair.stop();
  });

  it('asks DLE EOT and prints the same ticket as over TCP', async () => {
    const p = printer();
    expect(await handlePrinterStatus(p)).toEqual({ ok: true, data: { state: 'ok', message: STATE_MESSAGES.ok } });
    expect(await handlePrintJob(request(), p)).toEqual({ ok: true, data: { printed: true, state: 'ok', message: '' } });
    await fake.waitForTickets(1);
    expect(fake.tickets.map(onPaper)).toEqual(decoded(JOB));
  });

  it('paper out on the line: said before a number; a job sent anyway is not printed', async () => {
    fake.set({ paperOut: true });
    const p = printer();
    expect(await handlePrinterStatus(p)).toEqual({ ok: true, data: { state: 'paper_out', message: STATE_MESSAGES.paper_out } });
    expect(await handlePrintJob(request(), p)).toEqual({ ok: true, data: { printed: false, state: 'paper_out', message: STATE_MESSAGES.paper_out } });
  });
});

describe('through a real CUPS raw queue (a private cupsd)', () => {
  let cups: CupsRig;
  const fake = new FakePrinter(576);
  const setting: PrinterSetting = { type: 'system', name: 'xephang-kiosk', paperWidth: 80 };
  const printer = () => kioskPrinter(setting, { platform: 'linux', cupsServer: cups.server });
  beforeAll(async () => {
    await fake.start();
    cups = await startCups();
    await cups.addRawQueue('xephang-kiosk', `socket://127.0.0.1:${fake.port}`);
  });
  afterEach(() => {
    fake.tickets.length = 0;
  });
  afterAll(async () => {
    await cups?.stop();
    await fake.stop();
  });

  it('says what a spooler knows (the queue is ready, the paper unknown) and prints the same ticket', async () => {
    const status = await handlePrinterStatus(printer());
    expect(status.ok && status.data.state).toBe('no_status');
    expect(status.ok && status.data.message).toContain('CUPS không biết giấy còn hay hết');
    expect(await handlePrintJob(request(), printer())).toEqual({ ok: true, data: { printed: true, state: 'no_status', message: STATE_MESSAGES.no_status } });
    await fake.waitForTickets(1);
    expect(fake.tickets.map(onPaper)).toEqual(decoded(JOB));
  });

  it('lists the queue by name for the settings screen', async () => {
    const list = await listSystemPrinters({ platform: 'linux', cupsServer: cups.server });
    expect(list).toEqual({ ok: true, data: [{ name: 'xephang-kiosk', detail: `hàng đợi CUPS → socket://127.0.0.1:${fake.port}` }] });
  });

  it('a stopped queue: offline before a number, and no job goes in to come out late', async () => {
    await cups.client('cupsdisable', ['-r', 'thay cuộn giấy', 'xephang-kiosk']);
    try {
      const status = await handlePrinterStatus(printer());
      expect(status).toEqual({ ok: true, data: { state: 'offline', message: expect.stringContaining('Hàng đợi in "xephang-kiosk" đang dừng (thay cuộn giấy)') } });
      const printed = await handlePrintJob(request(), printer());
      expect(printed).toMatchObject({ ok: true, data: { printed: false, state: 'offline' } });
      expect(await cups.client('lpstat', ['-o', 'xephang-kiosk'])).toBe('');
    } finally {
      await cups.client('cupsenable', ['xephang-kiosk']);
    }
    expect(fake.tickets).toHaveLength(0);
  });
});

describe('what the kiosk page may send', () => {
  const fake = new FakePrinter(576);
  let setting: PrinterSetting;
  beforeAll(async () => {
    await fake.start();
    setting = { type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 };
  });
  afterAll(() => fake.stop());

  const oversize = new Uint8Array(MAX_JOB_BYTES + 1);
  oversize.set([0x1b, 0x40]);
  it.each([
    ['no job at all', undefined, '(toàn bộ)', 'cần kiểu object'],
    ['the bytes as text', request({ bytes: '\x1b@hello' }), 'bytes', 'lệnh in phải là dữ liệu nhị phân'],
    ['the bytes as a list of numbers', request({ bytes: [0x1b, 0x40, 0x1d, 0x56, 0x00] }), 'bytes', 'lệnh in phải là dữ liệu nhị phân'],
    ['an object shaped like bytes', request({ bytes: { 0: 0x1b, 1: 0x40, length: 2 } }), 'bytes', 'lệnh in phải là dữ liệu nhị phân'],
    ['a job larger than any ticket', request({ bytes: oversize }), 'bytes', `lệnh in từ 2 byte đến ${MAX_JOB_BYTES} byte`],
    ['commands that do not start with ESC @ (a cut, a cash drawer kick)', request({ bytes: Uint8Array.from([0x1b, 0x70, 0x00, 0x19, 0xfa]) }), 'bytes', 'lệnh in phải bắt đầu bằng ESC @ (khởi tạo máy in)'],
    ['an empty job', request({ bytes: new Uint8Array(0) }), 'bytes', 'lệnh in từ 2 byte'],
    ['no title', { ticketId: '2025-07-10-2001', bytes: JOB }, 'title', 'cần kiểu string'],
    ['a ticket id that is a path', request({ ticketId: '../../etc/passwd' }), 'ticketId', 'mã phiếu không hợp lệ'],
    ['another printer named in the job', request({ printer: 'tcp://10.0.0.66:9100' }), '(toàn bộ)', 'trường không được phép: printer'],
  ])('refuses %s, naming the field, and sends the printer nothing', async (_what, payload, field, problem) => {
    const before = fake.connections;
    const reply = await handlePrintJob(payload, kioskPrinter(setting));
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_payload');
      expect(reply.error.fields?.[field]).toContain(problem);
    }
    expect(fake.connections).toBe(before);
  });
});

describe('the settings screen\'s test print', () => {
  const fake = new FakePrinter(384);
  let dir: string;
  let tickets: { testTicket: (w: 58 | 80) => Promise<Uint8Array> };
  let setting: PrinterSetting;
  beforeAll(async () => {
    await fake.start();
    dir = mkdtempSync(join(tmpdir(), 'xephang-test-ticket-'));
    drawTestTickets(dir, Date.parse('2026-12-06T08:00:00+07:00'));
    tickets = { testTicket: (w) => loadTestTicket(w, dir) };
    setting = { type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 58 };
  });
  afterEach(() => {
    fake.tickets.length = 0;
    fake.set(CLEAR);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
  });

  it('prints the test ticket drawn at build time for the chosen paper, and says how the printer is', async () => {
    const reply = await handleTestPrint({ printer: setting }, tickets);
    expect(reply).toEqual({ ok: true, data: { printed: true, state: 'ok', message: 'Đã in phiếu in thử.', status: { state: 'ok', message: STATE_MESSAGES.ok } } });
    const [ticket] = fake.tickets;
    expect(ticket!.qr).toEqual(['https://xephang.invalid/self-test']);
    // 58 mm paper: 384 dots wide.
    expect(ticket!.rasters.every((r) => r.width <= 384)).toBe(true);
    expect(fake.tickets.map(onPaper)).toEqual(decoded(await loadTestTicket(58, dir), 384));
  });

  it('paper out: prints nothing, and says why', async () => {
    fake.set({ paperOut: true });
    const reply = await handleTestPrint({ printer: setting }, tickets);
    expect(reply).toEqual({ ok: true, data: { printed: false, state: 'paper_out', message: 'Chưa in thử: máy in chưa sẵn sàng (xem trạng thái bên dưới).', status: { state: 'paper_out', message: STATE_MESSAGES.paper_out } } });
    expect(fake.tickets).toHaveLength(0);
  });

  it('a job lost on the way (the printer reset mid-ticket): not printed, and why', async () => {
    fake.dropNextJob(1024);
    const reply = await handleTestPrint({ printer: setting }, tickets);
    expect(reply).toMatchObject({ ok: true, data: { printed: false, state: 'failed', message: expect.stringMatching(/^Chưa in thử được\. Phiếu chưa in được: /), status: { state: 'ok' } } });
    expect(fake.drops).toBe(1);
    expect(fake.tickets).toHaveLength(0);
  });

  it('names its test print in a Windows queue as the hub names the admin\'s test print', async () => {
    const winspool = new FakeWinspool().addPrinter({ printerName: 'EPSON TM-T82III Receipt' });
    const reply = await handleTestPrint({ printer: { type: 'system', name: 'EPSON TM-T82III Receipt', paperWidth: 58 } }, { ...tickets, platform: 'win32', winspool });
    expect(reply).toMatchObject({ ok: true, data: { printed: true } });
    expect(winspool.spooled.map((j) => j.title)).toEqual([jobTitle({ number: 0, selfTest: true })]);
    expect(winspool.spooled[0]!.title).toBe('xephang: in thử');
  });

  it('refuses no printer, a bad setting (naming the field) and a CUPS name CUPS refuses', async () => {
    expect(await handleTestPrint({ printer: { type: 'none' } }, tickets)).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: 'Hãy chọn một máy in trước khi in thử.' } });
    const badPath = await handleTestPrint({ printer: { type: 'serial', path: 'COM3; del *', paperWidth: 80 } }, tickets);
    expect(badPath).toMatchObject({ ok: false, error: { code: 'invalid_payload', fields: { 'printer.path': 'cổng COM (COM3) hoặc đường dẫn /dev/ttyUSB0' } } });
    const badName = await handleTestPrint({ printer: { type: 'system', name: '-h evil', paperWidth: 80 } }, { ...tickets, platform: 'linux' });
    expect(badName).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringContaining('Tên hàng đợi CUPS không hợp lệ') } });
  });

  it('a shell built without its test tickets says to reinstall', async () => {
    const reply = await handleTestPrint({ printer: setting }, { testTicket: (w) => loadTestTicket(w, join(dir, 'missing')) });
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('hãy cài lại ứng dụng') } });
  });
});

describe('the lists the settings screen offers', () => {
  it('Windows printers by name, this kiosk\'s own first, with what Windows says of them', async () => {
    const winspool = new FakeWinspool()
      .addPrinter({ printerName: 'Microsoft Print to PDF', portName: 'PORTPROMPT:', driverName: 'Microsoft Print To PDF' })
      .addPrinter({ printerName: 'EPSON TM-T82III Receipt', portName: 'USB001', status: 0x10 })
      .addPrinter({ printerName: 'Máy in văn phòng', portName: '\\\\pc-ketoan\\hp', attributes: 0x10 });
    const list = await listSystemPrinters({ platform: 'win32', winspool });
    expect(list.ok && list.data.map((p) => p.name)).toEqual(['EPSON TM-T82III Receipt', 'Microsoft Print to PDF', 'Máy in văn phòng']);
    expect(list.ok && list.data[0]!.detail).toContain('cổng USB001 · EPSON TM-T82III Receipt · Máy in «EPSON TM-T82III Receipt» hết giấy');
    expect(list.ok && list.data[2]!.detail).toContain('dùng chung từ máy khác');
  });

  it('says why when the spooler cannot be asked', async () => {
    expect(await listSystemPrinters({ platform: 'linux', cupsServer: `127.0.0.1:${await freePort()}` })).toMatchObject({ ok: false, error: { code: 'printer_error' } });
    expect(await listSystemPrinters({ platform: 'win32', winspool: new FakeWinspool().failNext('enumPrinters', 1722) })).toMatchObject({
      ok: false,
      error: { code: 'printer_error', message: expect.stringContaining('Print Spooler') },
    });
  });

  it('serial lines: what serialport lists, then the printer-class device files', async () => {
    const devDir = mkdtempSync(join(tmpdir(), 'xephang-dev-usb-'));
    try {
      writeFileSync(join(devDir, 'lp0'), '');
      writeFileSync(join(devDir, 'hiddev0'), '');
      const list = await listSerialPorts({ serialPorts: async () => [{ path: '/dev/ttyUSB0', manufacturer: '1a86', vendorId: '1a86', productId: '7523' }, { path: '/dev/ttyS0' }], devDir });
      expect(list).toEqual({
        ok: true,
        data: [
          { path: '/dev/ttyUSB0', label: '/dev/ttyUSB0 (1a86 1a86:7523)' },
          { path: '/dev/ttyS0', label: '/dev/ttyS0' },
          { path: `${devDir}/lp0`, label: `${devDir}/lp0 (máy in USB dạng tệp thiết bị: chỉ gửi, không hỏi được giấy)` },
        ],
      });
      const broken = await listSerialPorts({ serialPorts: () => Promise.reject(new Error('binding not found')), devDir });
      expect(broken).toMatchObject({ ok: false, error: { message: expect.stringContaining('Có thể nhập tên cổng bằng tay') } });
    } finally {
      rmSync(devDir, { recursive: true, force: true });
    }
  });
});
