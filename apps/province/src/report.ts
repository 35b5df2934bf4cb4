import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import { CommuneConfigSchema, ReportRangeSchema, type CommuneConfig, type Report, type ReportRange } from '@xephang/protocol';
import { DAY_MS, dayClips, emptyTally, mergeReport, resolveRange, type DayClip, type DayTally, type ResolvedRange } from '@xephang/reports';
import { zodMessage } from './communes';
import type { Pool } from './db';
import { Refused } from './refused';
import { readTallies, type StoredTally } from './tallies';

const RANGE_KEYS = ['day', 'week', 'month', 'from', 'to'];

/**
 * `?week=2025-W28` (or day, month, from+to) as a ReportRange, as the hub's report:get takes it.
 * @throws Refused (invalid_body) for any other or repeated parameter, or a range that does not parse.
 */
export function rangeOf(query: URLSearchParams): ReportRange {
  const raw: Record<string, string> = {};
  for (const [k, v] of query) {
    if (!RANGE_KEYS.includes(k)) throw new Refused('invalid_body', `Tham số "${k.slice(0, 40)}" không dùng được; chỉ có day, week, month, hoặc from cùng to.`);
    if (k in raw) throw new Refused('invalid_body', `Tham số "${k}" có hai lần; chỉ gửi một kỳ báo cáo.`);
    raw[k] = v;
  }
  const r = ReportRangeSchema.safeParse(raw);
  if (!r.success) throw new Refused('invalid_body', `Kỳ báo cáo không hợp lệ: ${zodMessage(r.error)}`);
  return r.data;
}

/**
 * A range's span and headings at a UTC offset.
 * @throws Refused (invalid_body) for a date that does not exist, a reversed or too long range.
 */
export function resolved(range: ReportRange, utcOffsetMinutes: number): ResolvedRange {
  try {
    return resolveRange(range, utcOffsetMinutes);
  } catch (error) {
    throw new Refused('invalid_body', error instanceof Error ? error.message : String(error));
  }
}

export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A commune's stored names, or its name alone when it never sent them. */
export function namesOf(name: string, config: unknown): CommuneConfig {
  const parsed = CommuneConfigSchema.safeParse(config);
  return parsed.success ? parsed.data : { centerName: name, services: [], counters: [], clerks: [] };
}

/**
 * The tally of each clip from what was read: a day's kept tally, else its running tally of
 * today, else emptyTally() (a day the commune never sent), as the hub would count it.
 */
export function tallyPerClip(clips: readonly DayClip[], stored: readonly StoredTally[]): DayTally[] {
  const byDay = new Map<string, DayTally>();
  for (const s of stored) if (!s.today) byDay.set(s.day, s.tally);
  for (const s of stored) if (s.today && !byDay.has(s.day)) byDay.set(s.day, s.tally);
  return clips.map((c) => byDay.get(isoDay(c.day)) ?? emptyTally());
}

/**
 * A commune's report from what it pushed: the stored tally of each day of the range (its
 * running tally for today, emptyTally() for a day it never sent), its stored names, merged by
 * the hub's own mergeReport, so the figures equal the commune's own report of the same days.
 *
 * A range that starts or ends inside a day (`from`/`to` with a time) counts those days whole:
 * the province has each day's tally, not its log, so it cannot cut one.
 * @throws Refused (not_found, invalid_body)
 */
export async function communeReport(pool: Pool, code: string, query: URLSearchParams | ReportRange, now = Date.now()): Promise<Report> {
  if (!/^[0-9]{5}$/.test(code)) throw new Refused('not_found', `Không có xã mã ${code.slice(0, 20)}.`);
  const { rows } = await pool.query<{ name: string; config: unknown; utc_offset_minutes: number | null }>('SELECT name, config, utc_offset_minutes FROM communes WHERE code = $1', [code]);
  const commune = rows[0];
  if (!commune) throw new Refused('not_found', `Không có xã mã ${code}.`);
  const offset = commune.utc_offset_minutes ?? VIETNAM_UTC_OFFSET_MINUTES;
  const range = resolved(query instanceof URLSearchParams ? rangeOf(query) : query, offset);
  const clips = dayClips(range.from, range.to, offset);
  const stored = await readTallies(pool, isoDay(clips[0]!.day), isoDay(clips[clips.length - 1]!.day), [code]);
  const days = tallyPerClip(clips, stored);
  return mergeReport({ range, clips, days, names: namesOf(commune.name, commune.config), now, utcOffsetMinutes: offset });
}
