import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupView } from '@xephang/protocol';
import { admin, disposeHub, HUB_CLI, kiosk, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

/** `restore` run as a technician would, on the built command line. */
function restore(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [HUB_CLI, 'restore', '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const ticketIds = (dbFile: string): Set<string> => {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
};

describe('backup → restore', () => {
  let hub: HubProcess;
  let made: BackupView;
  /** Every ticket a kiosk got an ack for before the backup was asked for. */
  let ackedBefore: string[] = [];
  let ackedDuring = 0;

  beforeAll(async () => {
    // A database of several MB, so the backup API copies it in many steps with commands between them.
    const first = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
    await first.stop();
    const db = new Database(first.dbFile);
    db.exec('CREATE TABLE test_filler (b BLOB) STRICT');
    const put = db.prepare('INSERT INTO test_filler (b) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 600; i++) put.run(Buffer.alloc(16 * 1024, i % 251));
    })();
    db.close();
    hub = await startHubProcess({ dataDir: first.dataDir, args: ['--demo', '--kiosk-burst', '0'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('brings back every ticket acked before the backup, with kiosks issuing while it is made', async () => {
    const kiosks = await Promise.all([1, 2, 3].map(() => kiosk(hub)));
    const acked: string[] = [];
    let phase: 'before' | 'during' | 'after' = 'before';
    let running = true;
    const loops = kiosks.map(async (k, i) => {
      while (running) {
        const r = await k.send('ticket:issue', { requestId: rid(), serviceId: ['civil', 'land', 'business'][i]! });
        if (!r.ok) continue;
        acked.push(r.data.ticket.id);
        if (phase === 'during') ackedDuring++;
      }
    });
    while (acked.length < 60) await new Promise((r) => setTimeout(r, 20));
    const a = await admin(hub);
    ackedBefore = [...acked];
    phase = 'during';
    const view = unwrap(await a.send('system:backupNow', {}, { timeoutMs: 60_000 }));
    phase = 'after';
    const more = acked.length + 20;
    while (acked.length < more) await new Promise((r) => setTimeout(r, 20));
    running = false;
    await Promise.all(loops);
    for (const k of kiosks) k.close();
    a.close();
    made = view.backups[0]!;
    expect(made.check).toMatchObject({ state: 'ok' });
    expect(made.bytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(ackedDuring).toBeGreaterThan(0);

    // Refused while the hub holds the data folder, naming its process; nothing changed.
    const refused = restore(hub.dataDir, '--from', made.file);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`PID ${hub.child.pid}`);
    expect(refused.err).toContain('Chưa có gì bị thay đổi');
    expect(readdirSync(hub.dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);

    await hub.stop();
    const latest = ticketIds(hub.dbFile);
    expect(latest.size).toBe(acked.length);
    const listed = restore(hub.dataDir, '--list');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(made.file);
    expect(listed.out).toMatch(/kiểm tra: tốt/);

    const done = restore(hub.dataDir, '--from', made.file);
    expect(done.err).toBe('');
    expect(done.code).toBe(0);
    expect(done.out).toContain('Đã khôi phục cơ sở dữ liệu từ');
    const aside = readdirSync(hub.dataDir).filter((f) => /^xephang\.sqlite\.before-restore-\d{8}-\d{6}$/.test(f));
    expect(aside).toHaveLength(1);
    expect(done.out).toContain(aside[0]);
    expect(existsSync(`${hub.dbFile}-wal`)).toBe(false);
    // The database kept aside is the one before the restore, every ticket in it.
    expect(ticketIds(join(hub.dataDir, aside[0]!))).toEqual(latest);

    hub = await hub.restart();
    const restored = ticketIds(hub.dbFile);
    expect(ackedBefore.filter((id) => !restored.has(id))).toEqual([]);
    const db = readDb(hub);
    const marker = Object.fromEntries((db.prepare("SELECT key, value FROM meta WHERE key IN ('restored_at', 'restored_from')").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    db.close();
    expect(marker).toEqual({ restored_at: expect.stringMatching(/^\d{4}-/), restored_from: made.file });
    // The restored hub issues on from there.
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    k.close();
  });

  it('reports a backup overwritten in its middle as failed, and refuses to restore it', async () => {
    await hub.stop();
    const backups = join(hub.dataDir, 'backups');
    const broken = `xephang-${made.day}-235959-9.sqlite`;
    copyFileSync(join(backups, made.file), join(backups, broken));
    const size = statSync(join(backups, broken)).size;
    const fd = openSync(join(backups, broken), 'r+');
    writeSync(fd, Buffer.alloc(Math.floor(size / 3), 0xff), 0, Math.floor(size / 3), Math.floor(size / 3));
    closeSync(fd);
    const before = readFileSync(hub.dbFile);

    const refused = restore(hub.dataDir, '--from', broken);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/hỏng/);
    expect(readFileSync(hub.dbFile).equals(before)).toBe(true);

    // The hub checks a backup it finds unchecked at its start: the newest is this one, failed.
    hub = await hub.restart();
    const a = await admin(hub);
    let view = unwrap(await a.send('system:backups', {}));
    for (let i = 0; i < 100 && view.backups[0]?.check.state === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = unwrap(await a.send('system:backups', {}));
    }
    expect(view.backups[0]).toMatchObject({ file: broken, check: { state: 'failed', message: expect.stringMatching(/hỏng/) } });
    expect(view.warning).toContain(`Bản sao lưu mới nhất (${broken}) không qua kiểm tra`);
    a.close();
    await hub.stop();
    // --day takes the newest good backup of the day, not the broken one.
    const byDay = restore(hub.dataDir, '--day', made.day);
    expect(byDay.code).toBe(0);
    expect(byDay.out).toContain(made.file);
  });

  it('refuses a backup from a newer version of xephang', () => {
    const newer = join(hub.dataDir, 'from-the-future.sqlite');
    copyFileSync(join(hub.dataDir, 'backups', made.file), newer);
    const db = new Database(newer);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(hub.dbFile);
    const asideBefore = readdirSync(hub.dataDir).filter((f) => f.includes('before-restore')).length;
    const refused = restore(hub.dataDir, '--from', newer);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/phiên bản 999, mới hơn/);
    expect(readFileSync(hub.dbFile).equals(before)).toBe(true);
    expect(readdirSync(hub.dataDir).filter((f) => f.includes('before-restore'))).toHaveLength(asideBefore);
    expect(existsSync(`${hub.dbFile}.restoring`)).toBe(false);
    rmSync(newer);
  });
});
