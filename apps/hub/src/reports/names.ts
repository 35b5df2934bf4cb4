import type { Database, Statement } from 'better-sqlite3';
import type { CommuneConfig } from '@xephang/protocol';

interface Statements {
  meta: Statement<[string], { value: string }>;
  services: Statement<[], { id: string; nameVi: string; nameEn: string; officialCode: string | null }>;
  counters: Statement<[], { id: number; name: string }>;
  clerks: Statement<[], { id: number; name: string }>;
}

const cache = new WeakMap<Database, Statements>();

/**
 * The names a report puts beside the ids of its tallies, as they are now: the center's, the
 * fields' in the kiosk's order, the counters' and the clerks'. The same shape travels to the
 * province (issue 18), which merges a commune's tallies with them as the hub does.
 */
export function reportNames(db: Database): CommuneConfig {
  let s = cache.get(db);
  if (!s) {
    s = {
      meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      services: db.prepare('SELECT id, name_vi AS nameVi, name_en AS nameEn, official_code AS officialCode FROM services ORDER BY sort_order, id'),
      counters: db.prepare('SELECT id, name FROM counters ORDER BY id'),
      clerks: db.prepare('SELECT id, name FROM clerks ORDER BY id'),
    };
    cache.set(db, s);
  }
  return { centerName: s.meta.get('center_name')?.value ?? '', services: s.services.all(), counters: s.counters.all(), clerks: s.clerks.all() };
}
