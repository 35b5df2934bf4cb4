import { describe, expect, it } from '@jest/globals';
import type { BackupView } from '@xephang/protocol';
import { backupsWarning, NEXT_BACKUPS, SPACE_MARGIN_BYTES } from './warning';

const MB = 1024 * 1024;

function backup(day: string, over: Partial<BackupView> = {}): BackupView {
  return {
    file: `xephang-${day}-080000.sqlite`,
    day,
    madeAt: Date.parse(`${day}T08:00:00+07:00`),
    bytes: 40 * MB,
    schemaVersion: 9,
    check: { state: 'ok', at: 0, message: 'Tốt' },
    copy: { state: 'none', at: null, message: null },
    ...over,
  };
}

const plenty = [{ folder: '/srv/xephang/data/backups', freeBytes: 50_000 * MB }];

describe('the backups’ warning', () => {
  it('is null when the newest is checked, copied or not asked to be, and the disk holds the next ones', () => {
    expect(backupsWarning({ backups: [backup('2025-07-11'), backup('2025-07-10')], seenDays: ['2025-07-10', '2025-07-11'], disks: plenty })).toBeNull();
  });

  it('says when the disk will not hold the next backups and a margin, sized by the newest', () => {
    const tight = NEXT_BACKUPS * 40 * MB + SPACE_MARGIN_BYTES - 1;
    const warning = backupsWarning({ backups: [backup('2025-07-11')], seenDays: ['2025-07-11'], disks: [{ folder: '/media/usb', freeBytes: 150 * MB }] });
    expect(warning).toMatch(/^Ổ đĩa chứa \/media\/usb chỉ còn 150,0 MB trống, không đủ cho 3 bản sao lưu tới \(mỗi bản khoảng 40,0 MB\) và 100,0 MB dự phòng/);
    expect(backupsWarning({ backups: [backup('2025-07-11')], seenDays: [], disks: [{ folder: '/media/usb', freeBytes: tight }] })).not.toBeNull();
    expect(backupsWarning({ backups: [backup('2025-07-11')], seenDays: [], disks: [{ folder: '/media/usb', freeBytes: tight + 1 }] })).toBeNull();
  });

  it('says every failure of the last backup at once: not made, failed check, failed copy', () => {
    const warning = backupsWarning({
      lastFailure: 'Không sao lưu được (ngày mới, ngày 2025-07-12): SQLITE_FULL',
      backups: [backup('2025-07-11', { check: { state: 'failed', at: 1, message: 'Bản sao lưu bị hỏng' }, copy: { state: 'failed', at: 1, message: 'ổ đã đầy' } })],
      seenDays: ['2025-07-11'],
      disks: plenty,
    });
    expect(warning).toContain('SQLITE_FULL');
    expect(warning).toContain('Bản sao lưu mới nhất (xephang-2025-07-11-080000.sqlite) không qua kiểm tra: Bản sao lưu bị hỏng');
    expect(warning).toContain('chưa chép được sang nơi thứ hai: ổ đã đầy');
  });

  it('says when the two days the hub ran last have no backup', () => {
    expect(backupsWarning({ backups: [backup('2025-07-09')], seenDays: ['2025-07-10', '2025-07-11'], disks: plenty })).toBe(
      'Hai ngày máy chủ chạy gần nhất (2025-07-10, 2025-07-11) không có bản sao lưu nào.',
    );
    expect(backupsWarning({ backups: [backup('2025-07-10')], seenDays: ['2025-07-10', '2025-07-11'], disks: plenty })).toBeNull();
  });
});
