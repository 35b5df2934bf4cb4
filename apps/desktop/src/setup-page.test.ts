import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { fail, ok, type Ack } from '@xephang/protocol';
import { admin, unwrap } from '@xephang/testing';
import { stage } from '@xephang/testing/stage';
import type { LocalBridge, LocalPageState } from './bridge';
import { CHANNELS, parseIpc } from './ipc';
import { checkHub, pairWithHub } from './pairing';
import { normalizeHubUrl } from './screens';

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

const STATE: LocalPageState = { page: 'setup', current: null, problem: null, hostName: 'may-tv-phong-cho' };

/** The bridge's methods, as main.ts answers them (without saving a file or restarting). */
const bridge: { [K in keyof LocalBridge]: (arg: never) => Promise<unknown> } = {
  state: async () => STATE,
  discover: async () => ok([]),
  checkHub: async (address: string) => {
    try {
      return await checkHub(normalizeHubUrl(address));
    } catch (error) {
      return fail('invalid_payload', (error as Error).message);
    }
  },
  listUsbPrinters: async () => ok([]),
  finishSetup: async (payload: unknown) => {
    const parsed = parseIpc(CHANNELS.finishSetup, payload);
    if (!parsed.ok) return parsed;
    const r = parsed.data;
    const paired = await pairWithHub(normalizeHubUrl(r.hubUrl), { code: r.pairingCode, name: r.deviceName, role: r.role, counterId: r.counterId });
    pairings.push(paired);
    return paired.ok ? ok({ restarting: true }) : paired;
  },
  adminUnlock: async () => fail('forbidden', 'không dùng trong bài kiểm tra này'),
};

async function openSetup(): Promise<Page> {
  const page = await s.browser.newPage({ viewport: { width: 900, height: 1200 }, locale: 'vi-VN' });
  await page.exposeFunction('xephangStub', (method: keyof LocalBridge, arg: never) => bridge[method](arg));
  await page.addInitScript(() => {
    const call = (method: string) => (arg?: unknown) => (window as unknown as { xephangStub: (m: string, a: unknown) => Promise<unknown> }).xephangStub(method, arg);
    Object.assign(window, {
      xephangLocal: Object.fromEntries(['state', 'discover', 'checkHub', 'listUsbPrinters', 'finishSetup', 'adminUnlock'].map((m) => [m, call(m)])),
    });
  });
  await page.goto(SETUP_PAGE);
  await page.waitForSelector('#discover-status:has-text("Không tìm thấy")');
  await page.fill('#manual', s.hub.url);
  await page.click('#check');
  await page.waitForSelector('#hub-status.ok');
  await page.check('input[name=role][value=display]');
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

it('when someone is guessing codes, the page says to wait a minute', async () => {
  const a = await admin(s.hub);
  const { code } = unwrap(await a.send('pairing:create', { role: 'display' }));
  // Spend the hub's wrong guesses (one was spent above).
  for (let i = 0; i < 10; i += 1) {
    await fetch(`${s.hub.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: '99999999', name: 'đoán mã' }) });
  }
  const page = await openSetup();
  expect(await save(page, code)).toMatch(/quá nhiều mã ghép nối sai.*chờ một phút/);
  await page.close();
  a.close();
});
