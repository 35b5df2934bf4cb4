#!/usr/bin/env node
/**
 * The province at scale (issue 19): a hundred communes' day tallies in PostgreSQL, and how long
 * the province's screens take to read them.
 *
 *   npm run bench:province [-- --communes 100 --days 60 --visits 400 --runs 10 --month 2026-11 --cpu-prof DIR --reuse]
 *
 * 1. Generates `--communes` × `--days` working days (Monday–Friday, the last one before today)
 *    × `--visits` tickets a day straight into a province database, not through hubs (a hundred
 *    hubs pushing three months would take hours): each commune-day's tally is built in process
 *    the way a hub's tallyDay counts a day (the default fields with their shares, tickets issued
 *    through the opening hours with a morning peak, waits and service times with a long tail,
 *    nine counters, about twelve clerks taking turns, ratings, lunch and meeting pauses), then
 *    `encodeTally`, and written with multi-row INSERTs into the province's own tables (its
 *    migrations made the schema), with each commune's names (CommuneConfig) and link columns
 *    as a push leaves them. Into a fresh embedded PostgreSQL (the test rig's), or into
 *    DATABASE_URL when set (an empty database; with `--reuse`, one a run before filled).
 * 2. Times, against the real province server as a process, over HTTP: the all-communes month
 *    (`/api/v1/overview`), one commune's month (`/api/v1/communes/:code/report`, the same commune
 *    and then a different one each run), the by-field month (`/api/v1/fields`), and the
 *    all-communes month moved on a day each run (a range never asked before). The first
 *    request after the server started is the cold one (and the warm-up); then `--runs` warm ones,
 *    p50 / p99. Goal: under 1 s each on this 2-core machine. The load average is printed beside
 *    every figure: the machine is shared. An endpoint the server does not have yet (404) is said.
 * 3. In process: the province's own `overview` and `fields` (the server's functions without HTTP),
 *    first call and then warm, with their CPU; what reading a month costs (the month's tallies in
 *    one query, decoded) beside a full report merged for every commune; the query's plan
 *    (EXPLAIN ANALYZE with SERIALIZE: PostgreSQL's reading of the TOASTed tallies).
 *    `--cpu-prof DIR` also profiles the server (cpu-profile.ts, as node --cpu-prof would) and prints where its time went.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { addDays, localDate, localMidnight, VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { DEFAULT_COUNTERS, DEFAULT_HOURS, DEFAULT_SERVICES } from '@xephang/hub/default-center';
import type { CommuneConfig, FieldTotal } from '@xephang/protocol';
import { fields, migrate, openPool, overview, type Pool } from '@xephang/province';
import { dayClips, decodeTally, emptyTally, encodeTally, mergeReport, resolveRange, TALLY_VERSION, zeroField, type DayTally, type DayWork, type DurationGroup, type PauseGroup, type RatingGroup } from '@xephang/reports';
import { queryDb, startPostgres, startProvinceProcess, type ProvinceProcess, type TestPostgres } from '@xephang/testing/province';
import { fieldPicker, rng } from './visit-shape';

const MIN = 60_000;
const OFFSET = VIETNAM_UTC_OFFSET_MINUTES;
const out = (line = '') => process.stdout.write(`${line}\n`);
const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

// ---------------------------------------------------------------------------------------------
// 1. The tallies

/**
 * When tickets are issued, by half hour from 07:00 (local): the default opening hours
 * (07:30–11:30, 13:30–17:00, tickets from half an hour before each opening), most citizens in
 * the morning (two thirds), the peak between 8 and 10, few just before each closing.
 */
const ISSUE_SHAPE: readonly [startMinute: number, weight: number][] = [
  [7 * 60, 4], [7 * 60 + 30, 8], [8 * 60, 11], [8 * 60 + 30, 12], [9 * 60, 11], [9 * 60 + 30, 10], [10 * 60, 8], [10 * 60 + 30, 6], [11 * 60, 3],
  [13 * 60, 2], [13 * 60 + 30, 5], [14 * 60, 7], [14 * 60 + 30, 7], [15 * 60, 6], [15 * 60 + 30, 5], [16 * 60, 4], [16 * 60 + 30, 2],
];
const MORNING_CLOSE = 11 * 60 + 30;
const DAY_CLOSE = 17 * 60;

/** Per field: median wait and service (minutes) at an average commune, and the outcome shares (received, guidance, returned, other). */
const FIELD_PACE: Record<string, { wait: number; service: number; outcomes: [number, number, number, number] }> = {
  civil: { wait: 12, service: 6, outcomes: [0.25, 0.55, 0.15, 0.05] },
  land: { wait: 15, service: 12, outcomes: [0.5, 0.35, 0.1, 0.05] },
  business: { wait: 8, service: 10, outcomes: [0.5, 0.3, 0.15, 0.05] },
  culture: { wait: 8, service: 7, outcomes: [0.2, 0.6, 0.1, 0.1] },
  police: { wait: 10, service: 8, outcomes: [0.4, 0.3, 0.25, 0.05] },
  landreg: { wait: 18, service: 14, outcomes: [0.55, 0.2, 0.2, 0.05] },
  post: { wait: 6, service: 5, outcomes: [0.4, 0.3, 0.2, 0.1] },
};
const OUTCOME_KEYS = ['received', 'guidance', 'returned', 'other'] as const satisfies readonly (keyof FieldTotal)[];

const FIRST = ['Hà', 'Nga', 'Hoằng', 'Quảng', 'Thiệu', 'Yên', 'Vĩnh', 'Thọ', 'Triệu', 'Đông'];
const SECOND = ['Trung', 'Sơn', 'Hóa', 'Xương', 'Lộc', 'Phú', 'Thành', 'Bình', 'An', 'Long'];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đỗ', 'Bùi', 'Đặng', 'Ngô', 'Dương', 'Lý'];
const GIVEN = ['Thị Hương', 'Văn Minh', 'Thị Thu Hà', 'Quốc Bảo', 'Thị Lan', 'Đức Thắng', 'Văn Hùng', 'Thị Ngọc', 'Thị Mai', 'Minh Tuấn', 'Thị Hằng', 'Văn Nam', 'Hữu Phước', 'Thị Yến'];

/** One commune's character: how busy its waits run, how fast its clerks are, how satisfied its citizens. */
interface Commune {
  code: string;
  name: string;
  config: CommuneConfig;
  clerks: number;
  waitScale: number;
  speed: number;
  rated: number;
  /** Probability of each score 4, 3, 2 (the rest 1). */
  scores: [number, number, number];
}

function communes(count: number, random: () => number): Commune[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `Xã ${FIRST[Math.floor(i / SECOND.length) % FIRST.length]} ${SECOND[i % SECOND.length]}${i >= FIRST.length * SECOND.length ? ` ${Math.floor(i / 100) + 1}` : ''}`;
    const clerks = 10 + Math.floor(random() * 5); // 10–14, about twelve
    const happy = 0.45 + random() * 0.35;
    return {
      code: String(15001 + i * 3),
      name,
      config: {
        centerName: `Trung tâm Phục vụ hành chính công ${name.replace(/^Xã/, 'xã')}`,
        services: DEFAULT_SERVICES.map((s) => ({ id: s.id, nameVi: s.nameVi, nameEn: s.nameEn, officialCode: null })),
        counters: DEFAULT_COUNTERS.map((c) => ({ id: c.id, name: `Quầy ${c.id}` })),
        clerks: Array.from({ length: clerks }, (_, k) => ({ id: k + 1, name: `${FAMILY[(i + k) % FAMILY.length]} ${GIVEN[(i * 7 + k) % GIVEN.length]}` })),
      },
      clerks,
      // A few communes overloaded (waits twice the average), a few quiet.
      waitScale: 0.5 + random() * random() * 2,
      speed: 0.75 + random() * 0.65,
      rated: 0.25 + random() * 0.3,
      scores: [happy, (1 - happy) * 0.7, (1 - happy) * 0.2],
    };
  });
}

/** A standard normal draw (Box–Muller). */
const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** The entry of `key`, made by `make` the first time. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

/** Durations by field, counter and clerk, as a hub's tally keeps them. */
function groups() {
  const byKey = new Map<string, { serviceId: string; counterId: number | null; clerkId: number | null; ms: number[] }>();
  return {
    add: (serviceId: string, counterId: number | null, clerkId: number | null, ms: number) =>
      entry(byKey, [serviceId, counterId, clerkId].join('|'), () => ({ serviceId, counterId, clerkId, ms: [] })).ms.push(ms),
    done: (): DurationGroup[] => Array.from(byKey.values(), (g) => ({ ...g, ms: Float64Array.from(g.ms) })),
  };
}

/** What one commune's working day adds up to, as its hub's tallyDay would count it. */
function dayTally(c: Commune, day: string, dayIndex: number, visits: number, random: () => number): DayTally {
  const midnight = localMidnight(day, OFFSET)!;
  const at = (minute: number) => midnight + Math.round(minute * MIN);
  const field = fieldPicker(random);
  const slotTotal = ISSUE_SHAPE.reduce((s, [, w]) => s + w, 0);
  const slot = () => {
    let r = random() * slotTotal;
    for (const [start, w] of ISSUE_SHAPE) if ((r -= w) < 0) return start + random() * 30;
    return ISSUE_SHAPE[0]![0];
  };
  // The clerks take turns at the counters: clerk ids 1…n, a different nine each day.
  const clerkAt = (counter: number) => ((counter - 1 + dayIndex * 2) % c.clerks) + 1;

  const fields = new Map<string, FieldTotal>();
  const fieldOf = (id: string) => entry(fields, id, zeroField);
  const issuedByHour = new Array<number>(24).fill(0);
  const counters = new Map<number, DayWork>();
  const clerks = new Map<number, DayWork>();
  const workOf = (map: Map<number, DayWork>, id: number) => entry(map, id, (): DayWork => ({ firstCallAt: null, lastFinishAt: null, served: 0, pausedMs: 0 }));
  const activity = (counter: number, clerk: number, call: number | null, finish: number | null) => {
    for (const w of [workOf(counters, counter), workOf(clerks, clerk)]) {
      if (call !== null && (w.firstCallAt === null || call < w.firstCallAt)) w.firstCallAt = call;
      if (finish !== null) {
        if (w.lastFinishAt === null || finish > w.lastFinishAt) w.lastFinishAt = finish;
        w.served += 1;
      }
    }
  };
  const serviceTimes = groups();
  const waits = groups();
  const ratings = new Map<string, RatingGroup>();
  let served = 0;

  for (let i = 0; i < visits; i++) {
    const s = field();
    const pace = FIELD_PACE[s.id]!;
    const f = fieldOf(s.id);
    const issued = slot();
    f.issued += 1;
    issuedByHour[Math.floor(issued / 60)]! += 1;
    if (random() < 0.02) f.transferredIn += 1;
    const r = random();
    if (r < 0.02) {
      f.expired += 1; // never called before the day ended
      continue;
    }
    const counter = s.counters[Math.floor(random() * s.counters.length)]!;
    const clerk = clerkAt(counter);
    const close = issued < MORNING_CLOSE ? MORNING_CLOSE + 30 : DAY_CLOSE + 30;
    // Log-normal waits: most in minutes, a long tail of an hour or more at a busy commune.
    const waitMin = Math.min(close - issued, pace.wait * c.waitScale * Math.exp(0.85 * normal(random)));
    const call = issued + Math.max(0.2, waitMin);
    waits.add(s.id, counter, null, at(call) - at(issued));
    if (r < 0.05) {
      f.noShow += 1; // called, did not come, expired at the day's end
      activity(counter, clerk, at(call), null);
      continue;
    }
    const atCall = random() < 0.25;
    if (atCall) f.startedAtCall += 1;
    const start = atCall ? call : call + 0.5 + random() * 1.5;
    const finish = start + (pace.service / c.speed) * Math.exp(0.6 * normal(random));
    serviceTimes.add(s.id, counter, clerk, at(finish) - at(start));
    let o = random();
    let outcome: (typeof OUTCOME_KEYS)[number] = 'other';
    for (const [k, share] of pace.outcomes.entries()) {
      if ((o -= share) < 0) {
        outcome = OUTCOME_KEYS[k]!;
        break;
      }
    }
    f.served += 1;
    f[outcome] += 1;
    served += 1;
    activity(counter, clerk, at(call), at(finish));
    if (random() < c.rated) {
      const x = random();
      const score = x < c.scores[0] ? 4 : x < c.scores[0] + c.scores[1] ? 3 : x < c.scores[0] + c.scores[1] + c.scores[2] ? 2 : 1;
      entry(ratings, `${s.id}|${counter}|${clerk}`, (): RatingGroup => ({ serviceId: s.id, counterId: counter, clerkId: clerk, counts: [0, 0, 0, 0] })).counts[score - 1]! += 1;
    }
  }

  // Every counter pauses for lunch (from the morning's close to the afternoon's opening); one in five also for a meeting.
  const lunch = DEFAULT_HOURS.week[0]!;
  const pauses: PauseGroup[] = [];
  for (const { id: counter } of DEFAULT_COUNTERS) {
    const clerk = clerkAt(counter);
    const add = (reason: string, ms: number) => {
      pauses.push({ counterId: counter, clerkId: clerk, reason, count: 1, ms });
      workOf(counters, counter).pausedMs += ms;
      workOf(clerks, clerk).pausedMs += ms;
    };
    add('Nghỉ trưa', at(minutes(lunch[1]!.open)) - at(minutes(lunch[0]!.close)));
    if (random() < 0.2) add('Họp giao ban', Math.round((10 + random() * 30) * MIN));
  }

  return { fields, issuedByHour, served, serviceTimes: serviceTimes.done(), waits: waits.done(), counters, clerks, pauses, ratings: [...ratings.values()], ratingsV5: [], dossiers: [] };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `count` working days (Monday–Friday) ending on `end`, oldest first. */
function workingDays(end: string, count: number): string[] {
  const days: string[] = [];
  for (let d = end; days.length < count; d = addDays(d, -1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) days.unshift(d);
  }
  return days;
}

/** The first day of the month after `month` (YYYY-MM). */
const nextMonth = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 10);

/** The newest calendar month whose every day lies within first…last. */
function wholeMonth(first: string, last: string): string | undefined {
  for (let m = last.slice(0, 7); m >= first.slice(0, 7); ) {
    const start = `${m}-01`;
    const end = addDays(nextMonth(m), -1);
    if (start >= first && end <= last) return m;
    m = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
  }
  return undefined;
}

/** Writes the communes and their days' tallies; one transaction per commune. */
async function generate(pool: Pool, all: Commune[], days: string[], visits: number, seed: number, now: number): Promise<void> {
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  let encodeMs = 0;
  const epoch = now - 120 * 86_400_000;
  for (const [n, c] of all.entries()) {
    const random = rng(seed * 1_000 + n);
    const tb = performance.now();
    const tallies = days.map((day, i) => encodeTally(dayTally(c, day, i, visits, random)));
    encodeMs += performance.now() - tb;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // As a hub's pushes leave it: enrolled, its names (seq 1), its days (seq 2…), pushed a minute ago; three communes late by a day.
      const late = n % 37 === 5;
      await client.query(
        `INSERT INTO communes (code, name, created_at, token_hash, enrolled_at, epoch, last_seq, last_push_at, hub_version, utc_offset_minutes, config, config_epoch, config_seq)
         VALUES ($1, $2, $3, $4, $3, $5, $6, $7, '0.1.0', $8, $9, $5, 1)`,
        [c.code, c.name, new Date(epoch), randomBytes(32).toString('hex'), epoch, days.length + 1, new Date(now - (late ? 26 * 3_600_000 : 60_000 + random() * 240_000)), OFFSET, JSON.stringify(c.config)],
      );
      const params: unknown[] = [];
      const values = tallies.map((tally, i) => {
        const received = new Date(localMidnight(addDays(days[i]!, 1), OFFSET)! + 5 * MIN + Math.round(random() * 10 * MIN));
        params.push(c.code, days[i], OFFSET, TALLY_VERSION, tally, epoch, i + 2, received);
        const b = i * 8;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8})`;
      });
      await client.query(`INSERT INTO day_tallies (commune_code, day, utc_offset_minutes, version, tally, epoch, seq, received_at) VALUES ${values.join(', ')}`, params);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    rows += tallies.length;
    bytes += tallies.reduce((s, t) => s + t.length, 0);
    if ((n + 1) % 10 === 0 || n + 1 === all.length) {
      const s = (performance.now() - t0) / 1000;
      out(
        `  communes ${String(n + 1).padStart(3)}/${all.length}: ${rows.toLocaleString('en')} day rows, ${(rows * visits).toLocaleString('en')} visits, ` +
          `${(bytes / 1e6).toFixed(1)} MB of tallies in ${s.toFixed(1)} s (${Math.round(rows / s)} rows/s, ${Math.round((rows * visits) / s).toLocaleString('en')} visits/s; building them ${(encodeMs / 1000).toFixed(1)} s)   ${load()}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Timing

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

interface Timed {
  cold: number;
  warm: number[];
  /** The server process's CPU (user + system) for the cold request, and per warm one on average, ms. */
  coldCpu: number;
  warmCpu: number;
  bytes: number;
  status: number;
}

/**
 * A process's CPU time so far (user + system), ms, from /proc (Linux clock ticks, 100 a second):
 * what a request cost the server whatever else the shared machine was doing.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime: fields 14 and 15 of the whole line
}

async function get(url: string, token: string): Promise<{ ms: number; bytes: number; status: number; body: Buffer }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  return { ms: performance.now() - t0, bytes: body.length, status: res.status, body };
}

/** The first request (cold: the server just started), then `runs` more. `path(i)` may change with the run. */
async function time(province: ProvinceProcess, token: string, runs: number, path: (i: number) => string): Promise<Timed> {
  const pid = province.child.pid!;
  const c0 = cpuMs(pid);
  const first = await get(`${province.url}${path(-1)}`, token);
  const c1 = cpuMs(pid);
  if (first.status !== 200) return { cold: first.ms, warm: [], coldCpu: c1 - c0, warmCpu: 0, bytes: first.bytes, status: first.status };
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await get(`${province.url}${path(i)}`, token);
    if (r.status !== 200) throw new Error(`${path(i)}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    warm.push(r.ms);
  }
  return { cold: first.ms, warm, coldCpu: c1 - c0, warmCpu: (cpuMs(pid) - c1) / runs, bytes: first.bytes, status: 200 };
}

function verdict(name: string, t: Timed, goalMs: number): { name: string; pass: boolean | null; line: string } {
  if (t.status !== 200) return { name, pass: null, line: `${name.padEnd(44)} not there yet: HTTP ${t.status} (${t.cold.toFixed(0)} ms)` };
  const sorted = [...t.warm].sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p99 = percentile(sorted, 0.99);
  const pass = p99 < goalMs;
  return {
    name,
    pass,
    line:
      `${name.padEnd(44)} cold ${t.cold.toFixed(0).padStart(6)}   warm p50 ${p50.toFixed(0).padStart(5)}  p99 ${p99.toFixed(0).padStart(5)}  max ${sorted[sorted.length - 1]!.toFixed(0).padStart(5)} ms` +
      `   server CPU cold ${t.coldCpu.toFixed(0)}, warm ${t.warmCpu.toFixed(0)} ms   ${(t.bytes / 1024).toFixed(0).padStart(4)} KB   ${pass ? 'PASS' : 'FAIL'} (< ${goalMs} ms)   ${load()}`,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. In process

/**
 * The province's own functions in this process (the server's, without HTTP and JSON): each on a
 * pool of its own, whose tally cache starts empty, so the first call reads and decodes the
 * month; then `runs` more. CPU beside the wall time.
 */
async function functions(url: string, month: string, runs: number): Promise<void> {
  const cases: [string, (pool: Pool) => Promise<unknown>][] = [
    [`overview(pool, { month: '${month}' })`, (pool) => overview(pool, { month })],
    [`fields(pool, { month: '${month}' })`, (pool) => fields(pool, { month })],
  ];
  for (const [name, fn] of cases) {
    const pool = openPool(url);
    try {
      await pool.query('SELECT 1');
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      await fn(pool);
      const cold = performance.now() - t0;
      const coldCpu = process.cpuUsage(c0);
      const warm: number[] = [];
      c0 = process.cpuUsage();
      for (let i = 0; i < runs; i++) {
        t0 = performance.now();
        await fn(pool);
        warm.push(performance.now() - t0);
      }
      const warmCpu = process.cpuUsage(c0);
      const sorted = warm.sort((a, b) => a - b);
      const ms = (u: NodeJS.CpuUsage, n = 1) => ((u.user + u.system) / 1000 / n).toFixed(0);
      out(
        `  ${name.padEnd(40)} first ${cold.toFixed(0).padStart(5)} ms (CPU ${ms(coldCpu)})   then p50 ${percentile(sorted, 0.5).toFixed(0).padStart(4)}  p99 ${percentile(sorted, 0.99).toFixed(0).padStart(4)} ms (CPU ${ms(warmCpu, runs)} each)   ${load()}`,
      );
    } finally {
      await pool.end();
    }
  }
}

/** What an all-communes month costs at least: one query, every tally decoded, each commune's merge. */
async function floor(pool: Pool, all: Commune[], month: string, runs: number): Promise<void> {
  const range = resolveRange({ month }, OFFSET);
  const clips = dayClips(range.from, range.to, OFFSET);
  const first = new Date(clips[0]!.day * 86_400_000).toISOString().slice(0, 10);
  const last = new Date(clips[clips.length - 1]!.day * 86_400_000).toISOString().slice(0, 10);
  const names = new Map(all.map((c) => [c.code, c.config]));
  const stages = { fetch: [] as number[], decode: [] as number[], merge: [] as number[] };
  const sql = 'SELECT commune_code, day, version, tally FROM day_tallies WHERE day BETWEEN $1 AND $2';
  let fetched = { rows: 0, bytes: 0 };
  for (let i = 0; i <= runs; i++) {
    let t0 = performance.now();
    const { rows } = await pool.query<{ commune_code: string; day: string; version: number; tally: Buffer }>(sql, [first, last]);
    const fetchMs = performance.now() - t0;
    t0 = performance.now();
    const byCommune = new Map<string, Map<string, DayTally>>();
    for (const r of rows) {
      const t = decodeTally(r.tally, r.version);
      if (!t) continue;
      let m = byCommune.get(r.commune_code);
      if (!m) byCommune.set(r.commune_code, (m = new Map()));
      m.set(r.day, t);
    }
    const decodeMs = performance.now() - t0;
    t0 = performance.now();
    for (const [code, m] of byCommune) {
      const days = clips.map((c) => m.get(new Date(c.day * 86_400_000).toISOString().slice(0, 10)) ?? emptyTally());
      mergeReport({ range, clips, days, names: names.get(code)!, now: Date.now(), utcOffsetMinutes: OFFSET });
    }
    const mergeMs = performance.now() - t0;
    fetched = { rows: rows.length, bytes: rows.reduce((n, r) => n + r.tally.length, 0) };
    if (i === 0) continue; // the warm-up
    stages.fetch.push(fetchMs);
    stages.decode.push(decodeMs);
    stages.merge.push(mergeMs);
  }
  const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5).toFixed(0);
  out(
    `  the month's ${fetched.rows.toLocaleString('en')} tallies (${(fetched.bytes / 1e6).toFixed(1)} MB): fetch in one query ${p50(stages.fetch)} ms (as the server asks: text results, bytea as hex), ` +
      `decode ${p50(stages.decode)} ms, ${all.length} mergeReports ${p50(stages.merge)} ms (p50 of ${runs})   ${load()}`,
  );
  // SERIALIZE: PostgreSQL's own cost of reading the TOASTed tallies and writing them out as text (plain ANALYZE never detoasts).
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, SERIALIZE TEXT) ${sql}`, [first, last]);
  for (const r of plan.rows) out(`    ${r['QUERY PLAN']}`);
}

/** Self time per function of a V8 CPU profile, the largest first. */
function summarizeProfile(file: string, top = 18): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    // The inspector's own `dispatch` is the profile being written at exit, not the server's work.
    if (f.functionName === 'dispatch' && f.url === '') return;
    total += us;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
    const area =
      f.functionName === '(idle)' ? 'idle'
      : /\/pg(-[a-z]+)?\//.test(f.url) ? 'pg (driver)'
      : /packages\/reports\//.test(f.url) ? '@xephang/reports'
      : /apps\/province\//.test(f.url) ? 'apps/province'
      : /\/zod\//.test(f.url) ? 'zod'
      : f.url === '' && !f.functionName.startsWith('(') ? 'native (JSON, Buffer, syscalls)'
      : f.url.startsWith('node:') ? 'node'
      : f.functionName.startsWith('(') ? f.functionName : 'other';
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  });
  out(`  ${basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`);
  out(`    by area: ${[...byArea].sort((a, b) => b[1] - a[1]).map(([a, us]) => `${a} ${(us / 1e3).toFixed(0)} ms`).join(', ')}`);
  for (const [key, us] of [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    out(`    ${(us / 1e3).toFixed(0).padStart(7)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      communes: { type: 'string', default: '100' },
      days: { type: 'string', default: '60' },
      visits: { type: 'string', default: '400' },
      runs: { type: 'string', default: '10' },
      end: { type: 'string' },
      month: { type: 'string' },
      seed: { type: 'string', default: '19' },
      reuse: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'goal-ms': { type: 'string', default: '1000' },
    },
  });
  const count = Number(values.communes);
  const visits = Number(values.visits);
  const runs = Math.max(10, Number(values.runs));
  const now = Date.now();
  // The last working day before today (the province holds whole past days).
  let end = values.end ?? addDays(localDate(now, OFFSET), -1);
  while (!values.end && [0, 6].includes(new Date(`${end}T00:00:00Z`).getUTCDay())) end = addDays(end, -1);
  const days = workingDays(end, Number(values.days));
  const month = values.month ?? wholeMonth(days[0]!, days[days.length - 1]!);
  if (!month) throw new Error(`No whole month within ${days[0]} … ${end}: give --month.`);
  const all = communes(count, rng(Number(values.seed)));

  out(`bench:province: ${count} communes × ${days.length} working days (${days[0]} … ${end}) × ${visits} visits; the month timed: ${month}   ${load()}`);
  let pg: TestPostgres | undefined;
  let province: ProvinceProcess | undefined;
  let pool: Pool | undefined;
  try {
    let url = process.env.DATABASE_URL;
    if (!url) {
      pg = await startPostgres();
      await queryDb(pg.url, 'CREATE DATABASE province_bench');
      const u = new URL(pg.url);
      u.pathname = '/province_bench';
      url = u.toString();
      out(`PostgreSQL: a fresh embedded one (the test rig's: fsync off, default shared_buffers), started in ${pg.startMs} ms`);
    } else {
      out(`PostgreSQL: DATABASE_URL (${new URL(url).host}${new URL(url).pathname})`);
    }
    pool = openPool(url);
    await migrate(pool);
    const existing = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM day_tallies')).rows[0]!.n);
    if (existing > 0 && !values.reuse) throw new Error(`The database already holds ${existing} day tallies: give an empty one, or --reuse to time what is there.`);
    if (existing === 0) {
      out('\n1. generating');
      const t0 = performance.now();
      await generate(pool, all, days, visits, Number(values.seed), now);
      const t1 = performance.now();
      await pool.query('VACUUM (ANALYZE) day_tallies'); // what autovacuum would have done by the time anyone reads a month
      await pool.query('VACUUM (ANALYZE) communes');
      out(`  generated and written in ${((t1 - t0) / 1000).toFixed(1)} s, VACUUM ANALYZE ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    } else {
      out(`\n1. reusing the ${existing.toLocaleString('en')} day tallies already there`);
    }
    const size = (await pool.query<{ db: string; tallies: string; heap: string; toast: string; payload: string; n: string }>(
      `SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('day_tallies') AS tallies, pg_relation_size('day_tallies') AS heap,
              coalesce(pg_total_relation_size(reltoastrelid), 0) AS toast, (SELECT sum(octet_length(tally)) FROM day_tallies) AS payload, (SELECT count(*) FROM day_tallies) AS n
       FROM pg_class WHERE relname = 'day_tallies'`,
    )).rows[0]!;
    const mb = (x: string) => `${(Number(x) / 1e6).toFixed(1)} MB`;
    out(`  on disk: database ${mb(size.db)}; day_tallies ${mb(size.tallies)} in all (heap ${mb(size.heap)}, TOAST ${mb(size.toast)}) for ${Number(size.n).toLocaleString('en')} tallies of ${mb(size.payload)} (${(Number(size.payload) / Number(size.n) / 1024).toFixed(1)} KB each before compression)`);

    out(`\n2. through HTTP, the province server as a process (${runs} warm runs after the cold first; with ${runs} runs, p99 is their slowest)`);
    const profDir = values['cpu-prof'];
    if (profDir) mkdirSync(profDir, { recursive: true });
    const env: Record<string, string> = profDir ? { NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile.js')}`, XEPHANG_CPU_PROF_DIR: profDir } : {};
    const results: ReturnType<typeof verdict>[] = [];
    const goal = Number(values['goal-ms']);
    // A fresh server process per endpoint: its first request is truly cold (nothing decoded or cached yet).
    const endpoints: [string, (i: number) => string][] = [
      [`all communes, month ${month} (/overview)`, () => `/api/v1/overview?month=${month}`],
      [`one commune, month ${month} (/communes/:code/report)`, () => `/api/v1/communes/${all[0]!.code}/report?month=${month}`],
      [`another commune each run (/communes/:code/report)`, (i) => `/api/v1/communes/${all[(i + 1) % all.length]!.code}/report?month=${month}`],
      [`by field, month ${month} (/fields)`, () => `/api/v1/fields?month=${month}`],
      // The same month's length moved on a day each run: a range never asked before (nothing the server may keep from an earlier answer), its days' tallies mostly read before.
      [`all communes, a month moved a day each run`, (i) => `/api/v1/overview?from=${addDays(`${month}-01`, i + 1)}&to=${addDays(nextMonth(month), i + 1)}`],
    ];
    for (const [name, path] of endpoints) {
      province = province ? await province.restart() : await startProvinceProcess({ databaseUrl: url, env });
      const token = await province.admin();
      if (profDir) province.child.kill('SIGUSR2'); // cpu-profile.ts starts sampling
      const v = verdict(name, await time(province, token, runs, path), goal);
      out(`  ${v.line}`);
      results.push(v);
    }
    await province?.stop();
    province = undefined;

    out(`\n3. in process: the province's functions, then what reading a month costs (one query, decoding) beside a full report merged for every commune`);
    await functions(url, month, runs);
    await floor(pool, all, month, 5);

    if (profDir) {
      out(`\nCPU profiles of the server (${profDir}), self time:`);
      for (const f of readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort()) summarizeProfile(join(profDir, f));
    }
    out('');
    for (const r of results) out(`${r.pass === null ? 'n/a ' : r.pass ? 'PASS' : 'FAIL'}  ${r.name}`);
    if (results.some((r) => r.pass === false)) process.exitCode = 1;
  } finally {
    await province?.stop();
    await pool?.end();
    await pg?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
