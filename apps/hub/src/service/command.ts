import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { currentUser, StartError } from '../data-dir';
import { DEFAULT_LOG_DAYS, DEFAULT_LOG_MAX_MB } from '../log-file';
import { rootOf, SERVICE_NAME, type HubRun } from './definition';
import { installLinux, realSystemctl, startStopLinux, statusLinux, uninstallLinux, type LinuxDeps } from './linux';
import { hubStatusLines } from './status';
import { UNIT_DIR, UNIT_FILE } from './systemd';
import { loadNodeWindows, readWindowsXml, runWindows, WINDOWS_DAEMON_PARENT, WINDOWS_SERVICE_ID, windowsProblem, windowsServiceConfig, windowsServiceState, windowsServiceXml } from './windows';

export const SERVICE_ACTIONS = ['install', 'status', 'start', 'stop', 'uninstall'] as const;
export type ServiceAction = (typeof SERVICE_ACTIONS)[number];

/** How a failed action's message starts. */
export const SERVICE_FAILED: Record<ServiceAction, string> = {
  install: 'Không cài được dịch vụ',
  status: 'Không xem được trạng thái dịch vụ',
  start: 'Không chạy được dịch vụ',
  stop: 'Không dừng được dịch vụ',
  uninstall: 'Không gỡ được dịch vụ',
};

export const SERVICE_OPTIONS = {
  'data-dir': { type: 'string', default: process.env.XEPHANG_DATA_DIR ?? 'data' },
  port: { type: 'string', default: '8080' },
  host: { type: 'string' },
  'host-name': { type: 'string', multiple: true },
  'no-discovery': { type: 'boolean', default: false },
  user: { type: 'string' },
  'log-days': { type: 'string' },
  'log-max-mb': { type: 'string' },
  print: { type: 'boolean', default: false },
  'unit-dir': { type: 'string' },
  'no-systemctl': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface ServiceValues {
  'data-dir': string;
  port: string;
  host?: string | undefined;
  'host-name'?: string[] | undefined;
  'no-discovery': boolean;
  user?: string | undefined;
  'log-days'?: string | undefined;
  'log-max-mb'?: string | undefined;
  print: boolean;
  'unit-dir'?: string | undefined;
  'no-systemctl': boolean;
}

export const SERVICE_HELP = `Chạy máy chủ xephang làm dịch vụ (service): tự chạy khi bật máy, tự khởi động lại khi dừng bất thường

  sudo npm run service -- install [--data-dir DIR] [--port 8080] [--user NAME] [tùy chọn]
  npm run service -- status
  sudo npm run service -- stop | start | uninstall
  (Windows: các lệnh trên trong cửa sổ dòng lệnh "Run as administrator", không có sudo)

Dịch vụ chạy bản đã build (node apps/hub/dist/src/cli.js), không bao giờ tự build: hãy chạy
npm run build trước (không cần sudo). Nó luôn ghi nhật ký vào <thư mục dữ liệu>/logs/hub-YYYY-MM-DD.log.
Không có mật khẩu nào trong dịch vụ: lần chạy đầu, máy chủ tạo mật khẩu quản trị và ghi vào
<thư mục dữ liệu>/admin-password.txt (chỉ người dùng của dịch vụ đọc được).

  install           cài, chạy ngay và bật tự chạy khi khởi động (Linux: systemd, tệp
                    ${UNIT_DIR}/${UNIT_FILE}; Windows: WinSW qua node-windows, dịch vụ ${WINDOWS_SERVICE_ID})
  status            đã cài chưa, đang chạy không và từ lúc nào, địa chỉ các màn hình, các dòng nhật ký cuối
  stop, start       dừng / chạy lại (vẫn tự chạy khi bật máy)
  uninstall         dừng và gỡ dịch vụ; thư mục dữ liệu được giữ nguyên

  --data-dir DIR    thư mục dữ liệu (mặc định ./data, đổi thành đường dẫn tuyệt đối)
  --port N          cổng của máy chủ (mặc định 8080)
  --host ADDR, --host-name NAME (lặp lại được), --no-discovery   chuyển cho máy chủ (xem npm start -- --help)
  --user NAME       (Linux) người dùng chạy máy chủ; mặc định người đã gõ sudo (SUDO_USER), nếu không thì
                    người đang chạy lệnh. Thư mục dữ liệu được giao cho người dùng này.
  --log-days N      số ngày giữ nhật ký (mặc định ${DEFAULT_LOG_DAYS})
  --log-max-mb N    cỡ tối đa một tệp nhật ký trước khi xoay vòng sang .1, .2 … (mặc định ${DEFAULT_LOG_MAX_MB})
  --print           chỉ in tệp dịch vụ sẽ được ghi (Linux: unit systemd; Windows: XML của WinSW), không cài
  --unit-dir DIR    (Linux) ghi unit vào DIR thay vì ${UNIT_DIR} (để thử)
  --no-systemctl    (Linux) không gọi systemctl (để thử, cùng --unit-dir)
  -h, --help        in trang này
`;

/** A whole or decimal number in [min, max] from an option's text. */
function numberOption(name: string, text: string, min: number, max: number, integer: boolean): number {
  const ok = integer ? /^\d+$/.test(text.trim()) : /^\d+(\.\d+)?$/.test(text.trim());
  const value = ok ? Number(text) : Number.NaN;
  if (Number.isNaN(value) || value < min || value > max) {
    throw new StartError(`--${name} cần một số${integer ? ' nguyên' : ''} từ ${min} đến ${max}, không phải "${text}".`);
  }
  return value;
}

/** The hub this service runs: this very cli.js, the Node.js running it, the folder made absolute. */
function hubRun(v: ServiceValues): HubRun {
  const cli = resolve(__dirname, '..', 'cli.js');
  return {
    node: process.execPath,
    cli,
    dataDir: resolve(v['data-dir']),
    port: numberOption('port', v.port, 1, 65535, true),
    ...(v.host === undefined ? {} : { host: v.host }),
    ...(v['host-name'] === undefined ? {} : { hostNames: v['host-name'] }),
    ...(v['no-discovery'] ? { noDiscovery: true } : {}),
    ...(v['log-days'] === undefined ? {} : { logDays: numberOption('log-days', v['log-days'], 1, 3650, true) }),
    ...(v['log-max-mb'] === undefined ? {} : { logMaxMb: numberOption('log-max-mb', v['log-max-mb'], 0.001, 1024, false) }),
  };
}

/** The same command again, for "run it with sudo": absolute paths, since sudo may not find npm. */
function sudoCommand(args: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['sudo', process.execPath, resolve(__dirname, '..', 'cli.js'), 'service', ...args].map(quote).join(' ');
}

/**
 * `service <action>`: the hub as a systemd service on Linux, a WinSW service on Windows.
 * @throws StartError with what to do (run as root or administrator, build first, another user…).
 */
export async function runService(action: ServiceAction, values: ServiceValues, args: readonly string[], out: (line?: string) => void): Promise<void> {
  const run = hubRun(values);
  if (!existsSync(run.cli)) throw new StartError(`Chưa build máy chủ (không có ${run.cli}): hãy chạy npm run build (không cần sudo) rồi chạy lại.`);
  const webBuilt = existsSync(join(rootOf(run.cli), 'apps/web/dist/index.html'));
  if (process.platform === 'linux') {
    const deps: LinuxDeps = {
      unitDir: resolve(values['unit-dir'] ?? UNIT_DIR),
      systemctl: values['no-systemctl'] ? undefined : realSystemctl,
      isRoot: process.getuid?.() === 0,
      sudoCommand: sudoCommand(args),
      out,
    };
    if (action === 'install') {
      const user = values.user ?? (process.env.SUDO_USER || currentUser());
      if (user === 'root' && !values.print) out('Lưu ý: máy chủ sẽ chạy bằng root. Nên dùng một người dùng riêng: --user xephang (sudo useradd --system --no-create-home xephang).');
      return installLinux({ ...run, user, print: values.print, webBuilt }, deps);
    }
    if (action === 'status') return statusLinux(deps);
    if (action === 'uninstall') return uninstallLinux(deps);
    return startStopLinux(action, deps);
  }
  if (process.platform === 'win32') {
    if (action === 'status') {
      out(`Dịch vụ ${SERVICE_NAME} (${WINDOWS_SERVICE_ID}): ${windowsServiceState()}.`);
      // The port and host it was installed with, from the XML node-windows wrote in the data folder.
      const xml = join(run.dataDir, WINDOWS_DAEMON_PARENT, 'daemon', WINDOWS_SERVICE_ID.replace(/\.exe$/, '.xml'));
      const installed = existsSync(xml) ? readWindowsXml(readFileSync(xml, 'utf8')) : {};
      const host = installed.host ?? run.host;
      for (const line of await hubStatusLines({ dataDir: run.dataDir, port: installed.port ?? run.port, ...(host ? { host } : {}) })) out(line);
      return;
    }
    if (action === 'install') {
      const problem = windowsProblem(run);
      if (problem) throw new StartError(problem);
      if (!webBuilt) throw new StartError('Chưa build các màn hình (apps\\web\\dist): hãy chạy npm run build rồi cài lại.');
      if (values.print) {
        out(windowsServiceXml(windowsServiceConfig(run), await loadNodeWindows()));
        return;
      }
    }
    return runWindows(action, run, out);
  }
  throw new StartError(`Lệnh service chỉ dùng được trên Linux (systemd) và Windows, không phải ${process.platform}.`);
}
