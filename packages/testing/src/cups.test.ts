import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { cupsSpooler, escposPrinter, PrintError, spoolerPrinter, SpoolerError, tcpTransport } from '@xephang/printer';
import { FakePrinter, SAMPLE_TICKET } from '@xephang/printer/testing';
import { freePort as closedPort, startCups, type CupsRig } from './cups';

/**
 * The kiosk's "operating system printer" on Linux, for real: a private cupsd (Debian's
 * cups-daemon), a raw queue whose device is the fake ESC/POS printer over TCP, and the
 * ticket sent with `lp -o raw`. What reaches the fake printer is compared with the same
 * ticket sent straight over TCP.
 */

const QUEUE = 'xephang-kiosk';
const ticket = SAMPLE_TICKET;

describe('printing through a real CUPS raw queue', () => {
  let rig: CupsRig;
  const viaCups = new FakePrinter(576);
  const direct = new FakePrinter(576);
  const spooler = () => cupsSpooler({ queue: QUEUE, server: rig.server });

  beforeAll(async () => {
    rig = await startCups();
    await viaCups.start();
    await direct.start();
    await rig.addRawQueue(QUEUE, `socket://127.0.0.1:${viaCups.port}`);
  });
  afterEach(async () => {
    await rig.client('cupsenable', [QUEUE]);
    await rig.client('cupsaccept', [QUEUE]);
  });
  afterAll(async () => {
    await rig?.stop();
    await viaCups.stop();
    await direct.stop();
  });

  it('prints a ticket whose job decodes identically (raster, QR, cut) to the same ticket over TCP', async () => {
    const printer = spoolerPrinter(spooler(), { paperWidth: 80 });
    const status = await printer.status();
    // A raw queue cannot know the paper: never a false "ok".
    expect(status.state).toBe('no_status');
    expect(status.message).toContain('CUPS không biết giấy còn hay hết');

    const report = await printer.print(ticket);
    expect(report.after).toBe('no_status');
    await viaCups.waitForTickets(1);
    await escposPrinter(tcpTransport({ host: '127.0.0.1', port: direct.port }), { paperWidth: 80 }).print(ticket);
    expect(direct.tickets).toHaveLength(1);

    const a = viaCups.tickets[0]!;
    const b = direct.tickets[0]!;
    expect(a.cut).toBe('full');
    expect(a.cut).toBe(b.cut);
    expect(a.qr).toEqual([ticket.qr]);
    expect(a.qr).toEqual(b.qr);
    expect(a.rasters.map((r) => [r.width, r.height])).toEqual(b.rasters.map((r) => [r.width, r.height]));
    expect([a.image.width, a.image.height]).toEqual([b.image.width, b.image.height]);
    expect(Buffer.compare(Buffer.from(a.image.data), Buffer.from(b.image.data))).toBe(0);
    expect(viaCups.unknownCommands).toEqual([]);
    // Same bytes minus the DLE EOT 4 that only the direct path asks (3 bytes).
    expect(a.bytes).toBe(b.bytes - 3);
    // CUPS handed the job on and forgot it.
    expect((await rig.client('lpstat', ['-o', QUEUE])).trim()).toBe('');
  });

  it('reports a queue stopped with cupsdisable, and refuses to print into it', async () => {
    await rig.client('cupsdisable', ['-r', 'thay cuộn giấy', QUEUE]);
    const printer = spoolerPrinter(spooler());
    const status = await printer.status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain(`Hàng đợi in "${QUEUE}" đang dừng (thay cuộn giấy)`);
    const before = viaCups.tickets.length;
    await expect(printer.print(ticket)).rejects.toMatchObject({ name: 'PrintError', state: 'offline', message: expect.stringContaining('đang dừng') });
    // Nothing was left in the stopped queue to come out later.
    expect((await rig.client('lpstat', ['-o', QUEUE])).trim()).toBe('');
    expect(viaCups.tickets).toHaveLength(before);
  });

  it('reports a queue that rejects jobs (cupsreject), and refuses to print', async () => {
    await rig.client('cupsreject', ['-r', 'bảo trì', QUEUE]);
    const status = await spooler().status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain('không nhận phiếu mới (bảo trì)');
    await expect(spoolerPrinter(spooler()).print(ticket)).rejects.toMatchObject({ state: 'offline' });
    // lp itself is refused too, should a ticket slip between the status and the job.
    await expect(spooler().submit(Uint8Array.of(0x1b, 0x40), 'thử')).rejects.toMatchObject({ failure: 'refused' });
  });

  it('reports a missing queue and refuses to print, in Vietnamese', async () => {
    const missing = cupsSpooler({ queue: 'khong-co-hang-doi', server: rig.server });
    const status = await missing.status();
    expect(status.state).toBe('error');
    expect(status.message).toContain('Hàng đợi in "khong-co-hang-doi" không có trong CUPS');
    const error = await missing.submit(Uint8Array.of(0x1b, 0x40), 'thử').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpoolerError);
    expect(error).toMatchObject({ failure: 'missing' });
    const refused = await spoolerPrinter(missing).print(ticket).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PrintError);
    expect(refused).toMatchObject({ state: 'error' });
  });

  it('keeps the job when the printer is down, and says the printer is not reachable', async () => {
    const down = 'xephang-down';
    await rig.addRawQueue(down, `socket://127.0.0.1:${await closedPort()}`);
    const printer = spoolerPrinter(cupsSpooler({ queue: down, server: rig.server, stuckAfterMs: 3000 }));
    // The queue looked fine: the ticket is handed over.
    const report = await printer.print(ticket);
    expect(report.after).toBe('no_status');
    let status = await printer.status();
    for (let i = 0; i < 60 && status.state !== 'offline'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await printer.status();
    }
    expect(status.state).toBe('offline');
    expect(status.message).toMatch(/CUPS chưa gửi được phiếu tới máy in|phiếu kẹt/);
    // The job is still there, waiting for the printer.
    expect(await rig.client('lpstat', ['-o', down])).toMatch(new RegExp(`^${down}-\\d+ `));
    // And the next ticket is not queued behind it.
    await expect(printer.print(ticket)).rejects.toMatchObject({ state: 'offline' });
    await rig.client('cancel', ['-a', down]);
  });

  it('reports a CUPS that cannot be reached as offline', async () => {
    const status = await cupsSpooler({ queue: QUEUE, server: `127.0.0.1:${await closedPort()}` }).status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain('Không kết nối được dịch vụ in CUPS');
  });
});
