// The Electron main process: kept thin. Every decision it makes (which address, which
// navigation, which permission, how long to wait, whether a payload is valid, how a ticket is
// printed) is a plain module beside it, tested under Node without Electron.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { fail, ok, PAIRING_CODE_DIGITS, type Ack } from '@xephang/protocol';
import { Backoff, recoveryFor } from '../backoff';
import type { LocalPageState } from '../bridge';
import { hashPin, loadConfig, loadConfigSync, pinGuard, saveConfig, type DeviceConfig } from '../config';
import { discoverHubs } from '../discovery';
import { tapCounter } from '../gesture';
import { CHANNELS, parseIpc, senderAllowed, type Channel } from '../ipc';
import { handlePrintTicket, hubTicketSource, kioskPrinter } from '../print';
import { checkHub, isLoopbackUrl, pairWithHub } from '../pairing';
import { hubCsp, isAllowedNavigation, isLocalPage, normalizeHubUrl, playsSound, permissionAllowed, screenUrl } from '../screens';
import { findUsbPrinter, listUsbPrinters } from '../usb-devices';

/** dist/src/main → apps/desktop/static. */
const STATIC = join(__dirname, '../../../static');
const PAGES = { setup: join(STATIC, 'setup.html'), admin: join(STATIC, 'admin.html'), offline: join(STATIC, 'offline.html') };
const LOCAL_PAGES = Object.values(PAGES).map((p) => pathToFileURL(p).toString());
/** A hung page gets this long to come back by itself before it is reloaded. */
const UNRESPONSIVE_GRACE_MS = 10_000;

const userData = app.getPath('userData');
let config: DeviceConfig | undefined;
let configProblem: string | null = null;
let screen: BrowserWindow | undefined;
let local: BrowserWindow | undefined;
let localPage: LocalPageState['page'] = 'setup';
let quitting = false;
let retryTimer: NodeJS.Timeout | undefined;
const crashes = new Backoff({ jitter: 0.2 });
const hubDown = new Backoff({ baseMs: 2000, maxMs: 30_000, jitter: 0.3 });
const taps = tapCounter();
const pins = pinGuard(() => config?.adminPinHash ?? '', Date.now);

if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  start();
}

function start(): void {
  // Sound without a click must be decided before the app is ready; only the displays get it.
  const saved = loadConfigSync(userData);
  if (saved.state === 'ok' && playsSound(saved.config.role)) app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');
  Menu.setApplicationMenu(null);

  app.on('second-instance', () => {
    const win = local ?? screen;
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  // Closing every window is not a way out: only the admin PIN quits.
  app.on('window-all-closed', () => {
    if (quitting || !config) app.quit();
  });
  app.on('before-quit', (event) => {
    if (!quitting && config) event.preventDefault();
  });

  void app.whenReady().then(async () => {
    installSessionGuards();
    installIpc();
    if (process.platform === 'win32' && app.isPackaged) app.setLoginItemSettings({ openAtLogin: true });
    const loaded = await loadConfig(userData);
    if (loaded.state === 'ok') {
      config = loaded.config;
      openScreen();
    } else {
      configProblem = loaded.state === 'invalid' ? loaded.message : null;
      openLocal('setup');
    }
  });
}

/** Every page in the app, the hub's and ours: no new windows, no webviews, no navigation elsewhere. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const guard = (event: { preventDefault: () => void }, url: string) => {
    const allowed = contents === local?.webContents ? isLocalPage(url, LOCAL_PAGES) : config !== undefined && isAllowedNavigation(url, new URL(config.hubUrl).origin);
    if (!allowed) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guard(event, event.url);
  });
}

function installSessionGuards(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(config !== undefined && contents === screen?.webContents && permissionAllowed(config.role, permission, details.requestingUrl, new URL(config.hubUrl).origin));
  });
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin) => {
    return config !== undefined && contents === screen?.webContents && permissionAllowed(config.role, permission, requestingOrigin, new URL(config.hubUrl).origin);
  });
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!config || !isAllowedNavigation(details.url, new URL(config.hubUrl).origin)) return callback({});
    const headers = { ...details.responseHeaders, 'Content-Security-Policy': [hubCsp(new URL(config.hubUrl).origin)] };
    callback({ responseHeaders: headers });
  });
}

const webPreferences = (preload: string): Electron.WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  webviewTag: false,
  spellcheck: false,
  devTools: !app.isPackaged,
  // A TV's clock and sound must not be throttled when nothing is moving on screen.
  backgroundThrottling: false,
});

function openScreen(): void {
  if (!config) return;
  const c = config;
  const win = new BrowserWindow({
    show: false,
    kiosk: c.role !== 'counter',
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'xephang',
    webPreferences: webPreferences(join(__dirname, 'preload.js')),
  });
  screen = win;
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (!quitting) event.preventDefault();
  });
  win.on('closed', () => {
    if (screen === win) screen = undefined;
  });
  win.webContents.on('before-input-event', (event, input) => {
    // Reload and zoom keys stay; closing and the devtools keys do nothing; Ctrl+Alt+Shift+A asks for the PIN.
    const key = input.key.toLowerCase();
    if (input.type === 'keyDown' && input.control && input.alt && input.shift && key === 'a') {
      event.preventDefault();
      openLocal('admin');
    } else if ((input.control || input.meta) && ['w', 'q', 'n', 't'].includes(key)) {
      event.preventDefault();
    } else if (key === 'f12' || (input.control && input.shift && key === 'i')) {
      if (app.isPackaged) event.preventDefault();
    }
  });

  let hung: NodeJS.Timeout | undefined;
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    void recover(`trang bị dừng (${details.reason})`);
  });
  win.webContents.on('unresponsive', () => {
    hung ??= setTimeout(() => {
      hung = undefined;
      void recover('trang bị treo');
    }, UNRESPONSIVE_GRACE_MS);
  });
  win.webContents.on('responsive', () => {
    clearTimeout(hung);
    hung = undefined;
  });
  win.webContents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
    // -3 is an aborted load (another navigation took over), not a failure.
    if (!isMainFrame || errorCode === -3 || !isAllowedNavigation(url, new URL(c.hubUrl).origin)) return;
    void showOffline(`Không tải được màn hình (${description}).`);
  });
  void loadHubScreen();
}

function hubScreenUrl(): string {
  const c = config!;
  return screenUrl(c.hubUrl, c.role, c.counterId, c.device?.token ?? null);
}

async function loadHubScreen(): Promise<void> {
  if (!screen) return;
  const health = await checkHub(config!.hubUrl, { timeoutMs: 4000 });
  if (!health.ok) return showOffline(health.error.message);
  hubDown.succeeded();
  try {
    await screen.loadURL(hubScreenUrl());
  } catch {
    // did-fail-load shows the offline page.
  }
}

/** After a crash or a hang: wait (longer each time), then reload, or go offline if the hub is gone. */
async function recover(why: string): Promise<void> {
  if (!screen || screen.isDestroyed()) return;
  const { delayMs, attempt } = crashes.fail(Date.now());
  console.error(`xephang: ${why}; thử lại lần ${attempt} sau ${delayMs} ms`);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (!screen || screen.isDestroyed()) return;
  const reachable = (await checkHub(config!.hubUrl, { timeoutMs: 4000 })).ok;
  const action = recoveryFor(attempt, reachable);
  if (action === 'offline-page') return showOffline('Không kết nối được máy chủ.');
  if (action === 'reload') screen.webContents.reload();
  else {
    await screen.webContents.session.clearCache();
    await loadHubScreen();
  }
}

/** The offline page, and a retry by itself with backoff until the hub answers. */
async function showOffline(message: string): Promise<void> {
  if (!screen || screen.isDestroyed() || !config) return;
  clearTimeout(retryTimer);
  const { delayMs } = hubDown.fail(Date.now());
  // The page only shows the hub, the reason and a countdown; the retry itself happens here.
  await screen.loadFile(PAGES.offline, { query: { hub: config.hubUrl, retryAt: String(Date.now() + delayMs), message } }).catch(() => undefined);
  retryTimer = setTimeout(() => void loadHubScreen(), delayMs);
}

function openLocal(page: LocalPageState['page']): void {
  localPage = page;
  if (local && !local.isDestroyed()) {
    void local.loadFile(PAGES[page]);
    local.focus();
    return;
  }
  const isAdmin = page === 'admin';
  const win = new BrowserWindow({
    show: false,
    width: isAdmin ? 480 : 1000,
    height: isAdmin ? 420 : 760,
    ...(isAdmin && screen ? { parent: screen, modal: true } : {}),
    ...(isAdmin ? {} : { fullscreen: config?.role !== 'counter' && config !== undefined }),
    autoHideMenuBar: true,
    title: 'xephang — cài đặt',
    webPreferences: webPreferences(join(__dirname, 'local-preload.js')),
  });
  local = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (local === win) local = undefined;
  });
  void win.loadFile(PAGES[page]);
}

/** Registers a channel: checks who is asking and what they sent before running `run`. */
function handle<C extends Channel>(channel: C, run: (payload: unknown, event: IpcMainInvokeEvent) => Promise<Ack<unknown>> | Ack<unknown>): void {
  ipcMain.handle(channel, async (event, payload: unknown) => {
    const ctx = { hubOrigin: config ? new URL(config.hubUrl).origin : undefined, isKiosk: config?.role === 'kiosk', localPages: LOCAL_PAGES };
    if (!senderAllowed(channel, event.senderFrame?.url, ctx)) return fail('forbidden', 'Trang này không được phép gọi chức năng của ứng dụng.');
    try {
      return await run(payload, event);
    } catch (error) {
      return fail('internal', `Lỗi trong ứng dụng: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

function installIpc(): void {
  let printer: ReturnType<typeof kioskPrinter>;
  let printerFor: DeviceConfig['printer'] | undefined;
  handle(CHANNELS.printTicket, (payload) => {
    const c = config!;
    if (printerFor !== c.printer) {
      printer = kioskPrinter(c.printer, findUsbPrinter);
      printerFor = c.printer;
    }
    return handlePrintTicket(payload, { source: hubTicketSource({ url: c.hubUrl, token: c.device?.token ?? null }), printer });
  });

  ipcMain.on(CHANNELS.adminGesture, (event) => {
    const ctx = { hubOrigin: config ? new URL(config.hubUrl).origin : undefined, isKiosk: config?.role === 'kiosk', localPages: LOCAL_PAGES };
    if (!senderAllowed(CHANNELS.adminGesture, event.senderFrame?.url, ctx)) return;
    if (taps.tap(Date.now())) openLocal('admin');
  });

  handle(CHANNELS.setupState, (payload) => {
    const parsed = parseIpc(CHANNELS.setupState, payload);
    if (!parsed.ok) return parsed;
    const state: LocalPageState = {
      page: localPage,
      current: config
        ? {
            role: config.role,
            counterId: config.counterId,
            hubUrl: config.hubUrl,
            hubId: config.hubId,
            deviceName: config.deviceName,
            paired: config.device !== null,
            printer: config.printer,
          }
        : null,
      problem: configProblem,
      hostName: hostname().slice(0, 80),
    };
    return ok(state);
  });

  handle(CHANNELS.discover, async (payload) => {
    const parsed = parseIpc(CHANNELS.discover, payload);
    if (!parsed.ok) return parsed;
    return ok(await discoverHubs());
  });

  handle(CHANNELS.checkHub, async (payload) => {
    const parsed = parseIpc(CHANNELS.checkHub, payload);
    if (!parsed.ok) return parsed;
    let url: string;
    try {
      url = normalizeHubUrl(parsed.data.address);
    } catch (error) {
      return fail('invalid_payload', (error as Error).message);
    }
    return checkHub(url);
  });

  handle(CHANNELS.listUsbPrinters, (payload) => {
    const parsed = parseIpc(CHANNELS.listUsbPrinters, payload);
    return parsed.ok ? ok(listUsbPrinters()) : parsed;
  });

  handle(CHANNELS.finishSetup, async (payload) => {
    const parsed = parseIpc(CHANNELS.finishSetup, payload);
    if (!parsed.ok) return parsed;
    const r = parsed.data;
    let hubUrl: string;
    try {
      hubUrl = normalizeHubUrl(r.hubUrl);
    } catch (error) {
      return fail('invalid_payload', (error as Error).message);
    }
    if (!r.adminPin && !config) return fail('invalid_payload', 'Hãy đặt mã PIN quản trị cho máy này.');
    // Keep the earlier pairing only when the role, counter and hub are unchanged.
    const same = config && config.hubUrl === hubUrl && config.role === r.role && config.counterId === r.counterId;
    let device = same ? config!.device : null;
    if (r.pairingCode) {
      const paired = await pairWithHub(hubUrl, { code: r.pairingCode, name: r.deviceName, role: r.role, counterId: r.counterId });
      if (!paired.ok) return paired;
      device = { deviceId: paired.data.deviceId, token: paired.data.token };
    } else if (!device && !isLoopbackUrl(hubUrl)) {
      return fail('invalid_payload', `Hãy nhập mã ghép nối ${PAIRING_CODE_DIGITS} chữ số tạo trên trang quản trị của máy chủ.`);
    }
    const next: DeviceConfig = {
      version: 1,
      role: r.role,
      counterId: r.role === 'counter' || r.role === 'counter-display' ? r.counterId : null,
      hubUrl,
      hubId: r.hubId,
      deviceName: r.deviceName,
      device,
      adminPinHash: r.adminPin ? await hashPin(r.adminPin) : config!.adminPinHash,
      printer: r.role === 'kiosk' ? r.printer : { type: 'none' },
    };
    await saveConfig(userData, next);
    // A restart applies everything at once, the sound switch included.
    setTimeout(() => {
      quitting = true;
      app.relaunch();
      app.exit(0);
    }, 300);
    return ok({ restarting: true as const });
  });

  handle(CHANNELS.adminUnlock, async (payload) => {
    const parsed = parseIpc(CHANNELS.adminUnlock, payload);
    if (!parsed.ok) return parsed;
    const checked = await pins.check(parsed.data.pin);
    if (!checked.ok) return fail('unauthorized', checked.message);
    local?.close();
    if (parsed.data.action === 'quit') {
      quitting = true;
      app.quit();
    } else if (parsed.data.action === 'reload') {
      crashes.succeeded();
      void loadHubScreen();
    } else {
      setTimeout(() => openLocal('setup'), 100);
    }
    return ok({ done: true as const });
  });
}
