import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import type { HubClient } from '@xephang/client';
import type { ProvinceLinkView } from '@xephang/protocol';
import { admin, disposeHub, eventually, frozenHub, HUB_CLI, type HubProcess, keptTallies, kiosk, logged, PROVINCE_ARGS, rid, startTestProvince, type TestProvince, unwrap } from '@xephang/testing';

const at = (iso: string) => Date.parse(`${iso}+07:00`);

describe('the province link after a restore from backup', () => {
  let province: TestProvince;
  let hub: HubProcess;
  let a: HubClient;
  const status = async (): Promise<ProvinceLinkView> => unwrap(await a.send('province:status', {}));
  const clock = async (iso: string) => void unwrap(await a.send('clock:set', { at: at(iso) }));
  const commune = () => province.communes.get('27001')!;

  beforeAll(async () => {
    province = await startTestProvince();
    province.keys.set('khoa-dang-ky-27001', ['27001', 'Xã Hà Trung']);
    hub = await frozenHub('2025-07-07T07:30:00+07:00', PROVINCE_ARGS);
    a = await admin(hub);
  });
  afterAll(async () => {
    a.close();
    await disposeHub(hub);
    await province.close();
  });

  it('begins a new epoch: the outbox emptied, the sequence from 1, everything the backup holds sent again and accepted', async () => {
    unwrap(await a.send('province:enrol', { url: province.url, communeCode: '27001', key: 'khoa-dang-ky-27001', proxy: null }));
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    await clock('2025-07-08T07:30:00');
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    k.close();
    await eventually(() => expect(commune().days.get('2025-07-07')?.tally).toBe(keptTallies(hub).get('2025-07-07')));
    const backup = unwrap(await a.send('system:backupNow', {}, { timeoutMs: 60_000 })).backups[0]!;
    expect(backup.check.state).toBe('ok');
    // The hub runs on after the backup: Tuesday is sent under the first epoch too.
    await clock('2025-07-09T07:30:00');
    await eventually(() => expect(commune().days.has('2025-07-08')).toBe(true));
    const old = await status();
    expect(old.ackedSeq).toBeGreaterThanOrEqual(3);
    a.close();
    await hub.stop();

    const restored = spawnSync(process.execPath, [HUB_CLI, 'restore', '--data-dir', hub.dataDir, '--from', backup.file], { encoding: 'utf8' });
    expect(restored.status).toBe(0);
    hub = await hub.restart(['--demo', '--kiosk-burst', '0', '--fake-clock', '2025-07-09T08:00:00+07:00', ...PROVINCE_ARGS]);
    a = await admin(hub);
    await logged(hub, /Liên kết tỉnh: cơ sở dữ liệu đã được khôi phục từ bản sao lưu .*gửi lại toàn bộ từ số 1/);
    const view = await eventually(async () => {
      const v = await status();
      expect(v).toMatchObject({ state: 'ok', pending: 0 });
      expect(v.epoch).toBeGreaterThan(old.epoch!);
      return v;
    });
    const first = province.pushes().find((p) => p.epoch === view.epoch)!;
    expect(first.items[0]).toMatchObject({ seq: 1, kind: 'config' });
    // The province followed the new epoch; Monday is the backup's, sent again from seq 1.
    expect(commune().epoch).toBe(view.epoch);
    expect(commune().days.get('2025-07-07')).toMatchObject({ epoch: view.epoch, tally: keptTallies(hub).get('2025-07-07') });
    expect(view.ackedSeq).toBe(commune().lastSeq);
    // A second start on the same restored database is no new restore.
    a.close();
    hub = await hub.restart(['--demo', '--kiosk-burst', '0', '--fake-clock', '2025-07-09T08:10:00+07:00', ...PROVINCE_ARGS]);
    a = await admin(hub);
    await eventually(async () => expect(await status()).toMatchObject({ state: 'ok', epoch: view.epoch }));
    expect(hub.output()).not.toMatch(/khôi phục từ bản sao lưu/);
  });
});

describe('a first enrolment of months of kept days', () => {
  let province: TestProvince;
  let hub: HubProcess;
  let a: HubClient;
  afterAll(async () => {
    a?.close();
    await disposeHub(hub);
    await province?.close();
  });

  it('goes in batches of at most 100 positions, numbered on from one batch to the next, every day once', async () => {
    province = await startTestProvince();
    province.keys.set('khoa-dang-ky-27004', ['27004', 'Xã Đông Sơn']);
    hub = await frozenHub('2025-01-06T08:00:00+07:00', PROVINCE_ARGS);
    a = await admin(hub);
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    k.close();
    unwrap(await a.send('clock:set', { at: at('2025-06-10T08:00:00') }));
    // 6 January … 9 June: every day from the first ticket's to yesterday is kept.
    const days = 155;
    await eventually(() => expect(keptTallies(hub).size).toBe(days), 20_000);
    unwrap(await a.send('province:enrol', { url: province.url, communeCode: '27004', key: 'khoa-dang-ky-27004', proxy: null }));
    await eventually(async () => expect(unwrap(await a.send('province:status', {}))).toMatchObject({ state: 'ok', pending: 0, ackedSeq: days + 1 }), 20_000);
    const batches = province.pushes().filter((p) => p.items.length > 0);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...batches.map((b) => b.items.length))).toBeLessThanOrEqual(100);
    expect(batches.flatMap((b) => b.items.map((i) => i.seq))).toEqual(Array.from({ length: days + 1 }, (_, i) => i + 1));
    const kept = keptTallies(hub);
    expect(province.communes.get('27004')!.days.size).toBe(days);
    for (const [day, tally] of kept) expect(province.communes.get('27004')!.days.get(day)?.tally).toBe(tally);
  });
});
