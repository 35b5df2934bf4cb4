export { reportsHttp } from './http';
export { computeReport, type ReportOptions } from './compute';
export { fillReportDays } from './days';
export { reportCsv, reportSheets, reportTable, reportXlsx, UTF8_BOM, type Sheet } from '@xephang/reports/export';
export { resolveRange, type ResolvedRange } from '@xephang/reports';
export { reportNames } from './names';
export { percentile, timeStats } from '@xephang/reports';
export { reportQueryPlans, TALLY_VERSION } from './tally';

import type { Database } from 'better-sqlite3';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type { Report, ReportRange } from '@xephang/protocol';
import { computeReport as compute } from './compute';
import { fillReportDays } from './days';
import { reportsHttp as http } from './http';
import { resolveRange as resolve } from '@xephang/reports';

/** How long one slice of the background filling may run before it lets the hub's commands in (checked after each day). */
const FILL_SLICE_MS = 20;
/** …and the pause between two slices, for the commands waiting behind it. */
const FILL_PAUSE_MS = 10;
/** Say so on the log when at least this many days are to be filled (a first start on old data). */
const ANNOUNCE_DAYS = 30;

/** A number the Vietnamese way: 1.404 ngày, 6,5 giây. */
const vi = (n: number, decimals = 0) => n.toLocaleString('vi-VN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

export interface ReportsOptions {
  now: () => number;
  /**
   * The day the queue is on (it turns at the admin's reset time, after which yesterday's
   * waiting tickets expire): the tallies are filled once per queue day, after it turned.
   */
  queueDay: () => string | undefined;
  log?: (line: string) => void;
  /** The admin password check of the handshake, with its limit (see access.ts). */
  checkAdminPassword: (password: string, address: string) => Promise<void>;
  /** Whether a token is the admin screen's live session (report downloads with `Bearer`). */
  adminSessionValid: (token: string) => boolean;
}

/** The hub's reports: `report:get` over the socket and the export files over HTTP. */
export function createReports(db: Database, options: ReportsOptions) {
  const { now } = options;
  const log = options.log ?? (() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let filledFor: string | undefined;

  /**
   * Keeps a tally of every past day (see days.ts) in the background, a slice at a time, so a
   * report over a year reads a few hundred tallies instead of the whole log. Does nothing if
   * that was already done on this queue day; call it once the queue has rolled over (at start
   * after the first tick, and after each tick).
   */
  const fill = (): void => {
    const today = options.queueDay();
    if (timer !== undefined || today === undefined || filledFor === today) return;
    const started = performance.now();
    let total = 0;
    let announced = false;
    const step = () => {
      timer = undefined;
      let missing: number;
      try {
        const r = fillReportDays(db, { utcOffsetMinutes: VIETNAM_UTC_OFFSET_MINUTES, now: now(), budgetMs: FILL_SLICE_MS });
        total += r.done;
        missing = r.missing;
      } catch (error) {
        filledFor = today; // tried again tomorrow, not at every tick
        log(`Báo cáo: không tổng hợp sẵn được các ngày đã qua (${String(error)}); báo cáo vẫn đúng, chỉ chậm hơn.`);
        return;
      }
      if (!announced && total + missing >= ANNOUNCE_DAYS) {
        announced = true;
        log(`Báo cáo: đang tổng hợp sẵn ${vi(total + missing)} ngày của nhật ký, chạy nền (cấp số và gọi số vẫn bình thường)…`);
      }
      if (missing > 0) {
        timer = setTimeout(step, FILL_PAUSE_MS);
        timer.unref();
        return;
      }
      filledFor = today;
      if (announced) log(`Báo cáo: đã tổng hợp sẵn ${vi(total)} ngày trong ${vi((performance.now() - started) / 1000, 1)} giây.`);
    };
    timer = setTimeout(step, 0);
    timer.unref();
  };

  return {
    /** @throws QueueError (invalid_payload) for a range that does not exist or is too long. */
    get: (range: ReportRange): Report => compute(db, resolve(range), { now: now() }),
    http: http({ db, now, checkAdminPassword: options.checkAdminPassword, adminSessionValid: options.adminSessionValid }),
    fill,
    /** Stops the background filling (before the database closes). */
    stop: (): void => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
export type Reports = ReturnType<typeof createReports>;
