import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { FakePrinter } from '@xephang/printer/testing';
import { fail, ok, type Ack } from '@xephang/protocol';
import { admin, screenshotPath, unwrap } from '@xephang/testing';
import { startCups, type CupsRig } from '@xephang/testing/cups';
import { stage } from '@xephang/testing/stage';
import type { LocalBridge, LocalPageState } from './bridge';
import { drawTestTickets } from './build/draw-test-tickets';
import { CHANNELS, parseIpc, type FinishSetupRequest } from './ipc';
import { checkHub, pairWithHub } from './pairing';
import { handleTestPrint } from './print';
import { listSerialPorts, listSystemPrinters } from './printer-lists';
import { normalizeHubUrl } from './screens';
import { loadTestTicket } from './test-ticket';

/**
 * The desktop shell's setup page (apps/desktop/static/setup.html) in Chromium, since Electron
 * cannot run here. Its bridge (`window.xephangLocal`) is stubbed by functions that run the
 * shell's own modules in Node against a real hub: the same checks and the same POST /api/pair
 * the main process makes. Pairing codes now have 8 digits, and the hub caps wrong guesses.
 */

const SETUP_PAGE = pathToFileURL(resolve(__dirname, '../static/setup.html')).toString();
const s = stage(['--demo', '--no-trust-loopback']);

/** What the stubbed main process was asked to pair, and with what result. */
const pairings: Ack<unknown>[] = [];
/** The setups the stubbed main process was asked to save. */
const setups: FinishSetupRequest[] = [];

// The kiosk's printers: a fake ESC/POS printer on TCP, and behind a raw queue of a private cupsd.
const fake = new FakePrinter(576);
let cups: CupsRig;
let scratch: string;
beforeAll(async () => {
  await fake.start();
  cups = await startCups();
  await cups.addRawQueue('xephang-kiosk', `socket://127.0.0.1:${fake.port}`);
  scratch = mkdtempSync(join(tmpdir(), 'xephang-setup-page-'));
  drawTestTickets(join(scratch, 'tickets'));
  mkdirSync(join(scratch, 'dev-usb'));
});
afterAll(async () => {
  await cups?.stop();
  await fake.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const FIRST_RUN: LocalPageState = { page: 'setup', current: null, problem: null, hostName: 'may-tv-phong-cho' };
/** What the stubbed main process says the page is showing for: first run unless a test says otherwise. */
let state = FIRST_RUN;

/** The bridge's methods, as main.ts answers them (without saving a file or restarting). */
const bridge: { [K in keyof LocalBridge]: (arg: never) => Promise<unknown> } = {
  state: async () => state,
  discover: async () => ok([]),
  checkHub: async (address: string) => {
    try {
      return await checkHub(normalizeHubUrl(address));
    } catch (error) {
      return fail('invalid_payload', (error as Error).message);
    }
  },
  listUsbPrinters: async () => ok([{ vendorId: 0x0416, productId: 0x5011, label: 'Máy in USB 0416:5011' }]),
  // The real lists: CUPS's queues from the private cupsd; serialport's list is stood in for (no
  // COM port here), the /dev/usb scan is real on an empty folder.
  listSystemPrinters: async () => listSystemPrinters({ platform: 'linux', cupsServer: cups.server }),
  listSerialPorts: async () =>
    listSerialPorts({ serialPorts: async () => [{ path: '/dev/ttyUSB0', manufacturer: 'wch.cn', vendorId: '1a86', productId: '7523' }], devDir: join(scratch, 'dev-usb') }),
  // The real test print, as the main process runs it (no USB printer plugged in here).
  testPrint: async (printer: unknown) =>
    handleTestPrint({ printer }, { platform: 'linux', cupsServer: cups.server, usb: () => undefined, testTicket: (w) => loadTestTicket(w, join(scratch, 'tickets')) }),
  finishSetup: async (payload: unknown) => {
    const parsed = parseIpc(CHANNELS.finishSetup, payload);
    if (!parsed.ok) return parsed;
    const r = parsed.data;
    setups.push(r);
    const paired = await pairWithHub(normalizeHubUrl(r.hubUrl), { code: r.pairingCode, name: r.deviceName, role: r.role, counterId: r.counterId });
    pairings.push(paired);
    return paired.ok ? ok({ restarting: true }) : paired;
  },
  adminUnlock: async () => fail('forbidden', 'không dùng trong bài kiểm tra này'),
};

/** The setup page with its bridge stubbed, loaded. */
async function loadSetup(): Promise<Page> {
  const page = await s.browser.newPage({ viewport: { width: 900, height: 1200 }, locale: 'vi-VN' });
  await page.exposeFunction('xephangStub', (method: keyof LocalBridge, arg: never) => bridge[method](arg));
  await page.addInitScript(() => {
    const call = (method: string) => (arg?: unknown) => (window as unknown as { xephangStub: (m: string, a: unknown) => Promise<unknown> }).xephangStub(method, arg);
    Object.assign(window, {
      xephangLocal: Object.fromEntries(
        ['state', 'discover', 'checkHub', 'listUsbPrinters', 'listSystemPrinters', 'listSerialPorts', 'testPrint', 'finishSetup', 'adminUnlock'].map((m) => [m, call(m)]),
      ),
    });
  });
  await page.goto(SETUP_PAGE);
  return page;
}

/** First run: finds no hub, is pointed at the test's, and is given a role and a PIN. */
async function openSetup(role: 'display' | 'kiosk' = 'display'): Promise<Page> {
  const page = await loadSetup();
  await page.waitForSelector('#discover-status:has-text("Không tìm thấy")');
  await page.fill('#manual', s.hub.url);
  await page.click('#check');
  await page.waitForSelector('#hub-status.ok');
  await page.check(`input[name=role][value=${role}]`);
  await page.fill('#pin', '2468');
  await page.fill('#pin2', '2468');
  return page;
}

/** Types `code`, saves, and returns what the page then says. */
async function save(page: Page, code: string): Promise<string> {
  await page.fill('#code', code);
  await page.evaluate(() => (document.getElementById('save-status')!.textContent = ''));
  await page.click('#save');
  await page.waitForFunction(() => {
    const t = document.getElementById('save-status')!.textContent ?? '';
    return t !== '' && !t.startsWith('Đang lưu');
  });
  return (await page.textContent('#save-status')) ?? '';
}

it('pairs a TV with an 8-digit code typed in groups, and tells the technician what went wrong otherwise', async () => {
  const a = await admin(s.hub);
  const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
  expect(code).toMatch(/^\d{8}$/);
  const page = await openSetup();
  expect(await page.textContent('#pair-hint')).toMatch(/8 chữ số/);

  // An old 6-digit code is refused before anything is sent.
  expect(await save(page, '123456')).toMatch(/mã ghép nối gồm 8 chữ số/);
  expect(pairings).toHaveLength(0);
  // A wrong code reaches the hub and comes back in Vietnamese.
  expect(await save(page, '0000 0000')).toMatch(/Mã ghép nối sai hoặc đã hết hạn/);
  // The right one, as a person copies it: "1234 5678".
  expect(await save(page, `${code.slice(0, 4)} ${code.slice(4)}`)).toMatch(/Đã lưu/);
  expect(pairings.at(-1)).toMatchObject({ ok: true, data: { role: 'display', counterId: null } });
  expect(unwrap(await a.send('device:list', {}))).toEqual([expect.objectContaining({ role: 'display', name: 'may-tv-phong-cho' })]);
  await page.close();
  a.close();
});

/** Presses "In thử" and returns what the page then says: the result, and the printer's state. */
async function testPrint(page: Page): Promise<{ result: string; state: string; kind: string }> {
  await page.evaluate(() => (document.getElementById('test-status')!.textContent = ''));
  await page.click('#test-print');
  await page.waitForFunction(() => {
    const t = document.getElementById('test-status')!.textContent ?? '';
    return t !== '' && !t.startsWith('Đang in thử');
  });
  return {
    result: (await page.textContent('#test-status')) ?? '',
    state: (await page.textContent('#test-state')) ?? '',
    kind: (await page.getAttribute('#test-status', 'class')) ?? '',
  };
}

it('sets up a kiosk\'s own printer: each connection, its list, a test print, and what the printer says', async () => {
  const a = await admin(s.hub);
  const page = await openSetup('kiosk');
  expect(await page.isVisible('#printer-section')).toBe(true);
  expect(await page.isChecked('input[name=printer][value=none]')).toBe(true);
  expect(await page.textContent('#test-print')).toBe('In thử / Test print');
  expect(await testPrint(page)).toMatchObject({ result: 'Hãy chọn một máy in trước khi in thử.', kind: 'error' });

  // The operating system's printer by name: the private cupsd's raw queue, listed.
  await page.check('input[name=printer][value=system]');
  await page.waitForSelector('#system-list option[value="xephang-kiosk"]', { state: 'attached' });
  expect(await page.isVisible('#usb-row')).toBe(false);
  expect(await page.textContent('#system-detail')).toContain(`hàng đợi CUPS → socket://127.0.0.1:${fake.port}`);
  expect(await page.textContent('#system-detail')).toContain('không biết máy in còn giấy hay không');
  const viaCups = await testPrint(page);
  expect(viaCups).toEqual({
    result: 'Đã gửi phiếu in thử tới máy in; hãy xem phiếu có ra không.',
    state: expect.stringMatching(/^Trạng thái máy in: không biết \(máy in không trả lời trạng thái qua cách kết nối này\)\. Hàng đợi in "xephang-kiosk" sẵn sàng nhận phiếu\. CUPS không biết giấy còn hay hết/),
    kind: 'ok',
  });
  await fake.waitForTickets(1);
  expect(fake.tickets[0]!.qr).toEqual(['https://xephang.invalid/self-test']);
  await page.locator('#printer-section').screenshot({ path: screenshotPath('desktop-setup-printer.png') });

  // A network printer: it answers DLE EOT, so the paper is known.
  await page.check('input[name=printer][value=tcp]');
  expect(await page.isVisible('#system-row')).toBe(false);
  await page.fill('#tcp-host', '127.0.0.1');
  await page.fill('#tcp-port', String(fake.port));
  await page.selectOption('#paper', '58');
  expect(await testPrint(page)).toEqual({ result: 'Đã in phiếu in thử.', state: 'Trạng thái máy in: sẵn sàng. Máy in sẵn sàng.', kind: 'ok' });
  await fake.waitForTickets(2);
  expect(fake.tickets[1]!.rasters.every((r) => r.width <= 384)).toBe(true);
  fake.set({ paperOut: true });
  expect(await testPrint(page)).toEqual({
    result: 'Chưa in thử: máy in chưa sẵn sàng (xem trạng thái bên dưới).',
    state: 'Trạng thái máy in: hết giấy. Máy in đã hết giấy nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn để thay giấy.',
    kind: 'error',
  });
  await page.locator('#printer-section').screenshot({ path: screenshotPath('desktop-setup-printer-paper-out.png') });
  fake.set({ paperOut: false });
  expect(fake.tickets).toHaveLength(2);

  // A serial line: picked from the list or typed, with its baud rate; none is plugged in here.
  await page.check('input[name=printer][value=serial]');
  await page.waitForSelector('#serial-list option[value="/dev/ttyUSB0"]', { state: 'attached' });
  expect(await page.textContent('#serial-list option[value="/dev/ttyUSB0"]')).toBe('/dev/ttyUSB0 (wch.cn 1a86:7523)');
  await page.selectOption('#serial-list', '/dev/ttyUSB0');
  expect(await page.inputValue('#serial-path')).toBe('/dev/ttyUSB0');
  await page.selectOption('#baud', '19200');
  const noPort = await testPrint(page);
  expect(noPort.result).toBe('Chưa in thử: máy in chưa sẵn sàng (xem trạng thái bên dưới).');
  expect(noPort.state).toContain('Trạng thái máy in: không kết nối.');
  expect(noPort.state).toContain('Không tìm thấy cổng /dev/ttyUSB0');
  await page.fill('#serial-path', 'COM3 & calc');
  expect(await testPrint(page)).toMatchObject({ result: expect.stringContaining('printer.path: cổng COM (COM3) hoặc đường dẫn /dev/ttyUSB0'), kind: 'error' });
  await page.fill('#serial-path', '');
  expect(await testPrint(page)).toMatchObject({ result: 'Hãy chọn hoặc nhập tên cổng COM (COM3) hay đường dẫn (/dev/ttyUSB0).', kind: 'error' });

  // USB through libusb, for a printer with no driver: the page says what it costs on Windows.
  await page.check('input[name=printer][value=usb]');
  await page.waitForSelector('#usb-list option[value="1046:20497"]', { state: 'attached' });
  expect(await page.textContent('#usb-hint')).toContain('Zadig');
  await page.selectOption('#usb-list', '1046:20497');
  const noUsb = await testPrint(page);
  expect(noUsb.state).toContain('Không thấy máy in USB (usb:0416:5011)');

  // Saved: the queue by name, on 58 mm paper.
  await page.check('input[name=printer][value=system]');
  const { code } = unwrap(await a.send('pairing:create', { role: 'kiosk' }));
  expect(await save(page, code)).toMatch(/Đã lưu/);
  expect(setups.at(-1)!.printer).toEqual({ type: 'system', name: 'xephang-kiosk', paperWidth: 58 });
  expect(fake.tickets).toHaveLength(2);
  await page.close();
  a.close();
});

it('reopened on a kiosk, shows its saved printer: a COM port with its baud rate, or a queue no longer listed', async () => {
  const saved = { role: 'kiosk' as const, counterId: null, hubUrl: s.hub.url, hubId: null, deviceName: 'Ki-ốt cửa chính', paired: true };
  try {
    state = { ...FIRST_RUN, current: { ...saved, printer: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 115200, paperWidth: 58 } } };
    let page = await loadSetup();
    await page.waitForSelector('#hub-status.ok');
    expect(await page.isChecked('input[name=printer][value=serial]')).toBe(true);
    expect(await page.isVisible('#serial-row')).toBe(true);
    expect(await page.inputValue('#serial-path')).toBe('/dev/ttyUSB0');
    expect(await page.inputValue('#baud')).toBe('115200');
    expect(await page.inputValue('#paper')).toBe('58');
    await page.waitForSelector('#serial-list option[value="/dev/ttyUSB0"]', { state: 'attached' });
    expect(await page.inputValue('#serial-list')).toBe('/dev/ttyUSB0');
    await page.close();

    state = { ...FIRST_RUN, current: { ...saved, printer: { type: 'system', name: 'EPSON TM-T82III Receipt', paperWidth: 80 } } };
    page = await loadSetup();
    await page.waitForSelector('#hub-status.ok');
    expect(await page.isChecked('input[name=printer][value=system]')).toBe(true);
    await page.waitForSelector('#system-list option[value="xephang-kiosk"]', { state: 'attached' });
    // Kept, and chosen, so saving again does not silently swap it for the first queue listed.
    expect(await page.inputValue('#system-list')).toBe('EPSON TM-T82III Receipt');
    expect(await page.textContent('#system-detail')).toContain('Máy in đã lưu «EPSON TM-T82III Receipt» không có trong danh sách lúc này');
    await page.close();
  } finally {
    state = FIRST_RUN;
  }
});

it('when someone is guessing codes, the page says to wait a minute', async () => {
  const a = await admin(s.hub);
  const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
  const page = await openSetup();
  // Spend the hub's wrong guesses until it refuses more (the tests above spent some, and time
  // since has given some back).
  let refused = false;
  for (let i = 0; i < 20 && !refused; i += 1) {
    const r = await fetch(`${s.hub.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: '99999999', name: 'đoán mã' }) });
    refused = r.status === 429;
  }
  expect(refused).toBe(true);
  expect(await save(page, code)).toMatch(/quá nhiều mã ghép nối sai.*chờ một phút/);
  await page.close();
  a.close();
});
