import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { PriorityClass } from '@xephang/protocol';
import { admin, disposeHub, frozenHub, kiosk, openCounter, readDb, reportFromLog, rid, unwrap, type HubProcess } from '@xephang/testing';

/** A time on Thursday 10 July 2025 in Hà Trung (UTC+7). */
const at = (hhmm: string) => Date.parse(`2025-07-10T${hhmm}:00+07:00`);

describe('a counter: transfers, the priority rule, and visits finished from their call', () => {
  let hub: HubProcess;
  let a: HubClient;
  let k: HubClient;
  let c2: HubClient;
  let c3: HubClient;
  const clients: HubClient[] = [];
  const clock = async (hhmm: string) => void unwrap(await a.send('clock:set', { at: at(hhmm) }));
  const issue = async (serviceId: string, priority: PriorityClass = 'normal') =>
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId, priority })).ticket;
  const counter = async (id: number) => {
    const c = await openCounter(hub, id);
    clients.push(c);
    return c;
  };
  const next = async (c: HubClient) => unwrap(await c.send('counter:next', { requestId: rid() }));
  const finish = async (c: HubClient, outcome: 'received' | 'guidance' = 'guidance') => unwrap(await c.send('counter:finish', { requestId: rid(), outcome }));

  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T07:30:00+07:00');
    a = await admin(hub);
    k = await kiosk(hub);
    clients.push(a, k);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await disposeHub(hub);
  });

  it('refuses a transfer to a closed or paused counter, changing nothing; the open counter it goes to cannot leave it waiting', async () => {
    const c1 = await counter(1);
    const c5 = await counter(5);
    const police = await issue('police');
    await issue('civil');
    const called = await next(c1);
    expect(called.state).toBe('called');

    // Counter 9 never opened today: closed.
    const toClosed = await c1.send('counter:transfer', { requestId: rid(), toCounterId: 9 });
    expect(toClosed).toMatchObject({ ok: false, error: { code: 'counter_closed' } });
    if (!toClosed.ok) {
      expect(toClosed.error.message).toBe(
        `Không chuyển được số ${called.number}: Quầy 9 đang đóng, công dân sẽ phải chờ mà không ai gọi. Hãy chọn một quầy đang mở, hoặc chuyển sang một lĩnh vực.`,
      );
    }
    unwrap(await c5.send('counter:pause', { reason: 'Họp giao ban' }));
    const toPaused = await c1.send('counter:transfer', { requestId: rid(), toCounterId: 5 });
    expect(toPaused).toMatchObject({ ok: false, error: { code: 'counter_closed' } });
    if (!toPaused.ok) expect(toPaused.error.message).toContain('Quầy 5 đang tạm nghỉ (Họp giao ban)');

    const db = readDb(hub);
    try {
      const row = db.prepare('SELECT state, counter_id, target_counter_id FROM tickets WHERE id = ?').get(called.id);
      expect(row).toEqual({ state: 'called', counter_id: 1, target_counter_id: null });
      expect(db.prepare("SELECT count(*) FROM events WHERE type = 'ticket:transferred'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }

    // Resumed, counter 5 takes it, and calls it before its own field's ticket.
    unwrap(await c5.send('counter:resume', {}));
    expect(unwrap(await c1.send('counter:transfer', { requestId: rid(), toCounterId: 5 }))).toMatchObject({ state: 'waiting', targetCounterId: 5 });
    // Counter 5 cannot leave the citizen sent to it waiting: no pause, no closing, no logout.
    for (const [command, what] of [['counter:pause', 'tạm nghỉ'], ['counter:close', 'đóng quầy'], ['clerk:logout', 'đăng xuất']] as const) {
      const reply = await (command === 'counter:pause' ? c5.send(command, { reason: 'Nghỉ trưa' }) : c5.send(command, {}));
      expect(reply).toMatchObject({ ok: false, error: { code: 'counter_busy' } });
      if (!reply.ok) {
        expect(reply.error.message).toBe(
          `Không thể ${what}: số ${called.number} được chuyển đến Quầy 5 đang chờ, không quầy nào khác gọi số này. ` +
            'Hãy gọi số này trước (rồi kết thúc, hoặc chuyển sang quầy hay lĩnh vực khác).',
        );
      }
    }
    expect((await next(c5)).id).toBe(called.id);
    await finish(c5);
    unwrap(await c5.send('counter:pause', { reason: 'Nghỉ trưa' }));
    // Clear the morning's tickets for the next test: counter 7 serves the police ticket.
    const c7 = await counter(7);
    expect((await next(c7)).id).toBe(police.id);
    await finish(c7);
  });

  it('calls priority first by default, but a normal ticket past the limit before the priority tickets issued after it', async () => {
    c2 = await counter(2);
    expect(unwrap(await a.send('config:get', {})).priorityRule).toEqual({ kind: 'priorityFirst', normalMaxWaitMinutes: 30 });

    await clock('08:00');
    const normals = [await issue('civil'), await issue('civil'), await issue('civil')];
    await clock('08:05');
    const elderly = await issue('civil', 'elderly');
    // An idle counter: the elderly citizen goes first although three came earlier.
    expect((await next(c2)).id).toBe(elderly.id);
    await finish(c2);

    await clock('08:20');
    const pregnant = await issue('civil', 'pregnant');
    await clock('08:31');
    // The first normal ticket has now waited 31 minutes: it goes before the later priority one.
    expect((await next(c2)).id).toBe(normals[0]!.id);
    await finish(c2);
    // The second waited 31 minutes too (issued in the same frozen minute): also before.
    expect((await next(c2)).id).toBe(normals[1]!.id);
    await finish(c2);
    const late = await issue('civil');
    expect((await next(c2)).id).toBe(normals[2]!.id);
    await finish(c2);
    // Nobody overdue now but `late` (0 minutes): the priority ticket first.
    expect((await next(c2)).id).toBe(pregnant.id);
    await finish(c2);
    expect((await next(c2)).id).toBe(late.id);
    await finish(c2);
  });

  it('lets the admin choose one in every N, validates it, logs it in words, and counters follow at once', async () => {
    const set = unwrap(await a.send('config:setPriorityRule', { kind: 'oneInEvery', every: 3 }));
    expect(set).toEqual({ kind: 'oneInEvery', every: 3 });
    expect(unwrap(await a.send('config:get', {})).priorityRule).toEqual(set);
    const log = unwrap(await a.send('config:log', { limit: 5 }));
    expect(log[0]).toMatchObject({
      type: 'admin:priorityRule',
      what: expect.stringContaining(
        'Quy tắc gọi số ưu tiên: Cứ 3 lượt gọi thì có 1 số ưu tiên: 2 số thường rồi 1 số ưu tiên (khi một loại không còn ai chờ thì gọi loại kia). (trước: Số ưu tiên',
      ),
    });

    // Bad rules: refused in Vietnamese, nothing changes.
    for (const bad of [{ kind: 'oneInEvery', every: 1 }, { kind: 'priorityFirst', normalMaxWaitMinutes: 0 }, { kind: 'fifo' }, { kind: 'oneInEvery', every: 3, extra: true }]) {
      const reply = await a.send('config:setPriorityRule', bad as never);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      if (!reply.ok) expect(reply.error.message).toMatch(/^Dữ liệu gửi lên không hợp lệ .*Không có gì bị thay đổi\.$/);
    }
    const fromCounter = await c2.send('config:setPriorityRule', { kind: 'priorityFirst', normalMaxWaitMinutes: 10 });
    expect(fromCounter).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(unwrap(await a.send('config:get', {})).priorityRule).toEqual(set);
    expect(unwrap(await a.send('config:log', { limit: 5 }))[0]!.id).toBe(log[0]!.id);

    await clock('09:00');
    const p = [await issue('civil', 'elderly'), await issue('civil', 'disabled')];
    const n = [await issue('civil'), await issue('civil'), await issue('civil'), await issue('civil')];
    // The counter called a priority ticket last (pregnant, then `late` made one normal): one more normal, then priority.
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      order.push((await next(c2)).id);
      await finish(c2);
    }
    expect(order).toEqual([n[0]!.id, p[0]!.id, n[1]!.id, n[2]!.id, p[1]!.id, n[3]!.id]);
    unwrap(await a.send('config:setPriorityRule', { kind: 'priorityFirst', normalMaxWaitMinutes: 30 }));
  });

  it('finishes a visit straight from its call: the start is recorded at the call, marked, and counted in the report', async () => {
    c3 = await counter(3);
    await clock('10:00');
    const first = await issue('land');
    const second = await issue('land');
    await clock('10:02');
    expect((await next(c3)).id).toBe(first.id);
    await clock('10:03');
    unwrap(await c3.send('counter:start', { requestId: rid() }));
    await clock('10:10');
    await finish(c3, 'received');
    await clock('10:11');
    expect((await next(c3)).id).toBe(second.id);
    await clock('10:15');
    // The two-key visit: no "Bắt đầu phục vụ", an outcome at once.
    const done = await finish(c3, 'guidance');
    expect(done).toMatchObject({ state: 'done', outcome: 'guidance' });

    const db = readDb(hub);
    try {
      const times = db.prepare('SELECT id, called_at, started_at, finished_at FROM tickets WHERE id IN (?, ?) ORDER BY number').all(first.id, second.id);
      expect(times).toEqual([
        { id: first.id, called_at: at('10:02'), started_at: at('10:03'), finished_at: at('10:10') },
        { id: second.id, called_at: at('10:11'), started_at: at('10:11'), finished_at: at('10:15') },
      ]);
      const details = db
        .prepare("SELECT ticket_id, detail FROM events WHERE type = 'ticket:finished' AND ticket_id IN (?, ?) ORDER BY id")
        .all(first.id, second.id)
        .map((r) => ({ ...(r as { ticket_id: string }), detail: JSON.parse((r as { detail: string }).detail) as unknown }));
      expect(details).toEqual([
        { ticket_id: first.id, detail: { outcome: 'received' } },
        { ticket_id: second.id, detail: { outcome: 'guidance', startedAtCall: true } },
      ]);
      // No ticket:started line for a visit never started.
      expect(db.prepare("SELECT count(*) FROM events WHERE type = 'ticket:started' AND ticket_id = ?").pluck().get(second.id)).toBe(0);
    } finally {
      db.close();
    }

    const report = unwrap(await a.send('report:get', { day: '2025-07-10' }));
    expect(report).toEqual(reportFromLog(hub, { day: '2025-07-10' }, report.generatedAt));
    expect(report.fields.find((f) => f.serviceId === 'land')).toMatchObject({ served: 2, received: 1, guidance: 1, startedAtCall: 1 });
    // Every visit of the earlier tests was finished from its call too: only the first land one was started.
    expect(report.fieldTotal).toMatchObject({ served: 16, startedAtCall: 15 });
    // The visit finished from its call is timed from the call: 4 minutes; the other 7.
    expect(report.serviceTimes.byField.find((f) => f.serviceId === 'land')).toMatchObject({ count: 2, meanMs: 5.5 * 60_000 });

    // Still counted once the day is over and its tally is kept.
    unwrap(await a.send('clock:set', { at: Date.parse('2025-07-11T08:00:00+07:00') }));
    const later = unwrap(await a.send('report:get', { day: '2025-07-10' }));
    expect(later.fieldTotal).toEqual(report.fieldTotal);
  });

  it('still refuses to finish a ticket nobody called', async () => {
    // The day turned in the test before, ending the clerk's session: log in again.
    c3 = await counter(3);
    const reply = await c3.send('counter:finish', { requestId: rid(), outcome: 'other' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
  });
});
