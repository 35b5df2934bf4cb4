import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueError } from '@xephang/core';
import type { Report } from '@xephang/protocol';
import { SCHEMA_VERSION } from '../db/open';
import { DAY, DAY_START, seedVersion1, tempDatabase } from '../db/test/versions';
import { reportsHttp } from './http';

const PASSWORD = 'mật khẩu: có dấu hai chấm';
const SESSION = 'phien-quan-tri-1';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * The report download on its own: a real HTTP server on 127.0.0.1 and a real database file
 * holding a day, with the password check and the admin session passed in as the hub does.
 */
describe('GET /api/reports/export.*', () => {
  const t = tempDatabase(SCHEMA_VERSION);
  let server: Server;
  let base: string;
  /** What the password check was asked, and what it throws next (the hub's limiter and hash). */
  const tries: { password: string; address: string }[] = [];
  let refuse: QueueError | undefined;

  beforeAll(async () => {
    seedVersion1(t.db);
    const handle = reportsHttp({
      db: t.db,
      now: () => DAY_START + 12 * 3_600_000,
      checkAdminPassword: async (password, address) => {
        tries.push({ password, address });
        if (refuse) throw refuse;
        if (password !== PASSWORD) throw new QueueError('unauthorized', 'Sai mật khẩu quản trị.');
      },
      adminSessionValid: (token) => token === SESSION,
    });
    server = createServer((req, res) => void handle(req, res, new URL(req.url!, 'http://hub')));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    t.dispose();
  });

  const get = (path: string, authorization?: string, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers: authorization ? { authorization } : {} });
  const refusal = async (res: Response) => ({ status: res.status, body: (await res.json()) as unknown });

  it('asks a browser for the admin password, and takes it whatever the user name', async () => {
    const res = await get(`/api/reports/export.json?day=${DAY}`);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="xephang", charset="UTF-8"');
    expect(await refusal(res)).toEqual({ status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'Cần mật khẩu quản trị để tải báo cáo.' } } });

    tries.length = 0;
    const ok = await get(`/api/reports/export.json?day=${DAY}`, basic('bất kỳ', PASSWORD));
    expect(ok.status).toBe(200);
    // The password is all that follows the first colon, colons and Vietnamese letters included.
    expect(tries).toEqual([{ password: PASSWORD, address: '127.0.0.1' }]);
  });

  it('answers a wrong password with the check\'s own message, and a locked address with 429', async () => {
    const wrong = await get(`/api/reports/export.csv?day=${DAY}`, basic('admin', 'đoán thử'));
    expect(await refusal(wrong)).toEqual({ status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'Sai mật khẩu quản trị.' } } });
    refuse = new QueueError('rate_limited', 'Sai mật khẩu quá nhiều lần. Hãy thử lại sau 12 giây.');
    try {
      const locked = await get(`/api/reports/export.csv?day=${DAY}`, basic('admin', PASSWORD));
      expect(await refusal(locked)).toEqual({ status: 429, body: { ok: false, error: { code: 'rate_limited', message: refuse.message } } });
    } finally {
      refuse = undefined;
    }
  });

  it('takes the admin screen\'s session without a password try, and says when it has expired', async () => {
    tries.length = 0;
    const ok = await get(`/api/reports/export.csv?day=${DAY}`, `Bearer ${SESSION}`);
    expect(ok.status).toBe(200);
    const expired = await get(`/api/reports/export.csv?day=${DAY}`, 'Bearer phien-cu');
    expect(await refusal(expired)).toEqual({ status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'Phiên quản trị đã hết hạn. Hãy đăng nhập lại.' } } });
    expect(tries).toEqual([]);
  });

  it('refuses another address, another method, an unknown parameter and a range that is not one', async () => {
    const auth = `Bearer ${SESSION}`;
    expect(await refusal(await get('/api/reports/export.pdf', auth))).toEqual({
      status: 404,
      body: { ok: false, error: { code: 'not_found', message: 'Không có địa chỉ /api/reports/export.pdf. Dùng /api/reports/export.csv, .xlsx hoặc .json.' } },
    });
    expect(await refusal(await get(`/api/reports/export.csv?day=${DAY}`, auth, 'POST'))).toEqual({
      status: 405,
      body: { ok: false, error: { code: 'invalid_payload', message: 'Dùng GET để tải báo cáo.' } },
    });
    expect(await refusal(await get(`/api/reports/export.csv?day=${DAY}&clerk=1`, auth))).toEqual({
      status: 400,
      body: { ok: false, error: { code: 'invalid_payload', message: 'Tham số "clerk" không dùng được; chỉ có day, week, month, from, to.' } },
    });
    const two = await refusal(await get(`/api/reports/export.csv?day=${DAY}&week=2026-W48`, auth));
    expect(two).toEqual({ status: 400, body: { ok: false, error: expect.objectContaining({ code: 'invalid_payload', message: expect.stringContaining('chọn đúng một kỳ báo cáo') }) } });
    const notADay = await refusal(await get('/api/reports/export.csv?day=2026-02-30', auth));
    expect(notADay.status).toBe(400);
  });

  it('sends the day\'s report as a file named after the period, in each format', async () => {
    const auth = `Bearer ${SESSION}`;
    const json = await get(`/api/reports/export.json?day=${DAY}`, auth);
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="bao-cao-${DAY}.json"`);
    expect(json.headers.get('cache-control')).toBe('no-store');
    const report = (await json.json()) as Report;
    // The seeded day: four tickets issued, one visit finished with a dossier received, one absent.
    expect(report.fieldTotal).toEqual(expect.objectContaining({ issued: 4, served: 1, received: 1, noShow: 1 }));

    const csv = await get(`/api/reports/export.csv?day=${DAY}`, auth);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('Tư pháp – Hộ tịch');

    const xlsx = await get('/api/reports/export.xlsx?week=2026-W48', auth);
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="bao-cao-2026-W48.xlsx"');
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(Number(xlsx.headers.get('content-length'))).toBe(bytes.length);
    // An XLSX file is a zip archive.
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
