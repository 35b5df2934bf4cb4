import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '@xephang/province';
import { PROVINCE_API_VERSION } from '@xephang/protocol';
import { addCommune, PROVINCE_CLI, queryDb, startProvinceProcess, type ProvinceProcess } from '@xephang/testing/province';
import { batchOf, call, dayItem, HA_TRUNG, push, tables, useProvince, VIETNAMESE, type Rig } from './helpers';

/**
 * Communes made by the province admin (over HTTP and on the command line), enrolled by their
 * hubs with a one-time key, rotated and revoked; the admin's own login and its audit log; the
 * schema's migrations.
 */

const rig = useProvince();
let db: Rig['db'];
let province: ProvinceProcess;
let admin: string;

beforeEach(async () => {
  ({ db, province } = rig);
  admin = await province.admin();
});

const enrolWith = (key: string, code = HA_TRUNG) => call<{ token: string; communeName: string; communeCode: string }>(province, 'POST', '/api/v1/enrol', { api: PROVINCE_API_VERSION, communeCode: code, key, hubVersion: '0.1.0' });

describe('enrolment', () => {
  it('spends a good key once and gives a token the province keeps only the hash of', async () => {
    const key = await addCommune(province, admin, HA_TRUNG, 'Xã Hà Trung');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const r = await enrolWith(key);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ communeCode: HA_TRUNG, communeName: 'Xã Hà Trung', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const stored = JSON.stringify(await tables(db.url));
    expect(stored).not.toContain(r.body.token);
    expect(stored).not.toContain(key);
    // The token works.
    expect((await push(province, r.body.token, batchOf([dayItem(1, '2025-07-09', 1)]))).status).toBe(200);

    // The same key again: "already used", and nothing changes (the first hub keeps its link).
    const before = await tables(db.url);
    const again = await enrolWith(key);
    expect([again.status, again.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(again.body.error?.message).toMatch(/đã được dùng/);
    expect(await tables(db.url)).toEqual(before);
  });

  it('refuses a wrong key, a key for another commune, an unknown commune and an expired key, storing nothing', async () => {
    const key = await addCommune(province, admin, HA_TRUNG, 'Xã Hà Trung');
    const otherKey = await addCommune(province, admin, '00007', 'Xã Hà Long');
    const before = await tables(db.url);
    for (const [name, r] of [
      ['wrong key', await enrolWith('w'.repeat(43))],
      ['another commune\'s key', await enrolWith(otherKey)],
      ['unknown commune', await enrolWith(key, '99999')],
      ['bad code', await enrolWith(key, '4')],
      ['malformed', await call(province, 'POST', '/api/v1/enrol', '{"api":')],
    ] as const) {
      expect({ name, status: r.status }).toEqual({ name, status: name === 'bad code' || name === 'malformed' ? 400 : 401 });
      expect(r.body.error?.message).toMatch(VIETNAMESE);
    }
    expect(await tables(db.url)).toEqual(before);

    await queryDb(db.url, "UPDATE communes SET enrolment_expires_at = now() - interval '1 second' WHERE code = $1", [HA_TRUNG]);
    const expiredBefore = await tables(db.url);
    const expired = await enrolWith(key);
    expect([expired.status, expired.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(expired.body.error?.message).toMatch(/hết hạn/);
    expect(await tables(db.url)).toEqual(expiredBefore);
  });

  it('rotate gives a new key and revokes the old token; revoke cuts the commune off', async () => {
    const key = await addCommune(province, admin, HA_TRUNG, 'Xã Hà Trung');
    const first = (await enrolWith(key)).body.token;
    const rotated = await call<{ enrolmentKey: string }>(province, 'POST', `/api/v1/admin/communes/${HA_TRUNG}/rotate`, {}, admin);
    expect(rotated.status).toBe(200);
    const old = await push(province, first, batchOf([dayItem(1, '2025-07-09', 1)]));
    expect([old.status, old.body.error?.code]).toEqual([401, 'revoked']);
    const second = await enrolWith(rotated.body.enrolmentKey);
    expect(second.status).toBe(200);
    expect((await push(province, second.body.token, batchOf([dayItem(1, '2025-07-09', 1)]))).status).toBe(200);

    const revoked = await call(province, 'POST', `/api/v1/admin/communes/${HA_TRUNG}/revoke`, {}, admin);
    expect(revoked.status).toBe(200);
    const cut = await push(province, second.body.token, batchOf([dayItem(2, '2025-07-10', 1)]));
    expect([cut.status, cut.body.error?.code]).toEqual([401, 'revoked']);

    const list = await call<{ code: string; enrolled: boolean; revoked: boolean; lastSeq: number; newestDay: string | null }[]>(province, 'GET', '/api/v1/admin/communes', undefined, admin);
    expect(list.body).toEqual([expect.objectContaining({ code: HA_TRUNG, enrolled: false, revoked: true, lastSeq: 1, newestDay: '2025-07-09' })]);
    const renamed = await call(province, 'PATCH', `/api/v1/admin/communes/${HA_TRUNG}`, { name: 'Xã Hà Trung (mới)' }, admin);
    expect(renamed.body).toEqual({ code: HA_TRUNG, name: 'Xã Hà Trung (mới)' });

    const audit = await queryDb<{ action: string; commune_code: string | null }>(db.url, 'SELECT action, commune_code FROM admin_audit ORDER BY id');
    expect(audit.map((a) => a.action)).toEqual(['user:password', 'session:login', 'commune:create', 'commune:enrol', 'commune:rotate', 'commune:enrol', 'commune:revoke', 'commune:rename']);
  });
});

describe('the limits', () => {
  it('limits enrolments per address: behind a proxy (--trust-proxy) by the address it forwards, else by the connection', async () => {
    const enrolFrom = async (forwardedFor: string) =>
      (
        await fetch(`${province.url}/api/v1/enrol`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ api: PROVINCE_API_VERSION, communeCode: HA_TRUNG, key: 'w'.repeat(43), hubVersion: '0.1.0' }),
        })
      ).status;
    const burst = async (forwardedFor: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push(await enrolFrom(forwardedFor));
      return statuses;
    };
    // Not trusted: the header is anyone's to write, so every try counts against 127.0.0.1.
    expect(await burst('203.0.113.1')).toEqual([...Array<number>(10).fill(401), 429]);
    expect(await enrolFrom('203.0.113.2')).toBe(429);

    await province.stop();
    province = rig.province = await startProvinceProcess({ databaseUrl: db.url, args: ['--trust-proxy'] });
    expect(await burst('198.51.100.7, 203.0.113.1')).toEqual([...Array<number>(10).fill(401), 429]);
    // Another commune behind the same proxy is not held back by the first one's tries.
    expect(await enrolFrom('203.0.113.2')).toBe(401);
  });
});

describe('the admin', () => {
  it('logs in with the password (stored as a scrypt hash), is limited per address, and every admin path needs the session', async () => {
    const [setting] = await queryDb<{ value: string }>(db.url, "SELECT password_hash AS value FROM users WHERE username = 'admin'");
    expect(setting!.value).toMatch(/^scrypt\$/);
    expect(setting!.value).not.toContain(province.adminPassword);
    for (const [method, path] of [
      ['GET', '/api/v1/admin/communes'],
      ['POST', '/api/v1/admin/communes'],
      ['POST', `/api/v1/admin/communes/${HA_TRUNG}/rotate`],
      ['POST', `/api/v1/admin/communes/${HA_TRUNG}/revoke`],
      ['PATCH', `/api/v1/admin/communes/${HA_TRUNG}`],
      ['GET', `/api/v1/communes/${HA_TRUNG}/report?week=2025-W28`],
    ]) {
      const r = await call(province, method!, path!, method === 'GET' ? undefined : { code: HA_TRUNG, name: 'x' }, 'not-a-session-token-at-all');
      expect({ path, status: r.status }).toEqual({ path, status: 401 });
    }
    const bad = await call(province, 'POST', '/api/v1/admin/communes', { code: '123', name: '' }, admin);
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'invalid_body']);
    expect(bad.body.error?.message).toMatch(/Mã xã là 5 chữ số/);
    const nul = await call(province, 'POST', '/api/v1/admin/communes', { code: '00009', name: 'Xã\u0000' }, admin);
    expect([nul.status, nul.body.error?.code]).toEqual([400, 'invalid_body']);
    await addCommune(province, admin, HA_TRUNG, 'Xã Hà Trung');
    const twice = await call(province, 'POST', '/api/v1/admin/communes', { code: HA_TRUNG, name: 'Xã khác' }, admin);
    expect(twice.status).toBe(409);
    const missing = await call(province, 'POST', '/api/v1/admin/communes/12345/rotate', {}, admin);
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'not_found']);

    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call(province, 'POST', '/api/v1/admin/session', { password: `wrong-${i}` })).status);
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    // Locked even for the right password, until the minute is over.
    expect((await call(province, 'POST', '/api/v1/admin/session', { password: province.adminPassword })).status).toBe(429);
  });

  it('adds, lists and rotates communes on the command line, into the same database', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: db.url };
    const added = await run(process.execPath, [PROVINCE_CLI, 'commune', 'add', '00010', 'Xã Nga Sơn'], { env });
    const key = /^ {2}(\S{43})$/m.exec(added.stdout)?.[1];
    expect(key).toBeDefined();
    const listed = await run(process.execPath, [PROVINCE_CLI, 'commune', 'list'], { env });
    expect(listed.stdout).toMatch(/00010 {2}Xã Nga Sơn {2}\(chờ đăng ký/);
    expect((await enrolWith(key!, '00010')).status).toBe(200);
    const rotated = await run(process.execPath, [PROVINCE_CLI, 'commune', 'rotate', '00010'], { env });
    expect(rotated.stdout).toMatch(/Đã thu hồi khóa cũ/);
    const wrong = await run(process.execPath, [PROVINCE_CLI, 'commune', 'rotate', '77777'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/Không có xã mã 77777/) });
    const reset = await run(process.execPath, [PROVINCE_CLI, 'admin-password'], { env: { ...env, XEPHANG_PROVINCE_ADMIN_PASSWORD: '' } });
    const password = /Mật khẩu quản trị tỉnh mới: (\S+)/.exec(reset.stdout)?.[1];
    expect(password).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    expect((await call(province, 'POST', '/api/v1/admin/session', { password })).status).toBe(200);
    const audit = await queryDb<{ action: string; address: string }>(db.url, "SELECT action, address FROM admin_audit WHERE address = 'cli' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['commune:create', 'commune:rotate', 'user:password']);
  });
});

describe('the schema', () => {
  it('is migrated once, in order, and a database newer than the server is refused', async () => {
    const applied = await queryDb<{ version: number }>(db.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    province = rig.province = await province.restart();
    expect(province.output()).not.toMatch(/đã áp dụng bản cập nhật/);
    expect(await queryDb(db.url, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(applied);

    await province.stop();
    await queryDb(db.url, "INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    const refused = await startProvinceProcess({ databaseUrl: db.url }).catch((e: Error) => e.message);
    expect(refused).toMatch(/mới hơn máy chủ này/);
  });
});
