import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { uptime } from 'node:os';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import type Database from 'better-sqlite3';
import { createAccess } from './access';
import { catalogImports } from './commands/catalog';
import { createCommands, type Commands } from './commands';
import { createClockWatch } from './clock-watch';
import { createAccessCommands } from './commands/access';
import { createConfigCommands } from './commands/config';
import { createIssuing } from './commands/issuing';
import { createPrinterCommands } from './commands/printers';
import { startDiscovery, type Discovery } from './transport/discovery';
import { lockDataDir, prepareDataDir, StartError } from './data-dir';
import { createBackups, type Backups } from './backups/backups';
import { startProblem, writeProbe } from './db/health';
import { startCheckpoints, type Checkpoints } from './db/checkpoint';
import { openDatabase } from './db/open';
import { DEMO_CLERKS } from './default-center';
import { hostNames } from './host-names';
import { createPrinting } from './printing';
import { rateLimiter } from './rate-limit';
import { hashSecret, newPassword, setAdminPassword } from './secrets';
import { createStores, type Stores } from './store';
import { createSystemStatus, hubVersion } from './system-status';
import { hostRefused, httpHandler, originAllowed } from './transport/http';
import { attachSockets, broadcastAll, kioskLink, type HubServer } from './transport/socket';
import { checkTimeouts, type Timeouts } from './transport/timeouts';
import { createVoiceService, likelyHubCalls } from './voice';
import { createReports } from './reports';
import { createProvinceLink, type ProvinceLink, type ProvinceTimings } from './province/link';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';

/** socket.io messages larger than this are refused and the socket dropped. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
const TICK_MS = 15_000;
/** The longest the start waits for the ticket drawing thread to be warm before it listens anyway. */
const WARM_UP_WAIT_MS = 10_000;

/** apps/web/dist, seen from apps/hub/dist/src. */
const DEFAULT_WEB_ROOT = resolve(__dirname, '../../../web/dist');

export interface HubOptions {
  dataDir: string;
  port: number;
  host: string;
  /** Used on first start instead of a generated one. */
  adminPassword?: string;
  /** Create one demo clerk per counter (PIN 1111 … 9999) when none exists. */
  demo?: boolean;
  trustLoopback?: boolean;
  /** Tickets one kiosk may take at once, then one per `kioskIntervalMs`; 0 means no limit. */
  kioskBurst?: number;
  kioskIntervalMs?: number;
  /** Start the clock at this time and let admins set it (`clock:set`): for tests and demos. */
  fakeClockAt?: number;
  /** Issue at any hour, ignoring the opening hours: for tests that run whatever the time of day. */
  anyHours?: boolean;
  /** Browser origins other than the hub's own that may connect (a development server). */
  extraOrigins?: readonly string[];
  /** Names besides its own addresses and host name that the hub answers to in `Host` (a LAN DNS name). */
  hostNames?: readonly string[];
  /** Connection timeouts (see Timeouts); tests use short ones. */
  timeouts?: Partial<Timeouts>;
  /** The built screens; defaults to apps/web/dist beside the hub. */
  webRoot?: string;
  log?: (line: string) => void;
  /** Answer LAN discovery probes on this UDP port (see discovery.ts); absent: no discovery. */
  discoveryPort?: number;
  /** The province link's waits (province/link.ts); tests use short ones. */
  province?: Partial<ProvinceTimings>;
}

/** What the command line reads of a started hub; its stores and commands stay inside. */
export interface RunningHub {
  port: number;
  /** The counters' ids now, for the list of screen addresses. */
  counterIds: () => number[];
  /** Set on the very first start when the password was generated: shown once, never stored. */
  generatedAdminPassword: string | undefined;
  createdDemoClerks: boolean;
  /** The names accepted in `Host` right now (they follow the LAN addresses). */
  hostNames: () => string[];
  /** The UDP port answering discovery probes, if discovery is on and could start. */
  discoveryPort: number | undefined;
  stop: () => Promise<void>;
}

/**
 * Opens the data folder, writes the default center on first start, and starts serving.
 * @throws StartError saying what to fix when the folder, the database or the port cannot be used.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  prepareDataDir(options.dataDir);
  let listening: number | null = null;
  const lock = await lockDataDir(options.dataDir, () => listening);
  let clockOffset = options.fakeClockAt === undefined ? 0 : options.fakeClockAt - Date.now();
  const now = () => Date.now() + clockOffset;
  const dbFile = join(options.dataDir, 'xephang.sqlite');
  let opened: { db: Database.Database; stores: Stores; commands: Commands };
  // Started once the hub is up; what was written before then is copied by its thread's first run.
  let checkpoints: Checkpoints | undefined;
  // Built once the commands are: it watches the day after every commit (backups/backups.ts).
  let backups: Backups | undefined;
  // Built once the database is open: it notes the time of every commit to wait for a quiet moment.
  let province: ProvinceLink | undefined;
  try {
    const db = openDatabase(dbFile);
    try {
      // The composition root: every table's store built once, handed to each service.
      const stores = createStores(db);
      const commands = createCommands(db, stores, {
        now,
        log,
        anyHours: options.anyHours ?? false,
        committed: () => {
          checkpoints?.committed();
          backups?.committed();
          province?.committed();
        },
      });
      commands.seed(randomUUID());
      // The last process's key died with it: its marks of the citizens' IDs can no longer match.
      commands.citizenIds.atStart();
      // A real write before saying ready: a database the hub can read but not write would
      // answer every screen and fail every kiosk tap.
      stores.config.setMeta('started_at', new Date(now()).toISOString());
      opened = { db, stores, commands };
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    await lock.release();
    throw startProblem(error, dbFile);
  }
  const { db, stores, commands } = opened;
  backups = createBackups({
    db,
    dataDir: options.dataDir,
    now,
    queueDay: commands.day.current,
    today: commands.today,
    config: stores.config,
    changes: commands.changes,
    log,
  });
  province = createProvinceLink({
    db,
    config: stores.config,
    audit: (detail) => stores.visitLog.audit('admin:province', detail, now()),
    now,
    activity: stores.broadcasts.lastSeq,
    hubVersion: hubVersion(),
    utcOffsetMinutes: VIETNAM_UTC_OFFSET_MINUTES,
    log,
    ...(options.province ? { timings: options.province } : {}),
  });
  let generatedAdminPassword: string | undefined;
  if (!stores.config.meta('admin_password_hash')) {
    const password = options.adminPassword ?? newPassword();
    if (!options.adminPassword) generatedAdminPassword = password;
    // The installer's XEPHANG_ADMIN_PASSWORD is taken as given; a generated one always passes the rule.
    await setAdminPassword(db, password, { at: now(), checkStrength: options.adminPassword === undefined });
  }
  let createdDemoClerks = false;
  if (options.demo && stores.config.clerks().length === 0) {
    for (const c of DEMO_CLERKS) stores.access.createClerk(c.name, await hashSecret(c.pin), c.counterIds, now());
    createdDemoClerks = true;
  }

  const access = createAccess(stores, { trustLoopback: options.trustLoopback ?? true, now, log });
  const kiosk = rateLimiter(options.kioskBurst ?? 10, options.kioskIntervalMs ?? 2000, now);
  const extraOrigins = options.extraOrigins ?? [];
  const names = hostNames(options.hostNames ?? []);
  let hostRefusalLoggedAt = -Infinity;
  /** The Host check, logging a refusal at most once a minute: a page rebinding its name retries a lot. */
  const hostAllowed = (host: string | undefined, address: string | undefined): boolean => {
    if (names.allows(host)) return true;
    const at = performance.now();
    if (at - hostRefusalLoggedAt >= 60_000) {
      hostRefusalLoggedAt = at;
      log(`từ chối yêu cầu với Host "${String(host).slice(0, 80)}" từ địa chỉ ${address ?? '?'} (tên lạ: có thể là một trang web dùng DNS rebinding; nếu đây là tên thật của máy chủ, thêm --host-name)`);
    }
    return false;
  };
  let open = true;

  const timeouts = checkTimeouts(options.timeouts);
  const http: HttpServer = createServer(
    {
      headersTimeout: timeouts.headers,
      requestTimeout: timeouts.request,
      // Node enforces the two above only at each check: often enough to stay close to them.
      connectionsCheckingInterval: Math.max(100, Math.min(timeouts.headers, 30_000) / 4),
    },
    (req, res) => void handler(req, res),
  );
  // A socket with no byte in either direction this long is closed (websockets turn this off
  // once upgraded: they have their own ping).
  http.setTimeout(timeouts.idle);
  const voice = createVoiceService({
    dataDir: options.dataDir,
    config: stores.config,
    log,
    // Likely next calls are rendered ahead while the hub is idle (voice-prerender.ts);
    // XEPHANG_VOICE_PRERENDER=off renders only when asked (npm run bench:voice compares both).
    likely:
      process.env.XEPHANG_VOICE_PRERENDER === 'off'
        ? undefined
        : { activity: stores.broadcasts.lastSeq, calls: () => likelyHubCalls(stores, commands.today()) },
  });
  // The PC's clock watched against the system's uptime (it counts the PC's sleep, see clock-watch.ts).
  const steady = () => uptime() * 1000;
  const clock = createClockWatch({ wall: Date.now, steady, hubNow: now, log });
  const systemStatus = createSystemStatus({ db, dataDir: options.dataDir, now, fake: options.fakeClockAt !== undefined, clock, steady });
  // A PC whose board battery is flat starts in 2001 at every boot: its log says so each start, not only the page.
  try {
    const clockAtStart = systemStatus().clock.warning;
    if (clockAtStart) log(`CẢNH BÁO: ${clockAtStart.split('\n')[0]} (xem trang quản trị, thẻ "Hệ thống")`);
  } catch (error) {
    log(`không đọc được tình trạng máy chủ: ${String(error)}`);
  }
  const reports = createReports(db, { now, queueDay: () => stores.config.meta('day'), log, checkAdminPassword: access.checkAdminPassword, adminSessionValid: access.adminSessionValid });
  const handler = httpHandler({
    snapshot: () => {
      const { reply, events } = commands.sync.snapshot();
      broadcastAll(io, events);
      return reply;
    },
    access,
    isOpen: () => open,
    writeState: () => writeCheck(),
    extraOrigins,
    hostAllowed,
    voice: voice.handle,
    reports: reports.http,
    webRoot: options.webRoot ?? (existsSync(join(DEFAULT_WEB_ROOT, 'index.html')) ? DEFAULT_WEB_ROOT : undefined),
  });
  const io: HubServer = new Server(http, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: timeouts.pingInterval,
    pingTimeout: timeouts.pingTimeout,
    serveClient: false,
    allowRequest: (req, callback) => {
      if (!hostAllowed(req.headers.host, req.socket.remoteAddress)) return callback(hostRefused(req.headers.host), false);
      const allowed = originAllowed(req, extraOrigins);
      callback(allowed ? null : 'Trang này không được phép kết nối với máy chủ (nguồn Origin lạ).', allowed);
    },
  });
  const printing = createPrinting(stores, { dataDir: options.dataDir, now, log, today: commands.today, waitFor: commands.waitNow, kiosks: kioskLink(io), kioskAnswerMs: timeouts.kioskAnswer, recycleIdleMs: timeouts.renderRecycle });
  // The drawing thread warms while the rest starts, and the hub listens once it is warm: a kiosk
  // that was waiting taps at once, and a cold thread made that first ticket 0.4–0.5 s instead of
  // 0.07 (npm run bench:first-ticket). A refused start stops it again (stop() below).
  const warming = printing.warmUp();
  const sockets = attachSockets(io, {
    commands,
    access,
    issuing: createIssuing({
      tickets: commands.tickets,
      commit: commands.commit,
      printing,
      kioskMayIssue: (key) => kiosk.take(key),
      broadcast: (events) => broadcastAll(io, events),
      now,
      log,
    }),
    printers: createPrinterCommands({ stores, printing, changes: commands.changes }),
    config: createConfigCommands({
      stores,
      changes: commands.changes,
      setAdminPassword: (password, at) => setAdminPassword(db, password, { at }),
      updateVoice: (settings) => voice.updateSettings(settings),
      ratingSettings: () => commands.ratings.settings(),
      now,
    }),
    accessCommands: createAccessCommands({ stores, access, changes: commands.changes, log }),
    catalog: stores.catalog,
    importCatalog: catalogImports({
      catalog: stores.catalog,
      services: () => stores.config.services(),
      now,
      log: (type, detail) => stores.visitLog.audit(type, detail, now()),
      setOfficialCodes: (codes, what, by) => commands.changes.adminChange('admin:service', { by, what }, () => stores.admin.setOfficialCodes(codes)),
    }),
    seenDevice: stores.access.seenDevice,
    reports,
    systemStatus,
    backups,
    province,
    now,
    log,
    ...(options.fakeClockAt === undefined
      ? {}
      : {
          setClock: (at: number) => {
            clockOffset = at - Date.now();
            sockets.noteConnectedDevices();
            broadcastAll(io, commands.sync.tick());
            reports.fill();
            return now();
          },
        }),
  });
  // socket.io keeps each connection's upgrade request (its headers, its parsed URL) for as long as
  // the connection lives; the hub has read what it needs into the handshake by now (its Host and
  // Origin checks, the role), and nothing reads the request later: let it go, a few KB per screen.
  io.on('connection', (socket) => {
    (socket.conn as unknown as { request: unknown }).request = null;
  });

  const tick = setInterval(() => {
    clock.observe();
    try {
      sockets.noteConnectedDevices();
    } catch (error) {
      log(`không ghi được lần kết nối cuối của thiết bị: ${String(error)}`);
    }
    try {
      const events = commands.sync.tick();
      broadcastAll(io, events);
    } catch (error) {
      log(`không kiểm tra được ngày mới: ${String(error)}`);
    }
    reports.fill();
  }, TICK_MS);
  tick.unref();
  // The first tick turns the day if the hub was off overnight (expiring what still waited), so
  // the tallies filled next already see yesterday as it ended.
  broadcastAll(io, commands.sync.tick());
  reports.fill();

  const writeCheck = writeProbe(db, stores.config);
  // SQLite's own checkpoints by default: on the development VM's disk the thread measured no
  // better end to end (README, bench:hub). XEPHANG_WAL_CHECKPOINT=thread moves them off the
  // commit path, to measure on a disk where a checkpoint costs more; its thread starts at the
  // first command that writes, so a hub that sits idle never starts it.
  checkpoints = process.env.XEPHANG_WAL_CHECKPOINT === 'thread' ? startCheckpoints(db, { log }) : undefined;
  const stop = async (): Promise<void> => {
    clearInterval(tick);
    reports.stop();
    await province?.stop();
    await discovery?.stop();
    await voice.close();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    // Tickets already committed finish printing (and are logged) before the database closes.
    await printing.close();
    // Print outcomes still waiting for a commit (commit.ts's completeReply) are written now.
    try {
      commands.commit.flush();
    } catch (error) {
      log(`không ghi được phản hồi đã hoàn tất: ${String(error)}`);
    }
    open = false;
    // A backup mid-way ends (its half-made file removed) before the database it reads closes.
    await backups?.close();
    await checkpoints?.stop();
    db.close();
    await lock.release();
  };
  let discovery: Discovery | undefined;

  try {
    // Bounded: a thread that cannot draw logs why, and tickets then wait for it as before.
    await Promise.race([warming, new Promise((resolve) => setTimeout(resolve, WARM_UP_WAIT_MS).unref())]);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await stop();
    throw listenProblem(error as NodeJS.ErrnoException, options.port, options.host);
  }
  const port = (http.address() as AddressInfo).port;
  listening = port;
  // The day seen at start-up gets its backup now that the start succeeded.
  backups.begin();
  // Pushes start once the hub serves (a restored database first begins a new epoch).
  try {
    province.start();
  } catch (error) {
    log(`Liên kết tỉnh: không bắt đầu được (${String(error)}); máy chủ vẫn chạy, dữ liệu chờ trong hàng đợi.`);
  }
  discovery =
    options.discoveryPort === undefined
      ? undefined
      : await startDiscovery({
          port: options.discoveryPort,
          host: options.host,
          info: () => ({ hubId: stores.config.meta('hub_id') ?? '', name: stores.config.meta('center_name') ?? '', httpPort: port }),
          log,
        });

  return {
    port,
    counterIds: () => stores.config.counters().map((c) => c.id),
    generatedAdminPassword,
    createdDemoClerks,
    hostNames: names.list,
    discoveryPort: discovery?.port,
    stop,
  };
}

/** The HTTP port could not be opened: what to do instead. */
function listenProblem(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartError(`Cổng ${port} đang được dùng — máy chủ đã chạy rồi? Dùng --port`);
    case 'EACCES':
      return new StartError(`Không được phép mở cổng ${port} (cổng dưới 1024 cần quyền quản trị). Dùng --port 8080 hoặc một cổng từ 1024 trở lên.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartError(`Địa chỉ ${host} không thuộc máy này. Kiểm tra --host (bỏ đi để nghe trên mọi địa chỉ của máy).`);
    default:
      return error;
  }
}
