import type { Report } from '@xephang/protocol';
import { reportSheets, visitSheet, VISIT_SHEET_CAP, type Sheet } from '@xephang/reports/export';
import type { ResolvedRange } from '@xephang/reports';
import type { VisitStore } from '../store/visit-store';

/**
 * A report's files' sheets: the report's own, then one row per visit of its range (issue 20),
 * capped at VISIT_SHEET_CAP with the cut said in the sheet's title. The JSON export stays the Report.
 */
export function reportFileSheets(report: Report, range: Pick<ResolvedRange, 'firstDay' | 'lastDay'>, visits: Pick<VisitStore, 'range'>): Sheet[] {
  const rows = visits.range(range.firstDay, range.lastDay, VISIT_SHEET_CAP + 1);
  const capped = rows.length > VISIT_SHEET_CAP;
  return [...reportSheets(report), visitSheet(capped ? rows.slice(0, VISIT_SHEET_CAP) : rows, report.range.label, capped)];
}
