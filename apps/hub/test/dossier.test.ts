import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { HubClient } from '@xephang/client';
import { DEFAULT_DOSSIER_SETTINGS, type Ack, type TicketView } from '@xephang/protocol';
import { ADMIN_PASSWORD, HUB_CLI, admin, client, disposeHub, frozenHub, kiosk, openCounter, readDb, rid, unwrap, until, type HubProcess } from '@xephang/testing';

// A Monday; the hub's clock moves only by clock:set (frozenHub), so every time below is exact.
const T0 = Date.parse('2025-07-14T08:00:00+07:00');
const MIN = 60_000;
const CODE = '000.00.12.H12-250714-0001';

function failed<T>(ack: Ack<T>): { code: string; message: string } {
  if (ack.ok) throw new Error(`expected a refusal, got ${JSON.stringify(ack.data)}`);
  return ack.error;
}

function row<T>(hub: HubProcess, sql: string, ...params: unknown[]): T {
  const db = readDb(hub);
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

describe('the dossier code on the visit (issue 20)', () => {
  let hub: HubProcess;
  let boss: HubClient;
  let k: HubClient;
  let c1: HubClient;
  let c2: HubClient;
  const at = (minutes: number) => boss.send('clock:set', { at: T0 + minutes * MIN }).then(unwrap);

  /** Issues a civil ticket at minute `m`, calls it at counter 1 at m+3, starts at m+4: the visit in hand. */
  async function serve(m: number): Promise<TicketView> {
    await at(m);
    const { ticket } = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    await at(m + 3);
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    await at(m + 4);
    unwrap(await c1.send('counter:start', { requestId: rid() }));
    return ticket;
  }

  beforeAll(async () => {
    hub = await frozenHub('2025-07-14T08:00:00+07:00');
    boss = await admin(hub);
    k = await kiosk(hub);
    c1 = await openCounter(hub, 1);
    c2 = await openCounter(hub, 2);
  });
  afterAll(async () => {
    for (const c of [boss, k, c1, c2]) c?.close();
    await disposeHub(hub);
  });

  it('a finish with a typed code stores it on the ticket and in the finish’s log line', async () => {
    const t = await serve(0);
    await at(10);
    const done = unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: CODE }));
    expect(done).toMatchObject({ id: t.id, state: 'done', outcome: 'received' });
    expect(row(hub, 'SELECT dossier_code FROM tickets WHERE id = ?', t.id)).toEqual({ dossier_code: CODE });
    const line = row<{ detail: string }>(hub, "SELECT detail FROM events WHERE type = 'ticket:finished' AND ticket_id = ?", t.id);
    expect(JSON.parse(line.detail)).toEqual({ outcome: 'received', dossierCode: CODE });
  });

  it('a scanner’s burst reaches the hub as the same finish (its spaces trimmed)', async () => {
    const t = await serve(20);
    await at(25);
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'returned', dossierCode: `  H26.99-250714-0002 ` }));
    expect(row(hub, 'SELECT dossier_code, outcome FROM tickets WHERE id = ?', t.id)).toEqual({ dossier_code: 'H26.99-250714-0002', outcome: 'returned' });
  });

  it('a refused code refuses the finish: the Vietnamese message names what is allowed, nothing changes', async () => {
    const t = await serve(30);
    const before = row<{ n: number }>(hub, 'SELECT count(*) AS n FROM events');
    const short = failed(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: 'ab' }));
    expect(short.code).toBe('invalid_payload');
    expect(short.message).toBe('Mã hồ sơ "ab" không hợp lệ: mã gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang và gạch chéo, từ 6 đến 40 ký tự.');
    const accents = failed(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: 'HỒSƠ-123456' }));
    expect(accents.message).toMatch(/^Mã hồ sơ "HỒSƠ-123456" không hợp lệ/);
    const wrongOutcome = failed(await c1.send('counter:finish', { requestId: rid(), outcome: 'guidance', dossierCode: CODE }));
    expect(wrongOutcome.message).toBe('Mã hồ sơ chỉ ghi cho lượt "Tiếp nhận hồ sơ" hoặc "Trả kết quả".');
    expect(row(hub, 'SELECT state, outcome, dossier_code, finished_at FROM tickets WHERE id = ?', t.id)).toEqual({
      state: 'serving', outcome: null, dossier_code: null, finished_at: null,
    });
    expect(row<{ n: number }>(hub, 'SELECT count(*) AS n FROM events')).toEqual(before);
    // The clerk fixes the code and finishes again.
    await at(36);
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: 'AB-250714' }));
    expect(row(hub, 'SELECT state, dossier_code FROM tickets WHERE id = ?', t.id)).toEqual({ state: 'done', dossier_code: 'AB-250714' });
  });

  it('the admin’s settings: a bad pattern or prefix refused, a good one logged and sent to the counters', async () => {
    const refusals = await Promise.all(
      [
        { pattern: '^(HS', scannerPrefix: '' },
        { pattern: '^.*$', scannerPrefix: '' },
        { pattern: '^(a+)+$', scannerPrefix: '' },
        { pattern: 'x'.repeat(201), scannerPrefix: '' },
        { pattern: DEFAULT_DOSSIER_SETTINGS.pattern, scannerPrefix: '1' },
        { pattern: DEFAULT_DOSSIER_SETTINGS.pattern, scannerPrefix: '~~~~~~~~~' },
      ].map(async (s) => failed(await boss.send('visit:setDossierSettings', s))),
    );
    expect(refusals.map((r) => r.code)).toEqual(Array(6).fill('invalid_payload'));
    expect(refusals[0]!.message).toMatch(/không phải biểu thức chính quy hợp lệ/);
    expect(refusals[1]!.message).toMatch(/chấp nhận cả mã rỗng/);
    expect(refusals[2]!.message).toMatch(/lượng từ lồng nhau/);
    expect(refusals[4]!.message).toMatch(/bắt đầu bằng chữ, số hoặc dấu cách/);
    expect(unwrap(await boss.send('config:get', {})).dossier).toEqual(DEFAULT_DOSSIER_SETTINGS);

    const saved = unwrap(await boss.send('visit:setDossierSettings', { pattern: '^HS-\\d{4}$', scannerPrefix: '~' }));
    expect(saved).toEqual({ pattern: '^HS-\\d{4}$', scannerPrefix: '~' });
    await until(() => c1.state()?.dossier?.scannerPrefix === '~', 'the counter to receive the settings');
    const tv = await client(hub, { role: 'display' });
    expect(tv.state()?.dossier).toEqual(saved);
    tv.close();
    const log = unwrap(await boss.send('config:log', { limit: 5 }));
    expect(log[0]).toMatchObject({ type: 'admin:dossier', what: 'Mã hồ sơ: mẫu ^HS-\\d{4}$ (trước: ^[A-Za-z0-9./-]{6,40}$); tiền tố máy quét "~"' });

    await serve(40);
    const refused = failed(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: CODE }));
    expect(refused.message).toBe(`Mã hồ sơ "${CODE}" không hợp lệ: mã gồm đúng mẫu ^HS-\\d{4}$ do quản trị đặt.`);
    await at(45);
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: 'HS-0042' }));
    unwrap(await boss.send('visit:setDossierSettings', DEFAULT_DOSSIER_SETTINGS));
  });

  it('a code added later: its own counter yes, another counter no, the admin yes, another day no', async () => {
    const t = await serve(50);
    await at(55);
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'returned' }));
    const added = unwrap(await c1.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: 'KQ-250714-0007' }));
    expect(added).toMatchObject({ id: t.id, state: 'done' });
    expect(row(hub, 'SELECT dossier_code FROM tickets WHERE id = ?', t.id)).toEqual({ dossier_code: 'KQ-250714-0007' });

    const other = failed(await c2.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: 'KQ-250714-0008' }));
    expect(other).toEqual({ code: 'forbidden', message: `Số ${t.number} không kết thúc ở Quầy 2: chỉ quầy đã phục vụ (hoặc quản trị) mới ghi được mã hồ sơ của lượt này.` });
    const bad = failed(await c1.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: 'x' }));
    expect(bad.message).toMatch(/^Mã hồ sơ "x" không hợp lệ/);
    expect(row(hub, 'SELECT dossier_code FROM tickets WHERE id = ?', t.id)).toEqual({ dossier_code: 'KQ-250714-0007' });

    unwrap(await boss.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: 'KQ-250714-0009' }));
    const line = row<{ detail: string; clerk_id: number | null }>(hub, "SELECT detail, clerk_id FROM events WHERE type = 'ticket:dossier' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(line.detail)).toEqual({ dossierCode: 'KQ-250714-0009', before: 'KQ-250714-0007', by: 'quản trị' });
    unwrap(await c1.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: null }));
    expect(row(hub, 'SELECT dossier_code FROM tickets WHERE id = ?', t.id)).toEqual({ dossier_code: null });
    unwrap(await c1.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: 'KQ-250714-0007' }));

    // Not finished, not a dossier's outcome, unknown.
    await at(60);
    const waiting = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' })).ticket;
    expect(failed(await boss.send('visit:setDossier', { requestId: rid(), ticketId: waiting.id, code: CODE })).message).toMatch(/chưa kết thúc/);
    unwrap(await c1.send('counter:next', { requestId: rid() }));
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    expect(failed(await c1.send('visit:setDossier', { requestId: rid(), ticketId: waiting.id, code: CODE })).message).toMatch(/chỉ ghi cho lượt/);
    expect(failed(await boss.send('visit:setDossier', { requestId: rid(), ticketId: '2025-07-14-9999', code: CODE })).code).toBe('not_found');

    // Tomorrow, yesterday's visit is closed to changes, for the counter and the admin alike.
    await at(24 * 60);
    const next = failed(await boss.send('visit:setDossier', { requestId: rid(), ticketId: t.id, code: CODE }));
    expect(next).toEqual({ code: 'forbidden', message: `Số ${t.number} là lượt của ngày 2025-07-14: chỉ ghi hoặc sửa mã hồ sơ của lượt trong ngày hôm nay.` });
    expect(row(hub, 'SELECT dossier_code FROM tickets WHERE id = ?', t.id)).toEqual({ dossier_code: 'KQ-250714-0007' });
  });

  it('the visit list finds a visit by number and by code, with the ticket’s own times', async () => {
    const day = '2025-07-14';
    const all = unwrap(await boss.send('visit:list', { day }));
    expect(all.total).toBe(6);
    const byCode = unwrap(await boss.send('visit:list', { day, q: 'h12-250714' }));
    expect(byCode.total).toBe(1);
    const v = byCode.rows[0]!;
    const stored = row<Record<string, number>>(hub, 'SELECT number, issued_at, first_called_at, started_at, finished_at FROM tickets WHERE dossier_code = ?', CODE);
    expect(v).toMatchObject({
      number: stored.number, serviceId: 'civil', serviceNameVi: 'Tư pháp – Hộ tịch', serviceOfficialCode: null, counterId: 1, counterName: 'Quầy 1',
      outcome: 'received', dossierCode: CODE, state: 'done', rating: null,
      issuedAt: T0, calledAt: T0 + 3 * MIN, startedAt: T0 + 4 * MIN, finishedAt: T0 + 10 * MIN,
    });
    expect(v.clerkName).toEqual(expect.any(String));
    expect(v.waitMs).toBe(stored.first_called_at! - stored.issued_at!);
    expect(v.serviceMs).toBe(stored.finished_at! - stored.started_at!);
    expect([v.waitMs, v.serviceMs]).toEqual([3 * MIN, 6 * MIN]);

    const byNumber = unwrap(await boss.send('visit:list', { day, q: String(v.number) }));
    expect(byNumber.rows.map((r) => r.ticketId)).toEqual([v.ticketId]);
    // LIKE's wildcards are text here, not patterns.
    expect(unwrap(await boss.send('visit:list', { day, q: '%' })).total).toBe(0);
    expect(unwrap(await boss.send('visit:list', { day, q: '_' })).total).toBe(0);
    const paged = unwrap(await boss.send('visit:list', { day, limit: 2, offset: 2 }));
    expect(paged.total).toBe(6);
    expect(paged.rows.map((r) => r.ticketId)).toEqual(all.rows.slice(2, 4).map((r) => r.ticketId));
    expect(unwrap(await boss.send('visit:list', { day: '2025-07-13' }))).toEqual({ day: '2025-07-13', total: 0, rows: [] });
  });

  it('a counter lists its own finished visits of today only, without their ratings', async () => {
    await at(24 * 60 + 10);
    // The day turned: the clerks' sessions of yesterday ended.
    c1.close();
    c2.close();
    c1 = await openCounter(hub, 1);
    c2 = await openCounter(hub, 2);
    const t = await serve(24 * 60 + 20);
    await at(24 * 60 + 30);
    unwrap(await c1.send('counter:finish', { requestId: rid(), outcome: 'received', dossierCode: 'AB-250715-01' }));
    const tablet = await client(hub, { role: 'rating', counterId: 1 });
    unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: t.id, score: 2 }));
    unwrap(await tablet.send('rating:detail', { requestId: rid(), ticketId: t.id, reason: 'Chờ lâu', trips: 2 }));
    tablet.close();
    // Asked for another day, a counter still gets its own today.
    const own = unwrap(await c1.send('visit:list', { day: '2025-07-14' }));
    expect(own.day).toBe('2025-07-15');
    expect(own.rows.map((r) => [r.ticketId, r.dossierCode, r.rating])).toEqual([[t.id, 'AB-250715-01', null]]);
    expect(unwrap(await c2.send('visit:list', { day: '2025-07-15' })).total).toBe(0);
    // A counter screen with no clerk logged in lists nothing.
    const bare = await client(hub, { role: 'counter', counterId: 4 });
    expect(failed(await bare.send('visit:list', { day: '2025-07-15' })).code).toBe('not_logged_in');
    bare.close();
    const seen = unwrap(await boss.send('visit:list', { day: '2025-07-15', q: 'ab-250715' }));
    expect(seen.rows[0]!.rating).toEqual({ scale: 'v5', score: 2, reason: 'Chờ lâu', trips: 2 });
  });

  it('the exports end with one row per visit: XLSX read back, and the CSV block', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
    const res = await fetch(`${hub.url}/api/reports/export.xlsx?week=2025-W29`, { headers: auth });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Từng lượt khách')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['Từng lượt khách — Tuần 29/2025 (14/07/2025 – 20/07/2025)']);
    expect(values(2)).toEqual([
      'Ngày', 'Số thứ tự', 'Lĩnh vực', 'Mã lĩnh vực (danh mục quốc gia)', 'Ưu tiên', 'Trạng thái', 'Quầy', 'Cán bộ', 'Lấy số', 'Gọi lần đầu', 'Bắt đầu', 'Kết thúc',
      'Chờ (phút)', 'Phục vụ (phút)', 'Kết quả', 'Mã hồ sơ', 'Đánh giá', 'Điểm', 'Lý do chưa hài lòng', 'Số lần đến',
    ]);
    expect(sheet.rowCount).toBe(2 + 7);
    const first = values(3);
    expect(first[0]).toEqual(new Date('2025-07-14T00:00:00Z'));
    expect(first.slice(5, 7)).toEqual(['Đã xong', 'Quầy 1']);
    // Local times as Excel keeps them (08:00 at UTC+7 written as 08:00), durations in minutes.
    expect(first.slice(8, 16)).toEqual([
      new Date('2025-07-14T08:00:00Z'), new Date('2025-07-14T08:03:00Z'), new Date('2025-07-14T08:04:00Z'), new Date('2025-07-14T08:10:00Z'), 3, 6, 'Tiếp nhận hồ sơ', CODE,
    ]);
    expect(values(9).slice(14)).toEqual(['Tiếp nhận hồ sơ', 'AB-250715-01', 'Không hài lòng', 2, 'Chờ lâu', 'Lần 2']);

    const csv = Buffer.from(await (await fetch(`${hub.url}/api/reports/export.csv?day=2025-07-14`, { headers: auth })).arrayBuffer()).toString('utf8');
    const lines = csv.slice(1).split('\r\n');
    const at2 = lines.indexOf('Từng lượt khách — Ngày 14/07/2025');
    expect(at2).toBeGreaterThan(0);
    expect(lines[at2 + 1]).toBe('Ngày,Số thứ tự,Lĩnh vực,Mã lĩnh vực (danh mục quốc gia),Ưu tiên,Trạng thái,Quầy,Cán bộ,Lấy số,Gọi lần đầu,Bắt đầu,Kết thúc,Chờ (phút),Phục vụ (phút),Kết quả,Mã hồ sơ,Đánh giá,Điểm,Lý do chưa hài lòng,Số lần đến');
    expect(lines[at2 + 2]).toMatch(new RegExp(`^14/07/2025,\\d+,Tư pháp – Hộ tịch,,,Đã xong,Quầy 1,[^,]+,08:00,08:03,08:04,08:10,3\\.0,6\\.0,Tiếp nhận hồ sơ,${CODE.replace(/\./g, '\\.')},,,,$`));
    expect(lines.slice(at2 + 2, at2 + 9).filter((l) => l.startsWith('14/07/2025,'))).toHaveLength(6);

    // The command line writes the same block from the SQLite file.
    const cli = await promisify(execFile)(process.execPath, [HUB_CLI, 'report', '--data-dir', hub.dataDir, '--day', '2025-07-14', '--format', 'csv']);
    const cliLines = cli.stdout.slice(1).split('\r\n');
    const at3 = cliLines.indexOf('Từng lượt khách — Ngày 14/07/2025');
    expect(cliLines.slice(at3, at3 + 8)).toEqual(lines.slice(at2, at2 + 8));
  });

  it('hostile payloads are refused with a message, change nothing, and the hub stays up', async () => {
    const before = row<{ n: number; codes: string }>(hub, 'SELECT count(*) AS n, group_concat(dossier_code) AS codes FROM tickets');
    const some = unwrap(await boss.send('visit:list', { day: '2025-07-15' })).rows[0]!;
    const bad: [string, unknown][] = [
      ['visit:setDossier', { requestId: rid(), ticketId: some.ticketId, code: 'x'.repeat(81) }],
      ['visit:setDossier', { requestId: rid(), ticketId: some.ticketId, code: '   ' }],
      ['visit:setDossier', { requestId: rid(), ticketId: { $gt: '' }, code: CODE }],
      ['visit:setDossier', { requestId: rid(), ticketId: some.ticketId, code: CODE, counterId: 2 }],
      ['visit:setDossier', { requestId: rid(), ticketId: some.ticketId, code: "A'; DROP TABLE tickets; --" }],
      ['visit:list', { day: "2025-07-15' OR 1=1 --" }],
      ['visit:list', { day: '2025-07-15', limit: 0 }],
      ['visit:list', { day: '2025-07-15', limit: 1e9 }],
      ['visit:list', { day: '2025-07-15', q: 'x'.repeat(81) }],
      ['visit:list', { day: '2025-07-15', offset: -1 }],
      ['visit:setDossierSettings', { pattern: 5, scannerPrefix: '' }],
      ['visit:setDossierSettings', { pattern: '^[A-Z]{6,40}$' }],
      ['visit:setDossierSettings', { pattern: '(?<=', scannerPrefix: '' }],
      ['visit:setDossierSettings', { pattern: '^(\\w*)*$', scannerPrefix: '~' }],
      ['visit:setDossierSettings', { pattern: '^A{2,}$', scannerPrefix: '\u0002' }],
    ];
    for (const [name, payload] of bad) {
      const ack = (await (boss.send as (n: string, p: unknown) => Promise<Ack<unknown>>)(name, payload));
      const error = failed(ack);
      expect([name, error.code]).toEqual([name, expect.stringMatching(/^(invalid_payload|not_found)$/)]);
      expect(error.message).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđíìịỉĩóòọỏõúùụủũýỳỵỷỹ]/i);
    }
    // A display may not list visits, a kiosk may not change a code.
    const tv = await client(hub, { role: 'display' });
    expect(failed(await tv.send('visit:list', { day: '2025-07-15' })).code).toBe('forbidden');
    tv.close();
    expect(failed(await k.send('visit:setDossier', { requestId: rid(), ticketId: some.ticketId, code: CODE })).code).toBe('forbidden');
    expect(row(hub, 'SELECT count(*) AS n, group_concat(dossier_code) AS codes FROM tickets')).toEqual(before);
    expect(unwrap(await boss.send('config:get', {})).dossier).toEqual(DEFAULT_DOSSIER_SETTINGS);
    expect(unwrap(await boss.send('visit:list', { day: '2025-07-15' })).total).toBeGreaterThan(0);
  });
});
