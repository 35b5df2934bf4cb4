import { cpSync, mkdtempSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JobPrinter } from '@xephang/printer/connections';
import { FakePrinter, type FakeTicket } from '@xephang/printer/testing';
import { PRINTER_FAULTS, type IssuedTicket, type KioskPrintJob } from '@xephang/protocol';
import {
  admin,
  client,
  disposeHub,
  frozenHub,
  ptyPair,
  rid,
  startCups,
  startHubProcess,
  unwrap,
  type CupsRig,
  type HubProcess,
  type PtyPair,
} from '@xephang/testing';
import type { PrinterSetting } from './config';
import { pairWithHub } from './pairing';
import { handlePrinterStatus, handlePrintJob, kioskPrinter, printerInfo } from './print';

/**
 * The kiosk's own printer, end to end, against the hub's network printer: one ticket must come
 * out the same. Two hubs start from copies of one data folder (a paired kiosk, the admin's
 * footer and QR) with one frozen clock, so the same tap gives the same ticket on both: hub A
 * prints it on its `*` network printer (TCP), hub B answers the kiosk's `printHere` with the job
 * it drew, and the shell's real print module sends that job over TCP, a pseudo-terminal serial
 * line and a real CUPS raw queue. Every printer is the fake one; what each received is compared.
 */

const CLOCK = '2025-07-10T08:05:00+07:00';
const ARGS = ['--no-trust-loopback'];
const QR = 'https://dichvucong.invalid/tra-cuu?so={number}&ngay={day}&ma={ticketId}';
const FOOTER = 'Xin giữ phiếu cẩn thận và chú ý loa gọi số. Xin cảm ơn ông/bà!';
/** A citizen's tap with everything a ticket can carry: priority, a procedure and its papers. */
const TAP = { serviceId: 'civil', priority: 'elderly', procedureCode: 'HT-01' } as const;
const PAPER = 80;
/** What ends every job sent to a printer that answers: DLE EOT 4, the paper sensor. */
const PAPER_QUESTION = [0x10, 0x04, 0x04];

type HubClient = Awaited<ReturnType<typeof client>>;

/** What a ticket is on paper, without when and over what it came. */
function paper(t: FakeTicket) {
  return { image: t.image, rasters: t.rasters, qr: t.qr, text: t.text, lineFeeds: t.lineFeeds, cut: t.cut };
}

interface Relay {
  port: number;
  /** What each connection that carried a job (ESC @ first) sent, without the trailing paper question. */
  jobs: () => Buffer[];
  close: () => Promise<void>;
}

/**
 * A TCP relay in front of a fake printer that keeps the bytes each connection sent, so the job
 * a printer got can be compared byte for byte (the fake printer keeps only what it decoded).
 */
async function relayTo(printer: FakePrinter): Promise<Relay> {
  const sent: Buffer[][] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const chunks: Buffer[] = [];
    sent.push(chunks);
    const outbound = connect(printer.port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.once('close', () => open.delete(s));
    }
    inbound.on('data', (chunk: Buffer) => chunks.push(chunk));
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    jobs: () =>
      sent
        .map((chunks) => Buffer.concat(chunks))
        .filter((b) => b[0] === 0x1b && b[1] === 0x40)
        .map((b) => (b.subarray(-3).equals(Buffer.from(PAPER_QUESTION)) ? b.subarray(0, -3) : b)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}

/** A copy of a stopped frozen hub's data folder, started with the same frozen clock. */
async function copyOf(base: HubProcess): Promise<HubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-test-'));
  cpSync(base.dataDir, dataDir, { recursive: true });
  // frozenHub's clock: its preload (freeze.js, copied with the folder) and its arguments.
  return startHubProcess({
    dataDir,
    args: ['--demo', '--kiosk-burst', '0', '--fake-clock', CLOCK, ...ARGS],
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(dataDir, 'freeze.js')}`.trim() },
  });
}

describe("the kiosk's own printer prints the very ticket the hub's network printer prints", () => {
  let base: HubProcess;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let deviceId: string;
  /** The same paired kiosk, at hub A (no printer of its own) and at hub B (its shell prints). */
  let kioskA: HubClient;
  let kioskB: HubClient;
  let bossB: HubClient;
  const atHub = new FakePrinter(576);
  let hubRelay: Relay;
  const atKiosk = { tcp: new FakePrinter(576), serial: new FakePrinter(576), cups: new FakePrinter(576) };
  let tcpRelay: Relay;
  let cupsRelay: Relay;
  let pair: PtyPair;
  let unserve: () => Promise<void>;
  let cups: CupsRig;
  /** The last job the hub drew for the kiosk. */
  let lastJob: KioskPrintJob | undefined;

  beforeAll(async () => {
    await Promise.all([atHub.start(), atKiosk.tcp.start(), atKiosk.cups.start()]);
    [hubRelay, tcpRelay, cupsRelay] = await Promise.all([relayTo(atHub), relayTo(atKiosk.tcp), relayTo(atKiosk.cups)]);
    pair = await ptyPair();
    unserve = await atKiosk.serial.servePath(pair.printer);
    cups = await startCups();
    await cups.addRawQueue('xephang-kiosk', `socket://127.0.0.1:${cupsRelay.port}`);

    // The one data folder: the admin's ticket text and a kiosk paired on the LAN.
    base = await frozenHub(CLOCK, ARGS);
    const boss = await admin(base);
    unwrap(await boss.send('printer:setTicketText', { footer: FOOTER, qr: QR }));
    const { code } = unwrap(await boss.send('pairing:create', { role: 'kiosk' }));
    boss.close();
    const paired = unwrap(await pairWithHub(base.url, { code, name: 'Ki-ốt cửa chính', role: 'kiosk', counterId: null }));
    deviceId = paired.deviceId;
    await base.stop();

    [hubA, hubB] = await Promise.all([copyOf(base), copyOf(base)]);
    const bossA = await admin(hubA);
    unwrap(await bossA.send('printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${hubRelay.port}`, paperWidth: PAPER }));
    bossA.close();
    bossB = await admin(hubB);
    kioskA = await client(hubA, { role: 'kiosk', token: paired.token });
    kioskB = await client(hubB, { role: 'kiosk', token: paired.token });
    // Three hubs, a cupsd and socat, started one after another on a loaded 2-core machine.
  }, 180_000);

  afterAll(async () => {
    kioskA?.close();
    kioskB?.close();
    bossB?.close();
    await Promise.all([disposeHub(hubA), disposeHub(hubB)]);
    await disposeHub(base);
    await cups?.stop();
    await unserve?.();
    await pair?.stop();
    await Promise.all([hubRelay, tcpRelay, cupsRelay].map((r) => r?.close()));
    await Promise.all([atHub, ...Object.values(atKiosk)].map((p) => p.stop()));
  });

  /**
   * What the kiosk page does with its shell (the bridge's calls, here the handlers themselves):
   * tells the hub which printer it has, asks it before the tap, issues with `printHere`, hands
   * the job to the shell, and tells the hub how it came out.
   */
  async function printAtKiosk(setting: PrinterSetting, printer: JobPrinter): Promise<{ issued: IssuedTicket; job: KioskPrintJob; state: string }> {
    const info = printerInfo(setting, { platform: 'linux' })!;
    const status = unwrap(await handlePrinterStatus(printer));
    expect(PRINTER_FAULTS.has(status.state)).toBe(false);
    unwrap(await kioskB.send('printer:report', { ...info, state: status.state, message: status.message }));
    const issued = unwrap(await kioskB.send('ticket:issue', { requestId: rid(), ...TAP, printHere: { paperWidth: PAPER } }));
    const job = issued.kioskJob!;
    lastJob = job;
    expect(job).toMatchObject({ ticketId: issued.ticket.id, number: issued.ticket.number, paperWidth: PAPER, kind: 'ticket' });
    // The hub printed nothing itself for this kiosk: it left the paper to the kiosk.
    expect(issued.printed).toBeUndefined();
    const result = unwrap(await handlePrintJob({ ticketId: job.ticketId, title: job.title, bytes: job.bytes }, printer));
    expect(result.printed).toBe(true);
    unwrap(await kioskB.send('ticket:printed', { printId: job.printId, printed: result.printed, state: result.state, message: result.message }));
    return { issued, job, state: result.state };
  }

  /** The same tap at hub A, printed by the hub on its network printer; its raw job. */
  async function printAtHub(): Promise<{ issued: IssuedTicket; bytes: Buffer; paper: FakeTicket }> {
    const count = atHub.tickets.length;
    const issued = unwrap(await kioskA.send('ticket:issue', { requestId: rid(), ...TAP }));
    expect(issued.printed).toBe(true);
    await atHub.waitForTickets(count + 1);
    return { issued, bytes: hubRelay.jobs().at(-1)!, paper: atHub.tickets.at(-1)! };
  }

  /** The two tickets are one: same number and content, same job to the byte, same paper. */
  function expectSameTicket(kiosk: { issued: IssuedTicket; job: KioskPrintJob }, hub: { issued: IssuedTicket; bytes: Buffer; paper: FakeTicket }, onKioskPaper: FakeTicket): void {
    expect(kiosk.issued.ticket).toEqual(hub.issued.ticket);
    expect(kiosk.issued.peopleAhead).toBe(hub.issued.peopleAhead);
    expect(kiosk.issued.estimatedWaitMinutes).toBe(hub.issued.estimatedWaitMinutes);
    expect(kiosk.job.title).toBe(`xephang: phiếu ${hub.issued.ticket.number}`);
    expect(Buffer.from(kiosk.job.bytes as Uint8Array)).toEqual(hub.bytes);
    const { ticket } = hub.issued;
    expect(hub.paper.qr).toEqual([`https://dichvucong.invalid/tra-cuu?so=${ticket.number}&ngay=${ticket.day}&ma=${ticket.id}`]);
    expect(hub.paper.cut).toBe('full');
    expect(hub.paper.image.width).toBe(576);
    expect(paper(onKioskPaper)).toEqual(paper(hub.paper));
  }

  it('over TCP 9100: the job the hub drew for the kiosk is the job its network printer got, byte for byte', async () => {
    const setting: PrinterSetting = { type: 'tcp', host: '127.0.0.1', port: tcpRelay.port, paperWidth: PAPER };
    const kiosk = await printAtKiosk(setting, kioskPrinter(setting)!);
    await atKiosk.tcp.waitForTickets(1);
    expect(kiosk.state).toBe('ok');
    const hub = await printAtHub();
    expect(hub.issued.ticket.number).toBe(2001);
    expect(hub.issued.procedure).toMatchObject({ code: 'HT-01', name: 'Đăng ký khai sinh' });
    expectSameTicket(kiosk, hub, atKiosk.tcp.tickets[0]!);
    expect(tcpRelay.jobs()).toEqual([hub.bytes]);
    expect(atKiosk.tcp.unknownCommands).toEqual([]);
  });

  it('over a serial line (a socat pseudo-terminal pair): the same paper, with DLE EOT answered on the line', async () => {
    const setting: PrinterSetting = { type: 'serial', path: pair.kiosk, baudRate: 115200, paperWidth: PAPER };
    const kiosk = await printAtKiosk(setting, kioskPrinter(setting)!);
    await atKiosk.serial.waitForTickets(1);
    expect(kiosk.state).toBe('ok');
    const hub = await printAtHub();
    expect(hub.issued.ticket.number).toBe(2002);
    expect(hub.issued.peopleAhead).toBe(1);
    expectSameTicket(kiosk, hub, atKiosk.serial.tickets[0]!);
    expect(atKiosk.serial.unknownCommands).toEqual([]);
  });

  it('through a real CUPS raw queue: the spooler passes the job untouched, and says the paper is unknown', async () => {
    const setting: PrinterSetting = { type: 'system', name: 'xephang-kiosk', paperWidth: PAPER };
    const kiosk = await printAtKiosk(setting, kioskPrinter(setting, { platform: 'linux', cupsServer: cups.server })!);
    // A spooler carries no DLE EOT answer back: printed means "CUPS took it", paper unknown.
    expect(kiosk.state).toBe('no_status');
    await atKiosk.cups.waitForTickets(1, 20_000);
    const hub = await printAtHub();
    expect(hub.issued.ticket.number).toBe(2003);
    expectSameTicket(kiosk, hub, atKiosk.cups.tickets[0]!);
    expect(cupsRelay.jobs()).toEqual([hub.bytes]);
  });

  it('paper out on the serial line: the shell says so in Vietnamese, and the admin sees it on the kiosk printer', async () => {
    const setting: PrinterSetting = { type: 'serial', path: pair.kiosk, baudRate: 115200, paperWidth: PAPER };
    const printer = kioskPrinter(setting)!;
    atKiosk.serial.set({ paperOut: true });
    try {
      const status = unwrap(await handlePrinterStatus(printer));
      expect(status.state).toBe('paper_out');
      expect(status.message).toContain('hết giấy nên chưa lấy được số');
      unwrap(await kioskB.send('printer:report', { ...printerInfo(setting)!, state: status.state, message: status.message }));
      const seen = unwrap(await bossB.send('printer:status', { kioskId: deviceId }));
      expect(seen).toMatchObject({ kioskId: deviceId, type: 'kiosk', connection: 'serial', state: 'paper_out' });
      // A job the roll ran out in (DLE EOT 4 after it says paper end) is not printed, in Vietnamese.
      const job = lastJob!;
      const result = unwrap(await handlePrintJob({ ticketId: job.ticketId, title: job.title, bytes: job.bytes }, printer));
      expect(result).toEqual({ printed: false, state: 'paper_out', message: expect.stringContaining('hết giấy') });
    } finally {
      atKiosk.serial.set({ paperOut: false });
    }
  });
});
