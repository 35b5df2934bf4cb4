import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Server } from 'socket.io';
import type Database from 'better-sqlite3';
import { createAccess } from './access';
import { startDiscovery, type Discovery } from './discovery';
import { createAdmin } from './admin';
import { openDatabase } from './db/open';
import { DEMO_CLERKS } from './default-center';
import { httpHandler, originAllowed } from './http';
import { createPrinting } from './printing';
import { createQueue, type Queue } from './queue';
import { rateLimiter } from './rate-limit';
import { hashSecret, newPassword } from './secrets';
import { attachSockets, broadcastAll, type HubServer } from './socket';
import { createVoiceService } from './voice';
import { createReports } from './reports';

/** socket.io messages larger than this are refused and the socket dropped. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
const TICK_MS = 15_000;
const KEEP_BACKUPS = 14;
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
  /** Browser origins other than the hub's own that may connect (a development server). */
  extraOrigins?: readonly string[];
  /** The built screens; defaults to apps/web/dist beside the hub. */
  webRoot?: string;
  log?: (line: string) => void;
  /** Answer LAN discovery probes on this UDP port (see discovery.ts); absent: no discovery. */
  discoveryPort?: number;
}

export interface RunningHub {
  port: number;
  db: Database.Database;
  queue: Queue;
  io: HubServer;
  /** Set on the very first start when the password was generated: shown once, never stored. */
  generatedAdminPassword: string | undefined;
  createdDemoClerks: boolean;
  /** The UDP port answering discovery probes, if discovery is on and could start. */
  discoveryPort: number | undefined;
  stop: () => Promise<void>;
}

/** Opens the data folder, writes the default center on first start, and starts serving. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(join(options.dataDir, 'xephang.sqlite'));

  let clockOffset = options.fakeClockAt === undefined ? 0 : options.fakeClockAt - Date.now();
  const now = () => Date.now() + clockOffset;

  const queue = createQueue(db, { now, log });
  queue.seed(randomUUID());
  let generatedAdminPassword: string | undefined;
  if (!queue.config.meta('admin_password_hash')) {
    const password = options.adminPassword ?? newPassword();
    if (!options.adminPassword) generatedAdminPassword = password;
    queue.config.setMeta('admin_password_hash', await hashSecret(password));
  }
  let createdDemoClerks = false;
  if (options.demo && queue.config.clerks().length === 0) {
    for (const c of DEMO_CLERKS) queue.access.createClerk(c.name, await hashSecret(c.pin), c.counterIds, now());
    createdDemoClerks = true;
  }

  const access = createAccess(queue, { trustLoopback: options.trustLoopback ?? true, now });
  const kiosk = rateLimiter(options.kioskBurst ?? 10, options.kioskIntervalMs ?? 2000, now);
  const extraOrigins = options.extraOrigins ?? [];
  let open = true;

  const pairing = rateLimiter(5, 12_000, now);
  const http: HttpServer = createServer((req, res) => void handler(req, res));
  const voice = createVoiceService({ dataDir: options.dataDir, config: queue.config, log });
  const reports = createReports(db, { now, queueDay: () => queue.config.meta('day'), log, checkAdminPassword: access.checkAdminPassword, adminSessionValid: access.adminSessionValid });
  const handler = httpHandler({
    snapshot: () => {
      const { reply, events } = queue.snapshot();
      broadcastAll(io, events);
      return reply;
    },
    access,
    isOpen: () => open,
    extraOrigins,
    mayTryPairing: (address) => pairing.take(address),
    voice: voice.handle,
    reports: reports.http,
    webRoot: options.webRoot ?? (existsSync(join(DEFAULT_WEB_ROOT, 'index.html')) ? DEFAULT_WEB_ROOT : undefined),
  });
  const io: HubServer = new Server(http, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    allowRequest: (req, callback) => {
      const allowed = originAllowed(req, extraOrigins);
      callback(allowed ? null : 'Trang này không được phép kết nối với máy chủ (nguồn Origin lạ).', allowed);
    },
  });
  const printing = createPrinting(db, queue, { dataDir: options.dataDir, now, log });
  printing.warmUp();
  const sockets = attachSockets(io, {
    queue,
    access,
    printing,
    admin: createAdmin(db, queue),
    reports,
    voice,
    kioskMayIssue: (key) => kiosk.take(key),
    now,
    log,
    ...(options.fakeClockAt === undefined
      ? {}
      : {
          setClock: (at: number) => {
            clockOffset = at - Date.now();
            sockets.noteConnectedDevices();
            broadcastAll(io, queue.tick());
            reports.fill();
            return now();
          },
        }),
  });

  const tick = setInterval(() => {
    try {
      sockets.noteConnectedDevices();
    } catch (error) {
      log(`không ghi được lần kết nối cuối của thiết bị: ${String(error)}`);
    }
    try {
      const events = queue.tick();
      broadcastAll(io, events);
      if (events.some((e) => e.type === 'day:started')) void backup(db, options.dataDir, log);
    } catch (error) {
      log(`không kiểm tra được ngày mới: ${String(error)}`);
    }
    reports.fill();
  }, TICK_MS);
  tick.unref();
  // The first tick turns the day if the hub was off overnight (expiring what still waited), so
  // the tallies filled next already see yesterday as it ended.
  broadcastAll(io, queue.tick());
  reports.fill();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const discovery: Discovery | undefined =
    options.discoveryPort === undefined
      ? undefined
      : await startDiscovery({
          port: options.discoveryPort,
          host: options.host,
          info: () => ({ hubId: queue.config.meta('hub_id') ?? '', name: queue.config.meta('center_name') ?? '', httpPort: port }),
          log,
        });

  return {
    port,
    db,
    queue,
    io,
    generatedAdminPassword,
    createdDemoClerks,
    discoveryPort: discovery?.port,
    stop: async () => {
      clearInterval(tick);
      reports.stop();
      await discovery?.stop();
      await voice.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      // Tickets already committed finish printing (and are logged) before the database closes.
      await printing.close();
      open = false;
      db.close();
    },
  };
}

/** Copies the database into `backups/` once a day, keeping the latest two weeks. */
async function backup(db: Database.Database, dataDir: string, log: (line: string) => void): Promise<void> {
  const dir = join(dataDir, 'backups');
  try {
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    await db.backup(join(dir, `xephang-${stamp}.sqlite`));
    const old = readdirSync(dir).filter((f) => f.startsWith('xephang-')).sort().slice(0, -KEEP_BACKUPS);
    for (const f of old) rmSync(join(dir, f));
  } catch (error) {
    log(`sao lưu thất bại: ${String(error)}`);
  }
}
