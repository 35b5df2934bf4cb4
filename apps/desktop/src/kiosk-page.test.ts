import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { JobPrinter } from '@xephang/printer/connections';
import { FakePrinter } from '@xephang/printer/testing';
import { ok, type PairReply, type PrinterState } from '@xephang/protocol';
import {
  admin,
  kioskPrinterSeen,
  openAdminPrinters,
  openShellKiosk,
  pairKiosk,
  ptyPair,
  readDb,
  rid,
  screenshotPath,
  startCups,
  ticketCount,
  unwrap,
  type CupsRig,
  type PtyPair,
} from '@xephang/testing';
import { stage } from '@xephang/testing/stage';
import type { Page } from 'playwright-core';
import type { PrinterSetting } from './config';
import { handlePrinterStatus, handlePrintJob, kioskPrinter, printerInfo, type KioskPrinterDeps } from './print';

/**
 * The hub's kiosk page in Chromium as it runs inside the desktop shell (Electron cannot run
 * here): `window.xephang` is bridged by `page.exposeFunction` to the REAL print module of the
 * shell (print.ts: kioskPrinter, printerInfo, handlePrinterStatus, handlePrintJob), which talks to
 * the fake ESC/POS printer over TCP, over a serial line (a pseudo-terminal pair), and through a
 * private CUPS spooler. Only the IPC hop between the page and the main process is left out: the
 * bytes the page hands over are copied as an array of numbers, as structured clone would.
 */

const s = stage(['--demo', '--kiosk-burst', '0']);
/** The QR carries the number, so a decoded job names its ticket. */
const QR = 'https://xephang.invalid/t/{number}';

/** One kiosk with its own printer attached one way. */
interface Rig {
  label: string;
  setting: Exclude<PrinterSetting, { type: 'none' }>;
  deps: KioskPrinterDeps;
  fake: FakePrinter;
  /** The roll runs out (or, for a spooler, its queue stops: all a spooler can tell). */
  paperOut(): Promise<void>;
  paperBack(): Promise<void>;
  /** The state the admin sees while `paperOut`. */
  outState: PrinterState;
  /** What the kiosk's message says while `paperOut`. */
  outWords: RegExp;
  /** Its kiosk page, open until the file ends (the admin's test print reaches only a connected kiosk). */
  page?: Page;
  stop(): Promise<void>;
}

let boss: HubClient;
const rigs: Rig[] = [];

beforeAll(async () => {
  boss = await admin(s.hub);
  unwrap(await boss.send('printer:setTicketText', { footer: 'Xin cảm ơn quý khách!', qr: QR }));
});
afterAll(async () => {
  boss?.close();
  for (const rig of rigs) {
    await rig.page?.close();
    await rig.stop();
  }
});

/** A printer that answers DLE EOT: its paper sensor says the roll ran out. */
function paperSensor(fake: FakePrinter): Pick<Rig, 'fake' | 'paperOut' | 'paperBack' | 'outState' | 'outWords'> {
  return {
    fake,
    paperOut: async () => fake.set({ paperOut: true }),
    paperBack: async () => fake.set({ paperOut: false }),
    outState: 'paper_out',
    outWords: /hết giấy/,
  };
}

async function tcpRig(): Promise<Rig> {
  const fake = new FakePrinter(384);
  await fake.start();
  return {
    label: 'Ki-ốt TCP',
    setting: { type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 58 },
    deps: {},
    ...paperSensor(fake),
    stop: () => fake.stop(),
  };
}

async function serialRig(): Promise<Rig> {
  const fake = new FakePrinter(576);
  const line: PtyPair = await ptyPair();
  const unserve = await fake.servePath(line.printer);
  return {
    label: 'Ki-ốt cổng COM',
    setting: { type: 'serial', path: line.kiosk, baudRate: 9600, paperWidth: 80 },
    deps: {},
    ...paperSensor(fake),
    stop: async () => {
      await unserve();
      await line.stop();
    },
  };
}

async function cupsRig(): Promise<Rig> {
  const fake = new FakePrinter(576);
  await fake.start();
  const cups: CupsRig = await startCups();
  await cups.addRawQueue('xephang-kiosk', `socket://127.0.0.1:${fake.port}`);
  return {
    label: 'Ki-ốt CUPS',
    setting: { type: 'system', name: 'xephang-kiosk', paperWidth: 80 },
    deps: { platform: 'linux', cupsServer: cups.server },
    fake,
    // A spooler does not carry the printer's paper sensor back: a stopped queue is what it knows.
    paperOut: async () => void (await cups.client('cupsdisable', ['xephang-kiosk'])),
    paperBack: async () => void (await cups.client('cupsenable', ['xephang-kiosk'])),
    outState: 'offline',
    outWords: /đang dừng/,
    stop: async () => {
      await cups.stop();
      await fake.stop();
    },
  };
}

/** The kiosk page as the shell opens it, its bridge answered by the shell's print module for `rig`. */
function openKiosk(rig: Rig, token: string): Promise<Page> {
  // One printer per saved setting, as the shell's main process keeps it.
  const printer: JobPrinter | undefined = kioskPrinter(rig.setting, rig.deps);
  return openShellKiosk(s.browser, s.hub.url, token, {
    printer: async () => ok(printerInfo(rig.setting, rig.deps)),
    printerStatus: () => handlePrinterStatus(printer),
    printJob: (job) => handlePrintJob(job, printer),
  });
}

const waitForState = (deviceId: string, state: PrinterState) => kioskPrinterSeen(boss, deviceId, state);

/** The preview PNGs the hub drew so far (the default printer of a kiosk without its own). */
function previews(): string[] {
  const dir = join(s.hub.dataDir, 'tickets');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function storedTicket(number: number): { id: string } | undefined {
  const db = readDb(s.hub);
  try {
    return db.prepare('SELECT id FROM tickets WHERE number = ?').get(number) as { id: string } | undefined;
  } finally {
    db.close();
  }
}

/** A citizen's tap on civil status; the number the kiosk shows. */
async function tapCivil(page: Page): Promise<number> {
  await page.click('[data-service="civil"]');
  await page.waitForSelector('[data-testid="ticket-number"]');
  return Number(await page.locator('[data-testid="ticket-number"]').innerText());
}

describe.each([
  ['TCP 9100', tcpRig],
  ['a serial line (pseudo-terminal pair)', serialRig],
  ['a CUPS raw queue', cupsRig],
])('the kiosk page in the shell, its printer on %s', (_name, make) => {
  let rig: Rig;
  let paired: PairReply;
  let page: Page;
  let issued: { id: string; number: number } | undefined;
  beforeAll(async () => {
    rig = await make();
    rigs.push(rig);
    paired = await pairKiosk(s.hub.url, boss, rig.label);
    page = await openKiosk(rig, paired.token);
    rig.page = page;
  });

  it('reports its printer on load: the admin lists it as the kiosk\'s own', async () => {
    const status = await waitForState(paired.deviceId, rig.setting.type === 'system' ? 'no_status' : 'ok');
    const info = printerInfo(rig.setting, rig.deps)!;
    expect(status).toMatchObject({ kioskId: paired.deviceId, type: 'kiosk', connection: info.connection, address: info.name, paperWidth: info.paperWidth });
    expect(unwrap(await boss.send('printer:list', {})).printers).toContainEqual(
      expect.objectContaining({ kioskId: paired.deviceId, type: 'kiosk', connection: info.connection, address: info.name }),
    );
  });

  it('prints a citizen\'s ticket on the kiosk\'s own printer: the number in its QR, drawn for its paper, cut', async () => {
    const before = rig.fake.tickets.length;
    const previewsBefore = previews();
    const number = await tapCivil(page);
    await rig.fake.waitForTickets(before + 1, 20_000);
    const status = page.locator('[data-testid="print-status"]');
    expect(await status.getAttribute('class')).toBe('ticket-print');
    const paper = rig.fake.tickets.at(-1)!;
    expect(paper.qr).toEqual([QR.replace('{number}', String(number))]);
    expect(paper.cut).toBe('full');
    expect(paper.rasters.every((r) => r.width === (rig.setting.paperWidth === 58 ? 384 : 576))).toBe(true);
    const stored = storedTicket(number);
    expect(stored).toBeDefined();
    issued = { id: stored!.id, number };
    // Nothing was drawn anywhere else: no preview of it on the hub.
    expect(previews()).toEqual(previewsBefore);
    await page.click('[data-testid="done"]');
  });

  it('issues no number while the paper is out, says so in Vietnamese (English beside it), and the admin sees it', async () => {
    await page.waitForSelector('[data-service="civil"]');
    await rig.paperOut();
    const count = ticketCount(s.hub);
    await page.click('[data-service="civil"]');
    const fault = page.locator('[data-testid="kiosk-printer-fault"]');
    await fault.waitFor();
    expect(await fault.locator('[lang="vi"]').innerText()).toMatch(rig.outWords);
    expect(await fault.locator('[lang="en"]').innerText()).toMatch(/^The ticket printer (is out of paper|is not connected)\. Please ask the staff\.$/);
    expect(await fault.getAttribute('data-state')).toBe(rig.outState);
    expect(await page.locator('[data-testid="ticket-number"]').count()).toBe(0);
    expect(ticketCount(s.hub)).toBe(count);
    if (rig.setting.type === 'tcp') {
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: screenshotPath('kiosk-printer-out.png') });
    }
    const seen = await waitForState(paired.deviceId, rig.outState);
    expect(seen.message).toMatch(rig.outWords);
    await rig.paperBack();
  });

  it('prints the admin\'s reprint of that kiosk\'s ticket on that kiosk\'s printer', async () => {
    expect(issued).toBeDefined();
    const before = rig.fake.tickets.length;
    const reply = unwrap(await boss.send('ticket:reprint', { requestId: rid(), ticketId: issued!.id }));
    expect(reply).toMatchObject({ ticketId: issued!.id, number: issued!.number, printed: true });
    await rig.fake.waitForTickets(before + 1, 20_000);
    expect(rig.fake.tickets.at(-1)!.qr).toEqual([QR.replace('{number}', String(issued!.number))]);
  });
});

describe('the admin\'s printers panel with the kiosks\' own printers', () => {
  it('shows each kiosk printer, how it is attached, its state and when reported; test-prints it at the kiosk', async () => {
    expect(rigs.length).toBe(3);
    const page = await openAdminPrinters(s.browser, s.hub.url, 1000);
    const rows = page.locator('[data-testid="printers"] tr[data-type="kiosk"]');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    const tcp = page.locator('tr[data-type="kiosk"]', { hasText: 'Ki-ốt TCP' });
    expect(await tcp.innerText()).toContain('Máy in gắn vào ki-ốt');
    expect(await tcp.locator('[data-testid="printer-connection"]').innerText()).toBe('mạng (TCP 9100)');
    expect(await tcp.locator('button:text-is("Sửa")').count()).toBe(0);
    await tcp.locator('[data-testid="printer-reported"]').waitFor();
    expect(await tcp.locator('[data-testid="printer-reported"]').innerText()).toMatch(/ki-ốt báo lúc \d\d:\d\d/);
    const cups = page.locator('tr[data-type="kiosk"]', { hasText: 'Ki-ốt CUPS' });
    expect(await cups.locator('[data-testid="printer-connection"]').innerText()).toBe('máy in của Windows/CUPS, theo tên');
    expect(await cups.locator('[data-testid="printer-name"]').innerText()).toBe('CUPS: xephang-kiosk');

    const fake = rigs[0]!.fake;
    const before = fake.tickets.length;
    await tcp.locator('button:text-is("In thử")').click();
    const result = tcp.locator('[data-testid="printer-test-result"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toBe('Ki-ốt "Ki-ốt TCP" đã in thử phiếu.');
    await fake.waitForTickets(before + 1, 20_000);
    expect(await result.getAttribute('class')).not.toContain('field-error');

    // The serial printer's roll runs low: the next citizen's ticket prints with a warning, and the
    // admin's page follows without a click.
    const serial = rigs[1]!;
    serial.fake.set({ paperNearEnd: true });
    if (await serial.page!.locator('[data-testid="done"]').isVisible()) await serial.page!.click('[data-testid="done"]');
    await serial.page!.click('[data-service="land"]');
    await serial.page!.locator('[data-testid="paper-low"]').waitFor();
    expect(await serial.page!.locator('[data-testid="print-status"]').getAttribute('class')).toBe('ticket-print');
    const row = page.locator('tr[data-type="kiosk"]', { hasText: 'Ki-ốt cổng COM' });
    await row.locator('.printer-state[data-state="paper_near_end"]:text-is("Sắp hết giấy")').waitFor({ timeout: 15_000 });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: screenshotPath('admin-printers-kiosk.png'), fullPage: true });
    await page.close();
  });
});
