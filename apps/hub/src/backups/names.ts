import { addDays, localClock } from '@xephang/core';

/**
 * A backup's name says the hub day it was made for and the hub's wall clock when it was made:
 * `xephang-2025-07-11-080000.sqlite`, with `-2`, `-3`… when one second already has one (a
 * frozen test clock, two quick "back up now"). Pruning and "one a day" read the day from the
 * name alone, so the list is right even when the hub is off and only the files are there.
 */
const NAME = /^xephang-(\d{4}-\d{2}-\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d{1,4}))?\.sqlite$/;
/** How hubs before issue 17 named theirs (the PC's UTC clock): still listed, checked and pruned after an upgrade. */
const OLD_NAME = /^xephang-(\d{4}-\d{2}-\d{2})-(\d{2})-(\d{2})-(\d{2})\.sqlite$/;

export interface BackupName {
  file: string;
  day: string;
  /** HHMMSS on the hub's clock, for ordering within a day. */
  time: string;
  /** 1 for the first of a second, then 2, 3… */
  seq: number;
}

/** The file name for a backup of `day` made at `at` (hub clock); `seq` > 1 for a second one in the same second. */
export function backupFileName(day: string, at: number, utcOffsetMinutes?: number, seq = 1): string {
  const clock = localClock(at, utcOffsetMinutes).toISOString().slice(11, 19).replace(/:/g, '');
  return `xephang-${day}-${clock}${seq > 1 ? `-${seq}` : ''}.sqlite`;
}

/** A backup's name read back; undefined for any other file (the folder may hold others). */
export function parseBackupName(file: string): BackupName | undefined {
  const m = NAME.exec(file) ?? OLD_NAME.exec(file);
  if (!m) return undefined;
  return { file, day: m[1]!, time: `${m[2]}${m[3]}${m[4]}`, seq: Number(m[5] ?? 1) };
}

/** Newest first: by day, then time, then the second's sequence. */
export function newestFirst(a: BackupName, b: BackupName): number {
  if (a.day !== b.day) return a.day < b.day ? 1 : -1;
  if (a.time !== b.time) return a.time < b.time ? 1 : -1;
  return b.seq - a.seq;
}

/** The backups among `files`, newest first. */
export function backupNames(files: readonly string[]): BackupName[] {
  return files.flatMap((f) => parseBackupName(f) ?? []).sort(newestFirst);
}

/**
 * Which backups to remove, by the day in their names: a file stays when its day is one of the
 * `keepDays` days up to `today`, or one of the newest `keepDays` days that have a backup at all,
 * or when it is `keep` (the one just made). The second rule is the one that matters when the
 * clock was wrong: a PC clock set a year ahead once does not wipe every real backup at its
 * first prune, and a clock put back keeps the newest backups (dated after its today).
 */
export function backupsToPrune(files: readonly string[], today: string, keepDays: number, keep?: string): string[] {
  const names = backupNames(files);
  const oldest = addDays(today, -(keepDays - 1));
  const newestDays = new Set([...new Set(names.map((n) => n.day))].slice(0, keepDays));
  return names.filter((n) => n.file !== keep && (n.day < oldest || n.day > today) && !newestDays.has(n.day)).map((n) => n.file);
}
