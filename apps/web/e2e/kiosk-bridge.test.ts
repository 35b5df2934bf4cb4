import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { EscPosDecoder, type DecodedTicket } from '@xephang/printer/testing';
import { fail, ok, type Ack, type DesktopBridge, type DesktopPrinterStatus, type DesktopPrintResult, type KioskPrinterInfo, type PairReply, type PrinterState, UNPAIRED_KIOSK_ID } from '@xephang/protocol';
import { admin, kioskPrinterSeen, openAdminPrinters, openShellKiosk, pairKiosk, rid, startHubProcess, ticketCount, unwrap } from '@xephang/testing';
import { offline, online, stage } from '@xephang/testing/stage';

/**
 * The kiosk inside the desktop shell, in Chromium (Electron cannot run here): `window.xephang`
 * is the DesktopBridge of @xephang/protocol, answered from Node as the shell's main process
 * answers, with states a real printer is hard to put in on demand (near end, a print lost on the
 * way, a shell that fails). The real shell print module on real transports is
 * apps/desktop/src/kiosk-page.test.ts.
 */

const s = stage(['--demo', '--kiosk-burst', '0']);
const QR = 'https://xephang.invalid/t/{number}';
const PRINTER: KioskPrinterInfo = { connection: 'system', name: 'Windows: EPSON TM-T82III Receipt', paperWidth: 80 };
const STATUS = {
  ok: { state: 'ok', message: 'Máy in sẵn sàng.' },
  nearEnd: { state: 'paper_near_end', message: 'Máy in sắp hết giấy: hãy chuẩn bị thay cuộn giấy mới.' },
  coverOpen: { state: 'cover_open', message: 'Nắp máy in đang mở nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.' },
} satisfies Record<string, DesktopPrinterStatus>;

/** What the stubbed shell says, and what it was handed. */
const shell = {
  status: STATUS.ok as DesktopPrinterStatus,
  result: ok({ printed: true, state: 'ok', message: '' }) as Ack<DesktopPrintResult>,
  statusAsked: 0,
  jobs: [] as { ticketId: string; title: string; bytes: Buffer }[],
};

let boss: HubClient;
let paired: PairReply;
beforeAll(async () => {
  boss = await admin(s.hub);
  unwrap(await boss.send('printer:setTicketText', { footer: 'Xin cảm ơn!', qr: QR }));
  paired = await pairKiosk(s.hub.url, boss, 'Ki-ốt sảnh chính');
});
afterAll(() => boss?.close());

/** The shell's answers, from `shell` as the test sets it. */
const bridge: DesktopBridge = {
  printer: async () => ok(PRINTER),
  printerStatus: async () => {
    shell.statusAsked++;
    return ok(shell.status);
  },
  printJob: async (job) => {
    shell.jobs.push({ ticketId: job.ticketId, title: job.title, bytes: Buffer.from(job.bytes as Uint8Array) });
    return shell.result;
  },
};
const openKiosk = () => openShellKiosk(s.browser, s.hub.url, paired.token, bridge);

/** The tickets in a job the shell was handed, decoded as a printer would. */
function decode(bytes: Buffer): DecodedTicket[] {
  const tickets: DecodedTicket[] = [];
  new EscPosDecoder(576, () => undefined, (t) => tickets.push(t)).push(bytes);
  return tickets;
}

const adminSees = (state: PrinterState, timeoutMs?: number) => kioskPrinterSeen(boss, paired.deviceId, state, timeoutMs);

describe('the kiosk in the desktop shell prints on its own printer', () => {
  it('asks the printer first: with the cover open it issues nothing, in Vietnamese with English beside it, in either language', async () => {
    const page = await openKiosk();
    shell.status = STATUS.coverOpen;
    const count = ticketCount(s.hub);
    await page.click('[data-service="civil"]');
    const fault = page.locator('[data-testid="kiosk-printer-fault"]');
    await fault.waitFor();
    expect(await fault.locator('[lang="vi"]').innerText()).toBe(STATUS.coverOpen.message);
    expect(await fault.locator('[lang="en"]').innerText()).toBe("The ticket printer's cover is open. Please ask the staff.");
    await page.click('button.lang');
    await page.click('[data-service="land"]');
    await fault.waitFor();
    expect(await fault.locator('[lang="en"]').innerText()).toBe("The ticket printer's cover is open. Please ask the staff.");
    expect(ticketCount(s.hub)).toBe(count);
    expect(shell.jobs).toHaveLength(0);
    shell.status = STATUS.ok;
    await page.close();
  });

  it('hands the shell the job the hub drew (ESC/POS, its QR naming the number) and warns when the paper is near its end', async () => {
    const page = await openKiosk();
    shell.status = STATUS.nearEnd;
    shell.result = ok({ printed: true, state: 'paper_near_end', message: STATUS.nearEnd.message });
    await page.click('[data-service="civil"]');
    await page.waitForSelector('[data-testid="ticket-number"]');
    const number = Number(await page.locator('[data-testid="ticket-number"]').innerText());
    expect(await page.locator('[data-testid="print-status"]').getAttribute('class')).toBe('ticket-print');
    expect(await page.locator('[data-testid="paper-low"]').innerText()).toBe('Máy in sắp hết giấy.');
    const job = shell.jobs.at(-1)!;
    expect([...job.bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect(job.title).toContain(String(number));
    const [paper] = decode(job.bytes);
    expect(paper!.qr).toEqual([QR.replace('{number}', String(number))]);
    expect(paper!.cut).toBe('full');
    expect((await adminSees('paper_near_end')).address).toBe(PRINTER.name);
    shell.status = STATUS.ok;
    shell.result = ok({ printed: true, state: 'ok', message: '' });
    await page.close();
  });

  it('keeps the number on screen and asks the citizen to note it when the shell could not print', async () => {
    const page = await openKiosk();
    for (const result of [
      ok({ printed: false, state: 'failed', message: 'Phiếu chưa in được: hết thời gian chờ máy in.' }),
      fail('internal', 'Lỗi khi in phiếu: EPIPE'),
    ] as Ack<DesktopPrintResult>[]) {
      shell.result = result;
      const count = ticketCount(s.hub);
      await page.click('[data-service="civil"]');
      await page.waitForSelector('[data-testid="ticket-number"]');
      const line = page.locator('[data-testid="print-status"]');
      expect(await line.getAttribute('class')).toBe('ticket-print failed');
      expect(await line.innerText()).toContain('ghi lại số này');
      expect(await line.innerText()).toContain(result.ok ? result.data.message : result.error.message);
      expect(ticketCount(s.hub)).toBe(count + 1);
      await page.click('[data-testid="done"]');
      await page.waitForSelector('[data-service="civil"]');
    }
    shell.result = ok({ printed: true, state: 'ok', message: '' });
    await page.close();
  });

  it('prints the admin\'s test print the hub pushes, and the admin hears how it came out', async () => {
    const page = await openKiosk();
    await adminSees('ok');
    const before = shell.jobs.length;
    const reply = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: paired.deviceId }));
    expect(reply.printed).toBe(true);
    expect(shell.jobs).toHaveLength(before + 1);
    shell.result = ok({ printed: false, state: 'cover_open', message: STATUS.coverOpen.message });
    const refused = unwrap(await boss.send('printer:test', { requestId: rid(), kioskId: paired.deviceId }));
    expect(refused.printed).toBe(false);
    expect(refused.message).toContain('Nắp máy in đang mở');
    shell.result = ok({ printed: true, state: 'ok', message: '' });
    await page.close();
  });

  it('on the hub\'s own PC (not paired) its printer is kept in memory and named so on the admin\'s page', async () => {
    const page = await openShellKiosk(s.browser, s.hub.url, '', bridge);
    await kioskPrinterSeen(boss, UNPAIRED_KIOSK_ID, 'ok');
    const admin = await openAdminPrinters(s.browser, s.hub.url);
    const row = admin.locator(`tr[data-printer="${UNPAIRED_KIOSK_ID}"][data-type="kiosk"]`);
    await row.waitFor();
    expect(await row.locator('td').first().innerText()).toBe('Ki-ốt trên máy chủ (chưa ghép nối)');
    expect(await row.locator('[data-testid="printer-name"]').innerText()).toBe(PRINTER.name);
    expect(await row.locator('[data-testid="printer-connection"]').innerText()).toBe('máy in của Windows/CUPS, theo tên');
    await row.locator('.printer-state[data-state="ok"]').waitFor();
    await admin.close();
    await page.close();
  });

  it('asks and reports its printer again as soon as the hub is back', async () => {
    const page = await openKiosk();
    await adminSees('ok');
    await s.hub.kill();
    await offline(page);
    // The roll ran low while the hub was down: the admin hears it on reconnection, not 30 s later.
    shell.status = STATUS.nearEnd;
    const asked = shell.statusAsked;
    s.hub = await startHubProcess({ dataDir: s.hub.dataDir, port: s.hub.port, args: ['--demo', '--kiosk-burst', '0'] });
    boss.close();
    boss = await admin(s.hub);
    await online(page);
    await adminSees('paper_near_end', 10_000);
    expect(shell.statusAsked).toBeGreaterThan(asked);
    shell.status = STATUS.ok;
    await page.close();
  });
});
