import { screenInfo, screenPath, type Screen } from '@xephang/protocol';
import type { DesktopRole } from './config';

/** The hub's HTTP port when the technician types an address without one. */
export const DEFAULT_HUB_PORT = 8080;

/**
 * Turns what a technician types (`192.168.1.10`, `192.168.1.10:8080`, `http://may-chu:8080/kiosk`)
 * into the hub's origin, `http://192.168.1.10:8080`.
 * @throws Error with a Vietnamese message when it is not an http(s) address of a machine.
 */
export function normalizeHubUrl(input: string): string {
  const text = input.trim();
  if (!text) throw new Error('Hãy nhập địa chỉ máy chủ, ví dụ 192.168.1.10:8080.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`Địa chỉ máy chủ không hợp lệ: "${text}". Ví dụ đúng: 192.168.1.10:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Máy chủ dùng http:// (không phải ${url.protocol}//).`);
  if (url.username || url.password) throw new Error('Địa chỉ máy chủ không được chứa tên đăng nhập hay mật khẩu.');
  if (!url.hostname) throw new Error(`Địa chỉ máy chủ không hợp lệ: "${text}".`);
  if (!url.port && !/^[a-z]+:\/\/[^/]+:\d+/i.test(withScheme) && url.protocol === 'http:') url.port = String(DEFAULT_HUB_PORT);
  return url.origin;
}

/**
 * The address the window opens: a role is the id of one of the hub's screens (protocol's
 * SCREENS, which the hub serves and the web app routes by). The device token rides in the
 * fragment (`#token=…`): the page reads it to authenticate its socket, and a fragment is never
 * sent to a server or in a Referer.
 * @throws Error with a Vietnamese message when a counter's role has no counter 1–99.
 */
export function screenUrl(hubUrl: string, role: DesktopRole, counterId: number | null, token: string | null): string {
  const url = new URL(screenPath(role, counterId), hubUrl);
  if (token) url.hash = new URLSearchParams({ token }).toString();
  return url.toString();
}

/** The hub's socket.io role for a desktop role. */
export function hubRole(role: DesktopRole): Extract<Screen, { id: DesktopRole }>['role'] {
  return screenInfo(role).role;
}

/**
 * Whether the screen window may go to `target`: only pages of the hub it was set up with
 * (same scheme, host and port). Everything else (another site, `file:`, `javascript:`, `data:`) is refused.
 */
export function isAllowedNavigation(target: string, hubOrigin: string): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  return url.origin === hubOrigin;
}

/**
 * Whether a local page (setup, offline, PIN prompt) may be shown: only the app's own files, by
 * exact path (no query tricks, no other file on the disk).
 */
export function isLocalPage(target: string, allowedFileUrls: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol !== 'file:') return false;
  return allowedFileUrls.includes(`${url.protocol}//${url.host}${url.pathname}`);
}

/**
 * Whether a window may go to `target`: the shell's own window only to its local pages, the hub's
 * screen only to the hub it was set up with (nowhere before setup).
 */
export function navigationAllowed(target: string, from: { local: boolean; hubOrigin: string | undefined; localPages: readonly string[] }): boolean {
  if (from.local) return isLocalPage(target, from.localPages);
  return from.hubOrigin !== undefined && isAllowedNavigation(target, from.hubOrigin);
}

/**
 * Permissions a hub page may get, per role; everything else is denied. The displays may go
 * full screen; sound needs no permission (autoplay is a command-line switch). The kiosk and the
 * counter need nothing: no camera, microphone, location, notifications, USB or serial.
 */
const ALLOWED_PERMISSIONS: Record<DesktopRole, readonly string[]> = {
  kiosk: [],
  display: ['fullscreen'],
  'counter-display': ['fullscreen'],
  counter: ['clipboard-sanitized-write'],
};

/** Whether a permission request from `requestingUrl` is granted. */
export function permissionAllowed(role: DesktopRole, permission: string, requestingUrl: string, hubOrigin: string): boolean {
  if (!isAllowedNavigation(requestingUrl, hubOrigin)) return false;
  return ALLOWED_PERMISSIONS[role].includes(permission);
}

/** Whether a role plays sound by itself (announcements, chimes). */
export function playsSound(role: DesktopRole): boolean {
  return role === 'display' || role === 'counter-display';
}

/**
 * The Content-Security-Policy the shell adds to the hub's pages: scripts, styles and sounds
 * from the hub only; sockets to the hub only; no plugins, frames or foreign forms.
 */
export function hubCsp(hubOrigin: string): string {
  const ws = hubOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style attributes; they cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * A response's headers with the hub's policy added, when the response is the hub's; undefined
 * (the headers unchanged) for anything else, such as the shell's own pages.
 */
export function withHubCsp(url: string, headers: Record<string, string | string[]> | undefined, hubOrigin: string | undefined): Record<string, string | string[]> | undefined {
  if (hubOrigin === undefined || !isAllowedNavigation(url, hubOrigin)) return undefined;
  return { ...headers, 'Content-Security-Policy': [hubCsp(hubOrigin)] };
}

/** The policy of the shell's own pages (also in their `<meta>`): their own files, nothing else. */
export const LOCAL_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
