import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { PROVINCE_API_VERSION, type CommuneConfig, type PushBatch, type PushItem } from '@xephang/protocol';
import { encodeTally, emptyTally, TALLY_VERSION, type DayTally } from '@xephang/reports';
import { addCommune, createDatabase, queryDb, startPostgres, startProvinceProcess, type ProvinceProcess, type TestPostgres } from '@xephang/testing/province';

/** At least one letter only Vietnamese spelling has: the message was written for a person here. */
export const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/iu;

export const HA_TRUNG = '00004';
export const OTHER = '00007';
/** Vietnam: UTC+7. */
export const OFFSET = 420;

export interface Rig {
  pg: TestPostgres;
  db: { url: string; drop: () => Promise<void> };
  /** A test that starts another server puts it here, so it is stopped after the test. */
  province: ProvinceProcess;
}

/**
 * One PostgreSQL for the test file (started in beforeAll; its start time is said, so a slow CI
 * shows where its time went), a fresh database and a province server on it for each test.
 */
export function useProvince(): Rig {
  const rig = {} as Rig;
  beforeAll(async () => {
    rig.pg = await startPostgres();
    console.log(`PostgreSQL started in ${rig.pg.startMs} ms`);
  });
  afterAll(async () => {
    await rig.pg?.stop();
  });
  beforeEach(async () => {
    rig.db = await createDatabase(rig.pg.url);
    rig.province = await startProvinceProcess({ databaseUrl: rig.db.url });
  });
  afterEach(async () => {
    await rig.province?.stop();
    await rig.db?.drop();
  });
  return rig;
}

export interface Reply<T = unknown> {
  status: number;
  body: T & { error?: { code: string; message: string; expected?: number } };
}

/** A JSON request to the province; `body` a string is sent as it is (malformed input). */
export async function call<T = Record<string, unknown>>(
  province: Pick<ProvinceProcess, 'url'>,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<Reply<T>> {
  const res = await fetch(`${province.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Reply<T>['body'] };
}

/** A commune made by the admin and enrolled by its "hub": its push token. */
export async function enrolled(province: ProvinceProcess, code = HA_TRUNG, name = 'Xã Hà Trung'): Promise<string> {
  const key = await addCommune(province, await province.admin(), code, name);
  const r = await call<{ token: string }>(province, 'POST', '/api/v1/enrol', { api: PROVINCE_API_VERSION, communeCode: code, key, hubVersion: '0.1.0' });
  if (r.status !== 200) throw new Error(`enrolment refused: ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/**
 * A day's tally with a little of everything (fields, hours, durations, counters, clerks, pauses,
 * ratings), different for each `n`, so two versions of a day are told apart in a report.
 */
export function tallyOf(n: number): DayTally {
  const t = emptyTally();
  t.fields.set('civil', { issued: 10 + n, transferredIn: 1, served: 8 + n, received: 3, guidance: 4 + n, returned: 1, other: 0, startedAtCall: 2, noShow: 1, expired: 1, withDossier: 2 + n });
  t.fields.set('land', { issued: 3, transferredIn: 0, served: 2, received: 2, guidance: 0, returned: 0, other: 0, startedAtCall: 0, noShow: 0, expired: 1, withDossier: 1 });
  t.issuedByHour[8] = 7 + n;
  t.issuedByHour[9] = 6;
  t.served = 10 + n;
  t.serviceTimes = [
    { serviceId: 'civil', counterId: 1, clerkId: 1, ms: Float64Array.from({ length: 8 + n }, (_, i) => 60_000 + i * 7_000 + n * 1_000) },
    { serviceId: 'land', counterId: 3, clerkId: 3, ms: Float64Array.from([300_000, 420_000]) },
  ];
  t.waits = [{ serviceId: 'civil', counterId: 1, clerkId: null, ms: Float64Array.from({ length: 9 + n }, (_, i) => 30_000 + i * 11_000) }];
  t.counters.set(1, { firstCallAt: 1_000 + n, lastFinishAt: 9_000 + n, served: 8 + n, pausedMs: 600_000 });
  t.counters.set(3, { firstCallAt: 2_000, lastFinishAt: 8_000, served: 2, pausedMs: 0 });
  t.clerks.set(1, { firstCallAt: 1_000 + n, lastFinishAt: 9_000 + n, served: 8 + n, pausedMs: 600_000 });
  t.clerks.set(3, { firstCallAt: 2_000, lastFinishAt: 8_000, served: 2, pausedMs: 0 });
  t.pauses = [{ counterId: 1, clerkId: 1, reason: 'Họp giao ban', count: 1, ms: 600_000 }];
  t.ratings = [{ serviceId: 'civil', counterId: 1, clerkId: 1, counts: [5 + n, 2, 1, 0] }];
  t.ratingsV5 = [{ serviceId: 'civil', counterId: 1, clerkId: 1, counts: [1, 0, 1, 2 + n, 4], trips: [5, 2, 1], reasons: [['Chờ lâu', 1], ['Khác', 1]] }];
  t.dossiers = [
    { serviceId: 'civil', counterId: 1, clerkId: 1, count: 2 + n },
    { serviceId: 'land', counterId: 3, clerkId: 3, count: 1 },
  ];
  return t;
}

export const b64 = (t: DayTally): string => encodeTally(t).toString('base64');

export const CONFIG: CommuneConfig = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
  services: [
    { id: 'land', nameVi: 'Nông nghiệp – Môi trường – Đất đai', nameEn: 'Agriculture – Environment – Land', officialCode: null },
    { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', officialCode: 'TEST.HT-01' },
  ],
  counters: [
    { id: 1, name: 'Quầy 1' },
    { id: 3, name: 'Quầy 3' },
  ],
  clerks: [
    { id: 1, name: 'Nguyễn Thị Lan' },
    { id: 3, name: 'Trần Văn Minh' },
  ],
};

export type DayItem = Extract<PushItem, { kind: 'day' }>;
export const dayItem = (seq: number, day: string, n: number): DayItem => ({ seq, kind: 'day', day, utcOffsetMinutes: OFFSET, version: TALLY_VERSION, tally: b64(tallyOf(n)) });
export const configItem = (seq: number, config: CommuneConfig = CONFIG): PushItem => ({ seq, kind: 'config', config });

export function batchOf(items: PushItem[], extra: Partial<PushBatch> = {}): PushBatch {
  return { api: PROVINCE_API_VERSION, communeCode: HA_TRUNG, epoch: 1_750_000_000_000, items, sentAt: Date.now(), hubVersion: '0.1.0', ...extra };
}

export const push = (province: Pick<ProvinceProcess, 'url'>, token: string, batch: unknown) => call<{ ackedThrough: number; epoch: number; duplicate: boolean }>(province, 'POST', '/api/v1/push', batch, token);

/**
 * Every row of every table the server writes (the receipt log through its parent table), in a
 * fixed order: equal before and after a refused request when nothing was stored.
 */
export async function tables(url: string): Promise<Record<string, unknown[]>> {
  const order: Record<string, string> = {
    settings: 'key',
    users: 'username',
    sessions: 'token_hash',
    communes: 'code',
    revoked_tokens: 'token_hash',
    day_tallies: 'commune_code, day',
    today_tallies: 'commune_code',
    push_receipts: 'received_at, commune_code',
    admin_audit: 'id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [table, by] of Object.entries(order)) out[table] = await queryDb(url, `SELECT * FROM ${table} ORDER BY ${by}`);
  return out;
}
