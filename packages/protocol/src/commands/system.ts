import { z } from 'zod';
import { Empty } from './common';

/**
 * The admin's "system" page (issue 17): how the hub PC itself is doing, and the backups that
 * would bring a center back after a broken disk. Read on demand (the page asks every few
 * seconds while it is open), never broadcast.
 */

/** How a backup's check came out: opened in a child process, `integrity_check`, its schema version. */
export type BackupCheckState = 'pending' | 'ok' | 'failed';
/** Whether the finished file reached the second destination (a USB drive, a network folder). */
export type BackupCopyState = 'none' | 'pending' | 'copied' | 'failed';

/** One kept backup file, as the admin sees it. */
export interface BackupView {
  /** The file's name in the data folder's `backups/` (never a path from a client). */
  file: string;
  /** The hub day it was made for (YYYY-MM-DD, the hub's clock, as the file's name). */
  day: string;
  /** When it was made, hub clock, ms. */
  madeAt: number;
  bytes: number;
  /** The database's schema version inside it (its `user_version`, what db/open.ts migrates by), once checked. */
  schemaVersion: number | null;
  check: { state: BackupCheckState; at: number | null; message: string | null };
  copy: { state: BackupCopyState; at: number | null; message: string | null };
}

/** Every kept backup, and where they go. */
export interface BackupsView {
  /** The local folder (`<data>/backups`), for the technician. */
  dir: string;
  /** The admin's second destination, null when none is set. */
  secondDir: string | null;
  /** Days of backups kept (older ones are removed, by the day in their name). */
  keepDays: number;
  /** Newest first. */
  backups: BackupView[];
  /** What the kept backups take on disk together. */
  totalBytes: number;
  /** A Vietnamese warning the page shows in red (the last backup failed its check, the disk will not hold the next, none for 2 days…), or null. */
  warning: string | null;
}

/** The hub PC: disk, memory, uptime, version and clock. */
export interface SystemStatus {
  /** The hub's version (package.json of apps/hub). */
  version: string;
  /** When this hub process started, and for how long it has run (ms). */
  startedAt: number;
  uptimeMs: number;
  /** The hub process (`process.memoryUsage()`), bytes. */
  memory: { rssBytes: number; heapUsedBytes: number };
  /** The disk of the data folder (`fs.statfs`), and a warning when little is left. */
  disk: { dataDir: string; freeBytes: number; totalBytes: number; warning: string | null };
  /**
   * The clock: the hub's now, the PC's real now (they differ only under `--fake-clock`), the
   * time zone offset, and a loud warning when the PC's clock jumped while the hub ran or looks
   * wrong (before the newest ticket or the build, far ahead): there is no internet time here.
   */
  clock: { now: number; pcNow: number; fake: boolean; utcOffsetMinutes: number; warning: string | null; jumps: ClockJump[] };
}

/** A jump of the PC's clock the hub saw (wall clock against the monotonic one, between two ticks). */
export interface ClockJump {
  /** Hub clock, ms, after the jump. */
  at: number;
  /** How far: positive forward, negative back. */
  byMs: number;
}

export const BackupSettingsSchema = z.strictObject({
  /**
   * An absolute folder on the hub PC (a USB drive, a mounted network share) or null for none.
   * The hub checks it exists and takes a write before it saves it.
   */
  secondDir: z.string().trim().min(1).max(1024).nullable(),
  keepDays: z.number().int().min(1).max(365),
});
export type BackupSettings = z.infer<typeof BackupSettingsSchema>;

export interface SystemReplies {
  'system:status': SystemStatus;
  'system:backups': BackupsView;
  /** A backup now, made, checked and copied: the view once it is done. */
  'system:backupNow': BackupsView;
  'system:backupSettings': BackupsView;
}

export const SYSTEM_COMMANDS = {
  /** Admin: the hub PC's disk, memory, uptime, version and clock. */
  'system:status': Empty,
  /** Admin: the kept backups, their checks and copies. */
  'system:backups': Empty,
  /** Admin: make a backup now (besides the one at the first moment of each day). */
  'system:backupNow': Empty,
  /** Admin: the second destination and how many days to keep. */
  'system:backupSettings': BackupSettingsSchema,
} as const satisfies { [C in keyof SystemReplies]: z.ZodType };
