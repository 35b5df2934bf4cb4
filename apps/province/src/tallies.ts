import { decodedBytes, decodeTally, type DayTally } from '@xephang/reports';
import type { Pool } from './db';

/**
 * The decoded tallies a report reads, kept between requests. A stored day is named by its
 * (commune, day, epoch, seq): a push replaces a day only with a higher (epoch, seq), so one key
 * always means the same bytes; today's running tally by its hub time and arrival. So a page
 * that asks again (another sort, the fields after the overview, the next minute's refresh)
 * reads only the keys from PostgreSQL and decodes nothing it decoded before.
 *
 * Bounded by the memory the decoded tallies hold (least recently used out first), counted from
 * their bytes by decodedBytes: a tally of many small rows takes up to 13 times its bytes once
 * decoded, so counting bytes alone would let a hostile commune's days hold 1.7 GB. A month of
 * a hundred busy communes is ~20 MB of bytes, counted as ~65 MB. A commune's running tally of
 * today, replaced at every push, drops the one before it at once instead of waiting its turn.
 */
const CACHE_BYTES = 128 * 1024 * 1024;

interface Entry {
  tally: DayTally;
  /** decodedBytes of its blob. */
  bytes: number;
}

interface Cache {
  map: Map<string, Entry>;
  bytes: number;
  /** Each commune's running tally's key in the map. */
  today: Map<string, string>;
}

const caches = new WeakMap<Pool, Cache>();

/** One commune's tally of one day, and whether it is a running tally of today (not over yet). */
export interface StoredTally {
  code: string;
  day: string;
  today: boolean;
  tally: DayTally;
}

interface KeyRow {
  commune_code: string;
  day: string;
  today: boolean;
  version: number;
  a: number;
  b: number;
  bytes: number;
}

const keyOf = (r: KeyRow): string => `${r.commune_code}|${r.day}|${r.today ? 't' : 'd'}|${r.version}|${r.a}|${r.b}`;

/**
 * Every tally of the days first…last (YYYY-MM-DD), of the communes `codes` or all: the kept
 * days and today's running tallies, decoded (a tally that does not decode is left out, as
 * the push would have refused it). One query for the keys; one more for the bytes of those
 * not decoded yet.
 */
export async function readTallies(pool: Pool, first: string, last: string, codes?: readonly string[]): Promise<StoredTally[]> {
  // A request during the warm-up waits for it rather than decoding the same tallies beside it.
  await warming.get(pool)?.catch(() => undefined);
  return read(pool, first, last, codes);
}

/** The warm-up under way, per pool (see warmTallies). */
const warming = new WeakMap<Pool, Promise<unknown>>();

/**
 * Decodes the tallies of first…last into the cache ahead of any request (the server's start);
 * resolves to how many it read. Requests arriving meanwhile wait for it.
 */
export function warmTallies(pool: Pool, first: string, last: string): Promise<number> {
  const done = read(pool, first, last).then((r) => r.length);
  const settled = done.finally(() => warming.delete(pool));
  warming.set(pool, settled);
  return settled;
}

async function read(pool: Pool, first: string, last: string, codes?: readonly string[]): Promise<StoredTally[]> {
  let cache = caches.get(pool);
  if (!cache) caches.set(pool, (cache = { map: new Map(), bytes: 0, today: new Map() }));
  const only = codes === undefined ? '' : 'AND commune_code = ANY($3::text[])';
  const params: unknown[] = codes === undefined ? [first, last] : [first, last, codes];
  const { rows } = await pool.query<KeyRow>(
    `SELECT commune_code, day, false AS today, version, epoch AS a, seq AS b, octet_length(tally) AS bytes FROM day_tallies WHERE day BETWEEN $1 AND $2 ${only}
     UNION ALL
     SELECT commune_code, day, true, version, as_of, (extract(epoch FROM received_at) * 1000)::bigint, octet_length(tally) FROM today_tallies WHERE day BETWEEN $1 AND $2 ${only}`,
    params,
  );
  const missing = rows.filter((r) => !cache.map.has(keyOf(r)));
  if (missing.length) {
    const fetched = await pool.query<{ commune_code: string; day: string; today: boolean; tally: Buffer }>(
      `SELECT d.commune_code, d.day, false AS today, d.tally FROM day_tallies d
         JOIN unnest($1::text[], $2::date[]) AS k(code, day) ON d.commune_code = k.code AND d.day = k.day
       UNION ALL
       SELECT t.commune_code, t.day, true, t.tally FROM today_tallies t WHERE t.commune_code = ANY($3::text[]) AND t.day BETWEEN $4 AND $5`,
      [
        missing.filter((r) => !r.today).map((r) => r.commune_code),
        missing.filter((r) => !r.today).map((r) => r.day),
        missing.filter((r) => r.today).map((r) => r.commune_code),
        first,
        last,
      ],
    );
    const bytesOf = new Map(fetched.rows.map((f) => [`${f.commune_code}|${f.day}|${f.today}`, f.tally]));
    for (const r of missing) {
      const blob = bytesOf.get(`${r.commune_code}|${r.day}|${r.today}`);
      // Replaced between the two queries: the next request reads its new key.
      if (!blob || blob.length !== r.bytes) continue;
      const tally = decodeTally(blob, r.version);
      if (!tally) continue;
      const key = keyOf(r);
      if (r.today) {
        const before = cache.today.get(r.commune_code);
        const old = before === undefined ? undefined : cache.map.get(before);
        if (old) {
          cache.map.delete(before!);
          cache.bytes -= old.bytes;
        }
        cache.today.set(r.commune_code, key);
      }
      const bytes = decodedBytes(blob);
      cache.map.set(key, { tally, bytes });
      cache.bytes += bytes;
    }
    for (const [k, e] of cache.map) {
      if (cache.bytes <= CACHE_BYTES) break;
      cache.map.delete(k);
      cache.bytes -= e.bytes;
    }
  }
  const out: StoredTally[] = [];
  for (const r of rows) {
    const k = keyOf(r);
    const e = cache.map.get(k);
    if (!e) continue;
    // Used now: to the back of the line.
    cache.map.delete(k);
    cache.map.set(k, e);
    out.push({ code: r.commune_code, day: r.day, today: r.today, tally: e.tally });
  }
  return out;
}
