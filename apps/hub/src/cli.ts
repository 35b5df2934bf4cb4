#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import Database from 'better-sqlite3';
import { DISCOVERY_PORT, screenAddresses } from '@xephang/protocol';
import { currentUser, dataDirHolder, StartError, writePrivateFile } from './data-dir';
import { startHub } from './hub';
import { DEFAULT_TIMEOUTS, type Timeouts } from './transport/timeouts';
import { keepServing } from './last-resort';
import { reportLoopDelayOn } from './loop-delay';
import { fixMallocThreshold } from './malloc';
import { lanAddresses } from './transport/lan-addresses';
import { REPORT_HELP, REPORT_OPTIONS, runReport } from './report-command';
import { RESTORE_HELP, RESTORE_OPTIONS, runRestore } from './backups/restore';
import { newPassword, setAdminPassword } from './secrets';
import { DEFAULT_LOG_DAYS, DEFAULT_LOG_MAX_MB, LOG_DIR, openLogFile, type LogFile } from './log-file';
import { runService, SERVICE_ACTIONS, SERVICE_FAILED, SERVICE_HELP, SERVICE_OPTIONS, type ServiceAction } from './service/command';

const HELP = `xephang hub — máy chủ xếp hàng

  npm start -- [--port 8080] [--data-dir ./data] [--host 0.0.0.0] [--demo]
  node apps/hub/dist/src/cli.js [tùy chọn]      (như trên, không kiểm tra bản build: dùng cho dịch vụ)

  --port N          cổng (mặc định 8080; 0 = cổng trống bất kỳ)
  --data-dir DIR    thư mục dữ liệu (mặc định ./data)
  --host ADDR       địa chỉ lắng nghe (mặc định 0.0.0.0: mọi máy trong mạng LAN)
  --demo            tạo cán bộ mẫu cho 9 quầy (PIN 1111 … 9999) nếu chưa có cán bộ nào
  --no-trust-loopback  ki-ốt và màn hình trên chính máy chủ cũng phải ghép nối
  --kiosk-burst N   số phiếu một ki-ốt được lấy liền nhau (mặc định 10; 0 = không giới hạn)
  --fake-clock ISO  chạy với đồng hồ giả bắt đầu tại ISO (chỉ để kiểm thử)
  --any-hours       ki-ốt cấp số cả ngoài giờ làm việc (chỉ để kiểm thử)
  --allow-origin URL   cho phép thêm một nguồn trình duyệt (máy chủ phát triển)
  --timeout-ms KIND=MS  thời gian chờ kết nối, lặp lại được: headers=10000 request=30000 idle=60000
                    pingInterval=25000 pingTimeout=20000 (idle phải lớn hơn pingInterval + pingTimeout)
                    kioskAnswer=15000 (chờ ki-ốt tự in trả lời lệnh in lại / in thử của quản trị)
                    renderRecycle=60000 (yên lặng bao lâu thì thay luồng vẽ phiếu bằng một luồng mới đã làm nóng)
  --host-name NAME  thêm một tên máy chủ được chấp nhận (ví dụ tên trong DNS của mạng LAN); mặc định chỉ
                    localhost, 127.x.x.x, [::1], các địa chỉ IP hiện tại, tên máy và tên máy.local
  --discovery-port N   cổng UDP để ki-ốt và màn hình tự tìm máy chủ trong mạng LAN (mặc định 41234; 0 = cổng trống bất kỳ)
  --no-discovery    tắt chức năng tự tìm máy chủ (thiết bị phải nhập địa chỉ bằng tay)
  --log             ghi thêm mọi dòng máy chủ in ra, kèm thời điểm, vào <thư mục dữ liệu>/logs/hub-YYYY-MM-DD.log
                    (dịch vụ luôn bật; chạy trong cửa sổ dòng lệnh thì mặc định tắt). Không bao giờ có mật khẩu.
  --log-days N      xóa tệp nhật ký cũ hơn N ngày (mặc định ${DEFAULT_LOG_DAYS})
  --log-max-mb N    tệp nhật ký lớn hơn N MB thì xoay vòng sang .1.log, .2.log … (mặc định ${DEFAULT_LOG_MAX_MB})
  --province-retry-ms N   liên kết tỉnh: chờ lần đầu trước khi gửi lại khi mất kết nối (mặc định 5000, gấp đôi dần tới 5 phút)
  --province-today-ms N   liên kết tỉnh: gửi số liệu hôm nay nhiều nhất mỗi N ms (mặc định 60000)
  --province-timeout-ms N liên kết tỉnh: chờ máy chủ tỉnh trả lời tối đa N ms (mặc định 30000)
  -h, --help        in trang này

  XEPHANG_LOOP_DELAY=signal  đo độ trễ vòng sự kiện; mỗi lần nhận SIGUSR2 in p50/p99/tối đa từ lần trước (npm run soak)
  XEPHANG_ADMIN_PASSWORD  mật khẩu quản trị cho lần chạy đầu. Nếu không đặt, máy chủ tự tạo một mật khẩu:
                          in ra MỘT lần khi chạy trong cửa sổ dòng lệnh, còn khi chạy làm dịch vụ thì ghi
                          vào <thư mục dữ liệu>/admin-password.txt (chỉ người dùng chạy máy chủ đọc được),
                          không bao giờ ghi vào nhật ký.

Chạy làm dịch vụ (tự chạy khi bật máy, tự khởi động lại; Linux: systemd, Windows: WinSW):

  sudo npm run service -- install --data-dir /srv/xephang/data      (xem: npm run service -- --help)
  npm run service -- status

Đặt lại mật khẩu quản trị (khi quên), trên máy chủ, lúc máy chủ đang chạy hay đã dừng:

  npm run admin-password -- [--data-dir ./data]
  node apps/hub/dist/src/cli.js reset-admin-password [--data-dir ./data]

Báo cáo từ tệp SQLite (đọc, không ghi; dùng được cả khi máy chủ đang chạy):

  npm run report -- --week 2025-W28          (xem: npm run report -- --help)
  node apps/hub/dist/src/cli.js report --week 2025-W28

Khôi phục từ một bản sao lưu (khi máy chủ đã dừng; xem: npm run restore -- --help):

  npm run restore -- --list
  node apps/hub/dist/src/cli.js restore --day 2025-07-10
`;

/** The generated admin password goes here when no one watches a terminal (a service's log). */
const ADMIN_PASSWORD_FILE = 'admin-password.txt';

/** A command line the hub does not understand: said in Vietnamese, with the way to --help. */
class UsageError extends Error {}

/** The hub's own log file (--log), once opened: every line printed below goes there too. */
let logFile: LogFile | undefined;
const out = (line = '') => {
  process.stdout.write(`${line}\n`);
  logFile?.write(line);
};
/** A line for stderr (and the log file): what went wrong, what the hub logs as it serves. */
const say = (line: string) => {
  process.stderr.write(`${line}\n`);
  logFile?.write(line);
};
/** How a failure's message starts: what the command was doing. */
let failed = 'Không khởi động được máy chủ';
/** The command that lists the options, named after a usage error. */
let helpCommand = 'npm start -- --help';

/** parseArgs, with its English errors turned into Vietnamese ones. */
function parse<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Không có tùy chọn ${option}.`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`Không hiểu "${/'([^']*)'/.exec(message)?.[1] ?? ''}".`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/does not take an argument/.test(message)) throw new UsageError(`Tùy chọn ${option} không nhận giá trị.`);
      throw new UsageError(`Tùy chọn ${option} cần một giá trị ngay sau nó.`);
    }
    throw new UsageError(message);
  }
}

/** A whole number in [min, max] from an option's text; `what` names it in the error. */
function integerOption(what: string, name: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${what} không hợp lệ: --${name} cần một số nguyên từ ${min} đến ${max}, không phải "${text}".`);
  }
  return value;
}

/**
 * Shows a new admin password to the person at the terminal, once; with no terminal (a service,
 * whose output is a log) it goes to a file only this user can read, and the output names the file.
 * Writes the file at once and returns the line to print.
 */
function revealAdminPassword(password: string, dataDir: string): string {
  if (process.stdout.isTTY) return `Mật khẩu quản trị (chỉ hiện MỘT lần, hãy ghi lại): ${password}`;
  const file = join(dataDir, ADMIN_PASSWORD_FILE);
  writePrivateFile(
    file,
    `Mật khẩu quản trị xephang (admin password): ${password}\n` +
      `Tạo lúc ${new Date().toISOString()}. Hãy ghi lại, giao cho trưởng bộ phận, rồi xóa tệp này.\n`,
  );
  return `Mật khẩu quản trị đã được ghi vào ${file} (chỉ người dùng "${currentUser()}" đọc được): hãy ghi lại rồi xóa tệp đó.`;
}

/** `reset-admin-password`: a new generated password, taking effect at once if the hub runs. */
async function resetAdminPassword(args: string[]): Promise<void> {
  failed = 'Không đặt lại được mật khẩu quản trị';
  const { values } = parse({
    args,
    options: {
      'data-dir': { type: 'string', default: process.env.XEPHANG_DATA_DIR ?? 'data' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const dataDir = resolve(values['data-dir']);
  const file = join(dataDir, 'xephang.sqlite');
  if (!existsSync(file)) {
    throw new StartError(`Không có cơ sở dữ liệu xephang ở ${dataDir}. Hãy chỉ đúng thư mục dữ liệu của máy chủ bằng --data-dir (mặc định ./data).`);
  }
  const db = new Database(file, { fileMustExist: true });
  try {
    // The hub may be writing: wait for it like it waits for others, and keep its durability.
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    const password = newPassword();
    await setAdminPassword(db, password);
    out('Đã đặt lại mật khẩu quản trị.');
    out(revealAdminPassword(password, dataDir));
  } catch (error) {
    if (error instanceof StartError) throw error;
    throw new StartError(`${file}: ${error instanceof Error ? error.message : String(error)}. Hãy chạy lệnh này bằng người dùng chạy máy chủ.`);
  } finally {
    db.close();
  }
  const hub = await dataDirHolder(dataDir);
  if (hub) {
    out(
      `Máy chủ đang chạy${hub.pid > 0 ? ` (PID ${hub.pid})` : ''} dùng mật khẩu mới ngay từ lần đăng nhập tiếp theo. ` +
        'Trang quản trị đang mở giữ phiên cũ tới khi tải lại; muốn chặn ngay, hãy khởi động lại máy chủ.',
    );
  }
}

/** `service`: install, status, start, stop, uninstall the hub as a service (service/command.ts). */
async function service(args: string[]): Promise<void> {
  helpCommand = 'npm run service -- --help';
  const { values, positionals } = parse({ args, options: SERVICE_OPTIONS, allowPositionals: true, strict: true });
  if (values.help || positionals.length === 0) {
    process.stdout.write(SERVICE_HELP);
    return;
  }
  const action = positionals[0] as ServiceAction;
  if (!SERVICE_ACTIONS.includes(action) || positionals.length > 1) throw new UsageError(`Không hiểu "${positionals.join(' ')}": dùng ${SERVICE_ACTIONS.join(', ')}.`);
  failed = SERVICE_FAILED[action];
  await runService(action, values, args, out);
}

/** `report`: a report read from the SQLite file, printed or written to a file (report-command.ts). */
async function report(args: string[]): Promise<void> {
  // The words a failed report began with when it was scripts/report.ts.
  failed = 'Lỗi';
  helpCommand = 'npm run report -- --help';
  const { values } = parse({ args, options: REPORT_OPTIONS, strict: true });
  if (values.help) {
    process.stdout.write(REPORT_HELP);
    return;
  }
  await runReport(values);
}

/** `restore`: lists the backups, or puts one back with the hub stopped (backups/restore.ts). */
async function restore(args: string[]): Promise<void> {
  failed = 'Không khôi phục được';
  helpCommand = 'npm run restore -- --help';
  const { values } = parse({ args, options: RESTORE_OPTIONS, strict: true });
  if (values.help) {
    process.stdout.write(RESTORE_HELP);
    return;
  }
  await runRestore(values, out);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // A report reads, prints and ends: there is no hub to keep serving through an error.
  if (argv[0] === 'report') return report(argv.slice(1));
  if (argv[0] === 'restore') return restore(argv.slice(1));
  if (argv[0] === 'service') return service(argv.slice(1));
  keepServing(say);
  if (argv[0] === 'reset-admin-password') return resetAdminPassword(argv.slice(1));
  const { values } = parse({
    args: argv,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'data-dir': { type: 'string', default: process.env.XEPHANG_DATA_DIR ?? 'data' },
      host: { type: 'string', default: '0.0.0.0' },
      demo: { type: 'boolean', default: false },
      'no-trust-loopback': { type: 'boolean', default: false },
      'kiosk-burst': { type: 'string' },
      'fake-clock': { type: 'string' },
      'any-hours': { type: 'boolean', default: false },
      'allow-origin': { type: 'string', multiple: true },
      'host-name': { type: 'string', multiple: true },
      'timeout-ms': { type: 'string', multiple: true },
      'discovery-port': { type: 'string', default: String(DISCOVERY_PORT) },
      'no-discovery': { type: 'boolean', default: false },
      log: { type: 'boolean', default: false },
      'log-days': { type: 'string', default: String(DEFAULT_LOG_DAYS) },
      'log-max-mb': { type: 'string', default: String(DEFAULT_LOG_MAX_MB) },
      'province-retry-ms': { type: 'string' },
      'province-today-ms': { type: 'string' },
      'province-timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  // First, before the hub allocates (malloc.ts says why).
  const malloc = fixMallocThreshold();
  const logDays = integerOption('Số ngày giữ nhật ký', 'log-days', values['log-days'], 1, 3650);
  const logMaxMb = /^\d+(\.\d+)?$/.test(values['log-max-mb'].trim()) ? Number(values['log-max-mb']) : Number.NaN;
  if (!(logMaxMb >= 0.001 && logMaxMb <= 1024)) throw new UsageError(`Cỡ tệp nhật ký không hợp lệ: --log-max-mb cần một số từ 0.001 đến 1024, không phải "${values['log-max-mb']}".`);
  // Opened before anything is said, so a start that fails says why in the file too.
  if (values.log) {
    logFile = openLogFile({ dir: join(resolve(values['data-dir']), LOG_DIR), keepDays: logDays, maxBytes: Math.round(logMaxMb * 1024 * 1024), warn: (line) => process.stderr.write(`${line}\n`) });
  }
  if (malloc !== 'set' && malloc !== 'skipped') say(`Không đặt được ngưỡng cấp phát bộ nhớ (máy chủ vẫn chạy, tốn bộ nhớ hơn): ${malloc}`);
  const port = integerOption('Cổng', 'port', values.port, 0, 65535);
  const fakeClockAt = values['fake-clock'] === undefined ? undefined : Date.parse(values['fake-clock']);
  if (fakeClockAt !== undefined && Number.isNaN(fakeClockAt)) throw new UsageError(`--fake-clock cần một thời điểm ISO, ví dụ 2025-07-10T08:00:00+07:00.`);
  const kioskBurst = values['kiosk-burst'] === undefined ? undefined : integerOption('Số phiếu liền nhau', 'kiosk-burst', values['kiosk-burst'], 0, 1_000_000);
  const dataDir = resolve(values['data-dir']);
  const discoveryPort = integerOption('Cổng UDP tìm máy chủ', 'discovery-port', values['discovery-port'], 0, 65535);
  const province = {
    ...(values['province-retry-ms'] === undefined ? {} : { retryMs: integerOption('Thời gian chờ thử lại', 'province-retry-ms', values['province-retry-ms'], 10, 3_600_000) }),
    ...(values['province-today-ms'] === undefined ? {} : { todayMs: integerOption('Chu kỳ gửi số liệu hôm nay', 'province-today-ms', values['province-today-ms'], 100, 3_600_000) }),
    ...(values['province-timeout-ms'] === undefined ? {} : { timeoutMs: integerOption('Thời gian chờ máy chủ tỉnh', 'province-timeout-ms', values['province-timeout-ms'], 100, 600_000) }),
  };

  const hub = await startHub({
    dataDir,
    port,
    host: values.host,
    ...(process.env.XEPHANG_ADMIN_PASSWORD ? { adminPassword: process.env.XEPHANG_ADMIN_PASSWORD } : {}),
    demo: values.demo,
    trustLoopback: !values['no-trust-loopback'],
    ...(kioskBurst === undefined ? {} : { kioskBurst }),
    ...(fakeClockAt === undefined ? {} : { fakeClockAt }),
    anyHours: values['any-hours'],
    extraOrigins: values['allow-origin'] ?? [],
    hostNames: values['host-name'] ?? [],
    timeouts: parseTimeouts(values['timeout-ms'] ?? []),
    ...(values['no-discovery'] ? {} : { discoveryPort }),
    province,
    log: say,
  });

  // Before the first line is printed: a stop that comes as soon as "ready" is read (a test, a
  // service manager) must find the handlers, or the signal's default kills the hub mid-sentence.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    out(`Nhận ${signal}, đang dừng…`);
    hub.stop().then(
      async () => {
        out('Đã dừng.');
        await logFile?.close();
        process.exit(0);
      },
      async (error: unknown) => {
        say(`Dừng không trọn vẹn: ${error instanceof Error ? error.message : String(error)}`);
        await logFile?.close();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Windows has no SIGTERM: node-windows' wrapper (service/windows.ts) asks its child to stop
  // with this message, and kills it only after WinSW's stop timeout.
  if (process.send) process.on('message', (message) => message === 'shutdown' && stop('shutdown'));

  // The file is there before anything reads "ready".
  const passwordLine = hub.generatedAdminPassword === undefined ? undefined : revealAdminPassword(hub.generatedAdminPassword, dataDir);
  // Tests and scripts read this line to find the port.
  out(`xephang hub ready on port ${hub.port}`);
  out(`Dữ liệu: ${dataDir}`);
  if (hub.discoveryPort !== undefined) out(`Tự tìm máy chủ trong mạng LAN: cổng UDP ${hub.discoveryPort}`);
  const hosts = values.host === '0.0.0.0' ? ['localhost', ...lanAddresses()] : [values.host];
  const counters = hub.counterIds();
  out('');
  out('Địa chỉ các màn hình (screens):');
  for (const s of screenAddresses(counters)) out(`  ${s.label.padEnd(44)} ${hosts.map((h) => `http://${h}:${hub.port}${s.path}`).join('  ')}`);
  out(`  ${'Trạng thái (JSON)'.padEnd(44)} http://${hosts[0]}:${hub.port}/api/state`);
  out(`Tên được chấp nhận (Host): ${hub.hostNames().join(', ')}, 127.x.x.x`);
  if (passwordLine !== undefined) {
    out('');
    // In a terminal the line holds the password itself: to the screen only, never the log file.
    // Otherwise it names the file the password is in, which the log may say.
    if (process.stdout.isTTY) process.stdout.write(`${passwordLine}\n`);
    else out(passwordLine);
  }
  if (hub.createdDemoClerks) {
    out('');
    out('Đã tạo cán bộ mẫu: quầy 1 dùng PIN 1111, quầy 2 PIN 2222, … quầy 9 PIN 9999.');
  }
  if (fakeClockAt !== undefined) out('CẢNH BÁO: đồng hồ giả đang bật (--fake-clock), chỉ dùng để kiểm thử.');
  if (values['any-hours']) out('CẢNH BÁO: ki-ốt cấp số cả ngoài giờ làm việc (--any-hours), chỉ dùng để kiểm thử.');
  // npm run soak reads the event loop's delay per simulated day; POSIX signals only (not Windows).
  if (process.env.XEPHANG_LOOP_DELAY === 'signal' && process.platform !== 'win32') reportLoopDelayOn('SIGUSR2', out);
}

/** `--timeout-ms headers=2000 --timeout-ms idle=5000` → { headers: 2000, idle: 5000 }. */
function parseTimeouts(items: readonly string[]): Partial<Timeouts> {
  const out: Partial<Timeouts> = {};
  for (const item of items) {
    const m = /^(\w+)=(\d+)$/.exec(item);
    if (!m || !(m[1]! in DEFAULT_TIMEOUTS)) {
      throw new UsageError(`--timeout-ms cần dạng TÊN=MS với TÊN là ${Object.keys(DEFAULT_TIMEOUTS).join(', ')} (nhận "${item}")`);
    }
    out[m[1] as keyof Timeouts] = Number(m[2]);
  }
  return out;
}

main().catch(async (error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\nXem các tùy chọn: ${helpCommand}\n`);
    process.exit(2);
  }
  // A service that cannot start says why in its log file too (then systemd or WinSW retries).
  say(`${failed}: ${error instanceof Error ? error.message : String(error)}`);
  await logFile?.close();
  process.exit(1);
});
