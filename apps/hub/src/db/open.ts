import Database from 'better-sqlite3';
import * as initial from './migrations/001-initial';
import * as printers from './migrations/002-printers';
import * as ratings from './migrations/003-ratings';
import * as reportIndexes from './migrations/004-report-indexes';
import * as procedures from './migrations/005-procedures';
import * as reportDays from './migrations/006-report-days';
import * as requestActors from './migrations/007-request-actors';
import * as kioskPrinters from './migrations/008-kiosk-printers';
import * as leanIndexes from './migrations/009-lean-indexes';
import * as provinceLink from './migrations/010-province-link';
import * as dossierCode from './migrations/011-dossier-code';
import * as officialCodes from './migrations/012-official-codes';
import * as officialRatings from './migrations/013-official-ratings';
import * as citizenId from './migrations/014-citizen-id';

interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

/** Every migration, in order. A new one is a new file, listed here. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001-initial', ...initial },
  { version: 2, name: '002-printers', ...printers },
  { version: 3, name: '003-ratings', ...ratings },
  { version: 4, name: '004-report-indexes', ...reportIndexes },
  { version: 5, name: '005-procedures', ...procedures },
  { version: 6, name: '006-report-days', ...reportDays },
  { version: 7, name: '007-request-actors', ...requestActors },
  { version: 8, name: '008-kiosk-printers', ...kioskPrinters },
  { version: 9, name: '009-lean-indexes', ...leanIndexes },
  { version: 10, name: '010-province-link', ...provinceLink },
  { version: 11, name: '011-dossier-code', ...dossierCode },
  { version: 12, name: '012-official-codes', ...officialCodes },
  { version: 13, name: '013-official-ratings', ...officialRatings },
  { version: 14, name: '014-citizen-id', ...citizenId },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating if needed) the hub's database with the settings the hub relies on, and
 * brings its schema up to date (or, for a migration's test, up to `version`).
 * @throws Error when the file was written by a newer xephang than this one.
 */
export function openDatabase(file: string, version: number = SCHEMA_VERSION): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // better-sqlite3 leaves WAL at NORMAL, which can lose the last commits on power loss: a
    // number acknowledged to the kiosk would then be handed out again.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Why a database of schema `version` (its `user_version`) cannot be used by this code, or
 * undefined when it can: the one rule the hub's start, a backup's check and `restore` apply.
 */
export function newerVersionProblem(version: number): string | undefined {
  if (version <= SCHEMA_VERSION) return undefined;
  return (
    `Cơ sở dữ liệu có phiên bản ${version}, mới hơn phiên bản ${SCHEMA_VERSION} mà bản xephang này hiểu. ` +
    'Hãy cài bản xephang mới hơn (đừng dùng bản cũ với dữ liệu này).'
  );
}

/**
 * Applies every pending migration in one transaction. `version` stops earlier: a migration's
 * test builds the database as an older hub left it, then runs the one migration it tests.
 * @throws Error when the database's version is newer than this code knows.
 */
export function migrate(db: Database.Database, version: number = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newer = newerVersionProblem(current);
  if (newer) throw new Error(newer);
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= version);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${pending[pending.length - 1]!.version}`);
  }).immediate();
}
