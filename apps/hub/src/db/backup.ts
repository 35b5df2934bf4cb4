import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

const KEEP_BACKUPS = 14;

/** Copies the database into `backups/` once a day, keeping the latest two weeks. */
export async function backup(db: Database.Database, dataDir: string, log: (line: string) => void): Promise<void> {
  const dir = join(dataDir, 'backups');
  try {
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    await db.backup(join(dir, `xephang-${stamp}.sqlite`));
    const old = readdirSync(dir).filter((f) => f.startsWith('xephang-')).sort().slice(0, -KEEP_BACKUPS);
    for (const f of old) rmSync(join(dir, f));
  } catch (error) {
    log(`sao lưu thất bại: ${String(error)}`);
  }
}
