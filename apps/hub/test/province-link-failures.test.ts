import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubClient } from '@xephang/client';
import type { ProvinceLinkView } from '@xephang/protocol';
import { admin, disposeHub, eventually, frozenHub, type HubProcess, keptTallies, kiosk, logged, outboxSize, PROVINCE_ARGS, rid, startTestProvince, type TestProvince, unwrap } from '@xephang/testing';

const at = (iso: string) => Date.parse(`${iso}+07:00`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An ordinary forward HTTP proxy (absolute-form requests), recording what it forwarded. */
async function startProxy(): Promise<{ url: string; forwarded: string[]; server: Server }> {
  const forwarded: string[] = [];
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const upstream = request(target, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, forwarded, server };
}

describe('the province link when the province is down, refuses, or the hub is killed mid-push', () => {
  let province: TestProvince;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let hub: HubProcess;
  let a: HubClient;
  const clients: HubClient[] = [];
  const status = async (): Promise<ProvinceLinkView> => unwrap(await a.send('province:status', {}));
  const clock = async (iso: string) => void unwrap(await a.send('clock:set', { at: at(iso) }));
  const pushRequests = () => province.received.filter((r) => r.path === '/api/v1/push').length;
  const commune = () => province.communes.get('00004')!;
  /** A day with one ticket, then the next morning: the day is kept and queued. */
  const dayWithATicket = async (date: string, next: string) => {
    await clock(`${date}T09:00:00`);
    const k = await kiosk(hub);
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    k.close();
    await clock(`${next}T07:30:00`);
  };

  beforeAll(async () => {
    province = await startTestProvince();
    province.keys.set('khoa-mot-lan-00004', ['00004', 'Xã Ba Đình']);
    proxy = await startProxy();
    hub = await frozenHub('2025-07-07T07:30:00+07:00', PROVINCE_ARGS);
    a = await admin(hub);
    clients.push(a);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
    await province.close();
    await new Promise<void>((r) => proxy.server.close(() => r()));
  });

  it('enrols and pushes through an HTTP proxy', async () => {
    const view = unwrap(await a.send('province:enrol', { url: province.url, communeCode: '00004', key: 'khoa-mot-lan-00004', proxy: proxy.url }));
    expect(view).toMatchObject({ linked: true, proxy: proxy.url, communeName: 'Xã Ba Đình' });
    await eventually(() => expect(commune().lastSeq).toBe(1));
    expect(proxy.forwarded).toEqual(expect.arrayContaining([`${province.url}api/v1/enrol`, `${province.url}api/v1/push`]));
  });

  it('down (503, then no answer): said once in the log and on the page, retried less and less often; back up, nothing lost', async () => {
    province.mode = { kind: 'status', status: 503 };
    await dayWithATicket('2025-07-07', '2025-07-08');
    const down = await eventually(async () => {
      const v = await status();
      expect(v).toMatchObject({ state: 'down', lastError: expect.stringContaining('503') });
      return v;
    });
    expect(down.nextAttemptAt).toEqual(expect.any(Number));
    expect(down.pending).toBeGreaterThan(0);
    const before = pushRequests();
    await sleep(1500);
    // 100 ms doubling (with jitter): a handful of tries in 1.5 s, not one every 100 ms.
    const tries = pushRequests() - before;
    expect(tries).toBeGreaterThanOrEqual(1);
    expect(tries).toBeLessThanOrEqual(6);
    province.mode = { kind: 'hang' };
    unwrap(await a.send('province:pushNow', {}));
    await eventually(async () => expect((await status()).lastError).toContain('không trả lời trong 1,5 giây'), 8_000);
    expect(hub.output().match(/Liên kết tỉnh: mất kết nối/g)).toHaveLength(1);
    // Tuesday passes while the link is down: it waits in the outbox too.
    await dayWithATicket('2025-07-08', '2025-07-09');
    province.mode = { kind: 'ok' };
    unwrap(await a.send('province:pushNow', {}));
    await eventually(async () => {
      expect(await status()).toMatchObject({ state: 'ok', pending: 0, lastError: null });
      const kept = keptTallies(hub);
      expect([...kept.keys()]).toEqual(['2025-07-07', '2025-07-08']);
      for (const [day, tally] of kept) expect(commune().days.get(day)?.tally).toBe(tally);
    });
    expect(hub.output().match(/Liên kết tỉnh: đã kết nối lại/g)).toHaveLength(1);
  });

  it('a reply lost on the way back: the same positions are sent again, stored once', async () => {
    province.mode = { kind: 'lose-reply' };
    const lastBefore = commune().lastSeq;
    await dayWithATicket('2025-07-09', '2025-07-10');
    await eventually(() => expect(commune().lastSeq).toBeGreaterThan(lastBefore));
    const stored = commune().lastSeq;
    province.mode = { kind: 'ok' };
    unwrap(await a.send('province:pushNow', {}));
    await eventually(async () => expect(await status()).toMatchObject({ state: 'ok', pending: 0, ackedSeq: stored }));
    // The resend started at or below what the province already had: nothing new, nothing twice.
    const resend = province.pushes().filter((p) => p.items.some((i) => i.seq === stored));
    expect(resend.length).toBeGreaterThanOrEqual(2);
    expect(commune().lastSeq).toBe(stored);
  });

  it('refused (revoked key, stale epoch): said in Vietnamese, nothing more sent until the admin acts', async () => {
    province.mode = { kind: 'refuse', status: 401, code: 'revoked' };
    await dayWithATicket('2025-07-10', '2025-07-11');
    await eventually(async () => expect(await status()).toMatchObject({ state: 'refused', lastError: expect.stringContaining('thu hồi'), nextAttemptAt: null }));
    const count = pushRequests();
    await sleep(1000);
    expect(pushRequests()).toBe(count);
    // The admin tries again: one push, refused again.
    province.mode = { kind: 'refuse', status: 409, code: 'stale_epoch' };
    unwrap(await a.send('province:pushNow', {}));
    await eventually(async () => expect((await status()).lastError).toContain('máy khác'));
    expect(pushRequests()).toBe(count + 1);
    await logged(hub, /Liên kết tỉnh: máy chủ tỉnh từ chối/);
  });

  it('the province restored from a backup (it asks again for positions it had acknowledged): a new epoch, everything sent again, no re-enrolment', async () => {
    province.mode = { kind: 'ok' };
    unwrap(await a.send('province:pushNow', {}));
    const before = await eventually(async () => {
      const v = await status();
      expect(v).toMatchObject({ state: 'ok', pending: 0 });
      return v;
    });
    expect(before.ackedSeq).toBeGreaterThan(2);
    // Its database came back from a backup holding only the first position (the configuration): it expects 2 again.
    const c = commune();
    c.lastSeq = 1;
    c.days.clear();
    await dayWithATicket('2025-07-11', '2025-07-12');
    const after = await eventually(async () => {
      const v = await status();
      expect(v).toMatchObject({ state: 'ok', pending: 0, lastError: null });
      expect(v.epoch).toBeGreaterThan(before.epoch!);
      return v;
    });
    await logged(hub, /Liên kết tỉnh: máy chủ tỉnh chờ số 2 nhưng đã xác nhận đến \d+ .*bắt đầu lượt số mới \(epoch \d+\), gửi lại toàn bộ từ số 1\./);
    const first = province.pushes().find((p) => p.epoch === after.epoch)!;
    expect(first.items[0]).toMatchObject({ seq: 1, kind: 'config' });
    const kept = keptTallies(hub);
    expect([...kept.keys()]).toContain('2025-07-11');
    for (const [day, tally] of kept) expect(commune().days.get(day)).toMatchObject({ epoch: after.epoch, tally });
  });

  it('re-enrolment starts a new epoch from seq 1 with every kept day', async () => {
    province.keys.set('khoa-moi-00004', ['00004', 'Xã Ba Đình']);
    const before = (await status()).epoch!;
    const view = unwrap(await a.send('province:enrol', { url: province.url, communeCode: '00004', key: 'khoa-moi-00004', proxy: null }));
    expect(view.epoch).toBeGreaterThan(before);
    await eventually(async () => expect(await status()).toMatchObject({ state: 'ok', pending: 0, epoch: view.epoch }));
    const first = province.pushes().find((p) => p.epoch === view.epoch)!;
    expect(first.items[0]).toMatchObject({ seq: 1, kind: 'config' });
    for (const [day, tally] of keptTallies(hub)) expect(commune().days.get(day)).toMatchObject({ epoch: view.epoch, tally });
  });

  it('SIGKILL in the middle of a push: the same positions are sent again after the restart', async () => {
    province.mode = { kind: 'hang' };
    await dayWithATicket('2025-07-12', '2025-07-13');
    await eventually(() => expect(province.hanging()).toBeGreaterThan(0));
    const held = province.received.filter((r) => r.batch && r.batch.items.length > 0).at(-1)!.batch!;
    const seqs = held.items.map((i) => i.seq);
    for (const c of clients) c.close();
    clients.length = 0;
    await hub.kill();
    province.mode = { kind: 'ok' };
    hub = await hub.restart(['--demo', '--kiosk-burst', '0', '--fake-clock', '2025-07-13T07:40:00+07:00', ...PROVINCE_ARGS]);
    a = await admin(hub);
    clients.push(a);
    await logged(hub, /Liên kết tỉnh: gửi số liệu lên http:\/\/127\.0\.0\.1:\d+\/ \(xã 00004\), [1-9]\d* mục đang chờ\./);
    await eventually(async () => expect(await status()).toMatchObject({ state: 'ok', pending: 0, epoch: held.epoch }));
    const resent = province.pushes().find((p) => p.epoch === held.epoch && p.items[0]?.seq === seqs[0]);
    expect(resent?.items.map((i) => i.seq)).toEqual(expect.arrayContaining(seqs));
    expect(commune().days.get('2025-07-12')?.tally).toBe(keptTallies(hub).get('2025-07-12'));
    expect(outboxSize(hub)).toBe(0);
  });
});
