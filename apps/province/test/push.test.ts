import { connect, type Socket } from 'node:net';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { PUSH_MAX_BYTES, PUSH_MAX_ITEMS, type Report } from '@xephang/protocol';
import { dayClips, decodeTally, emptyTally, mergeReport, resolveRange, TALLY_LIMITS, TALLY_VERSION, zeroField, type DayTally } from '@xephang/reports';
import { addCommune, queryDb, type ProvinceProcess } from '@xephang/testing/province';
import { LIMITS, PUSHES_READ_AT_ONCE } from '@xephang/province';
import { b64, batchOf, call, CONFIG, configItem, dayItem, enrolled, HA_TRUNG, OFFSET, OTHER, push, tables, tallyOf, useProvince, VIETNAMESE, type Rig } from './helpers';

/**
 * Pushes into a real PostgreSQL through the built province server: what is stored, what wins
 * when a day comes again, every refusal (with nothing stored and the server still serving),
 * and the report read back equal to mergeReport of what was pushed.
 */

const rig = useProvince();
let db: Rig['db'];
let province: ProvinceProcess;
let token: string;

beforeEach(async () => {
  ({ db, province } = rig);
  token = await enrolled(province);
});

const days = (url: string) =>
  queryDb<{ day: string; epoch: string; seq: string; tally: Buffer }>(url, 'SELECT day::text AS day, epoch, seq, tally FROM day_tallies ORDER BY day');
const commune = async (url: string) =>
  (await queryDb<{ epoch: string | null; last_seq: string; config: unknown; hub_version: string }>(url, 'SELECT epoch, last_seq, config, hub_version FROM communes WHERE code = $1', [HA_TRUNG]))[0]!;

describe('a push', () => {
  it('is stored in one go: the days, the config, today, the sequence and a receipt', async () => {
    const today = { day: '2025-07-11', utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf: 1_752_200_000_000, tally: b64(tallyOf(9)) };
    const r = await push(province, token, batchOf([configItem(1), dayItem(2, '2025-07-09', 1), dayItem(3, '2025-07-10', 2)], { today }));
    expect(r).toEqual({ status: 200, body: { ackedThrough: 3, epoch: 1_750_000_000_000, duplicate: false } });

    const stored = await days(db.url);
    expect(stored.map((d) => [d.day, Number(d.seq)])).toEqual([
      ['2025-07-09', 2],
      ['2025-07-10', 3],
    ]);
    // The bytes kept are the bytes sent.
    expect(stored[1]!.tally.toString('base64')).toBe(b64(tallyOf(2)));
    const c = await commune(db.url);
    expect([Number(c.epoch), Number(c.last_seq), c.config, c.hub_version]).toEqual([1_750_000_000_000, 3, CONFIG, '0.1.0']);
    const running = await queryDb<{ day: string; tally: Buffer }>(db.url, 'SELECT day::text AS day, tally FROM today_tallies');
    expect(running.map((t) => [t.day, t.tally.toString('base64')])).toEqual([['2025-07-11', b64(tallyOf(9))]]);
    const receipts = await queryDb<{ first_seq: string; last_seq: string; items: number; with_today: boolean }>(db.url, 'SELECT first_seq, last_seq, items, with_today FROM push_receipts');
    expect(receipts.map((x) => [Number(x.first_seq), Number(x.last_seq), x.items, x.with_today])).toEqual([[1, 3, 3, true]]);
  });

  it('lands the receipt in its month\'s partition, made ahead with the next month\'s', async () => {
    await push(province, token, batchOf([dayItem(1, '2025-07-09', 1)]));
    const now = new Date();
    const name = (d: Date) => `push_receipts_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const parts = await queryDb<{ child: string }>(
      db.url,
      `SELECT c.relname AS child FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'push_receipts' AND c.relkind = 'r' ORDER BY 1`,
    );
    expect(parts.map((p) => p.child)).toEqual([name(now), name(next)]);
    const where = await queryDb<{ part: string }>(db.url, 'SELECT tableoid::regclass::text AS part FROM push_receipts');
    expect(where).toEqual([{ part: name(now) }]);
    // The tallies table is not partitioned (see its comment in db.ts).
    const kinds = await queryDb<{ relkind: string }>(db.url, "SELECT relkind FROM pg_class WHERE relname IN ('push_receipts', 'day_tallies') ORDER BY relname");
    expect(kinds.map((k) => k.relkind)).toEqual(['r', 'p']);
  });

  it('keeps, per day, the tally with the highest (epoch, seq): a resent older version changes nothing', async () => {
    await push(province, token, batchOf([dayItem(1, '2025-07-09', 1), dayItem(2, '2025-07-10', 2)]));
    // A late finish on the 9th: the hub sends the day again, as seq 3.
    await push(province, token, batchOf([dayItem(3, '2025-07-09', 5)]));
    expect((await days(db.url)).map((d) => [d.day, Number(d.seq), d.tally.toString('base64')])).toEqual([
      ['2025-07-09', 3, b64(tallyOf(5))],
      ['2025-07-10', 2, b64(tallyOf(2))],
    ]);
    // The first batch again (a reply lost): acknowledged, nothing stored.
    const before = await tables(db.url);
    const replay = await push(province, token, batchOf([dayItem(1, '2025-07-09', 1), dayItem(2, '2025-07-10', 2)]));
    expect(replay).toEqual({ status: 200, body: { ackedThrough: 3, epoch: 1_750_000_000_000, duplicate: true } });
    expect(await tables(db.url)).toEqual(before);
    // A batch overlapping what was stored: the part already there skipped, the rest stored.
    const overlap = await push(province, token, batchOf([dayItem(3, '2025-07-09', 5), dayItem(4, '2025-07-11', 4)]));
    expect(overlap.body).toEqual({ ackedThrough: 4, epoch: 1_750_000_000_000, duplicate: false });
    expect((await days(db.url)).map((d) => d.day)).toEqual(['2025-07-09', '2025-07-10', '2025-07-11']);
  });

  it('follows a larger epoch from seq 1 (a restore from backup), and refuses a smaller one', async () => {
    await push(province, token, batchOf([dayItem(1, '2025-07-09', 1), dayItem(2, '2025-07-10', 2)]));
    const restored = 1_760_000_000_000;
    // A new epoch must start at 1.
    const before = await tables(db.url);
    const late = await push(province, token, batchOf([dayItem(5, '2025-07-09', 7)], { epoch: restored }));
    expect([late.status, late.body.error?.code, late.body.error?.expected]).toEqual([409, 'sequence_gap', 1]);
    expect(await tables(db.url)).toEqual(before);

    const r = await push(province, token, batchOf([dayItem(1, '2025-07-09', 7)], { epoch: restored }));
    expect(r.body).toEqual({ ackedThrough: 1, epoch: restored, duplicate: false });
    // (restored, 1) is newer than (old, 2): the restored hub's version of the 9th wins; the 10th stays.
    expect((await days(db.url)).map((d) => [d.day, Number(d.epoch), Number(d.seq)])).toEqual([
      ['2025-07-09', restored, 1],
      ['2025-07-10', 1_750_000_000_000, 2],
    ]);
    // The old PC, still running on its copy, pushes again: refused, nothing stored.
    const after = await tables(db.url);
    const stale = await push(province, token, batchOf([dayItem(3, '2025-07-11', 3)]));
    expect([stale.status, stale.body.error?.code]).toEqual([409, 'stale_epoch']);
    expect(stale.body.error?.message).toMatch(VIETNAMESE);
    expect(await tables(db.url)).toEqual(after);
  });

  it('answers the commune\'s report: mergeReport of the days pushed, their names, today\'s running tally and empty days', async () => {
    const today = new Date(Date.now() + OFFSET * 60_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + OFFSET * 60_000 - 86_400_000).toISOString().slice(0, 10);
    const asOf = Date.now();
    await push(province, token, batchOf([configItem(1), dayItem(2, yesterday, 3)], { today: { day: today, utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf, tally: b64(tallyOf(6)) } }));
    const from = new Date(Date.now() + OFFSET * 60_000 - 3 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + OFFSET * 60_000 + 86_400_000).toISOString().slice(0, 10);
    const admin = await province.admin();
    const r = await call<Report>(province, 'GET', `/api/v1/communes/${HA_TRUNG}/report?from=${from}&to=${to}`, undefined, admin);
    expect(r.status).toBe(200);

    const range = resolveRange({ from, to }, OFFSET);
    const clips = dayClips(range.from, range.to, OFFSET);
    const byDay = new Map([
      [yesterday, tallyOf(3)],
      [today, tallyOf(6)],
    ]);
    const expected = mergeReport({
      range,
      clips,
      days: clips.map((c) => byDay.get(new Date(c.day * 86_400_000).toISOString().slice(0, 10)) ?? emptyTally()),
      names: CONFIG,
      now: r.body.generatedAt,
      utcOffsetMinutes: OFFSET,
    });
    // Through JSON as the reply was: the same figures, field for field.
    expect(r.body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(r.body.fieldTotal.issued).toBe(10 + 3 + 3 + 10 + 6 + 3);
    expect(r.body.clerks.map((c) => c.name)).toEqual(['Nguyễn Thị Lan', 'Trần Văn Minh']);

    // The tallies read back are the ones sent.
    const stored = (await days(db.url))[0]!;
    expect(decodeTally(stored.tally)).toEqual(tallyOf(3));
    // Without a session: refused.
    const anon = await call(province, 'GET', `/api/v1/communes/${HA_TRUNG}/report?week=2025-W28`);
    expect([anon.status, anon.body.error?.code]).toEqual([401, 'unauthorized']);
    const bad = await call(province, 'GET', `/api/v1/communes/${HA_TRUNG}/report?week=2025-W99`, undefined, admin);
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'invalid_body']);
    expect(bad.body.error?.message).toMatch(VIETNAMESE);
  });
});

/**
 * A push written by hand on a socket: the head, then `chunks` until the server stops taking
 * them. Resolves with the status line's code (0 if the server closed without one).
 */
function rawPush(port: number, token: string, headers: string, chunks: Buffer[]): Promise<number> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => done(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.write(`POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n${headers}\r\n`);
    const write = (i: number) => {
      if (i >= chunks.length || socket.destroyed) return;
      if (socket.write(chunks[i]!)) setImmediate(() => write(i + 1));
      else socket.once('drain', () => write(i + 1));
    };
    write(0);
  });
}

describe('a refused push', () => {
  it('stores nothing, says why in Vietnamese, and the server takes a good push after', async () => {
    await push(province, token, batchOf([configItem(1), dayItem(2, '2025-07-09', 1)]));
    const admin = await province.admin();
    await addCommune(province, admin, OTHER, 'Xã Hà Long');
    const revokedToken = token;
    const good = dayItem(3, '2025-07-10', 2);
    const badTally = { ...good, tally: Buffer.from('not a tally at all').toString('base64') };
    const truncated = { ...good, tally: b64(tallyOf(2)).slice(0, 40) };
    // A hostile commune's tallies: well formed, but with numbers no hub writes.
    const hostile = (edit: (t: DayTally) => void) => {
      const t = tallyOf(2);
      edit(t);
      return { ...good, tally: b64(t) };
    };
    const cases: [string, () => Promise<{ status: number; body: { error?: { code: string; message: string; expected?: number } } }>, number, string][] = [
      ['no token', () => call(province, 'POST', '/api/v1/push', batchOf([good])), 401, 'unauthorized'],
      ['an unknown token', () => push(province, 'x'.repeat(43), batchOf([good])), 401, 'unauthorized'],
      ['another commune', () => push(province, token, batchOf([good], { communeCode: OTHER })), 403, 'wrong_commune'],
      ['malformed JSON', () => push(province, token, '{"api":1,'), 400, 'invalid_body'],
      ['not an object', () => push(province, token, '[1,2,3]'), 400, 'invalid_body'],
      ['a wrong shape', () => push(province, token, { ...batchOf([good]), extra: 1 }), 400, 'invalid_body'],
      ['an item of no kind', () => push(province, token, batchOf([{ ...good, kind: 'week' } as never])), 400, 'invalid_body'],
      ['seqs not contiguous', () => push(province, token, batchOf([good, dayItem(5, '2025-07-11', 3)])), 400, 'invalid_body'],
      ['a tally that does not decode', () => push(province, token, batchOf([badTally])), 400, 'invalid_body'],
      ['a truncated tally', () => push(province, token, batchOf([truncated])), 400, 'invalid_body'],
      ['a count of 1e308', () => push(province, token, batchOf([hostile((t) => (t.fields.get('civil')!.issued = 1e308))])), 400, 'invalid_body'],
      ['a negative count', () => push(province, token, batchOf([hostile((t) => (t.fields.get('land')!.expired = -5))])), 400, 'invalid_body'],
      ['a wait of 1e308 ms', () => push(province, token, batchOf([hostile((t) => (t.waits[0]!.ms[0] = 1e308))])), 400, 'invalid_body'],
      ['a pause longer than 31 days', () => push(province, token, batchOf([hostile((t) => (t.counters.get(1)!.pausedMs = 32 * 86_400_000))])), 400, 'invalid_body'],
      ['a first call in the year 3000', () => push(province, token, batchOf([hostile((t) => (t.clerks.get(1)!.firstCallAt = Date.UTC(3000, 0, 1)))])), 400, 'invalid_body'],
      [
        'more fields than a catalog has',
        () => push(province, token, batchOf([hostile((t) => Array.from({ length: TALLY_LIMITS.fields }, (_, i) => t.fields.set(`f${i}`, zeroField())))])),
        400,
        'invalid_body',
      ],
      ['an unknown tally version', () => push(province, token, batchOf([{ ...good, version: TALLY_VERSION + 1 }])), 422, 'unsupported_version'],
      ['an unknown API version', () => push(province, token, { ...batchOf([good]), api: 2 }), 422, 'unsupported_version'],
      ['too many items', () => push(province, token, batchOf(Array.from({ length: PUSH_MAX_ITEMS + 1 }, (_, i) => configItem(3 + i)))), 400, 'invalid_body'],
      ['a day that does not exist', () => push(province, token, batchOf([{ ...good, day: '2025-02-30' }])), 400, 'invalid_body'],
      ['a NUL in a name', () => push(province, token, batchOf([configItem(3, { ...CONFIG, centerName: 'Xã\u0000' })])), 400, 'invalid_body'],
      ['a NUL in the hub version', () => push(province, token, batchOf([good], { hubVersion: '0.1\u0000' })), 400, 'invalid_body'],
      ['a sequence gap', () => push(province, token, batchOf([dayItem(5, '2025-07-10', 2)])), 409, 'sequence_gap'],
      ['a good batch with a bad today', () => push(province, token, batchOf([good], { today: { day: '2025-07-11', utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf: 1, tally: 'AAAA' } })), 400, 'invalid_body'],
    ];
    const before = await tables(db.url);
    for (const [name, send, status, code] of cases) {
      const r = await send();
      expect({ name, status: r.status, code: r.body.error?.code }).toEqual({ name, status, code });
      expect(r.body.error?.message).toMatch(VIETNAMESE);
      if (code === 'sequence_gap') expect(r.body.error?.expected).toBe(3);
      expect({ name, tables: await tables(db.url) }).toEqual({ name, tables: before });
    }

    // Over PUSH_MAX_BYTES: refused by its Content-Length before a byte of it is read, and, sent
    // chunked (no length said), as soon as it passes the limit; the connection closes, the rest unread.
    expect(await rawPush(province.port, token, `Content-Length: ${PUSH_MAX_BYTES + 1}\r\n`, [])).toBe(413);
    const chunk = (text: string) => Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
    const piece = chunk('A'.repeat(256 * 1024));
    expect(await rawPush(province.port, token, 'Transfer-Encoding: chunked\r\n', [chunk('{"api":1,"x":"'), ...Array.from({ length: 40 }, () => piece)])).toBe(413);
    expect(await tables(db.url)).toEqual(before);

    // After all that, the good push goes through.
    const ok = await push(province, token, batchOf([good]));
    expect(ok.body).toEqual({ ackedThrough: 3, epoch: 1_750_000_000_000, duplicate: false });

    // A revoked commune's token: told so.
    const revoked = await call(province, 'POST', `/api/v1/admin/communes/${HA_TRUNG}/revoke`, {}, admin);
    expect(revoked.status).toBe(200);
    const afterRevoke = await tables(db.url);
    const r = await push(province, revokedToken, batchOf([dayItem(4, '2025-07-11', 3)]));
    expect([r.status, r.body.error?.code]).toEqual([401, 'revoked']);
    expect(r.body.error?.message).toMatch(/đăng ký lại/);
    expect(await tables(db.url)).toEqual(afterRevoke);
    expect(province.child.exitCode).toBeNull();
  });

  it('limits pushes per token (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await push(province, token, batchOf([]))).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const res = await fetch(`${province.url}/api/v1/push`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(batchOf([])) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

/**
 * A push whose head and first bytes are sent, the rest held back: `answer` resolves with the
 * status code as soon as the server answers (0 if it closes without one), `socket` to end it.
 */
function heldPush(port: number, token: string, length: number): { answer: Promise<number>; socket: Socket } {
  const socket = connect(port, '127.0.0.1');
  const answer = new Promise<number>((done) => {
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      if (status) done(Number(status));
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done(0));
  });
  socket.write(`POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"api":1,"x":"`);
  socket.write('A'.repeat(64 * 1024));
  return { answer, socket };
}

/** `p`'s value, or 'pending' if it has none after `ms`. */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'pending'>((done) => setTimeout(() => done('pending'), ms).unref())]);

describe('a push before its body is read', () => {
  it('is refused for a made-up or revoked token without the body being read, and a good push still works', async () => {
    // A burst of 4 MB bodies with made-up tokens: each answered 401 while its body is still unsent.
    const burst = Array.from({ length: 20 }, (_, i) => heldPush(province.port, `made-up-token-${String(i).padStart(30, '0')}`, PUSH_MAX_BYTES));
    const statuses = await Promise.all(burst.map((b) => within(b.answer, 5_000)));
    burst.forEach((b) => b.socket.destroy());
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 401));

    const ok = await push(province, token, batchOf([dayItem(1, '2025-07-09', 1)]));
    expect(ok).toEqual({ status: 200, body: { ackedThrough: 1, epoch: 1_750_000_000_000, duplicate: false } });

    const admin = await province.admin();
    expect((await call(province, 'POST', `/api/v1/admin/communes/${HA_TRUNG}/rotate`, {}, admin)).status).toBe(200);
    const revoked = heldPush(province.port, token, PUSH_MAX_BYTES);
    expect(await within(revoked.answer, 5_000)).toBe(401);
    revoked.socket.destroy();
    // The refusal of a revoked token is in the server's log, without the token.
    expect(province.output()).toMatch(/Từ chối lần gửi từ 127\.0\.0\.1: revoked/);
    expect(province.output()).not.toContain(token);
  });

  it(`reads at most ${PUSHES_READ_AT_ONCE} push bodies at once across the server: the next is told to come back (429)`, async () => {
    const held = Array.from({ length: PUSHES_READ_AT_ONCE }, () => heldPush(province.port, token, PUSH_MAX_BYTES));
    // The held bodies are being read (the server has not answered them) …
    expect(await Promise.all(held.map((h) => within(h.answer, 1_000)))).toEqual(held.map(() => 'pending'));
    // … so one more is refused before its body is read.
    const extra = heldPush(province.port, token, PUSH_MAX_BYTES);
    expect(await within(extra.answer, 5_000)).toBe(429);
    extra.socket.destroy();
    held.forEach((h) => h.socket.destroy());
    // The slots come back when those hubs go away.
    let ok = await push(province, token, batchOf([dayItem(1, '2025-07-09', 1)]));
    for (let i = 0; i < 20 && ok.status === 429; i++) {
      await new Promise((done) => setTimeout(done, 100));
      ok = await push(province, token, batchOf([dayItem(1, '2025-07-09', 1)]));
    }
    expect(ok).toEqual({ status: 200, body: { ackedThrough: 1, epoch: 1_750_000_000_000, duplicate: false } });
  });
});

describe('a re-enrolled hub', () => {
  it('has its days and config stored though its clock (its epoch) is behind the hub before it', async () => {
    const E = 1_750_000_000_000;
    const first = await push(province, token, batchOf([configItem(1), dayItem(2, '2025-07-09', 1)], { epoch: E, today: { day: '2025-07-10', utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf: E, tally: b64(tallyOf(7)) } }));
    expect(first.status).toBe(200);
    const admin = await province.admin();
    const rotated = await call<{ enrolmentKey: string }>(province, 'POST', `/api/v1/admin/communes/${HA_TRUNG}/rotate`, {}, admin);
    const again = await call<{ token: string }>(province, 'POST', '/api/v1/enrol', { api: 1, communeCode: HA_TRUNG, key: rotated.body.enrolmentKey, hubVersion: '0.2.0' });
    expect(again.status).toBe(200);
    const config = { ...CONFIG, centerName: 'Trung tâm mới' };
    const r = await push(province, again.body.token, batchOf([dayItem(1, '2025-07-09', 4), configItem(2, config)], { epoch: E - 1000 }));
    expect(r).toEqual({ status: 200, body: { ackedThrough: 2, epoch: E - 1000, duplicate: false } });
    expect((await days(db.url)).map((d) => [d.day, Number(d.epoch), Number(d.seq), d.tally.toString('base64')])).toEqual([['2025-07-09', E - 1000, 1, b64(tallyOf(4))]]);
    expect((await commune(db.url)).config).toEqual(config);
    // The old hub's running today is gone with it: the new hub's today is the one read.
    expect(await queryDb(db.url, 'SELECT day FROM today_tallies')).toEqual([]);
  });
});

describe('a push from a hub whose clock runs ahead', () => {
  it('is refused for a day past the province\'s tomorrow, a day or a today; tomorrow is taken', async () => {
    const vnDay = (plus: number) => new Date(Math.floor((Date.now() + OFFSET * 60_000) / 86_400_000 + plus) * 86_400_000).toISOString().slice(0, 10);
    const before = await tables(db.url);
    const late = await push(province, token, batchOf([dayItem(1, vnDay(2), 1)]));
    expect([late.status, late.body.error?.code]).toEqual([400, 'invalid_body']);
    expect(late.body.error?.message).toMatch(/tương lai/);
    const today = (day: string) => ({ day, utcOffsetMinutes: OFFSET, version: TALLY_VERSION, asOf: Date.now(), tally: b64(tallyOf(1)) });
    const lateToday = await push(province, token, batchOf([], { today: today(vnDay(2)) }));
    expect([lateToday.status, lateToday.body.error?.code]).toEqual([400, 'invalid_body']);
    expect(lateToday.body.error?.message).toMatch(VIETNAMESE);
    expect(await tables(db.url)).toEqual(before);
    const ok = await push(province, token, batchOf([dayItem(1, vnDay(1), 1)], { today: today(vnDay(1)) }));
    expect(ok.status).toBe(200);
  });
});

describe('refusals in the server\'s log', () => {
  it('says a wrong commune, a stale epoch and a failed enrolment, one line each, and a flood only up to a limit', async () => {
    await push(province, token, batchOf([dayItem(1, '2025-07-09', 1)], { epoch: 1_750_000_000_000 }));
    expect((await push(province, token, batchOf([dayItem(2, '2025-07-10', 1)], { communeCode: OTHER }))).body.error?.code).toBe('wrong_commune');
    expect((await push(province, token, batchOf([dayItem(1, '2025-07-10', 1)], { epoch: 1_740_000_000_000 }))).body.error?.code).toBe('stale_epoch');
    const wrongKey = 'k'.repeat(43);
    expect((await call(province, 'POST', '/api/v1/enrol', { api: 1, communeCode: HA_TRUNG, key: wrongKey, hubVersion: '0.1.0' })).status).toBe(401);
    const lines = () => province.output().split('\n').filter((l) => l.startsWith('Từ chối'));
    expect(lines().map((l) => /: (\w+) —/.exec(l)?.[1])).toEqual(['wrong_commune', 'stale_epoch', 'unauthorized']);
    expect(lines()[2]).toMatch(/đăng ký/);
    expect(province.output()).not.toContain(token);
    expect(province.output()).not.toContain(wrongKey);
    // A flood of wrong-commune pushes: the log takes a burst, not all of them.
    for (let i = 0; i < 25; i++) await push(province, token, batchOf([dayItem(2, '2025-07-10', 1)], { communeCode: OTHER }));
    expect(lines().length).toBeLessThan(3 + 25);
    expect(lines().length).toBeGreaterThanOrEqual(LIMITS.refusalLogLines.burst);
  });
});
