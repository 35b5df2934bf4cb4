// The shell's lock-down, in one place: every page's navigation and new windows, the session's
// permissions and devices, and the content security policy added to the hub's pages. The
// decisions themselves are plain functions (../screens, ../window-options) tested under Node.
import { app, session, type WebContents } from 'electron';
import type { DesktopRole } from '../config';
import { navigationAllowed, permissionAllowed, withHubCsp } from '../screens';
import { LOCKED_WEB_PREFERENCES } from '../window-options';

/** What the guards read at each event: the windows come and go, the setup changes only with a restart. */
export interface GuardContext {
  /** The hub's origin and this machine's role, once set up. */
  setup(): { hubOrigin: string; role: DesktopRole } | undefined;
  /** Whether these are the shell's own window's contents (setup, PIN prompt). */
  isLocal(contents: WebContents): boolean;
  /** Whether these are the hub screen's contents. */
  isScreen(contents: WebContents | null): boolean;
  /** The shell's own pages, as file URLs. */
  localPages: readonly string[];
}

/** Every page in the app, the hub's and ours: no new windows, no webviews, no navigation elsewhere. */
export function lockDown(contents: WebContents, ctx: GuardContext): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const guard = (event: { preventDefault: () => void }, url: string) => {
    if (!navigationAllowed(url, { local: ctx.isLocal(contents), hubOrigin: ctx.setup()?.hubOrigin, localPages: ctx.localPages })) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guard(event, event.url);
  });
}

/** Permissions for the hub's screen only, per role; no device pickers; the hub's pages get its CSP. */
export function installSessionGuards(ctx: GuardContext): void {
  const ses = session.defaultSession;
  const allowed = (contents: WebContents | null, permission: string, url: string) => {
    const setup = ctx.setup();
    return setup !== undefined && ctx.isScreen(contents) && permissionAllowed(setup.role, permission, url, setup.hubOrigin);
  };
  ses.setPermissionRequestHandler((contents, permission, callback, details) => callback(allowed(contents, permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin) => allowed(contents, permission, requestingOrigin));
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
    const headers = withHubCsp(details.url, details.responseHeaders, ctx.setup()?.hubOrigin);
    callback(headers ? { responseHeaders: headers } : {});
  });
}

/** A window's web preferences: locked down, with its preload; devtools only outside the packaged app. */
export function webPreferences(preload: string): Electron.WebPreferences {
  return { preload, ...LOCKED_WEB_PREFERENCES, devTools: !app.isPackaged };
}
