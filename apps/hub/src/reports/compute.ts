import type { Database } from 'better-sqlite3';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type { Report } from '@xephang/protocol';
import { dayClips, mergeReport, type ResolvedRange } from '@xephang/reports';
import { tallies } from './days';
import { reportNames } from './names';

export interface ReportOptions {
  /** The report's clock: a pause still open counts until now at the latest. */
  now: number;
  utcOffsetMinutes?: number;
  /** false: compute every day from the log, ignoring the kept day tallies (tests, benchmarks). */
  cache?: boolean;
}

/**
 * Every figure of a report over [range.from, range.to): the tally of each local day in it
 * (kept for past days, see days.ts; computed from the visit log otherwise), merged with the
 * names of fields, counters and clerks as they are now (as the province merges them).
 */
export function computeReport(db: Database, range: ResolvedRange, options: ReportOptions): Report {
  const utcOffsetMinutes = options.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES;
  const clips = dayClips(range.from, range.to, utcOffsetMinutes);
  const days = tallies(db, clips, { utcOffsetMinutes, now: options.now, cache: options.cache ?? true });
  return mergeReport({ range, clips, days, names: reportNames(db), now: options.now, utcOffsetMinutes });
}
