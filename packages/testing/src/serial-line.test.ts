import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { escposPrinter, PrintError, serialTransport, tcpTransport } from '@xephang/printer';
import { FakePrinter, SAMPLE_TICKET, type FakeTicket } from '@xephang/printer/testing';
import { ptyPair, type PtyPair } from './pty';

/**
 * The serial line for real: socat's pseudo-terminal pair stands for the cable, the kiosk's side
 * is opened by serialport as it would open COM3, and the fake printer serves the other side.
 * The printer's tests sit here, beside the rig, because @xephang/printer cannot import this
 * package (it starts the hub, which imports the printer).
 */

const ticket = SAMPLE_TICKET;
const TIMEOUTS = { statusTimeoutMs: 500, jobTimeoutMs: 5000 };

/** What a ticket is on paper, without when and over what it came. */
function job(t: FakeTicket) {
  return { image: t.image, rasters: t.rasters, qr: t.qr, text: t.text, lineFeeds: t.lineFeeds, cut: t.cut };
}

/** The same ticket printed over TCP to the fake printer: the job every other line must match. */
async function tcpJob(): Promise<ReturnType<typeof job>> {
  const tcp = new FakePrinter(576);
  await tcp.start();
  try {
    await escposPrinter(tcpTransport({ host: '127.0.0.1', port: tcp.port }), TIMEOUTS).print(ticket);
  } finally {
    await tcp.stop();
  }
  return job(tcp.tickets[0]!);
}

describe('the rig', () => {
  it('fails with the Debian package to install when socat is missing', async () => {
    await expect(ptyPair({ socat: '/nonexistent/socat' })).rejects.toThrow('apt-get install socat');
  });
});

describe('an ESC/POS printer on a serial line (a socat pseudo-terminal pair)', () => {
  let pair: PtyPair;
  const fake = new FakePrinter(576);
  let unserve: () => Promise<void>;
  const printer = () => escposPrinter(serialTransport({ path: pair.kiosk, baudRate: 115200 }), TIMEOUTS);

  beforeAll(async () => {
    pair = await ptyPair();
    unserve = await fake.servePath(pair.printer);
  });
  afterEach(() => {
    fake.tickets.length = 0;
    fake.set({ paperOut: false, coverOpen: false, paperNearEnd: false, offline: false, silent: false });
  });
  afterAll(async () => {
    await unserve();
    await pair.stop();
  });

  it('prints the very job the same ticket makes over TCP: raster, QR payload, cut', async () => {
    const overTcp = await tcpJob();
    const report = await printer().print(ticket);
    expect(report.after).toBe('ok');
    expect(fake.tickets).toHaveLength(1);
    expect(fake.unknownCommands).toEqual([]);
    const serial = fake.tickets[0]!;
    expect(serial.qr).toEqual([ticket.qr]);
    expect(serial.cut).toBe('full');
    expect(serial.image.width).toBe(576);
    expect(job(serial)).toEqual(overTcp);
  });

  it('answers DLE EOT over the line: ok, paper near end, cover open, paper out', async () => {
    const p = printer();
    expect((await p.status()).state).toBe('ok');
    fake.set({ paperNearEnd: true });
    expect((await p.status()).state).toBe('paper_near_end');
    fake.set({ paperNearEnd: false, coverOpen: true });
    expect((await p.status()).state).toBe('cover_open');
    fake.set({ coverOpen: false, paperOut: true });
    const out = await p.status();
    expect(out.state).toBe('paper_out');
    expect(out.message).toContain('hết giấy');
  });

  it('warns after a job that the paper is near its end, and fails a job the paper ran out in', async () => {
    fake.set({ paperNearEnd: true });
    expect((await printer().print(ticket)).after).toBe('paper_near_end');
    fake.set({ paperOut: true });
    await expect(printer().print(ticket)).rejects.toMatchObject({ state: 'paper_out' });
  });

  it('three tickets at once go one after another on the one line, in order', async () => {
    const p = printer();
    await Promise.all([1, 2, 3].map((i) => p.print({ ...ticket, number: 2000 + i, qr: `n=${2000 + i}` })));
    expect(fake.tickets.map((t) => t.qr[0])).toEqual(['n=2001', 'n=2002', 'n=2003']);
  });

  it('a printer that never answers status is no_status after the timeout', async () => {
    fake.set({ silent: true });
    const started = Date.now();
    expect((await printer().status()).state).toBe('no_status');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a port another program holds is offline, saying it is busy', async () => {
    // A silent printer keeps the first question open (and the port locked) until its timeout.
    fake.set({ silent: true });
    const asked = fake.statusRequests;
    const holder = printer().status();
    while (fake.statusRequests === asked) await new Promise((resolve) => setTimeout(resolve, 5));
    const status = await printer().status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain('đang bị chương trình khác dùng');
    expect((await holder).state).toBe('no_status');
  });

  it('a port path that does not exist is offline, in Vietnamese', async () => {
    const status = await escposPrinter(serialTransport({ path: `${pair.kiosk}-missing` }), TIMEOUTS).status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain('Không tìm thấy cổng');
  });
});

describe('the cable pulled: socat stopped', () => {
  it('is offline with a Vietnamese message, and a job fails instead of hanging', async () => {
    const pair = await ptyPair();
    const fake = new FakePrinter(576);
    const unserve = await fake.servePath(pair.printer);
    const printer = escposPrinter(serialTransport({ path: pair.kiosk }), TIMEOUTS);
    try {
      expect((await printer.status()).state).toBe('ok');
      await pair.stop();
      expect(pair.running).toBe(false);
      const status = await printer.status();
      expect(status.state).toBe('offline');
      expect(status.message).toContain('Không kết nối được với máy in');
      expect(status.message).toContain('Không tìm thấy cổng');
      await expect(printer.print(ticket)).rejects.toBeInstanceOf(PrintError);
    } finally {
      await unserve();
      await pair.stop();
    }
  });
});

describe('the printer gone in the middle of a job', () => {
  it('fails the job as dropped, in Vietnamese, at once', async () => {
    const pair = await ptyPair();
    const fake = new FakePrinter(576);
    const unserve = await fake.servePath(pair.printer);
    try {
      // The printer stops taking bytes 4 KB into the raster, then the line goes (socat
      // stopped): the kiosk's side hangs up in the middle of the job, as when a cable is pulled.
      fake.dropNextJob(4096);
      const printing = escposPrinter(serialTransport({ path: pair.kiosk, baudRate: 115200 }), TIMEOUTS)
        .print(ticket)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      while (fake.drops === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const pulled = Date.now();
      await pair.stop();
      const failure = await printing;
      expect(failure).toBeInstanceOf(PrintError);
      expect((failure as PrintError).message).toContain('ngắt kết nối giữa chừng');
      expect(Date.now() - pulled).toBeLessThan(2000);
      expect(fake.tickets).toHaveLength(0);
    } finally {
      await unserve();
      await pair.stop();
    }
  });
});

describe('a printer-class device file (a FIFO stands for /dev/usb/lp0)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-lp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports no_status and why, and prints the same job, written only', async () => {
    const lp = join(dir, 'lp0');
    expect(spawnSync('mkfifo', [lp]).status).toBe(0);
    const fake = new FakePrinter(576);
    const unserve = await fake.servePath(lp);
    try {
      const printer = escposPrinter(serialTransport({ path: lp, answers: false }), TIMEOUTS);
      const status = await printer.status();
      expect(status.state).toBe('no_status');
      expect(status.message).toContain('không trả lời trạng thái');
      const report = await printer.print(ticket);
      expect(report.after).toBeUndefined();
      await fake.waitForTickets(1, 5000);
      expect(job(fake.tickets[0]!)).toEqual(await tcpJob());
      expect(fake.statusRequests).toBe(0);
    } finally {
      await unserve();
    }
  });
});
