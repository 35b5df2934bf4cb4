// Making the shell's two windows: the hub's screen (full screen, locked, watched for crashes
// and hangs) and its own local pages (setup, PIN prompt). What happens next is main.ts's.
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import type { LocalPageState } from '../bridge';
import type { DesktopRole } from '../config';
import { isAllowedNavigation } from '../screens';
import { keyAction, localWindowOptions, screenWindowOptions } from '../window-options';
import { webPreferences } from './security';

/** A hung page gets this long to come back by itself before it is reloaded. */
const UNRESPONSIVE_GRACE_MS = 10_000;

/** What the screen window reports to the lifecycle. */
export interface ScreenWindowEvents {
  /** Whether the window may close now (only when quitting: closing is not a way out). */
  mayClose(): boolean;
  /** Ctrl+Alt+Shift+A: the technician asks for the PIN prompt. */
  onAdminKeys(): void;
  /** The page crashed, or hung for longer than the grace. */
  onGone(why: string): void;
  /** The hub's page did not load (the hub is down, the network is out). */
  onLoadFailed(description: string): void;
}

/** The hub's screen for this role, not yet loaded; shown once it has drawn. */
export function createScreenWindow(role: DesktopRole, hubOrigin: string, events: ScreenWindowEvents): BrowserWindow {
  const win = new BrowserWindow({ ...screenWindowOptions(role), webPreferences: webPreferences(join(__dirname, 'preload.js')) });
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (!events.mayClose()) event.preventDefault();
  });
  win.webContents.on('before-input-event', (event, input) => {
    const action = keyAction(input, app.isPackaged);
    if (action !== 'allow') event.preventDefault();
    if (action === 'admin') events.onAdminKeys();
  });

  let hung: NodeJS.Timeout | undefined;
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    events.onGone(`trang bị dừng (${details.reason})`);
  });
  win.webContents.on('unresponsive', () => {
    hung ??= setTimeout(() => {
      hung = undefined;
      events.onGone('trang bị treo');
    }, UNRESPONSIVE_GRACE_MS);
  });
  win.webContents.on('responsive', () => {
    clearTimeout(hung);
    hung = undefined;
  });
  win.webContents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
    // -3 is an aborted load (another navigation took over), not a failure.
    if (!isMainFrame || errorCode === -3 || !isAllowedNavigation(url, hubOrigin)) return;
    events.onLoadFailed(description);
  });
  return win;
}

/** A window for the shell's own pages; the PIN prompt sits over the screen, as its modal child. */
export function createLocalWindow(page: LocalPageState['page'], role: DesktopRole | undefined, screen: BrowserWindow | undefined): BrowserWindow {
  const win = new BrowserWindow({
    ...localWindowOptions(page, role),
    ...(page === 'admin' && screen ? { parent: screen, modal: true } : {}),
    webPreferences: webPreferences(join(__dirname, 'local-preload.js')),
  });
  win.once('ready-to-show', () => win.show());
  return win;
}
