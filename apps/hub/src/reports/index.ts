export { reportsHttp } from './http';
export { computeReport, reportQueryPlans, type ReportOptions } from './compute';
export { reportCsv, reportTable, reportXlsx, UTF8_BOM } from './export';
export { isoWeekMonday, isoWeekOf, localMidnight, resolveRange, type ResolvedRange } from './range';
export { reportSheets, type Sheet } from './sheets';
export { percentile, timeStats } from './stats';

import type { Database } from 'better-sqlite3';
import type { Report, ReportRange } from '@xephang/protocol';
import { computeReport as compute } from './compute';
import { reportsHttp as http } from './http';
import { resolveRange as resolve } from './range';

/** The hub's reports: `report:get` over the socket and the export files over HTTP. */
export function createReports(db: Database, now: () => number) {
  return {
    /** @throws QueueError (invalid_payload) for a range that does not exist or is too long. */
    get: (range: ReportRange): Report => compute(db, resolve(range), { now: now() }),
    http: http({ db, now }),
  };
}
export type Reports = ReturnType<typeof createReports>;
