// The Electron main process: its lifecycle, kept thin. The lock-down is security.ts, the windows
// are made in windows.ts, the pages' calls are answered in ipc-handlers.ts; every decision they
// make (which address, which navigation, which permission, how long to wait, whether a payload
// is valid, how a ticket is printed) is a plain module beside them, tested under Node.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu } from 'electron';
import { Backoff, recoveryFor } from '../backoff';
import type { LocalPageState } from '../bridge';
import { loadConfig, loadConfigSync, type DeviceConfig } from '../config';
import { checkHub } from '../pairing';
import { playsSound, screenUrl } from '../screens';
import { installIpc } from './ipc-handlers';
import { installSessionGuards, lockDown, type GuardContext } from './security';
import { createLocalWindow, createScreenWindow } from './windows';

/** dist/src/main → apps/desktop/static. */
const STATIC = join(__dirname, '../../../static');
const PAGES = { setup: join(STATIC, 'setup.html'), admin: join(STATIC, 'admin.html'), offline: join(STATIC, 'offline.html') };
const LOCAL_PAGES = Object.values(PAGES).map((p) => pathToFileURL(p).toString());

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

const guards: GuardContext = {
  setup: () => (config ? { hubOrigin: new URL(config.hubUrl).origin, role: config.role } : undefined),
  isLocal: (contents) => contents === local?.webContents,
  isScreen: (contents) => contents !== null && contents === screen?.webContents,
  localPages: LOCAL_PAGES,
};

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
  app.on('web-contents-created', (_event, contents) => lockDown(contents, guards));
  // Closing every window is not a way out: only the admin PIN quits.
  app.on('window-all-closed', () => {
    if (quitting || !config) app.quit();
  });
  app.on('before-quit', (event) => {
    if (!quitting && config) event.preventDefault();
  });

  void app.whenReady().then(async () => {
    installSessionGuards(guards);
    installIpc({
      userData,
      localPages: LOCAL_PAGES,
      config: () => config,
      configProblem: () => configProblem,
      localPage: () => localPage,
      openLocal,
      closeLocal: () => local?.close(),
      reloadScreen: () => {
        crashes.succeeded();
        void loadHubScreen();
      },
      quit: () => {
        quitting = true;
        app.quit();
      },
      relaunch: () => {
        quitting = true;
        app.relaunch();
        app.exit(0);
      },
    });
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

function openScreen(): void {
  if (!config) return;
  const win = createScreenWindow(config.role, new URL(config.hubUrl).origin, {
    mayClose: () => quitting,
    onAdminKeys: () => openLocal('admin'),
    onGone: (why) => void recover(why),
    onLoadFailed: (description) => void showOffline(`Không tải được màn hình (${description}).`),
  });
  screen = win;
  win.on('closed', () => {
    if (screen === win) screen = undefined;
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
  const win = createLocalWindow(page, config?.role, screen);
  local = win;
  win.on('closed', () => {
    if (local === win) local = undefined;
  });
  void win.loadFile(PAGES[page]);
}
