import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { diskOf, diskWarning, LOW_DISK_BYTES } from './system-status';

const GB = 1024 ** 3;

describe("the data folder's disk", () => {
  it('warns under 1 GB free or under 5 % free, saying how much is left and what to do', () => {
    // A 32 GB mini PC with 4 GB free (12 %), a 500 GB disk with 30 GB free (6 %): no warning.
    expect(diskWarning(4 * GB, 32 * GB)).toBeNull();
    expect(diskWarning(30 * GB, 500 * GB)).toBeNull();
    // Under 1 GB on any disk.
    expect(diskWarning(LOW_DISK_BYTES - 1, 2048 * GB)).not.toBeNull();
    expect(diskWarning(700 * 1024 ** 2, 2048 * GB)).toBe(
      'Ổ đĩa chứa dữ liệu chỉ còn trống 700 MB trên 2 TB (0 %). Khi ổ đầy, máy chủ không ghi được phiếu mới và không sao lưu được: hãy xoá bớt tệp không cần trên ổ này (không xoá thư mục dữ liệu), hoặc chuyển thư mục dữ liệu sang ổ lớn hơn.',
    );
    // Under 5 % of a big disk, though many GB.
    expect(diskWarning(20 * GB, 500 * GB)).toContain('còn trống 20 GB trên 500 GB (4 %)');
    // A full disk.
    expect(diskWarning(0, 32 * GB)).toContain('còn trống 0 byte trên 32 GB (0 %)');
  });

  it('says why when the disk cannot be read, instead of failing the whole status', () => {
    const missing = join(__dirname, 'no-such-folder');
    const disk = diskOf(missing);
    expect(disk).toMatchObject({ dataDir: missing, freeBytes: 0, totalBytes: 0 });
    expect(disk.warning).toMatch(/^Không đọc được dung lượng ổ đĩa chứa dữ liệu \(.*ENOENT/);
  });
});
