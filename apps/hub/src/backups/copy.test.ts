import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyToDir, secondDirProblem } from './copy';

describe('copying a finished backup to the second destination', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function setup(bytes: number) {
    root = mkdtempSync(join(tmpdir(), 'xephang-copy-'));
    const source = join(root, 'source.sqlite');
    writeFileSync(source, randomBytes(bytes));
    const usb = join(root, 'usb');
    mkdirSync(usb);
    return { source, usb };
  }

  it('copies every byte under the final name, nothing else left', async () => {
    const { source, usb } = setup(3 * 1024 * 1024 + 17);
    await copyToDir(source, usb, 'xephang-2025-07-10-080000.sqlite', { chunkBytes: 256 * 1024 });
    expect(readdirSync(usb)).toEqual(['xephang-2025-07-10-080000.sqlite']);
    expect(readFileSync(join(usb, 'xephang-2025-07-10-080000.sqlite')).equals(readFileSync(source))).toBe(true);
  });

  it('fails in Vietnamese when the drive goes mid-copy, leaves no partial file, and copies again once it is back', async () => {
    const { source, usb } = setup(24 * 1024 * 1024);
    // The drive "pulled" as soon as the copy's temporary file appears on it.
    const watcher = watch(usb, (_event, name) => {
      if (String(name).endsWith('.partial')) rmSync(usb, { recursive: true, force: true });
    });
    try {
      await expect(copyToDir(source, usb, 'xephang-2025-07-10-080000.sqlite', { chunkBytes: 64 * 1024 })).rejects.toThrow(/Không chép được sang .*usb/);
    } finally {
      watcher.close();
    }
    expect(existsSync(usb)).toBe(false);
    mkdirSync(usb);
    await copyToDir(source, usb, 'xephang-2025-07-10-080000.sqlite');
    expect(readdirSync(usb)).toEqual(['xephang-2025-07-10-080000.sqlite']);
  });

  it('stops between chunks when the hub stops, removing its partial file', async () => {
    const { source, usb } = setup(2 * 1024 * 1024);
    let chunks = 0;
    await expect(copyToDir(source, usb, 'b.sqlite', { chunkBytes: 64 * 1024, stopped: () => ++chunks > 3 })).rejects.toThrow(/máy chủ đang dừng/);
    expect(readdirSync(usb)).toEqual([]);
  });
});

describe('the second destination the admin sets', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('must be an absolute, existing, writable folder outside the data folder', async () => {
    root = mkdtempSync(join(tmpdir(), 'xephang-second-'));
    const data = join(root, 'data');
    mkdirSync(join(data, 'backups'), { recursive: true });
    mkdirSync(join(root, 'usb'));
    writeFileSync(join(root, 'file.txt'), 'x');
    expect(await secondDirProblem('usb', data)).toMatch(/đường dẫn đầy đủ/);
    expect(await secondDirProblem(join(root, 'missing'), data)).toMatch(/không tồn tại/);
    expect(await secondDirProblem(join(root, 'file.txt'), data)).toMatch(/không phải là thư mục/);
    expect(await secondDirProblem(data, data)).toMatch(/không được nằm trong thư mục dữ liệu/);
    expect(await secondDirProblem(join(data, 'backups'), data)).toMatch(/không được nằm trong thư mục dữ liệu/);
    // A folder no one may write in, even root (tests run as root here, where a chmod stops nothing).
    if (process.platform === 'linux') expect(await secondDirProblem('/proc', data)).toMatch(/^Không ghi được vào \/proc/);
    expect(await secondDirProblem(join(root, 'usb'), data)).toBeUndefined();
    expect(readdirSync(join(root, 'usb'))).toEqual([]);
  });
});
