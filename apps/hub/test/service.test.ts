import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ADMIN_PASSWORD, client, disposeHub, HUB_CLI, kiosk, rid, startHubProcess, tryConnect, unwrap, until, type HubProcess } from '@xephang/testing';
import { localDay, logFileName } from '../src/log-file';
import { UNIT_FILE, unquoteExec } from '../src/service/systemd';

const ROOT = resolve(dirname(HUB_CLI), '../../../..');
const work = mkdtempSync(join(tmpdir(), 'xephang-service-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the built command line to the end; `prefix` runs it through another program (setpriv). */
function cli(args: string[], opts: { env?: Record<string, string>; prefix?: string[] } = {}): Promise<{ code: number | null; out: string; err: string }> {
  const [command, ...rest] = [...(opts.prefix ?? []), process.execPath, HUB_CLI, ...args];
  const child = spawn(command!, rest, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, out, err })));
}

/** A port nothing listens on right now (a unit names its port). */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const logDir = (dataDir: string) => join(dataDir, 'logs');
/** Every log file's text, oldest rotated first (hub-DAY.9.log … .1.log, then hub-DAY.log). */
function logText(dataDir: string): string {
  if (!existsSync(logDir(dataDir))) return '';
  const rank = (name: string) => Number(/\.(\d+)\.log$/.exec(name)?.[1] ?? 0);
  return readdirSync(logDir(dataDir))
    .sort((a, b) => a.slice(0, 14).localeCompare(b.slice(0, 14)) || rank(b) - rank(a))
    .map((name) => readFileSync(join(logDir(dataDir), name), 'utf8'))
    .join('');
}
/** The log's lines without their time. */
const logLines = (dataDir: string) =>
  logText(dataDir)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.slice(l.indexOf(' ') + 1));

describe('npm run service -- install / status / uninstall (Linux, systemd)', () => {
  it('install --unit-dir --no-systemctl writes the unit --print shows, creates the data folder; status and uninstall read it back', async () => {
    const unitDir = join(work, 'units');
    const dataDir = join(work, 'center', 'data');
    const hubArgs = ['--data-dir', dataDir, '--port', '8181', '--host', '127.0.0.1'];
    const printed = await cli(['service', 'install', ...hubArgs, '--print']);
    expect(printed.code).toBe(0);
    expect(existsSync(dataDir)).toBe(false);

    const installed = await cli(['service', 'install', ...hubArgs, '--unit-dir', unitDir, '--no-systemctl']);
    expect(installed.err).toBe('');
    expect(installed.code).toBe(0);
    const unit = readFileSync(join(unitDir, UNIT_FILE), 'utf8');
    expect(`${unit.trimEnd()}\n`).toBe(printed.out);
    expect(unit).toContain(`ExecStart=${process.execPath} ${HUB_CLI} --data-dir ${dataDir} --port 8181 --host 127.0.0.1 --log\n`);
    expect((statSync(join(unitDir, UNIT_FILE)).mode & 0o777).toString(8)).toBe('644');
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(installed.out).toContain(`Đã ghi ${join(unitDir, UNIT_FILE)}.`);
    expect(installed.out).toContain('(--no-systemctl: bỏ qua systemctl daemon-reload)');
    expect(installed.out).toContain('(--no-systemctl: bỏ qua systemctl enable --now xephang-hub)');
    expect(installed.out).toContain(`mật khẩu quản trị và ghi vào ${join(dataDir, 'admin-password.txt')}`);

    // Nothing answers yet: status says so, and that there is no log.
    const idle = await cli(['service', 'status', '--unit-dir', unitDir, '--no-systemctl']);
    expect(idle.code).toBe(0);
    expect(idle.out).toContain(`Dịch vụ xephang-hub: đã cài (${join(unitDir, UNIT_FILE)})`);
    expect(idle.out).toContain('Máy chủ KHÔNG trả lời trên cổng 8181');
    expect(idle.out).toContain(`Chưa có nhật ký trong ${logDir(dataDir)}`);

    // The hub that unit runs, started the way it says (its own port here, the unit's would be taken on a busy machine).
    const hub = await startHubProcess({ dataDir, args: ['--log'] });
    try {
      writeFileSync(join(unitDir, UNIT_FILE), unit.replace('--port 8181', `--port ${hub.port}`));
      const running = await cli(['service', 'status', '--unit-dir', unitDir, '--no-systemctl']);
      expect(running.code).toBe(0);
      expect(running.out).toContain('Không hỏi được systemd: bỏ qua systemctl (--no-systemctl)');
      expect(running.out).toContain(`Máy chủ trả lời trên cổng ${hub.port}`);
      expect(running.out).toContain(`http://127.0.0.1:${hub.port}/kiosk`);
      expect(running.out).toContain(`http://127.0.0.1:${hub.port}/counter/9`);
      expect(running.out).toMatch(new RegExp(`Nhật ký, \\d+ dòng cuối \\(${join(logDir(dataDir), logFileName(localDay(Date.now())))}\\)`));
      expect(running.out).toMatch(/\n {2}\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d Tên được chấp nhận \(Host\)/);
    } finally {
      await hub.stop();
    }

    const removed = await cli(['service', 'uninstall', '--unit-dir', unitDir, '--no-systemctl']);
    expect(removed.code).toBe(0);
    expect(removed.out).toContain(`Thư mục dữ liệu ${dataDir} được giữ nguyên`);
    expect(existsSync(join(unitDir, UNIT_FILE))).toBe(false);
    expect(existsSync(join(dataDir, 'xephang.sqlite'))).toBe(true);
    const gone = await cli(['service', 'status', '--unit-dir', unitDir, '--no-systemctl']);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('Không xem được trạng thái dịch vụ: Dịch vụ xephang-hub chưa được cài');
  });

  it("the unit's ExecStart, run word for word, starts the hub with its log on, even from a folder named with spaces, % and $", async () => {
    const unitDir = join(work, 'units-run');
    const dataDir = join(work, 'dữ liệu 100% $HOME');
    const port = await freePort();
    const installed = await cli(['service', 'install', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', '--no-discovery', '--unit-dir', unitDir, '--no-systemctl']);
    expect(installed.code).toBe(0);
    const unit = readFileSync(join(unitDir, UNIT_FILE), 'utf8');
    const [node, ...words] = unquoteExec(/^ExecStart=(.*)$/m.exec(unit)![1]!);
    expect(words).toEqual([HUB_CLI, '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', '--no-discovery', '--log']);
    // As systemd starts it: from WorkingDirectory, with no password in its environment.
    const env = { ...process.env };
    delete env.XEPHANG_ADMIN_PASSWORD;
    const child = spawn(node!, words, { cwd: /^WorkingDirectory=(.*)$/m.exec(unit)![1], env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((done) => child.once('exit', done));
    try {
      await until(() => out.includes(`ready on port ${port}`), 'the hub the unit runs', 45_000);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(existsSync(join(dataDir, 'admin-password.txt'))).toBe(true);
    expect(logLines(dataDir)).toContain(`xephang hub ready on port ${port}`);
    expect(logLines(dataDir)).toContain(`Dữ liệu: ${dataDir}`);
    expect(logLines(dataDir).at(-1)).toBe('Đã dừng.');
  });

  it('refuses without root, giving the sudo command to run, and writes nothing', async () => {
    const unitDir = join(work, 'units-refused');
    // The other account must be able to read the unit, as it can read /etc/systemd/system.
    chmodSync(work, 0o755);
    // As root (CI), the same command as the nobody account; otherwise as this user.
    const prefix = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    for (const action of ['install', 'stop', 'start', 'uninstall']) {
      if (action !== 'install') {
        mkdirSync(unitDir, { recursive: true });
        writeFileSync(join(unitDir, UNIT_FILE), '[Service]\nExecStart=/usr/bin/node cli.js --data-dir /srv/x --port 8080\n');
      }
      const r = await cli(['service', action, '--unit-dir', unitDir, '--data-dir', '/srv/xephang/data'], { prefix });
      expect(r.code).toBe(1);
      expect(r.err).toContain('cần quyền quản trị (root). Chạy lại bằng sudo:');
      expect(r.err).toContain(`sudo ${process.execPath} ${HUB_CLI} service ${action} --unit-dir ${unitDir} --data-dir /srv/xephang/data`);
      if (action === 'install') expect(existsSync(unitDir)).toBe(false);
      else expect(existsSync(join(unitDir, UNIT_FILE))).toBe(true);
    }
  });

  it('refuses what it cannot install, in Vietnamese: an unknown user, a bad port, an unknown action', async () => {
    const unitDir = join(work, 'units-bad');
    const user = await cli(['service', 'install', '--user', 'khong-co-nguoi-nay', '--unit-dir', unitDir, '--no-systemctl', '--data-dir', join(work, 'd1')]);
    if (process.getuid?.() === 0) {
      expect(user.code).toBe(1);
      expect(user.err).toContain('Không có người dùng "khong-co-nguoi-nay" trên máy này');
      expect(existsSync(join(unitDir, UNIT_FILE))).toBe(false);
    }
    const port = await cli(['service', 'install', '--port', '0', '--print']);
    expect(port.code).toBe(1);
    expect(port.err).toBe('Không cài được dịch vụ: --port cần một số nguyên từ 1 đến 65535, không phải "0".\n');
    const action = await cli(['service', 'reinstall']);
    expect(action.code).toBe(2);
    expect(action.err).toContain('Không hiểu "reinstall": dùng install, status, start, stop, uninstall.');
  });

  it('npm run service refuses to run when the hub is not built, instead of building it', async () => {
    // The script alone in a tree with no build beside it.
    const tree = join(work, 'unbuilt');
    mkdirSync(join(tree, 'scripts'), { recursive: true });
    copyFileSync(join(ROOT, 'scripts/built-cli.mjs'), join(tree, 'scripts/built-cli.mjs'));
    const child = spawn(process.execPath, [join(tree, 'scripts/built-cli.mjs'), 'service', 'install'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((done) => child.once('close', done));
    expect(code).toBe(1);
    expect(err).toContain('Chưa build máy chủ');
    expect(err).toContain('hãy chạy npm run build');
    expect(existsSync(join(tree, 'apps'))).toBe(false);
  });
});

describe("the hub's own log in its data folder (--log)", () => {
  let hubs: HubProcess[] = [];
  afterAll(async () => {
    for (const hub of hubs) await disposeHub(hub);
    hubs = [];
  });
  const start = async (opts: Parameters<typeof startHubProcess>[0]) => {
    const hub = await startHubProcess(opts);
    hubs.push(hub);
    return hub;
  };

  it('never holds the admin password, given by XEPHANG_ADMIN_PASSWORD or generated, whatever the hub did', async () => {
    const given = await start({ args: ['--log'] });
    const boss = await client(given, { role: 'admin', password: ADMIN_PASSWORD });
    expect(await tryConnect(given, { role: 'admin', password: `${ADMIN_PASSWORD}-sai` })).not.toBe('connected');
    const stranger = await tryConnect(given, { role: 'admin', password: ADMIN_PASSWORD.toUpperCase() });
    expect(stranger).not.toBe('connected');
    boss.close();
    await given.stop();

    const generated = await start({ args: ['--log'], env: { XEPHANG_ADMIN_PASSWORD: '' } });
    const file = join(generated.dataDir, 'admin-password.txt');
    const password = /admin password\): (\S+)/.exec(readFileSync(file, 'utf8'))![1]!;
    const admin = await client(generated, { role: 'admin', password });
    admin.close();
    await generated.stop();

    for (const [hub, secret] of [
      [given, ADMIN_PASSWORD],
      [generated, password],
    ] as const) {
      const text = logText(hub.dataDir);
      expect(text).toContain('xephang hub ready on port');
      expect(text).toContain('Đã dừng.');
      expect(text).not.toContain(secret);
      // Nor what journald or WinSW keep: the process's own output.
      expect(hub.output()).not.toContain(secret);
      for (const name of readdirSync(hub.dataDir, { recursive: true }) as string[]) {
        if (name === 'admin-password.txt' || !statSync(join(hub.dataDir, name)).isFile() || name.endsWith('.sqlite') || name.includes('.sqlite-')) continue;
        expect([name, readFileSync(join(hub.dataDir, name)).includes(secret)]).toEqual([name, false]);
      }
    }
    // The log says where the generated password is, without it.
    expect(logText(generated.dataDir)).toContain(`Mật khẩu quản trị đã được ghi vào ${file}`);
  });

  it('in a terminal shows the generated password on the screen only, never in the log file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xephang-test-'));
    const command = [process.execPath, HUB_CLI, '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--no-discovery', '--log'].join(' ');
    // `script` gives the hub a real terminal (util-linux, in every Debian); Ctrl+C stops it as a person would.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, XEPHANG_ADMIN_PASSWORD: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
    const exited = new Promise((done) => child.once('exit', done));
    try {
      await until(() => /Mật khẩu quản trị \(chỉ hiện MỘT lần, hãy ghi lại\): \S+/.test(screen), 'the password on the screen', 45_000);
      child.stdin.write('\x03');
      await until(() => screen.includes('Nhận SIGINT'), 'Ctrl+C taken', 10_000);
    } finally {
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
      child.kill('SIGKILL');
    }
    const password = /Mật khẩu quản trị \(chỉ hiện MỘT lần, hãy ghi lại\): (\S+)/.exec(screen)![1]!;
    expect(existsSync(join(dataDir, 'admin-password.txt'))).toBe(false);
    const text = logText(dataDir);
    expect(text).toContain('xephang hub ready on port');
    expect(text).toContain('Đã dừng.');
    expect(text).not.toContain(password);
    expect(text).not.toContain('Mật khẩu quản trị');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rotates by size and keeps every line in order, across a restart', async () => {
    // 0.002 MB = 2097 bytes: the start-up lines alone fill two files.
    const first = await start({ args: ['--log', '--log-max-mb', '0.002'] });
    await first.stop();
    const again = await startHubProcess({ dataDir: first.dataDir, port: first.port, args: ['--log', '--log-max-mb', '0.002'] });
    hubs.push(again);
    await again.stop();
    const names = readdirSync(logDir(first.dataDir));
    const today = localDay(Date.now());
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).toContain(logFileName(today));
    expect(names).toContain(logFileName(today, 1));
    for (const name of names) expect(statSync(join(logDir(first.dataDir), name)).size).toBeLessThanOrEqual(2097);
    const lines = logLines(first.dataDir);
    expect(lines.filter((l) => l.startsWith('xephang hub ready on port'))).toHaveLength(2);
    expect(lines.filter((l) => l === 'Đã dừng.')).toHaveLength(2);
    // In order: the first run's stop before the second run's start.
    expect(lines.indexOf('Đã dừng.')).toBeLessThan(lines.lastIndexOf(`xephang hub ready on port ${again.port}`));
    expect(lines.at(-1)).toBe('Đã dừng.');
  });

  it('removes the files of days older than --log-days when it starts, and nothing else', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xephang-test-'));
    mkdirSync(logDir(dataDir));
    const daysAgo = (n: number) => localDay(Date.now() - n * 86_400_000);
    const old = [logFileName(daysAgo(40)), logFileName(daysAgo(40), 2), logFileName(daysAgo(8))];
    const kept = [logFileName(daysAgo(6)), 'ghi-chu.txt'];
    for (const name of [...old, ...kept]) writeFileSync(join(logDir(dataDir), name), 'x\n');
    const hub = await start({ dataDir, args: ['--log', '--log-days', '7'] });
    await until(() => old.every((name) => !existsSync(join(logDir(dataDir), name))), 'the old days removed');
    expect(readdirSync(logDir(dataDir)).sort()).toEqual([...kept, logFileName(localDay(Date.now()))].sort());
    await hub.stop();
  });

  it('on a full disk says so once on stderr and keeps serving', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xephang-test-'));
    mkdirSync(logDir(dataDir));
    // /dev/full takes the open and refuses every write with ENOSPC.
    symlinkSync('/dev/full', join(logDir(dataDir), logFileName(localDay(Date.now()))));
    const hub = await start({ dataDir, args: ['--log'] });
    const k = await kiosk(hub);
    const ticket = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(ticket.ticket.number).toBe(2001);
    k.close();
    expect(hub.output().match(/Không ghi được nhật ký trong/g)).toHaveLength(1);
    expect(hub.output()).toContain('ENOSPC');
    expect(hub.output()).toContain('máy chủ vẫn chạy');
  });

  it('a start that fails says why in the log file too (a service has no one watching its terminal)', async () => {
    const hub = await start({ args: ['--log'] });
    const second = await cli(['--data-dir', hub.dataDir, '--port', '0', '--host', '127.0.0.1', '--no-discovery', '--log']);
    expect(second.code).toBe(1);
    expect(second.err).toContain('đang được một máy chủ xephang khác dùng');
    expect(logText(hub.dataDir)).toMatch(/Không khởi động được máy chủ: Thư mục dữ liệu .* đang được một máy chủ xephang khác dùng/);
  });

  it("stops cleanly on node-windows' shutdown message (Windows has no SIGTERM), flushing its log", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xephang-test-'));
    const child = fork(HUB_CLI, ['--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--no-discovery', '--log'], {
      env: { ...process.env, XEPHANG_ADMIN_PASSWORD: ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    await until(() => out.includes('ready on port'), 'the forked hub ready', 45_000);
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    child.send('shutdown');
    expect(await exited).toBe(0);
    expect(logLines(dataDir).slice(-2)).toEqual(['Nhận shutdown, đang dừng…', 'Đã dừng.']);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses bad log options in Vietnamese before starting', async () => {
    const days = await cli(['--log', '--log-days', '0', '--data-dir', join(work, 'bad-log')]);
    expect(days.code).toBe(2);
    expect(days.err).toContain('--log-days cần một số nguyên từ 1 đến 3650, không phải "0"');
    const size = await cli(['--log', '--log-max-mb', 'mười', '--data-dir', join(work, 'bad-log')]);
    expect(size.code).toBe(2);
    expect(size.err).toContain('--log-max-mb cần một số từ 0.001 đến 1024, không phải "mười"');
    expect(existsSync(join(work, 'bad-log'))).toBe(false);
  });
});
