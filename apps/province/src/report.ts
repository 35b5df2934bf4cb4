import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { CommuneConfigSchema, ReportRangeSchema, type CommuneConfig, type Report } from '@xephang/protocol';
import { DAY_MS, dayClips, decodeTally, emptyTally, mergeReport, resolveRange, type DayTally } from '@xephang/reports';
import { zodMessage } from './communes';
import type { Pool } from './db';
import { Refused } from './refused';

/** `?week=2025-W28` (or day, month, from+to) as a ReportRange, as the hub's report:get takes it. */
function rangeOf(query: URLSearchParams) {
  const raw: Record<string, string> = {};
  for (const [k, v] of query) raw[k] = v;
  const r = ReportRangeSchema.safeParse(raw);
  if (!r.success) throw new Refused('invalid_body', `Kỳ báo cáo không hợp lệ: ${zodMessage(r.error)}`);
  return r.data;
}

const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * A commune's report from what it pushed: the stored tally of each day of the range (its
 * running tally for today, emptyTally() for a day it never sent), its stored names, merged by
 * the hub's own mergeReport, so the figures equal the commune's own report of the same days.
 *
 * A range that starts or ends inside a day (`from`/`to` with a time) counts those days whole:
 * the province has each day's tally, not its log, so it cannot cut one.
 * @throws Refused (not_found, invalid_body)
 */
export async function communeReport(pool: Pool, code: string, query: URLSearchParams, now = Date.now()): Promise<Report> {
  const { rows } = await pool.query<{ name: string; config: unknown; utc_offset_minutes: number | null }>('SELECT name, config, utc_offset_minutes FROM communes WHERE code = $1', [code]);
  const commune = rows[0];
  if (!commune) throw new Refused('not_found', `Không có xã mã ${code}.`);
  const offset = commune.utc_offset_minutes ?? VIETNAM_UTC_OFFSET_MINUTES;
  let range;
  try {
    range = resolveRange(rangeOf(query), offset);
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused('invalid_body', error instanceof Error ? error.message : String(error));
  }
  const clips = dayClips(range.from, range.to, offset);
  const first = isoDay(clips[0]!.day);
  const last = isoDay(clips[clips.length - 1]!.day);
  const stored = await pool.query<{ day: string; version: number; tally: Buffer }>(
    'SELECT day, version, tally FROM day_tallies WHERE commune_code = $1 AND day BETWEEN $2 AND $3',
    [code, first, last],
  );
  const today = await pool.query<{ day: string; version: number; tally: Buffer }>(
    'SELECT day, version, tally FROM today_tallies WHERE commune_code = $1 AND day BETWEEN $2 AND $3',
    [code, first, last],
  );
  const byDay = new Map<string, DayTally>();
  // A running tally first, so a day's durable tally (the day once over) replaces it.
  for (const r of [...today.rows, ...stored.rows]) {
    const t = decodeTally(r.tally, r.version);
    if (t) byDay.set(r.day, t);
  }
  const days = clips.map((c) => byDay.get(isoDay(c.day)) ?? emptyTally());
  const config = CommuneConfigSchema.safeParse(commune.config);
  const names: CommuneConfig = config.success ? config.data : { centerName: commune.name, services: [], counters: [], clerks: [] };
  return mergeReport({ range, clips, days, names, now, utcOffsetMinutes: offset });
}
