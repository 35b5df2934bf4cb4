/**
 * Every `type` a line of the visit log (the hub's `events` table) may have. The hub writes
 * them, the reports and the tally triggers of migration 006 read them back, and the admin's
 * change log lists the `admin:` ones: one list, so a renamed type cannot silently drop out
 * of a report.
 */
export const VISIT_LOG_TYPES = [
  // The day and the tickets' lives.
  'day:started',
  'ticket:issued',
  'ticket:called',
  'ticket:recalled',
  'ticket:started',
  'ticket:finished',
  'ticket:missed',
  'ticket:transferred',
  'ticket:expired',
  // A dossier code added, changed or removed after the finish (issue 20; no broadcast of its own).
  'ticket:dossier',
  // Printing, logged after the commit (no broadcast of its own).
  'ticket:printFailed',
  'ticket:reprintFailed',
  'ticket:reprinted',
  'printer:fault',
  'printer:warning',
  'printer:tested',
  // Counters and clerks.
  'counter:opened',
  'counter:closed',
  'counter:paused',
  'counter:resumed',
  'clerk:loggedIn',
  'clerk:loggedOut',
  'clerk:changed',
  // The admin's changes (the change log shows `admin:*` and `clerk:changed`).
  'access:setIdle',
  'admin:service',
  'admin:serviceOrder',
  'admin:counterServices',
  'admin:texts',
  'admin:hours',
  'admin:password',
  'admin:priorityRule',
  'admin:printer',
  'admin:ticketText',
  'admin:voice',
  'admin:backup',
  // The rating tablet's wording and reasons (issue 20).
  'admin:rating',
  // The province link enrolled, unlinked (issue 18).
  'admin:province',
  // The dossier code's pattern and the scanner's prefix (issue 20).
  'admin:dossier',
  // A field's citizen ID rule (issue 20).
  'admin:citizenIdRule',
  'catalog:imported',
] as const;

export type VisitLogType = (typeof VISIT_LOG_TYPES)[number];
