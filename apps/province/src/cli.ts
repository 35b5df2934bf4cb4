#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pg from 'pg';
import { addCommune, listCommunes, revokeCommune, rotateCommune, type EnrolmentKeyView } from './communes';
import { migrate, openPool, type Pool } from './db';
import { POSTGRES_MAJOR, startEmbeddedPostgres } from './embedded';
import { Refused } from './refused';
import { newPassword } from './secrets';
import { startProvince } from './server';
import { createUser, hasUsers, listUsers, setAdminPassword, updateUser } from './users';

const HELP = `xephang province — máy chủ tỉnh (nhận số liệu các xã, PostgreSQL ${POSTGRES_MAJOR})

  npm run province -- [--port 8090] [--host 0.0.0.0] [--data ./province-data] [--trust-proxy]
  node apps/province/dist/src/cli.js [tùy chọn]

  --port N        cổng (mặc định 8090; 0 = cổng trống bất kỳ)
  --host ADDR     địa chỉ lắng nghe (mặc định 127.0.0.1: đặt sau một reverse proxy có TLS)
  --data DIR      thư mục của PostgreSQL nhúng, khi không có DATABASE_URL (mặc định ./province-data)
  --trust-proxy   lấy địa chỉ máy gửi từ X-Forwarded-For (chỉ khi đứng sau reverse proxy đặt tiêu đề này)
  --web DIR       thư mục build của các trang (mặc định apps/web/dist; trang của tỉnh là province.html)
  -h, --help      in trang này

  DATABASE_URL    PostgreSQL của tỉnh (postgres://người-dùng:mật-khẩu@máy:5432/csdl). Không đặt thì
                  máy chủ chạy PostgreSQL nhúng trong --data (chạy thử, đơn vị nhỏ).
  XEPHANG_PROVINCE_ADMIN_PASSWORD  mật khẩu của tài khoản admin cho lần chạy đầu; không đặt thì
                  máy chủ tự tạo và in ra MỘT lần.

Quản lý xã (khi máy chủ đang chạy hay đã dừng):

  npm run province -- commune add 00004 "Xã Hà Trung"   tạo xã, in mã đăng ký (dùng một lần, hạn 7 ngày)
  npm run province -- commune rotate 00004              mã đăng ký mới, thu hồi khóa cũ của xã
  npm run province -- commune revoke 00004              thu hồi: xã không gửi được nữa
  npm run province -- commune list                      các xã và tình trạng kết nối
  npm run province -- admin-password                    đặt lại mật khẩu tài khoản admin, mở khoá nó (in ra mật khẩu mới)

Người dùng của tỉnh (mỗi người một mật khẩu; quyền admin: quản trị, viewer: chỉ xem báo cáo):

  npm run province -- user add lan.nt "Nguyễn Thị Lan" viewer   tạo tài khoản, in mật khẩu (một lần)
  npm run province -- user list                                 các tài khoản
  npm run province -- user disable lan.nt                       khoá tài khoản, kết thúc các phiên của nó
  npm run province -- user password lan.nt                      đặt mật khẩu mới (in ra), kết thúc các phiên
  XEPHANG_PROVINCE_USER_PASSWORD  mật khẩu cho user add / user password thay vì mật khẩu tự tạo
`;

/** The database the embedded PostgreSQL holds the province in. */
const EMBEDDED_DATABASE = 'xephang_province';

class UsageError extends Error {}

const OPTIONS = {
  port: { type: 'string', default: '8090' },
  host: { type: 'string', default: '127.0.0.1' },
  data: { type: 'string', default: './province-data' },
  'trust-proxy': { type: 'boolean', default: false },
  web: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

interface Database {
  pool: Pool;
  /** Stops what this process started (the pool; the embedded PostgreSQL if it started it). */
  close: () => Promise<void>;
}

/**
 * The province's database: DATABASE_URL, or the embedded PostgreSQL in `dataDir`: the one
 * already running there (the server, when this is `commune add`; or one left by a killed
 * server), else one started here.
 */
async function openDatabase(dataDir: string, say: (line: string) => void, owner: boolean): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    say(`Cơ sở dữ liệu: PostgreSQL theo DATABASE_URL (${new URL(url).host}).`);
    const pool = openPool(url, say);
    return { pool, close: () => pool.end() };
  }
  const dir = resolve(dataDir);
  const running = await runningEmbedded(dir);
  let maintenance: string;
  let stop = async () => undefined as void;
  if (running) {
    maintenance = running.url;
    say(`Cơ sở dữ liệu: PostgreSQL nhúng đang chạy trong ${dir} (không có DATABASE_URL).`);
    // One left by a server that was killed: the server takes it over and stops it when it stops.
    if (owner) stop = () => stopPid(running.pid);
  } else {
    say(`Cơ sở dữ liệu: không có DATABASE_URL, chạy PostgreSQL ${POSTGRES_MAJOR} nhúng trong ${dir} …`);
    const embedded = await startEmbeddedPostgres({ dataDir: dir, port: 0, log: (line) => say(`PostgreSQL: ${line}`) });
    if (embedded.created) say('PostgreSQL nhúng: đã tạo cơ sở dữ liệu mới.');
    maintenance = embedded.url;
    let stopping = false;
    stop = async () => {
      stopping = true;
      await embedded.stop();
    };
    // Without its database the server could only answer 500: better to stop and be restarted (a service).
    embedded.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`PostgreSQL nhúng đã dừng bất ngờ (${signal ?? code}); máy chủ tỉnh dừng theo.`);
      process.exit(1);
    });
  }
  try {
    const admin = new pg.Client(maintenance);
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
      if (!exists.rowCount) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const target = new URL(maintenance);
  target.pathname = `/${EMBEDDED_DATABASE}`;
  const pool = openPool(target.toString(), say);
  return {
    pool,
    close: async () => {
      await pool.end();
      await stop();
    },
  };
}

/** SIGINT (PostgreSQL's fast shutdown) to `pid`, and wait until it is gone (at most 30 s). */
async function stopPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(pid, 'SIGINT');
  for (let waited = 0; alive() && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
}

/** A PostgreSQL already serving the cluster in `dir` (its postmaster.pid names its pid and port), if it answers. */
async function runningEmbedded(dir: string): Promise<{ url: string; pid: number } | undefined> {
  let lines: string[];
  let password: string;
  try {
    lines = readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
    password = readFileSync(join(dir, 'postgres-password'), 'utf8').trim();
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = lines[3]?.trim();
  if (!port || !Number.isInteger(pid)) return undefined;
  const url = `postgres://xephang:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await probe.connect();
    return { url, pid };
  } catch {
    return undefined;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

const keyLines = (k: EnrolmentKeyView): string =>
  [
    `Xã ${k.code} — ${k.name}`,
    `Mã đăng ký (dùng một lần, hết hạn ${new Date(k.expiresAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}):`,
    `  ${k.enrolmentKey}`,
    'Quản trị xã nhập địa chỉ máy chủ tỉnh và mã này ở trang Quản trị → Tỉnh.',
  ].join('\n');

async function communeCommand(pool: Pool, args: string[]): Promise<void> {
  const [action, code, name] = args;
  const cli = { address: 'cli' };
  if (action === 'add' && code && name) return void console.log(keyLines(await addCommune(pool, { code, name }, cli)));
  if (action === 'rotate' && code) return void console.log(`Đã thu hồi khóa cũ.\n${keyLines(await rotateCommune(pool, code, cli))}`);
  if (action === 'revoke' && code) return void (await revokeCommune(pool, code, cli), console.log(`Đã thu hồi xã ${code}: xã không gửi được số liệu nữa.`));
  if (action === 'list') {
    const rows = await listCommunes(pool);
    if (!rows.length) return void console.log('Chưa có xã nào. Thêm: npm run province -- commune add 00004 "Xã …"');
    for (const c of rows) {
      const state = c.revoked ? 'đã thu hồi' : c.enrolled ? 'đã kết nối' : c.keyPending ? 'chờ đăng ký' : 'chưa có mã';
      const last = c.lastPushAt ? new Date(c.lastPushAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : '—';
      const behind = c.daysBehind === null ? '' : c.daysBehind === 0 ? ', đủ số liệu' : `, chậm ${c.daysBehind} ngày`;
      console.log(`${c.code}  ${c.name}  (${state}; lần gửi cuối ${last}; ngày mới nhất ${c.newestDay ?? '—'}${behind})`);
    }
    return;
  }
  throw new UsageError('Cách dùng: commune add MÃ "TÊN" | commune rotate MÃ | commune revoke MÃ | commune list');
}

async function userCommand(pool: Pool, args: string[]): Promise<void> {
  const [action, username, name, role] = args;
  const cli = { address: 'cli' };
  const given = process.env.XEPHANG_PROVINCE_USER_PASSWORD || undefined;
  if (action === 'add' && username && name && (role === undefined || role === 'admin' || role === 'viewer')) {
    const password = given ?? newPassword();
    const u = await createUser(pool, { username, name, role: role ?? 'viewer', password }, cli);
    console.log(`Đã tạo tài khoản ${u.username} (${u.name}), quyền ${u.role === 'admin' ? 'quản trị' : 'xem báo cáo'}.`);
    if (given === undefined) console.log(`Mật khẩu (chỉ in lần này): ${password}`);
    return;
  }
  if (action === 'list' && username === undefined) {
    const users = await listUsers(pool);
    for (const u of users) {
      const last = u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : 'chưa';
      console.log(`${u.username}  ${u.name}  (${u.role === 'admin' ? 'quản trị' : 'xem báo cáo'}${u.disabled ? ', ĐÃ KHOÁ' : ''}; đăng nhập lần cuối: ${last})`);
    }
    if (!users.length) console.log('Chưa có tài khoản nào: máy chủ tạo tài khoản admin ở lần chạy đầu.');
    return;
  }
  if (action === 'disable' && username) {
    await updateUser(pool, username, { disabled: true }, cli);
    return void console.log(`Đã khoá tài khoản ${username}; các phiên đăng nhập của nó đã kết thúc.`);
  }
  if (action === 'password' && username) {
    const password = given ?? newPassword();
    await updateUser(pool, username, { password }, cli);
    console.log(`Đã đặt mật khẩu mới cho ${username}; các phiên đăng nhập cũ đã kết thúc.`);
    if (given === undefined) console.log(`Mật khẩu mới (chỉ in lần này): ${password}`);
    return;
  }
  throw new UsageError('Cách dùng: user add TÊN "HỌ TÊN" [admin|viewer] | user list | user disable TÊN | user password TÊN');
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(`Không hiểu dòng lệnh: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return void console.log(HELP);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Cổng không hợp lệ: ${values.port}`);
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== 'commune' && command !== 'user' && command !== 'admin-password') throw new UsageError(`Không hiểu lệnh "${command}".`);

  const say = (line: string) => console.log(line);
  const quiet = command !== undefined;
  const db = await openDatabase(values.data, quiet ? () => undefined : say, !quiet);
  try {
    if (command !== undefined) {
      await migrate(db.pool);
      if (command === 'commune') await communeCommand(db.pool, rest);
      else if (command === 'user') await userCommand(db.pool, rest);
      else console.log(`Mật khẩu quản trị tỉnh mới: ${await setAdminPassword(db.pool, process.env.XEPHANG_PROVINCE_ADMIN_PASSWORD || undefined, { address: 'cli' })}`);
      await db.close();
      return;
    }
    const province = await startProvince({
      pool: db.pool,
      port,
      host: values.host,
      trustProxy: values['trust-proxy'],
      ...(values.web === undefined ? {} : { webRoot: resolve(values.web) }),
      log: say,
    });
    if (!(await hasUsers(db.pool))) {
      const given = process.env.XEPHANG_PROVINCE_ADMIN_PASSWORD || undefined;
      const password = await setAdminPassword(db.pool, given, { address: 'start' });
      // Printed once, here; stored only as a hash. `admin-password` sets a new one.
      if (given === undefined) say(`Mật khẩu quản trị tỉnh: ${password} (tài khoản admin)`);
    }
    say(`Máy chủ tỉnh sẵn sàng: http://${values.host}:${province.port} (ready on port ${province.port})`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      say(`Nhận ${signal}: dừng máy chủ tỉnh …`);
      province
        .close()
        .then(() => db.close())
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          console.error(String(error));
          process.exit(1);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\nXem: npm run province -- --help`);
  else if (error instanceof Refused) console.error(error.message);
  else console.error(`Máy chủ tỉnh không chạy được: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
