import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupsView } from '@xephang/protocol';
import { admin, disposeHub, frozenHub, kiosk, logged, readDb, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

const local = (time: string): number => Date.parse(`${time}+07:00`);
const BACKUP = /^xephang-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.sqlite$/;

/** The backup files of a hub's data folder, whose check has finished (their record is written). */
function checkedBackups(hub: Pick<HubProcess, 'dataDir'>): string[] {
  const dir = join(hub.dataDir, 'backups');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir);
  return files.filter((f) => BACKUP.test(f) && files.includes(`${f}.check.json`)).sort();
}

const record = (hub: Pick<HubProcess, 'dataDir'>, file: string) =>
  JSON.parse(readFileSync(join(hub.dataDir, 'backups', `${file}.check.json`), 'utf8')) as { day: string; check: { state: string; message: string }; schemaVersion: number };

const frozenArgs = (at: string) => ['--demo', '--kiosk-burst', '0', '--fake-clock', `${at}+07:00`];

describe('a backup at the first moment the hub sees a new day', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T09:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('is made when the hub starts on a new day, named by the hub’s clock and day, once a day', async () => {
    await until(() => checkedBackups(hub).length === 1, 'the first start’s backup', 20_000);
    expect(checkedBackups(hub)).toEqual(['xephang-2025-07-10-090000.sqlite']);
    // Restarted later the same hub day: no second one.
    hub = await hub.restart(frozenArgs('2025-07-10T15:00:00'));
    await new Promise((r) => setTimeout(r, 2000));
    expect(checkedBackups(hub)).toEqual(['xephang-2025-07-10-090000.sqlite']);
    // Off overnight, started the next morning: that day's backup, at start-up.
    hub = await hub.restart(frozenArgs('2025-07-11T07:45:00'));
    await until(() => checkedBackups(hub).length === 2, 'the next day’s backup', 20_000);
    expect(checkedBackups(hub)).toEqual(['xephang-2025-07-10-090000.sqlite', 'xephang-2025-07-11-074500.sqlite']);
    expect(record(hub, 'xephang-2025-07-11-074500.sqlite')).toMatchObject({ day: '2025-07-11', check: { state: 'ok' }, schemaVersion: expect.any(Number) });
    await logged(hub, /đã sao lưu xephang-2025-07-11-074500\.sqlite/);
  });

  it('is made when clock:set crosses midnight, and the admin sees every backup with its check', async () => {
    const a = await admin(hub);
    unwrap(await a.send('clock:set', { at: local('2025-07-12T00:00:05') }));
    await until(() => checkedBackups(hub).length === 3, 'the backup after clock:set', 20_000);
    expect(checkedBackups(hub)).toContain('xephang-2025-07-12-000005.sqlite');
    const view = unwrap(await a.send('system:backups', {}));
    expect(view.backups.map((b) => b.file)).toEqual(['xephang-2025-07-12-000005.sqlite', 'xephang-2025-07-11-074500.sqlite', 'xephang-2025-07-10-090000.sqlite']);
    expect(view.backups[0]).toMatchObject({ day: '2025-07-12', madeAt: local('2025-07-12T00:00:05'), check: { state: 'ok', message: expect.stringContaining('integrity_check ok') }, copy: { state: 'none' } });
    expect(view.totalBytes).toBe(view.backups.reduce((sum, b) => sum + b.bytes, 0));
    expect(view).toMatchObject({ dir: join(hub.dataDir, 'backups'), secondDir: null, keepDays: 14, warning: null });
    // Fewer days kept: the older ones go at once, by the day in their names, with their records.
    unwrap(await a.send('system:backupSettings', { secondDir: null, keepDays: 1 }));
    await until(() => checkedBackups(hub).length === 1, 'the prune after keepDays: 1');
    expect(readdirSync(join(hub.dataDir, 'backups'))).toEqual(['xephang-2025-07-12-000005.sqlite', 'xephang-2025-07-12-000005.sqlite.check.json']);
    a.close();
  });
});

describe('a backup when a command turns the day', () => {
  let hub: HubProcess | undefined;
  afterAll(async () => {
    await disposeHub(hub);
  });

  it('starts after the commit of the command that turned it', async () => {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0', '--fake-clock', '2025-07-10T10:00:00+07:00'] });
    const a = await admin(hub);
    const k = await kiosk(hub);
    // The clock moves on its own here: a ticket issued just after midnight turns the day itself,
    // unless the hub's 15-second tick got there first (then the next night is tried).
    let turnedBy: { ticketId: string; day: string } | undefined;
    for (let night = 11; night <= 14 && !turnedBy; night++) {
      const day = `2025-07-${night}`;
      unwrap(await a.send('clock:set', { at: local(`${day}T00:00:00`) - 700 }));
      for (;;) {
        const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
        if (issued.ticket.day !== day) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        const db = readDb(hub);
        const turn = db.prepare("SELECT at FROM events WHERE type = 'day:started' ORDER BY id DESC LIMIT 1").get() as { at: number };
        db.close();
        if (turn.at === issued.ticket.issuedAt) turnedBy = { ticketId: issued.ticket.id, day };
        break;
      }
    }
    expect(turnedBy).toBeDefined();
    const { day, ticketId } = turnedBy!;
    await until(() => checkedBackups(hub!).some((f) => f.startsWith(`xephang-${day}-0000`)), 'the backup of the day the ticket turned', 20_000);
    const file = checkedBackups(hub).find((f) => f.startsWith(`xephang-${day}-`))!;
    expect(file).toMatch(new RegExp(`^xephang-${day}-00000\\d\\.sqlite$`));
    // Made after that commit: the ticket that turned the day is in it.
    const Database = (await import('better-sqlite3')).default;
    const backup = new Database(join(hub.dataDir, 'backups', file), { readonly: true });
    expect(backup.prepare('SELECT id FROM tickets WHERE id = ?').get(ticketId)).toEqual({ id: ticketId });
    backup.close();
    a.close();
    k.close();
  });
});

describe('the second destination', () => {
  let hub: HubProcess;
  let usb: string;
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T09:00:00+07:00');
    usb = mkdtempSync(join(tmpdir(), 'xephang-usb-'));
  });
  afterAll(async () => {
    await disposeHub(hub);
    rmSync(usb, { recursive: true, force: true });
  });

  it('is refused when it is not an absolute, existing, writable folder outside the data folder, changing nothing', async () => {
    const a = await admin(hub);
    for (const [secondDir, said] of [
      ['usb', /đường dẫn đầy đủ/],
      [join(usb, 'not-there'), /không tồn tại/],
      [join(hub.dataDir, 'backups'), /không được nằm trong thư mục dữ liệu/],
    ] as const) {
      const r = await a.send('system:backupSettings', { secondDir, keepDays: 30 });
      expect(r).toEqual({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(said) } });
    }
    expect((await a.send('system:backupSettings', { secondDir: '/x', keepDays: 0 })).ok).toBe(false);
    expect(unwrap(await a.send('system:backups', {}))).toMatchObject({ secondDir: null, keepDays: 14 });
    a.close();
  });

  it('gets a copy of each backup; a folder gone is a failed copy with the hub up, and the next backup copies again', async () => {
    const a = await admin(hub);
    const set = unwrap(await a.send('system:backupSettings', { secondDir: usb, keepDays: 30 }));
    expect(set).toMatchObject({ secondDir: usb, keepDays: 30 });
    const log = unwrap(await a.send('config:log', { limit: 5 }));
    expect(log[0]).toMatchObject({ type: 'admin:backup', what: expect.stringContaining(`(không có) → ${usb}`) });
    expect(log[0]!.what).toContain('giữ 14 → 30 ngày');

    const now = (): Promise<BackupsView> => a.send('system:backupNow', {}, { timeoutMs: 60_000 }).then(unwrap);
    const first = (await now()).backups[0]!;
    expect(first.copy).toMatchObject({ state: 'copied', message: expect.stringContaining(usb) });
    expect(readFileSync(join(usb, first.file)).equals(readFileSync(join(hub.dataDir, 'backups', first.file)))).toBe(true);

    rmSync(usb, { recursive: true, force: true });
    const failed = await now();
    expect(failed.backups[0]!.check.state).toBe('ok');
    expect(failed.backups[0]!.copy).toMatchObject({ state: 'failed', message: expect.stringMatching(/Không chép được sang .*thư mục không còn/) });
    expect(failed.warning).toContain('chưa chép được sang nơi thứ hai');
    // The hub is up and serves.
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));

    mkdirSync(usb);
    const again = await now();
    expect(again.backups[0]!.copy.state).toBe('copied');
    expect(again.warning).toBeNull();
    expect(readdirSync(usb)).toEqual([again.backups[0]!.file]);
    a.close();
    k.close();
  });
});
