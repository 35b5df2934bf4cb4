import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** A start-up problem the technician can fix: its message says what to do, and no stack is shown. */
export class StartError extends Error {
  override name = 'StartError';
}

/** Who runs this process, for messages that say whom to give a folder to. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

/**
 * Creates the data folder if needed and proves it takes a real write (a file written, synced
 * and removed), so a hub that cannot keep tickets never says it is ready.
 * @throws StartError saying what to fix.
 */
export function prepareDataDir(dir: string): void {
  const user = currentUser();
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new StartError(`${dir} không phải là thư mục (đã có một tệp trùng tên). Hãy chọn thư mục dữ liệu khác bằng --data-dir.`);
    }
    throw new StartError(
      `Không tạo được thư mục dữ liệu ${dir} (${code ?? String(error)}). Hãy tạo thư mục đó và cho người dùng "${user}" quyền ghi ` +
        `(Linux: sudo mkdir -p ${dir} && sudo chown ${user} ${dir}), hoặc chọn thư mục khác bằng --data-dir.`,
    );
  }
  if (!statSync(dir).isDirectory()) {
    throw new StartError(`${dir} không phải là thư mục (đã có một tệp trùng tên). Hãy chọn thư mục dữ liệu khác bằng --data-dir.`);
  }
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    const fd = openSync(probe, 'w', 0o600);
    try {
      writeSync(fd, 'xephang');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartError(
      `Không ghi được vào thư mục dữ liệu ${dir} (${code ?? String(error)}): máy chủ không thể lưu phiếu nào. ` +
        `Hãy cho người dùng "${user}" quyền ghi vào thư mục này (Linux: sudo chown -R ${user} ${dir}), ` +
        'kiểm tra ổ đĩa còn chỗ và không bị gắn chỉ đọc, hoặc chọn thư mục khác bằng --data-dir.',
    );
  }
}

/**
 * Writes a file only this user can read (mode 0600), replacing any earlier one rather than
 * writing through it (it may be a link, or readable by others).
 */
export function writePrivateFile(file: string, text: string): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What the hub holding a data folder says about itself to another that asks. */
export interface LockHolder {
  pid: number;
  port: number | null;
}

export interface DataDirLock {
  release: () => Promise<void>;
}

/**
 * Where the lock of a data folder listens: a local socket named after the folder's identity
 * (device and inode, so a symlink or a second path to it is the same folder). On Linux it is an
 * abstract socket and on Windows a named pipe: both vanish with the process that listens, even
 * when it is killed, so a power cut or SIGKILL never leaves a stale lock. Elsewhere it is a socket
 * file in the folder, removed when nobody answers on it.
 */
function lockAddress(dir: string): { address: string; file: boolean } {
  const st = statSync(dir);
  const key = createHash('sha256').update(`${st.dev}:${st.ino}`).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return { address: `\\\\.\\pipe\\xephang-hub-${key}`, file: false };
  if (process.platform === 'linux') return { address: `\0xephang-hub-${key}`, file: false };
  return { address: join(dir, '.hub.lock'), file: true };
}

/** Asks the process listening on a lock who it is; undefined when nobody answers. */
function askHolder(address: string): Promise<LockHolder | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(address);
    let text = '';
    const done = (holder: LockHolder | undefined) => {
      socket.destroy();
      resolve(holder);
    };
    socket.setTimeout(2000, () => done({ pid: 0, port: null }));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => {
      try {
        const parsed = JSON.parse(text) as Partial<LockHolder>;
        done({ pid: Number(parsed.pid ?? 0), port: typeof parsed.port === 'number' ? parsed.port : null });
      } catch {
        done({ pid: 0, port: null });
      }
    });
    socket.on('error', () => done(undefined));
  });
}

/** The hub holding `dir`, if one runs (for the command line's messages). */
export async function dataDirHolder(dir: string): Promise<LockHolder | undefined> {
  return askHolder(lockAddress(dir).address);
}

/**
 * Takes the data folder for this process, so two hubs never number tickets from one database.
 * Not SQLite's exclusive mode: the report command reads the database while the hub runs.
 * @throws StartError when another hub holds it.
 */
export async function lockDataDir(dir: string, port: () => number | null): Promise<DataDirLock> {
  const { address, file } = lockAddress(dir);
  for (let attempt = 0; ; attempt++) {
    const server: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(JSON.stringify({ pid: process.pid, port: port() } satisfies LockHolder));
    });
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(address, () => resolve(undefined));
    });
    if (!error) {
      // The lock must not keep the process alive by itself.
      server.unref();
      return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    if (error.code !== 'EADDRINUSE') {
      throw new StartError(`Không giữ được thư mục dữ liệu ${dir} cho máy chủ này (${error.code ?? error.message}).`);
    }
    const holder = await askHolder(address);
    if (!holder && file && attempt === 0) {
      // A socket file left by a hub that died: nobody listens on it any more.
      unlinkSync(address);
      continue;
    }
    const who = holder && holder.pid > 0 ? ` (PID ${holder.pid}${holder.port === null ? '' : `, cổng ${holder.port}`})` : '';
    throw new StartError(
      `Thư mục dữ liệu ${dir} đang được một máy chủ xephang khác dùng${who}. Hai máy chủ trên cùng một thư mục sẽ cấp trùng số thứ tự: ` +
        'hãy dùng máy chủ đang chạy, hoặc dừng nó trước (Ctrl+C, hoặc dừng dịch vụ) rồi chạy lại.',
    );
  }
}
