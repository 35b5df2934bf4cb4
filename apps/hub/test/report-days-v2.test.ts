import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../src/db/open';
import { createCommands } from '../src/commands';
import { createStores } from '../src/store';
import { computeReport, fillReportDays, resolveRange } from '../src/reports';
import { decodeTally, TALLY_VERSION } from '../src/reports/tally';

const DAY_MS = 86_400_000;
const dayNo = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const at = (iso: string) => Date.parse(`${iso}+07:00`);

describe('days kept in tally format 2 by the hub before issue 20', () => {
  it('are computed again in format 3, and the province link queues them to be sent again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xephang-v2-days-'));
    const db = openDatabase(join(dir, 'xephang.sqlite'));
    try {
      let now = at('2025-07-09T08:00:00');
      const stores = createStores(db);
      const queue = createCommands(db, stores, { now: () => now });
      queue.seed('hub-test');
      const kiosk = { deviceId: 'k', counterId: null, clerkId: null };
      for (const day of ['2025-07-09', '2025-07-10']) {
        now = at(`${day}T08:00:00`);
        queue.tickets.issue({ requestId: randomUUID(), serviceId: 'civil', priority: 'normal' }, kiosk);
      }
      now = at('2025-07-11T08:00:00');
      queue.sync.tick();
      expect(fillReportDays(db, { utcOffsetMinutes: 420, now, budgetMs: 1_000 })).toEqual({ done: 2, missing: 0 });
      expect(TALLY_VERSION).toBe(3);
      // As the older hub left them: format 2 (the blob's bytes do not matter, the version does), and linked to a province.
      db.prepare('UPDATE report_days SET version = 2').run();
      db.prepare("INSERT INTO province_link (id, url, commune_code, commune_name, token, epoch, seq_base, enrolled_at) VALUES (1, 'http://tinh', '00004', 'Xã Hà Trung', 't', 1, 0, 1)").run();
      db.prepare('DELETE FROM province_outbox').run();

      expect(fillReportDays(db, { utcOffsetMinutes: 420, now, budgetMs: 1_000 })).toEqual({ done: 2, missing: 0 });
      const kept = db.prepare('SELECT day, version, tally FROM report_days ORDER BY day').all() as { day: number; version: number; tally: Buffer }[];
      expect(kept.map((k) => [k.day, k.version])).toEqual([
        [dayNo('2025-07-09'), 3],
        [dayNo('2025-07-10'), 3],
      ]);
      for (const k of kept) expect(decodeTally(k.tally)).toEqual(expect.objectContaining({ ratingsV5: [], dossiers: [] }));
      // Each recomputed day is queued for the province by the triggers that queue any kept day.
      expect(db.prepare("SELECT day FROM province_outbox WHERE kind = 'day' ORDER BY day").pluck().all()).toEqual([dayNo('2025-07-09'), dayNo('2025-07-10')]);
      const report = computeReport(db, resolveRange({ from: '2025-07-09', to: '2025-07-11' }), { now });
      expect(report.fieldTotal).toMatchObject({ issued: 2, expired: 2, withDossier: 0 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
