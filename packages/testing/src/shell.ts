import type { HubClient } from '@xephang/client';
import type { Ack, DesktopBridge, PairReply, PrinterState, PrinterStatusView } from '@xephang/protocol';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD } from './hub-process';

// The hub's kiosk page as the desktop shell shows it, for Chromium tests (Electron cannot run
// here): `window.xephang` answered in Node, by a stub or by the shell's own print module.

/**
 * Opens `/kiosk#token=…` with `window.xephang` answered by `shell` in Node. The job's bytes cross
 * as an array of numbers and reach `shell.printJob` as a Uint8Array, as Electron's IPC would
 * deliver them to the main process.
 */
export async function openShellKiosk(browser: Browser, hubUrl: string, token: string, shell: DesktopBridge): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN' });
  await page.exposeFunction('xephangShell', (method: string, job?: { ticketId: string; title: string; bytes: number[] }) => {
    if (method === 'printer') return shell.printer();
    if (method === 'printerStatus') return shell.printerStatus();
    return shell.printJob({ ticketId: job!.ticketId, title: job!.title, bytes: Uint8Array.from(job!.bytes) });
  });
  await page.addInitScript(() => {
    const call = (window as unknown as { xephangShell: (m: string, a?: unknown) => Promise<unknown> }).xephangShell;
    Object.assign(window, {
      xephang: {
        printer: () => call('printer'),
        printerStatus: () => call('printerStatus'),
        printJob: (job: { ticketId: string; title: string; bytes: ArrayBuffer | Uint8Array }) =>
          call('printJob', { ticketId: job.ticketId, title: job.title, bytes: Array.from(job.bytes instanceof ArrayBuffer ? new Uint8Array(job.bytes) : job.bytes) }),
      },
    });
  });
  await page.goto(`${hubUrl}/kiosk#token=${token}`);
  await page.waitForSelector('[data-testid="connection"][data-online="true"]');
  return page;
}

/** Pairs a kiosk named `name` through the admin's code and POST /api/pair, as the shell's setup does. */
export async function pairKiosk(hubUrl: string, admin: HubClient, name: string): Promise<PairReply> {
  const created = await admin.send('pairing:create', { role: 'kiosk' });
  if (!created.ok) throw new Error(created.error.message);
  const res = await fetch(`${hubUrl}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: created.data.code, name }) });
  if (res.status !== 200) throw new Error(`pairing ${name}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: PairReply }).data;
}

/**
 * Asks the hub (printer:status, as the admin page does) until the kiosk's own printer is reported
 * in `state`; resolves with what the admin sees.
 * @throws Error with the last answer when it never did within `timeoutMs`.
 */
export async function kioskPrinterSeen(admin: HubClient, kioskId: string, state: PrinterState, timeoutMs = 15_000): Promise<PrinterStatusView> {
  const deadline = Date.now() + timeoutMs;
  let last: Ack<PrinterStatusView> | undefined;
  while (Date.now() < deadline) {
    last = await admin.send('printer:status', { kioskId });
    if (last.ok && last.data.type === 'kiosk' && last.data.state === state) return last.data;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the admin never saw kiosk ${kioskId}'s own printer as ${state}: ${JSON.stringify(last)}`);
}

/** The admin page's printers (the devices tab), logged in through its form as an admin would. */
export async function openAdminPrinters(browser: Browser, hubUrl: string, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height }, locale: 'vi-VN' });
  await page.goto(`${hubUrl}/admin?tab=devices`);
  await page.fill('input[aria-label="Họ và tên"]', 'Lê Văn Tâm');
  await page.fill('input[aria-label="Mật khẩu quản trị"]', ADMIN_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="connection"][data-online="true"]');
  await page.waitForSelector('[data-testid="printers"] tr[data-printer="*"]');
  return page;
}
