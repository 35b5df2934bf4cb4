import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import jsQR from 'jsqr';
import { bitmapToRgba, type Bitmap } from './bitmap';
import { PrintError } from './job-printer';
import { escposPrinter, parsePrinterUrl, previewPrinter } from './printer';
import { tcpTransport } from './tcp';
import { bitmapToPngSync, FakePrinter, pixelDiff, pngToBitmap } from './testing/fake-printer';
import { SAMPLE_TICKET } from './testing/sample-ticket';

/** Set UPDATE_FIXTURES=1 to write the reference PNGs again from what the fake printer decoded. */
const UPDATE = process.env.UPDATE_FIXTURES === '1';
const FIXTURES = join(__dirname, '__fixtures__');
/** Share of dots that may differ from the reference (font rasteriser differences across machines). */
const TOLERANCE = 0.002;

const ticket = SAMPLE_TICKET;
const QR = SAMPLE_TICKET.qr!;

function qrIn(image: Bitmap): string | undefined {
  return jsQR(bitmapToRgba(image), image.width, image.height)?.data;
}

function compareWithReference(name: string, image: Bitmap): number {
  const file = join(FIXTURES, name);
  if (UPDATE || !existsSync(file)) writeFileSync(file, bitmapToPngSync(image));
  return pixelDiff(image, pngToBitmap(readFileSync(file)));
}

describe('printing through raw TCP to the fake ESC/POS printer', () => {
  const fake80 = new FakePrinter(576);
  const fake58 = new FakePrinter(384);
  const printer80 = () => escposPrinter(tcpTransport({ host: '127.0.0.1', port: fake80.port }), { paperWidth: 80, statusTimeoutMs: 300, jobTimeoutMs: 3000 });

  beforeAll(async () => {
    await fake80.start();
    await fake58.start();
  });
  afterEach(() => {
    fake80.tickets.length = 0;
    fake80.set({ paperOut: false, coverOpen: false, paperNearEnd: false, offline: false, silent: false });
  });
  afterAll(async () => {
    await fake80.stop();
    await fake58.stop();
  });

  it('prints an 80 mm ticket: full width, one cut, the QR content, the reference image', async () => {
    const report = await printer80().print(ticket);
    expect(report.after).toBe('ok');
    expect(fake80.tickets).toHaveLength(1);
    const t = fake80.tickets[0]!;
    expect(t.cut).toBe('full');
    expect(t.image.width).toBe(576);
    expect(t.image.height).toBeGreaterThan(600);
    expect(t.qr).toEqual([QR]);
    expect(qrIn(t.image)).toBe(QR);
    expect(fake80.unknownCommands).toEqual([]);
    expect(compareWithReference('ticket-80.png', t.image)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('prints a 58 mm ticket at 384 dots, compared with its reference', async () => {
    const printer = escposPrinter(tcpTransport({ host: '127.0.0.1', port: fake58.port }), { paperWidth: 58 });
    await printer.print(ticket);
    expect(fake58.tickets).toHaveLength(1);
    const t = fake58.tickets[0]!;
    expect(t.image.width).toBe(384);
    expect(t.rasters.every((r) => r.width === 384)).toBe(true);
    expect(qrIn(t.image)).toBe(QR);
    expect(compareWithReference('ticket-58.png', t.image)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('serialises jobs: five tickets at once go one connection at a time, in order, one cut each', async () => {
    const printer = printer80();
    fake80.maxConcurrent = 0;
    await Promise.all([1, 2, 3, 4, 5].map((i) => printer.print({ ...ticket, number: 2000 + i, qr: `n=${2000 + i}` })));
    expect(fake80.tickets.map((t) => t.qr[0])).toEqual(['n=2001', 'n=2002', 'n=2003', 'n=2004', 'n=2005']);
    expect(fake80.maxConcurrent).toBe(1);
  });

  it('asks DLE EOT 1, 2 and 4 and reports paper out, cover open, paper near end', async () => {
    const printer = printer80();
    expect((await printer.status()).state).toBe('ok');
    fake80.set({ paperNearEnd: true });
    expect((await printer.status()).state).toBe('paper_near_end');
    fake80.set({ paperNearEnd: false, coverOpen: true });
    const cover = await printer.status();
    expect(cover.state).toBe('cover_open');
    expect(cover.message).toContain('Nắp máy in đang mở');
    fake80.set({ coverOpen: false, paperOut: true });
    const paper = await printer.status();
    expect(paper.state).toBe('paper_out');
    expect(paper.message).toContain('hết giấy');
  });

  it('reports a printer that does not answer status as no_status, after the timeout', async () => {
    fake80.set({ silent: true });
    const started = Date.now();
    expect((await printer80().status()).state).toBe('no_status');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a closed port as offline', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const status = await escposPrinter(tcpTransport({ host: '127.0.0.1', port })).status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain('Không kết nối được');
  });

  it('fails the job when the printer drops the connection mid-job, and the next job prints', async () => {
    const printer = printer80();
    fake80.dropNextJob(5000);
    await expect(printer.print(ticket)).rejects.toBeInstanceOf(PrintError);
    expect(fake80.tickets).toHaveLength(0);
    await printer.print(ticket);
    expect(fake80.tickets).toHaveLength(1);
  });

  it('fails the job when the paper runs out during it', async () => {
    fake80.set({ paperOut: true });
    await expect(printer80().print(ticket)).rejects.toMatchObject({ state: 'paper_out' });
  });
});

describe('the preview printer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-preview-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the ticket as a PNG named after its day and number, with the QR code drawn', async () => {
    const printer = previewPrinter(dir, { paperWidth: 80 });
    expect((await printer.status()).state).toBe('ok');
    const report = await printer.print(ticket);
    expect(report.file).toBe(join(dir, '2025-07-10-2001.png'));
    const image = pngToBitmap(readFileSync(report.file!));
    expect(image.width).toBe(576);
    expect(qrIn(image)).toBe(QR);
    // The preview is what the ESC/POS printer prints.
    expect(pixelDiff(image, pngToBitmap(readFileSync(join(FIXTURES, 'ticket-80.png'))))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('names the file after the service day when it is not the date issued (a reset time after noon)', async () => {
    const printer = previewPrinter(dir, { paperWidth: 80 });
    const evening = { ...ticket, issuedAt: Date.parse('2025-07-10T19:00:00+07:00'), day: '2025-07-11' };
    expect((await printer.print(evening)).file).toBe(join(dir, '2025-07-11-2001.png'));
  });
});

describe('printer addresses', () => {
  it('reads tcp and preview addresses with an optional paper width', () => {
    expect(parsePrinterUrl('tcp://192.168.1.50:9100')).toEqual({ type: 'tcp', host: '192.168.1.50', port: 9100, paperWidth: 80 });
    expect(parsePrinterUrl('tcp://printer.lan?paper=58')).toEqual({ type: 'tcp', host: 'printer.lan', port: 9100, paperWidth: 58 });
    expect(parsePrinterUrl('preview:/tmp/x')).toEqual({ type: 'preview', dir: '/tmp/x', paperWidth: 80 });
    expect(parsePrinterUrl('preview')).toEqual({ type: 'preview', dir: undefined, paperWidth: 80 });
    expect(() => parsePrinterUrl('usb://04b8')).toThrow('không hiểu được');
    expect(() => parsePrinterUrl('tcp://x?paper=76')).toThrow('80 hoặc 58');
  });
});
