import type { Database } from 'better-sqlite3';
import { LINKED, QUEUE_CONFIG } from './010-province-link';

/**
 * A field's code in the national procedure catalogue (issue 20), empty until the admin sets or
 * imports it: xephang never guesses one. The CHECK holds OFFICIAL_CODE_PATTERN of
 * @xephang/protocol (ASCII letters, digits, `.`, `-`, `/`, `_`; 1–40): GLOB's class excludes
 * any other byte, so a hand-edited row cannot carry a code the reports would print wrong.
 *
 * The code travels to the province with the names (CommuneConfig), so the trigger that queues
 * the configuration when a field's name changes now fires on its code too.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE services ADD COLUMN official_code TEXT CHECK (
      official_code IS NULL OR (length(official_code) BETWEEN 1 AND 40 AND official_code NOT GLOB '*[^A-Za-z0-9./_-]*')
    );
    DROP TRIGGER province_outbox_service_changed;
    CREATE TRIGGER province_outbox_service_changed AFTER UPDATE OF id, name_vi, name_en, sort_order, official_code ON services WHEN ${LINKED} BEGIN${QUEUE_CONFIG}
    END;
  `);
}
