import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { disposeHub, HUB_CLI, startHubProcess, tryConnect, until, type HubProcess } from '@xephang/testing';

const NOBODY = 65534;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How the hub runs without root's power over permission bits, as a service's user would. The
 * `nobody` user when it can read the built hub; otherwise (a clone under /root, say) root with
 * every capability dropped, which the kernel holds to the permission bits as well.
 */
const unprivileged: { name: string; uid: number; spawn: (args: string[]) => [string, string[], SpawnOptions] } = (() => {
  // Loading the hub's modules reads what the hub reads: its files, the packages, node_modules.
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(HUB_CLI.replace(/cli\.js$/, 'hub.js'))})`], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: tmpdir(),
  });
  if (probe.status === 0) return { name: 'nobody', uid: NOBODY, spawn: (args) => [process.execPath, args, { uid: NOBODY, gid: NOBODY, cwd: tmpdir() }] };
  return {
    name: 'root without capabilities',
    uid: 0,
    spawn: (args) => ['setpriv', ['--bounding-set=-all', '--inh-caps=-all', process.execPath, ...args], { cwd: tmpdir() }],
  };
})();

/** A data folder the unprivileged runner owns (`own`) or may only read. */
function folderFor(own: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-bad-start-'));
  const owner = own === (unprivileged.uid === NOBODY) ? NOBODY : 0;
  chownSync(dir, owner, owner);
  chmodSync(dir, 0o755);
  return dir;
}

/** Runs the built CLI to its exit (a refused start must exit, not hang). */
function runCli(args: string[], opts: { asUnprivileged?: boolean; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  const full = [HUB_CLI, ...args];
  const [command, argv, options] = opts.asUnprivileged ? unprivileged.spawn(full) : [process.execPath, full, {}];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { ...options, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub did not exit within ${opts.timeoutMs ?? 15_000} ms:\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the hub as the unprivileged runner, resolving once ready (or rejecting with its output). */
function startUnprivileged(dataDir: string): Promise<{ stop: () => Promise<void>; output: () => string }> {
  const [command, argv, options] = unprivileged.spawn([HUB_CLI, '--host', '127.0.0.1', '--port', '0', '--no-discovery', '--data-dir', dataDir]);
  const child = spawn(command, argv, { ...options, env: { ...process.env, XEPHANG_ADMIN_PASSWORD: 'test-admin-password' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      if (/ready on port \d+/.test(output)) {
        resolve({
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`hub exited (${code}) before it was ready:\n${output}`)));
  });
}

const helpHint = 'Xem các tùy chọn: npm start -- --help';
const noStack = /\n\s+at /;

describe('a start the hub must refuse', () => {
  const hubs: HubProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const h of hubs) await disposeHub(h);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a second hub on the same data folder, while the first runs; allowed once the first is killed', async () => {
    const first = await startHubProcess();
    hubs.push(first);
    const second = await runCli(['--host', '127.0.0.1', '--port', '0', '--no-discovery', '--data-dir', first.dataDir]);
    expect(second.code).toBe(1);
    expect(second.stdout).not.toContain('ready');
    expect(second.stderr).toContain(`Thư mục dữ liệu ${first.dataDir} đang được một máy chủ xephang khác dùng (PID ${first.child.pid}, cổng ${first.port})`);
    expect(second.stderr).toContain('cấp trùng số thứ tự');
    expect(second.stderr).not.toMatch(noStack);

    // SIGKILL leaves no chance to clean up: the lock must go with the process all the same.
    await first.kill();
    const third = await startHubProcess({ dataDir: first.dataDir });
    hubs.push(third);
    const health = (await (await fetch(`${third.url}/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
  });

  it('a busy port, with the words to fix it', async () => {
    const first = await startHubProcess();
    hubs.push(first);
    const other = mkdtempSync(join(tmpdir(), 'xephang-bad-start-'));
    dirs.push(other);
    const second = await runCli(['--host', '127.0.0.1', '--port', String(first.port), '--no-discovery', '--data-dir', other]);
    expect(second.code).toBe(1);
    expect(second.stdout).not.toContain('ready');
    expect(second.stderr).toBe(`Không khởi động được máy chủ: Cổng ${first.port} đang được dùng — máy chủ đã chạy rồi? Dùng --port\n`);
  });

  it.each([
    [['--frobnicate'], 'Không có tùy chọn --frobnicate.'],
    [['--port'], 'Tùy chọn --port cần một giá trị ngay sau nó.'],
    [['--port', 'http'], 'Cổng không hợp lệ: --port cần một số nguyên từ 0 đến 65535, không phải "http".'],
    [['--port', '70000'], 'Cổng không hợp lệ: --port cần một số nguyên từ 0 đến 65535, không phải "70000".'],
    [['--kiosk-burst', 'many'], 'Số phiếu liền nhau không hợp lệ: --kiosk-burst cần một số nguyên từ 0 đến 1000000, không phải "many".'],
    [['--demo=yes'], 'Tùy chọn --demo không nhận giá trị.'],
    [['--fake-clock', 'yesterday'], '--fake-clock cần một thời điểm ISO, ví dụ 2025-07-10T08:00:00+07:00.'],
    [['data'], 'Không hiểu "data".'],
  ])('bad options %j: a Vietnamese answer pointing to --help, nothing created', async (args, message) => {
    const dataDir = join(tmpdir(), `xephang-never-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const run = await runCli([...args, '--data-dir', dataDir, '--no-discovery']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${message}\n${helpHint}\n`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a data folder that is a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-bad-start-'));
    dirs.push(dir);
    const file = join(dir, 'data');
    writeFileSync(file, 'not a folder');
    const run = await runCli(['--port', '0', '--no-discovery', '--data-dir', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file} không phải là thư mục`);
    expect(run.stderr).toContain('--data-dir');
  });

  it('a data folder whose xephang.sqlite is not a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-bad-start-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'xephang.sqlite'), 'Danh sách cán bộ — not a database, whatever its name says.'.repeat(4));
    const run = await runCli(['--port', '0', '--no-discovery', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('ready');
    expect(run.stderr).toContain(`Không mở được ${join(dir, 'xephang.sqlite')}: tệp không phải cơ sở dữ liệu xephang, hoặc đã hỏng. Hãy chọn đúng thư mục dữ liệu (--data-dir)`);
  });

  it(`a data folder the service's user cannot write (run as ${unprivileged.name})`, async () => {
    const dir = folderFor(false);
    dirs.push(dir);
    const run = await runCli(['--host', '127.0.0.1', '--port', '0', '--no-discovery', '--data-dir', dir], { asUnprivileged: true });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('ready');
    expect(run.stderr).toContain(`Không ghi được vào thư mục dữ liệu ${dir} (EACCES): máy chủ không thể lưu phiếu nào.`);
    expect(run.stderr).toContain(`sudo chown -R`);
    expect(run.stderr).not.toMatch(noStack);
    expect(existsSync(join(dir, 'xephang.sqlite'))).toBe(false);
  });

  it(`a read-only database: never "ready" (run as ${unprivileged.name}); writable again, it starts`, async () => {
    const dir = folderFor(true);
    dirs.push(dir);
    const db = join(dir, 'xephang.sqlite');
    await (await startUnprivileged(dir)).stop();
    expect(existsSync(db)).toBe(true);
    chmodSync(db, 0o444);

    const run = await runCli(['--host', '127.0.0.1', '--port', '0', '--no-discovery', '--data-dir', dir], { asUnprivileged: true });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('ready');
    expect(run.stderr).toContain(`Không ghi được vào ${db}: cơ sở dữ liệu chỉ đọc được, không ghi được`);
    expect(run.stderr).not.toMatch(noStack);

    // The refusal was the permission and nothing else. SQLite gives the journal files it made the
    // database's mode: they go too.
    chmodSync(db, 0o644);
    for (const f of ['-wal', '-shm']) rmSync(db + f, { force: true });
    const again = await startUnprivileged(dir);
    await again.stop();
    expect(again.output()).toContain('ready on port');
  });

  it('/health answers 503 while the database cannot take a write, and 200 once it can', async () => {
    const hub = await startHubProcess();
    hubs.push(hub);
    // Another program holding the write lock: every kiosk tap would wait and fail.
    const other = new Database(hub.dbFile);
    try {
      other.exec('BEGIN IMMEDIATE');
      const locked = await fetch(`${hub.url}/health`);
      expect(locked.status).toBe(503);
      expect(await locked.json()).toEqual({ ok: false, database: 'open', writable: false, error: 'một chương trình khác đang khóa cơ sở dữ liệu để ghi' });
      other.exec('COMMIT');
      const free = await fetch(`${hub.url}/health`);
      expect(free.status).toBe(200);
      expect(await free.json()).toEqual({ ok: true, database: 'open', writable: true });
    } finally {
      other.close();
    }
  });
});

describe('the admin password', () => {
  const hubs: HubProcess[] = [];
  afterAll(async () => {
    for (const h of hubs) await disposeHub(h);
  });

  const fromFile = (file: string): string => {
    const m = /admin password\): (\S+)/.exec(readFileSync(file, 'utf8'));
    if (!m) throw new Error(`no password in ${file}`);
    return m[1]!;
  };

  it('generated without a terminal: written to a file only its user reads (0600), never to the output', async () => {
    const hub = await startHubProcess({ env: { XEPHANG_ADMIN_PASSWORD: '' } });
    hubs.push(hub);
    const file = join(hub.dataDir, 'admin-password.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = fromFile(file);
    expect(password).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    // Printed after the ready line, so it may reach this process a moment later.
    await until(() => hub.output().includes(`Mật khẩu quản trị đã được ghi vào ${file}`), 'the password file named in the output');
    expect(hub.output()).not.toContain(password);
    expect(await tryConnect(hub, { role: 'admin', password })).toBe('connected');
  });

  it('reset from the command line while the hub runs: the new one works at once, the old one no more; and while it is stopped', async () => {
    const hub = await startHubProcess({ env: { XEPHANG_ADMIN_PASSWORD: 'old-password-1' } });
    hubs.push(hub);
    const file = join(hub.dataDir, 'admin-password.txt');
    expect(existsSync(file)).toBe(false);

    const run = await runCli(['reset-admin-password', '--data-dir', hub.dataDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Đã đặt lại mật khẩu quản trị.');
    expect(run.stdout).toContain(`Máy chủ đang chạy (PID ${hub.child.pid}) dùng mật khẩu mới ngay từ lần đăng nhập tiếp theo.`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = fromFile(file);
    expect(run.stdout).not.toContain(password);
    expect(await tryConnect(hub, { role: 'admin', password: 'old-password-1' })).toBe('Sai mật khẩu quản trị.');
    expect(await tryConnect(hub, { role: 'admin', password })).toBe('connected');

    await hub.stop();
    const stopped = await runCli(['reset-admin-password', '--data-dir', hub.dataDir]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).not.toContain('Máy chủ đang chạy');
    const newer = fromFile(file);
    expect(newer).not.toBe(password);
    const restarted = await startHubProcess({ dataDir: hub.dataDir });
    hubs.push(restarted);
    expect(await tryConnect(restarted, { role: 'admin', password: newer })).toBe('connected');
  });

  it('reset on an interactive terminal: shown once, no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-tty-'));
    try {
      const db = new Database(join(dir, 'xephang.sqlite'));
      db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
      db.close();
      // `script` gives the command a pseudo-terminal, as a technician's console would.
      const command = [process.execPath, HUB_CLI, 'reset-admin-password', '--data-dir', dir].map((a) => `'${a}'`).join(' ');
      const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Mật khẩu quản trị \(chỉ hiện MỘT lần, hãy ghi lại\): [a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/);
      expect(existsSync(join(dir, 'admin-password.txt'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reset where there is no database says which folder to give', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-empty-'));
    try {
      const run = await runCli(['reset-admin-password', '--data-dir', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `Không đặt lại được mật khẩu quản trị: Không có cơ sở dữ liệu xephang ở ${dir}. Hãy chỉ đúng thư mục dữ liệu của máy chủ bằng --data-dir (mặc định ./data).\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
