import type { LocalPageState } from './bridge';
import type { DesktopRole } from './config';

// How the shell's windows are made and what their keys do: plain values and functions, so the
// tests can read them under Node (main/windows.ts and main/security.ts hand them to Electron).

/**
 * Every window's web preferences but its preload: the page is isolated from the preload and
 * sandboxed, with no Node, no webviews, and its web security on.
 */
export const LOCKED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  webviewTag: false,
  spellcheck: false,
  // A TV's clock and sound must not be throttled when nothing is moving on screen.
  backgroundThrottling: false,
} as const;

/** The hub's screen fills the monitor; every role but the clerk's PC is a kiosk window (no way out). */
export function screenWindowOptions(role: DesktopRole) {
  return {
    show: false,
    kiosk: role !== 'counter',
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'xephang',
  };
}

/**
 * Setup fills the screen of a machine already set up as anything but a clerk's PC (it replaces
 * the locked screen); the PIN prompt is a small window, over the screen when there is one.
 */
export function localWindowOptions(page: LocalPageState['page'], role: DesktopRole | undefined) {
  const isAdmin = page === 'admin';
  return {
    show: false,
    width: isAdmin ? 480 : 1000,
    height: isAdmin ? 420 : 760,
    ...(isAdmin ? {} : { fullscreen: role !== undefined && role !== 'counter' }),
    autoHideMenuBar: true,
    title: 'xephang — cài đặt',
  };
}

/** A key as Electron reports it to `before-input-event`. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

/**
 * What a key does on the hub's screen: Ctrl+Alt+Shift+A asks for the PIN; closing keys (and, in
 * the packaged app, the devtools keys) do nothing; reload and zoom keys stay.
 */
export function keyAction(input: KeyInput, packaged: boolean): 'admin' | 'block' | 'allow' {
  const key = input.key.toLowerCase();
  if (input.type === 'keyDown' && input.control && input.alt && input.shift && key === 'a') return 'admin';
  if ((input.control || input.meta) && ['w', 'q', 'n', 't'].includes(key)) return 'block';
  if (key === 'f12' || (input.control && input.shift && key === 'i')) return packaged ? 'block' : 'allow';
  return 'allow';
}
