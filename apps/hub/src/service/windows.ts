import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hubArgs, rootOf, SERVICE_DESCRIPTION, SERVICE_NAME, type HubRun } from './definition';

/**
 * Windows cannot host node.exe as a service: node-windows installs WinSW (winsw.exe, renamed
 * xephanghub.exe) with an XML file; WinSW starts node-windows' wrapper.js, which starts the hub
 * and restarts it when it exits. node-windows is loaded only here, only on Windows, only by the
 * `service` command: `require('node-windows')` throws anywhere else, and the hub never needs it.
 */

/** node-windows names the service (and WinSW's id, and the .exe) after `name` without its symbols. */
export const WINDOWS_SERVICE_ID = `${SERVICE_NAME.replace(/[^\w]/g, '').toLowerCase()}.exe`;
/** WinSW keeps its own captured output here, rotated by itself: the hub's own log sits beside it. */
export const WINSW_LOG_DIR = join('logs', 'service');
/** node-windows writes winsw.exe and its XML in `<dir>\daemon`; in the data folder, an upgrade that replaces the app folder keeps them. */
export const WINDOWS_DAEMON_PARENT = 'service';

/** What node-windows' `Service` is given (its README and lib/daemon.js name each field). */
export interface WindowsServiceConfig {
  name: string;
  description: string;
  script: string;
  scriptOptions: string;
  execPath: string;
  /** An empty list: node-windows adds --harmony when given nothing. */
  nodeOptions: string[];
  workingDirectory: string;
  logpath: string;
  logging: { mode: 'roll-by-size'; sizeThreshold: number; keepFiles: number };
  wait: number;
  grow: number;
  maxRestarts: number;
  stopparentfirst: boolean;
  stoptimeout: number;
}

/**
 * Says why the hub's options cannot go to node-windows: its wrapper splits `scriptOptions` on
 * every space, so a data folder like "C:\Program Files\xephang\data" would reach the hub as two
 * words.
 */
export function windowsProblem(run: HubRun): string | undefined {
  const spaced = hubArgs(run).find((a) => /\s/.test(a));
  if (spaced === undefined) return undefined;
  return `Trên Windows, các tùy chọn của dịch vụ không được chứa dấu cách ("${spaced}"): hãy chọn một thư mục dữ liệu không có dấu cách, ví dụ C:\\xephang\\data.`;
}

/**
 * The service definition handed to node-windows: the built cli.js under node-windows' wrapper,
 * restarted 5 s after any exit however often (no growing wait, which after a year of rare
 * crashes would be hours), stopped by a `shutdown` message the hub answers by stopping cleanly,
 * WinSW's own log rolled in the data folder. Pure. No password, no environment: the hub writes
 * a generated password to <data>\admin-password.txt itself.
 */
export function windowsServiceConfig(run: HubRun): WindowsServiceConfig {
  return {
    name: SERVICE_NAME,
    description: SERVICE_DESCRIPTION,
    script: run.cli,
    scriptOptions: hubArgs(run).join(' '),
    execPath: run.node,
    nodeOptions: [],
    workingDirectory: rootOf(run.cli),
    logpath: join(run.dataDir, WINSW_LOG_DIR),
    // WinSW's copy of the output: 10 MB files, 3 kept (the hub's own log keeps the days).
    logging: { mode: 'roll-by-size', sizeThreshold: 10_240, keepFiles: 3 },
    wait: 5,
    grow: 0,
    // node-windows' wrapper stops for good after this many restarts within 60 s; with a 5 s wait
    // there are at most 12, so it never does.
    maxRestarts: 100,
    stopparentfirst: true,
    stoptimeout: 30,
  };
}

/** The part of node-windows' Service (lib/daemon.js) this command uses. */
export interface NodeWindowsService {
  readonly _xml: string;
  readonly exists: boolean;
  directory: (dir?: string) => string;
  install: (dir?: string) => void;
  uninstall: (waitSeconds?: number) => void;
  start: () => void;
  stop: () => void;
  on: (event: string, listener: (error?: unknown) => void) => void;
  once: (event: string, listener: (error?: unknown) => void) => void;
}
export type NodeWindowsServiceClass = new (config: WindowsServiceConfig) => NodeWindowsService;

/**
 * The WinSW XML node-windows writes for `config`, from node-windows' own code (`_xml`, what
 * `install` writes). Its lib/winsw.js 1.0.0-beta.8 prints the whole config with console.log on
 * every call, a leftover of debugging: silenced here so `--print` shows only the XML.
 */
export function windowsServiceXml(config: WindowsServiceConfig, Service: NodeWindowsServiceClass): string {
  const svc = new Service(config);
  const log = console.log;
  console.log = () => undefined;
  try {
    return svc._xml;
  } finally {
    console.log = log;
  }
}

/** The port and host a WinSW XML we wrote passes to the hub (for `status`, which has no unit to read). */
export function readWindowsXml(xml: string): { port?: number; host?: string } {
  const words = (/<argument>--scriptoptions=([^<]*)<\/argument>/.exec(xml)?.[1] ?? '').split(' ');
  const after = (name: string) => {
    const i = words.indexOf(name);
    return i >= 0 ? words[i + 1] : undefined;
  };
  const port = after('--port');
  const host = after('--host');
  return { ...(port === undefined ? {} : { port: Number(port) }), ...(host === undefined ? {} : { host }) };
}

/** node-windows' Service, loaded on Windows only (the package refuses to load anywhere else). */
export async function loadNodeWindows(): Promise<NodeWindowsServiceClass> {
  const mod = (await import('node-windows')) as unknown as { Service: NodeWindowsServiceClass; default?: { Service: NodeWindowsServiceClass } };
  return mod.Service ?? mod.default!.Service;
}

/** Runs one node-windows action and resolves on the first of its events named in `outcomes`. */
export function windowsAction(svc: NodeWindowsService, start: () => void, outcomes: Record<string, string | Error>): Promise<string> {
  return new Promise((resolve, reject) => {
    for (const [event, outcome] of Object.entries(outcomes)) {
      svc.once(event, (error) => (outcome instanceof Error ? reject(new Error(`${outcome.message}${error ? ` (${String(error)})` : ''}`)) : resolve(outcome)));
    }
    try {
      start();
    } catch (error) {
      // node-windows throws strings ('Permission Denied. Requires administrative privileges.').
      reject(new Error(String(error instanceof Error ? error.message : error)));
    }
  });
}

/** `service <action>` on Windows, through node-windows (which asks for elevation itself). */
export async function runWindows(action: 'install' | 'uninstall' | 'start' | 'stop', run: HubRun, out: (line?: string) => void): Promise<void> {
  const Service = await loadNodeWindows();
  const svc = new Service(windowsServiceConfig(run));
  const parent = join(run.dataDir, WINDOWS_DAEMON_PARENT);
  svc.directory(parent);
  const refused = new Error('node-windows báo lỗi (cần chạy trong cửa sổ dòng lệnh "Run as administrator")');
  if (action === 'install') {
    const installed = await windowsAction(svc, () => svc.install(parent), {
      install: 'installed',
      alreadyinstalled: 'already',
      invalidinstallation: new Error(`Dịch vụ cài dở dang trong ${parent}: hãy gỡ (npm run service -- uninstall) rồi cài lại`),
      error: refused,
    });
    if (installed === 'already') out(`Dịch vụ ${SERVICE_NAME} đã được cài từ trước (${WINDOWS_SERVICE_ID}).`);
    await windowsAction(svc, () => svc.start(), { start: 'started', error: refused });
    out(`Dịch vụ ${SERVICE_NAME} (${WINDOWS_SERVICE_ID}) đã được cài và đang chạy; tự chạy khi bật máy, tự khởi động lại 5 giây sau khi dừng bất thường.`);
    out(`Nhật ký: ${join(run.dataDir, 'logs')}\\hub-YYYY-MM-DD.log; bản WinSW ghi lại: ${join(run.dataDir, WINSW_LOG_DIR)}.`);
    out(`Lần chạy đầu, mật khẩu quản trị được ghi vào ${join(run.dataDir, 'admin-password.txt')}: hãy ghi lại rồi xóa tệp đó.`);
    return;
  }
  if (action === 'uninstall') {
    await windowsAction(svc, () => svc.uninstall(), { uninstall: 'done', alreadyuninstalled: 'done', error: refused });
    out(`Đã gỡ dịch vụ ${SERVICE_NAME}. Thư mục dữ liệu ${run.dataDir} được giữ nguyên.`);
    return;
  }
  if (action === 'start') {
    await windowsAction(svc, () => svc.start(), { start: 'started', error: refused });
    out(`Đã chạy dịch vụ ${SERVICE_NAME}.`);
    return;
  }
  await windowsAction(svc, () => svc.stop(), { stop: 'stopped', alreadystopped: 'stopped', error: refused });
  out(`Đã dừng dịch vụ ${SERVICE_NAME}. Nó vẫn tự chạy lại khi bật máy; muốn bỏ hẳn: npm run service -- uninstall.`);
}

/** What Windows says of the service: `sc query`'s STATE line, or that it is not installed. */
export function windowsServiceState(): string {
  const r = spawnSync('sc.exe', ['query', WINDOWS_SERVICE_ID], { encoding: 'utf8' });
  const state = /STATE\s*:\s*\d+\s+(\w+)/.exec(r.stdout ?? '')?.[1];
  if (state === undefined) return `chưa được cài (sc query ${WINDOWS_SERVICE_ID}: ${(r.stdout || r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
  return { RUNNING: 'đang chạy', STOPPED: 'đã dừng', START_PENDING: 'đang khởi động', STOP_PENDING: 'đang dừng' }[state] ?? state;
}
