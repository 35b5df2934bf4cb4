import type { BackupView } from '@xephang/protocol';

/** Room kept free beyond the next backups: the database and its WAL grow on the same disk. */
export const SPACE_MARGIN_BYTES = 100 * 1024 * 1024;
/** How many more backups the free space must hold before the admin is warned. */
export const NEXT_BACKUPS = 3;

/** A size as the page and the command line say it: `12,3 MB`. */
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;

export interface WarningFacts {
  /** Why the last backup could not be made at all, until one is. */
  lastFailure?: string | undefined;
  /** The kept backups, newest first. */
  backups: readonly BackupView[];
  /** The last two hub days this hub process saw. */
  seenDays: readonly string[];
  /** The free space of each folder the backups go to (the local one, the second destination). */
  disks: readonly { folder: string; freeBytes: number }[];
}

/**
 * The red line of the admin's system page, every reason at once, or null: the last backup
 * not made, failed its check or its copy; two days the hub ran without one; a disk that will
 * not hold the next few backups (sized by the newest) and a margin.
 */
export function backupsWarning(f: WarningFacts): string | null {
  const lines: string[] = [];
  if (f.lastFailure) lines.push(f.lastFailure);
  const newest = f.backups[0];
  if (newest?.check.state === 'failed') lines.push(`Bản sao lưu mới nhất (${newest.file}) không qua kiểm tra: ${newest.check.message ?? ''}`);
  if (newest?.copy.state === 'failed') lines.push(`Bản sao lưu mới nhất chưa chép được sang nơi thứ hai: ${newest.copy.message ?? ''}`);
  const lastTwo = f.seenDays.slice(-2);
  if (lastTwo.length === 2 && !f.backups.some((b) => lastTwo.includes(b.day))) {
    lines.push(`Hai ngày máy chủ chạy gần nhất (${lastTwo.join(', ')}) không có bản sao lưu nào.`);
  }
  if (newest) {
    const needed = NEXT_BACKUPS * newest.bytes + SPACE_MARGIN_BYTES;
    for (const disk of f.disks) {
      if (disk.freeBytes >= needed) continue;
      lines.push(
        `Ổ đĩa chứa ${disk.folder} chỉ còn ${mb(disk.freeBytes)} trống, không đủ cho ${NEXT_BACKUPS} bản sao lưu tới (mỗi bản khoảng ${mb(newest.bytes)}) ` +
          `và ${mb(SPACE_MARGIN_BYTES)} dự phòng: hãy giải phóng chỗ trống hoặc giảm số ngày giữ.`,
      );
    }
  }
  return lines.length > 0 ? lines.join(' ') : null;
}
