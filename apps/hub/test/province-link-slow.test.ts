import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubClient } from '@xephang/client';
import type { ProvinceLinkView, PushBatch } from '@xephang/protocol';
import { admin, disposeHub, eventually, frozenHub, type HubProcess, keptTallies, kiosk, logged, PROVINCE_ARGS, rid, startTestProvince, type TestProvince, unwrap } from '@xephang/testing';

const at = (iso: string) => Date.parse(`${iso}+07:00`);

/**
 * A slow line in front of the province: a request body larger than `limit` bytes does not get
 * through before the hub's timeout (it is held, never answered), a smaller one is forwarded to
 * the province and its answer relayed. Every push attempt is recorded: its items and whether it passed.
 */
async function startSlowLine(target: string): Promise<{ url: string; limit: number; attempts: { items: number; size: number; passed: boolean }[]; server: Server; held: ServerResponse[] }> {
  const line = { url: '', limit: Infinity, attempts: [] as { items: number; size: number; passed: boolean }[], server: undefined as unknown as Server, held: [] as ServerResponse[] };
  line.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // The enrolment's request is a few hundred bytes: only the pushes are big enough to be held.
      const passed = req.url !== '/api/v1/push' || body.length <= line.limit;
      if (req.url === '/api/v1/push') line.attempts.push({ items: (JSON.parse(body.toString('utf8')) as PushBatch).items.length, size: body.length, passed });
      if (!passed) {
        line.held.push(res);
        return;
      }
      void fetch(new URL(req.url ?? '/', target), { method: 'POST', body, headers: { 'content-type': 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) } }).then(
        async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(await r.text());
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((r) => line.server.listen(0, '127.0.0.1', () => r()));
  line.url = `http://127.0.0.1:${(line.server.address() as AddressInfo).port}/`;
  return line;
}

describe('the province link on a line too slow for a full batch within the timeout', () => {
  let province: TestProvince;
  let line: Awaited<ReturnType<typeof startSlowLine>>;
  let hub: HubProcess;
  let a: HubClient;
  const status = async (): Promise<ProvinceLinkView> => unwrap(await a.send('province:status', {}));
  const clock = async (iso: string) => void unwrap(await a.send('clock:set', { at: at(iso) }));

  beforeAll(async () => {
    province = await startTestProvince();
    province.keys.set('khoa-dang-ky-31001', ['31001', 'Xã Tân Lập']);
    line = await startSlowLine(province.url);
    hub = await frozenHub('2025-07-01T08:00:00+07:00', [...PROVINCE_ARGS, '--province-retry-ms', '20', '--province-timeout-ms', '400']);
    a = await admin(hub);
  });
  afterAll(async () => {
    a.close();
    await disposeHub(hub);
    for (const res of line.held) res.destroy();
    line.server.closeAllConnections();
    await new Promise<void>((r) => line.server.close(() => r()));
    await province.close();
  });

  it('a first enrolment with a history: each timed-out batch is halved until one gets through, then full size again; everything arrives', async () => {
    // Eight past days with a ticket each: the enrolment queues the configuration and the eight days.
    const k = await kiosk(hub);
    for (let d = 1; d <= 8; d++) {
      await clock(`2025-07-0${d}T09:00:00`);
      unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    }
    k.close();
    await clock('2025-07-09T07:30:00');
    unwrap(await a.send('report:get', { day: '2025-07-08' }));
    // The first (full) batch is held: it tells how big it is; the line passes less than half of it from now on.
    line.limit = 0;
    unwrap(await a.send('province:enrol', { url: line.url, communeCode: '31001', key: 'khoa-dang-ky-31001', proxy: null }));
    const full = await eventually(() => {
      const first = line.attempts[0];
      expect(first?.items).toBe(9);
      return first!;
    });
    line.limit = Math.floor(full.size * 0.6);
    await eventually(async () => {
      expect(await status()).toMatchObject({ state: 'ok', pending: 0 });
      const kept = keptTallies(hub);
      expect(kept.size).toBe(8);
      for (const [day, tally] of kept) expect(province.communes.get('31001')!.days.get(day)?.tally).toBe(tally);
    }, 40_000);
    await logged(hub, /Liên kết tỉnh: gói 9 mục \(\d+ KB\) không gửi xong trong 0,4 giây; lần sau gửi gói nhỏ hơn một nửa\./);
    // Smaller after each timeout; after a batch got through, the next one was full size again (larger than the one that passed).
    const tries = line.attempts;
    expect(tries.filter((t) => t.passed && t.items > 0).length).toBeGreaterThanOrEqual(2);
    const afterPass = tries.findIndex((t, i) => i > 0 && tries[i - 1]!.passed && tries[i - 1]!.items > 0 && t.items > tries[i - 1]!.items);
    expect(afterPass).toBeGreaterThan(0);
  });
});
