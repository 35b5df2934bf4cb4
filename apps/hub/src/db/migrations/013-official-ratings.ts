import type { Database } from 'better-sqlite3';

/**
 * The rating on the ministries' five-level pattern (issue 20): each rating says its `scale`,
 * 'v4' for every rating given before (the tablet's own four levels, kept as they were, never
 * mapped onto the new scale) and 'v5' from now on (5 Rất hài lòng … 1 Rất không hài lòng); the
 * citizen's one-tap `reason` for a score of 1–3 (the admin's list, kept as its text, so a reason
 * later renamed still counts under what the citizen saw) and `trips`, how many times they came
 * for this matter (1 first time, 2 second, 3 three or more).
 *
 * The kept day tallies now count visits finished with a dossier code (migration 011's column), so a
 * change of a visit's code drops its day's tally, as a change of any other column it reads does,
 * and the code joins the report's covering index of finished visits.
 *
 * SQLite cannot change a CHECK in place, so the table is rebuilt (STRICT, rows and ids kept);
 * its index and every trigger that names it (the report days' drops, one of them on tickets) are
 * read from the schema first and made again as they were: SQLite refuses the rename while a
 * trigger names a table that is gone, and a later change to them in an older migration cannot be
 * lost here.
 */
export function up(db: Database): void {
  const own = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL
         AND ((type = 'index' AND tbl_name = 'ratings') OR (type = 'trigger' AND (tbl_name = 'ratings' OR sql LIKE '%ratings%')))
       ORDER BY type, name`,
    )
    .all() as { type: string; name: string; sql: string }[];
  for (const t of own) if (t.type === 'trigger') db.exec(`DROP TRIGGER "${t.name}"`);
  db.exec(`
    CREATE TABLE ratings_new (
      id INTEGER PRIMARY KEY,
      ticket_id TEXT NOT NULL UNIQUE REFERENCES tickets (id),
      counter_id INTEGER NOT NULL REFERENCES counters (id),
      clerk_id INTEGER REFERENCES clerks (id),
      -- v4: 4 Rất hài lòng, 3 Hài lòng, 2 Chưa hài lòng, 1 Không hài lòng (before issue 20).
      -- v5: 5 Rất hài lòng, 4 Hài lòng, 3 Bình thường, 2 Không hài lòng, 1 Rất không hài lòng.
      scale TEXT NOT NULL DEFAULT 'v5' CHECK (scale IN ('v4', 'v5')),
      score INTEGER NOT NULL CHECK (score BETWEEN 1 AND CASE scale WHEN 'v4' THEN 4 ELSE 5 END),
      at INTEGER NOT NULL,
      -- Asked only after a score of 1–3 on the five-level scale.
      reason TEXT CHECK (reason IS NULL OR (scale = 'v5' AND score <= 3 AND length(reason) BETWEEN 1 AND 80)),
      -- 1 lần đầu, 2 lần 2, 3 từ 3 lần trở lên.
      trips INTEGER CHECK (trips IS NULL OR (scale = 'v5' AND trips BETWEEN 1 AND 3))
    ) STRICT;
    INSERT INTO ratings_new (id, ticket_id, counter_id, clerk_id, scale, score, at)
      SELECT id, ticket_id, counter_id, clerk_id, 'v4', score, at FROM ratings;
    DROP TABLE ratings;
    ALTER TABLE ratings_new RENAME TO ratings;
  `);
  for (const t of own) db.exec(t.sql);
  // The day tallies count visits finished with a dossier code from now on (TALLY_VERSION 3): a
  // code added or changed drops the kept day its visit finished on, as any other column it reads;
  // the visits' covering index gains the code, so a day's visits are still read without their rows.
  db.exec(`
    DROP INDEX tickets_report_finished;
    CREATE INDEX tickets_report_finished ON tickets (finished_at, service_id, counter_id, clerk_id, outcome, started_at, dossier_code)
      WHERE finished_at IS NOT NULL;
    CREATE TRIGGER report_days_ticket_dossier_changed AFTER UPDATE OF dossier_code ON tickets
    WHEN OLD.dossier_code IS NOT NEW.dossier_code BEGIN
      DELETE FROM report_days WHERE day BETWEEN (NEW.finished_at - 50400000) / 86400000 AND (NEW.finished_at + 50400000) / 86400000
        AND day = (NEW.finished_at + utc_offset_minutes * 60000) / 86400000;
    END;
  `);
}
