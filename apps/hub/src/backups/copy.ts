import { constants } from 'node:fs';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve as resolvePath } from 'node:path';

/** Chunks the copy reads and writes: awaited one by one, so the hub keeps serving between them. */
const CHUNK_BYTES = 1024 * 1024;

export interface CopyOptions {
  chunkBytes?: number;
  /** Asked between chunks: the hub is stopping, the copy ends (its partial file removed). */
  stopped?: () => boolean;
}

/**
 * Copies a finished backup into the second destination (a USB drive, a network folder) the way
 * a pulled drive cannot leave a file that looks whole: written under a temporary name, synced,
 * then renamed; the folder synced where the system allows. On any error the temporary file is
 * removed when the folder still answers.
 * @throws Error with a Vietnamese message saying what happened and what to check.
 */
export async function copyToDir(source: string, dir: string, name: string, options: CopyOptions = {}): Promise<void> {
  const target = join(dir, name);
  const partial = `${target}.partial`;
  try {
    const from = await open(source, 'r');
    try {
      const to = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
      try {
        const buffer = Buffer.alloc(options.chunkBytes ?? CHUNK_BYTES);
        for (let at = 0; ; ) {
          if (options.stopped?.()) throw new Error('máy chủ đang dừng');
          const { bytesRead } = await from.read(buffer, 0, buffer.length, at);
          if (bytesRead === 0) break;
          for (let done = 0; done < bytesRead; ) done += (await to.write(buffer, done, bytesRead - done, at + done)).bytesWritten;
          at += bytesRead;
        }
        await to.sync();
      } finally {
        await to.close();
      }
    } finally {
      await from.close();
    }
    await rename(partial, target);
    await syncDir(dir);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw new Error(copyProblem(error, dir));
  }
}

/** fsync of the folder, so the rename itself survives a power cut; not every system allows it (Windows). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file itself is synced; the rename may be lost on a power cut there, and is made again next time.
  }
}

function copyProblem(error: unknown, dir: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const text = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return `Không chép được sang ${dir}: thư mục không còn (ổ USB bị rút hay thư mục mạng bị ngắt?). Hãy cắm lại ổ; lần sao lưu sau sẽ chép lại.`;
    case 'EIO':
      return `Không chép được sang ${dir}: lỗi đọc ghi (ổ USB bị rút khi đang chép?). Bản chép dở đã được xóa; lần sao lưu sau sẽ chép lại.`;
    case 'ENOSPC':
      return `Không chép được sang ${dir}: ổ đĩa đã đầy. Hãy xóa bớt tệp trên ổ đó hoặc dùng ổ lớn hơn.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `Không chép được sang ${dir}: không có quyền ghi (ổ chỉ đọc, hay thư mục bị khóa). Hãy kiểm tra ổ đĩa.`;
    default:
      return `Không chép được sang ${dir}: ${code ?? text}.`;
  }
}

/** Whether `path` is `dir` or inside it. */
function within(dir: string, path: string): boolean {
  const inside = relative(dir, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

function insideDataDir(dataDir: string): string {
  return `Nơi sao lưu thứ hai không được nằm trong thư mục dữ liệu (${dataDir}): hỏng ổ đĩa là mất cả hai. Hãy chọn một ổ USB hay thư mục mạng.`;
}

/**
 * Why `dir` cannot be the second destination, or undefined when it can: absolute, an existing
 * folder that takes a write (a file written, synced and removed), and not inside the data folder
 * (a copy there is lost with the disk it should survive). The checks touch the folder: async.
 */
export async function secondDirProblem(dir: string, dataDir: string): Promise<string | undefined> {
  if (!isAbsolute(dir)) return `Nơi sao lưu thứ hai phải là đường dẫn đầy đủ (ví dụ /media/usb/xephang hoặc E:\\xephang), không phải "${dir}".`;
  // Said first, whether or not the folder exists yet: the data folder's own backups/ is made later.
  if (within(resolvePath(dataDir), resolvePath(dir))) return insideDataDir(dataDir);
  let real: string;
  try {
    if (!(await stat(dir)).isDirectory()) return `${dir} không phải là thư mục.`;
    real = await realpath(dir);
  } catch {
    return `Thư mục ${dir} không tồn tại (ổ USB chưa cắm, hay thư mục mạng chưa được gắn?). Hãy tạo hoặc gắn nó trước.`;
  }
  const data = await realpath(dataDir).catch(() => dataDir);
  if (within(data, real)) return insideDataDir(dataDir);
  const probe = join(real, `.xephang-write-test-${process.pid}`);
  try {
    const handle = await open(probe, 'w', 0o600);
    try {
      await handle.write('xephang');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rm(probe);
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    return `Không ghi được vào ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)}): ổ chỉ đọc, đầy, hay không có quyền ghi.`;
  }
  return undefined;
}
