import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { ProvinceAuditEntry, ProvinceUser } from '@xephang/protocol';
import { PROVINCE_CLI, queryDb, startProvinceProcess, type ProvinceProcess } from '@xephang/testing/province';
import { call, HA_TRUNG, tables, useProvince, VIETNAMESE, type Rig } from './helpers';

/**
 * The province's users against a real PostgreSQL and the built server: a password each, roles
 * (a viewer reads, an admin manages), sessions that outlive a restart and end when they
 * expire, at logout, when the user is locked or its password set; guesses limited per address
 * and per username; every change and login in the audit log; bad bodies refused in Vietnamese.
 */

const rig = useProvince();
let db: Rig['db'];
let province: ProvinceProcess;
let admin: string;

const VIEWER = { username: 'lan.nt', name: 'Nguyễn Thị Lan', role: 'viewer', password: 'mat-khau-cua-lan' } as const;

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${province.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as { token?: string; user?: ProvinceUser; error?: { code: string; message: string } } }),
  );
const me = (token: string) => call<ProvinceUser>(province, 'GET', '/api/v1/me', undefined, token);

beforeEach(async () => {
  ({ db, province } = rig);
  const r = await login('admin', province.adminPassword);
  expect(r.status).toBe(200);
  admin = r.body.token!;
  expect((await call(province, 'POST', '/api/v1/admin/users', VIEWER, admin)).status).toBe(201);
});

describe('users and roles', () => {
  it('lets a viewer read every figure and nothing of the admin', async () => {
    const r = await login('Lan.NT', VIEWER.password);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'lan.nt', name: 'Nguyễn Thị Lan', role: 'viewer', disabled: false });
    const viewer = r.body.token!;
    expect((await me(viewer)).body).toMatchObject({ username: 'lan.nt', role: 'viewer' });
    for (const path of ['/api/v1/overview?week=2025-W28', '/api/v1/fields?week=2025-W28']) expect((await call(province, 'GET', path, undefined, viewer)).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'khac' }],
      ['PATCH', '/api/v1/admin/users/lan.nt', { role: 'admin' }],
      ['GET', '/api/v1/admin/audit'],
      ['GET', '/api/v1/admin/communes'],
      ['POST', '/api/v1/admin/communes', { code: HA_TRUNG, name: 'Xã Hà Trung' }],
    ] as const) {
      const res = await call(province, method, path, body, viewer);
      expect({ path, method, status: res.status, code: res.body.error?.code, vi: VIETNAMESE.test(res.body.error?.message ?? '') }).toEqual({ path, method, status: 403, code: 'forbidden', vi: true });
    }
    expect((await call(province, 'GET', '/api/v1/admin/users', undefined, admin)).body).toEqual([
      expect.objectContaining({ username: 'admin', role: 'admin' }),
      expect.objectContaining({ username: 'lan.nt', role: 'viewer', lastLoginAt: expect.any(Number) }),
    ]);
    // Made an admin, the same session manages at its next request.
    expect((await call(province, 'PATCH', '/api/v1/admin/users/lan.nt', { role: 'admin' }, admin)).status).toBe(200);
    expect((await call(province, 'GET', '/api/v1/admin/users', undefined, viewer)).status).toBe(200);
    const hash = await queryDb<{ password_hash: string }>(db.url, 'SELECT password_hash FROM users WHERE username = $1', ['lan.nt']);
    expect(hash[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(hash[0]!.password_hash).not.toContain(VIEWER.password);
  });

  it('keeps sessions over a restart, ends them when they expire, at logout, when locked and when the password is set', async () => {
    const first = await province.login(VIEWER.username, VIEWER.password);
    const second = await province.login(VIEWER.username, VIEWER.password);
    const third = await province.login(VIEWER.username, VIEWER.password);
    const stored = await queryDb<{ token_hash: string }>(db.url, 'SELECT token_hash FROM sessions');
    expect(stored.map((s) => s.token_hash).join()).not.toContain(first);

    province = rig.province = await province.restart();
    expect((await me(first)).status).toBe(200);

    await queryDb(db.url, "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE username = 'lan.nt' AND created_at = (SELECT min(created_at) FROM sessions WHERE username = 'lan.nt')");
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);

    expect((await call(province, 'DELETE', '/api/v1/session', undefined, second)).status).toBe(200);
    expect((await me(second)).status).toBe(401);
    expect((await me(third)).status).toBe(200);

    expect((await call(province, 'PATCH', '/api/v1/admin/users/lan.nt', { password: 'mat-khau-moi-cua-lan' }, admin)).status).toBe(200);
    expect((await me(third)).status).toBe(401);
    expect((await login(VIEWER.username, VIEWER.password)).status).toBe(401);
    const fourth = (await login(VIEWER.username, 'mat-khau-moi-cua-lan')).body.token!;
    expect((await me(fourth)).status).toBe(200);

    expect((await call(province, 'PATCH', '/api/v1/admin/users/lan.nt', { disabled: true }, admin)).status).toBe(200);
    expect((await me(fourth)).status).toBe(401);
    const locked = await login(VIEWER.username, 'mat-khau-moi-cua-lan');
    expect([locked.status, locked.body.error?.message]).toEqual([401, 'Tài khoản này đã bị khoá. Liên hệ quản trị tỉnh.']);
    expect((await call(province, 'PATCH', '/api/v1/admin/users/lan.nt', { disabled: false }, admin)).status).toBe(200);
    expect((await login(VIEWER.username, 'mat-khau-moi-cua-lan')).status).toBe(200);
  });

  it('never leaves the province without an enabled admin', async () => {
    for (const patch of [{ disabled: true }, { role: 'viewer' }]) {
      const r = await call(province, 'PATCH', '/api/v1/admin/users/admin', patch, admin);
      expect([r.status, r.body.error?.message]).toEqual([409, expect.stringMatching(/ít nhất một tài khoản quản trị/)]);
    }
    await call(province, 'PATCH', '/api/v1/admin/users/lan.nt', { role: 'admin' }, admin);
    expect((await call(province, 'PATCH', '/api/v1/admin/users/admin', { role: 'viewer' }, admin)).status).toBe(200);
    expect((await call(province, 'GET', '/api/v1/admin/users', undefined, admin)).status).toBe(403);
  });

  it('writes every change, login, failed login and logout in the audit log, without a password', async () => {
    await login(VIEWER.username, 'sai-mat-khau');
    await login('khong-co-ai', 'sai-mat-khau');
    const viewer = (await login(VIEWER.username, VIEWER.password)).body.token!;
    await call(province, 'PATCH', '/api/v1/admin/users/lan.nt', { name: 'Nguyễn Thị Lan Anh', password: 'mot-mat-khau-khac' }, admin);
    await call(province, 'DELETE', '/api/v1/session', undefined, admin);
    expect((await me(admin)).status).toBe(401);
    expect(viewer).toBeDefined();
    admin = (await login('admin', province.adminPassword)).body.token!;
    await call(province, 'POST', '/api/v1/admin/communes', { code: HA_TRUNG, name: 'Xã Hà Trung' }, admin);

    const r = await call<ProvinceAuditEntry[]>(province, 'GET', '/api/v1/admin/audit?limit=50', undefined, admin);
    const entries = [...r.body].reverse();
    expect(entries.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['system', 'user:password', 'admin'],
      ['admin', 'session:login', 'admin'],
      ['admin', 'user:create', 'lan.nt'],
      ['system', 'session:failed', 'lan.nt'],
      ['system', 'session:failed', null],
      ['lan.nt', 'session:login', 'lan.nt'],
      ['admin', 'user:update', 'lan.nt'],
      ['admin', 'session:logout', 'admin'],
      ['admin', 'session:login', 'admin'],
      ['admin', 'commune:create', HA_TRUNG],
    ]);
    expect(entries[2]!.detail).toBe('Tạo tài khoản lan.nt (Nguyễn Thị Lan), quyền xem báo cáo.');
    expect(entries[4]!.detail).toMatch(/không có tài khoản.*"khong-co-ai"/);
    expect(entries[6]!.detail).toBe('Tài khoản lan.nt: tên "Nguyễn Thị Lan" → "Nguyễn Thị Lan Anh"; đặt mật khẩu mới; kết thúc 1 phiên đăng nhập.');
    for (const e of entries) expect(VIETNAMESE.test(e.detail)).toBe(true);
    const text = JSON.stringify(await queryDb(db.url, 'SELECT * FROM admin_audit'));
    for (const secret of [VIEWER.password, 'mot-mat-khau-khac', 'sai-mat-khau', province.adminPassword]) expect(text).not.toContain(secret);
    expect((await call(province, 'GET', '/api/v1/admin/audit?limit=0', undefined, admin)).status).toBe(400);
    expect((await call(province, 'GET', '/api/v1/admin/audit?limit=2', undefined, admin)).body).toHaveLength(2);
  });

  it('limits wrong passwords per username from any address, and per address', async () => {
    await province.stop();
    province = rig.province = await startProvinceProcess({ databaseUrl: db.url, args: ['--trust-proxy'] });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await login(VIEWER.username, `doan-${i}`, from(`198.51.100.${Math.floor(i / 7)}`))).status);
    expect(statuses).toEqual([...Array<number>(20).fill(401), 429]);
    const right = await login(VIEWER.username, VIEWER.password, from('198.51.100.99'));
    expect([right.status, right.body.error?.message]).toEqual([429, expect.stringMatching(/cho tài khoản lan\.nt; thử lại sau \d+ giây/)]);
    // Another user from an address that guessed is not held back by lan.nt's lock…
    expect((await login('admin', province.adminPassword, from('198.51.100.0'))).status).toBe(200);
    // …but ten wrong passwords from one address lock that address for everyone.
    for (let i = 0; i < 10; i++) await login(`nguoi-${i}`, 'x', from('203.0.113.5'));
    const address = await login('admin', province.adminPassword, from('203.0.113.5'));
    expect([address.status, address.body.error?.message]).toEqual([429, expect.stringMatching(/từ máy này/)]);
  });

  it('refuses bad bodies in Vietnamese and changes nothing', async () => {
    const before = await tables(db.url);
    const cases: [string, string, unknown][] = [
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'A' }],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'lan.nt' }],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'ngan', password: 'ngan' }],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'thua', extra: true }],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'vaitro', role: 'root' }],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'nul', name: 'Lan\u0000' }],
      ['POST', '/api/v1/admin/users', '{"username": '],
      ['POST', '/api/v1/admin/users', []],
      ['PATCH', '/api/v1/admin/users/lan.nt', {}],
      ['PATCH', '/api/v1/admin/users/lan.nt', { username: 'doi-ten' }],
      ['PATCH', '/api/v1/admin/users/lan.nt', { disabled: 'yes' }],
      ['PATCH', '/api/v1/admin/users/khong-co', { name: 'x' }],
      ['PATCH', '/api/v1/admin/users/%00', { name: 'x' }],
      ['PATCH', `/api/v1/admin/users/${'a'.repeat(300)}`, { name: 'x' }],
      ['POST', '/api/v1/admin/users', { ...VIEWER, username: 'dai', name: 'x'.repeat(70_000) }],
    ];
    for (const [method, path, body] of cases) {
      const r = await call(province, method, path, body, admin);
      expect({ path, body: String(JSON.stringify(body)).slice(0, 60), bad: r.status >= 400 && r.status < 500, vi: VIETNAMESE.test(r.body.error?.message ?? '') }).toEqual({
        path,
        body: String(JSON.stringify(body)).slice(0, 60),
        bad: true,
        vi: true,
      });
    }
    for (const body of [{ username: 'x'.repeat(1000), password: 'x' }, { username: 'lan.nt' }, { username: 'lan.nt', password: 'x', more: 1 }, 'khong-phai-json']) {
      const r = await call(province, 'POST', '/api/v1/session', body);
      expect([r.status, VIETNAMESE.test(r.body.error?.message ?? '')]).toEqual([400, true]);
    }
    expect(await tables(db.url)).toEqual(before);
    expect((await me(admin)).status).toBe(200);
  });
});

describe('the command line', () => {
  it('adds, lists, locks and sets the password of users, into the same database', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: db.url, XEPHANG_PROVINCE_USER_PASSWORD: '' };
    const added = await run(process.execPath, [PROVINCE_CLI, 'user', 'add', 'minh.tv', 'Trần Văn Minh', 'admin'], { env });
    const password = /Mật khẩu \(chỉ in lần này\): (\S+)/.exec(added.stdout)?.[1];
    expect(password).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    expect((await login('minh.tv', password!)).body.user?.role).toBe('admin');
    const listed = await run(process.execPath, [PROVINCE_CLI, 'user', 'list'], { env });
    expect(listed.stdout).toMatch(/^lan\.nt {2}Nguyễn Thị Lan {2}\(xem báo cáo; đăng nhập lần cuối: chưa\)$/m);
    const reset = await run(process.execPath, [PROVINCE_CLI, 'user', 'password', 'lan.nt'], { env });
    const fresh = /Mật khẩu mới \(chỉ in lần này\): (\S+)/.exec(reset.stdout)?.[1];
    expect((await login('lan.nt', fresh!)).status).toBe(200);
    await run(process.execPath, [PROVINCE_CLI, 'user', 'disable', 'lan.nt'], { env });
    expect((await login('lan.nt', fresh!)).status).toBe(401);
    const wrong = await run(process.execPath, [PROVINCE_CLI, 'user', 'add', 'X', 'Tên'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/Tên đăng nhập: 3–40 chữ thường/) });
    const audit = await queryDb<{ actor: string; action: string }>(db.url, "SELECT actor, action FROM admin_audit WHERE actor = 'cli' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['user:create', 'user:update', 'user:update']);
  });
});
