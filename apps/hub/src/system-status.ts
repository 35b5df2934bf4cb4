import { readFileSync, statfsSync, statSync } from 'node:fs';
import { bytesVi, VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type { SystemStatus } from '@xephang/protocol';
import type Database from 'better-sqlite3';
import { clockWarning, type ClockWatch } from './clock-watch';

/** Below this much free space on the data folder's disk the page warns (a day's database and backup are MBs; Windows itself needs GBs to update). */
export const LOW_DISK_BYTES = 1024 ** 3;
/** …or below this share of the disk. */
export const LOW_DISK_SHARE = 0.05;

/**
 * The code cannot be older than the center article its defaults come from (10 July 2025): a
 * floor for the build date when the files' times say nothing (npm packs every file as 1985).
 */
const NOT_BEFORE = Date.parse('2025-07-10T00:00:00+07:00');

export interface SystemStatusDeps {
  db: Database.Database;
  dataDir: string;
  /** The hub's clock (the fake one under --fake-clock). */
  now: () => number;
  fake: boolean;
  clock: ClockWatch;
  /** The steady clock the watch uses (the system's uptime, counting sleep): the hub's uptime is read on it. */
  steady: () => number;
}

/** `system:status`: the hub PC's disk, memory, uptime, version and clock, read when the admin's page asks. */
export function createSystemStatus(deps: SystemStatusDeps): () => SystemStatus {
  const version = hubVersion();
  const builtAt = Math.max(NOT_BEFORE, builtTime());
  const startedAt = deps.now();
  const steadyAtStart = deps.steady();
  // Both read one row through an index (tickets_by_issued_at, the visit log's key): cheap enough to ask every few seconds.
  const newestTicket = deps.db.prepare('SELECT max(issued_at) AS at FROM tickets');
  const newestLine = deps.db.prepare('SELECT at FROM events ORDER BY id DESC LIMIT 1');

  const newestRecord = (): number | null => {
    const ticket = (newestTicket.get() as { at: number | null }).at;
    const line = (newestLine.get() as { at: number } | undefined)?.at ?? null;
    if (ticket === null) return line;
    return line === null ? ticket : Math.max(ticket, line);
  };

  return () => {
    // A look at the clocks now too: a jump made since the last tick shows at once.
    deps.clock.observe();
    const pcNow = Date.now();
    const memory = process.memoryUsage();
    return {
      version,
      startedAt,
      uptimeMs: Math.max(0, deps.steady() - steadyAtStart),
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      disk: diskOf(deps.dataDir),
      clock: {
        now: deps.now(),
        pcNow,
        fake: deps.fake,
        utcOffsetMinutes: VIETNAM_UTC_OFFSET_MINUTES,
        warning: clockWarning({ pcNow, fake: deps.fake, newestRecord: newestRecord(), builtAt, recentJumps: deps.clock.recentJumps() }),
        jumps: deps.clock.jumps(),
      },
    };
  };
}

/** apps/hub's package.json version, read once; '?' when it cannot be read (the page says so, the hub runs on). */
export function hubVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve('@xephang/hub/package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '?';
  } catch {
    return '?';
  }
}

/** When this file was built (its time on disk), or 0 when that cannot be read. */
function builtTime(): number {
  try {
    return statSync(__filename).mtimeMs;
  } catch {
    return 0;
  }
}

/** The disk the data folder is on: free (for this user, as writes see it) and total, with a warning when little is left. */
export function diskOf(dataDir: string): SystemStatus['disk'] {
  let fs: ReturnType<typeof statfsSync>;
  try {
    fs = statfsSync(dataDir);
  } catch (error) {
    // The rest of the page still shows; the disk says why it is unknown.
    return { dataDir, freeBytes: 0, totalBytes: 0, warning: `Không đọc được dung lượng ổ đĩa chứa dữ liệu (${error instanceof Error ? error.message : String(error)}).` };
  }
  const freeBytes = fs.bavail * fs.bsize;
  const totalBytes = fs.blocks * fs.bsize;
  return { dataDir, freeBytes, totalBytes, warning: diskWarning(freeBytes, totalBytes) };
}

/** The page's warning when the data folder's disk is nearly full, in Vietnamese with what to do; null otherwise. */
export function diskWarning(freeBytes: number, totalBytes: number): string | null {
  if (freeBytes >= LOW_DISK_BYTES && freeBytes >= totalBytes * LOW_DISK_SHARE) return null;
  const share = totalBytes > 0 ? Math.round((freeBytes / totalBytes) * 100) : 0;
  return (
    `Ổ đĩa chứa dữ liệu chỉ còn trống ${bytesVi(freeBytes)} trên ${bytesVi(totalBytes)} (${share} %). ` +
    'Khi ổ đầy, máy chủ không ghi được phiếu mới và không sao lưu được: hãy xoá bớt tệp không cần trên ổ này (không xoá thư mục dữ liệu), hoặc chuyển thư mục dữ liệu sang ổ lớn hơn.'
  );
}
