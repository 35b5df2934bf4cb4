import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { HubEvent } from '@xephang/protocol';
import { admin, disposeHub, frozenHub, kiosk, openCounter, rid, ticketCount, until, unwrap, type HubProcess } from '@xephang/testing';

/** A time in Vietnam. 2026-12-12 is a Saturday, 2026-12-14 a Monday. */
const vn = (local: string): number => Date.parse(`${local}:00+07:00`);

describe('the kiosk issues by the admin’s opening hours, on the hub’s clock', () => {
  let hub: HubProcess;
  let k: HubClient;
  let tv: HubClient;
  let boss: HubClient;
  const seen: HubEvent[] = [];

  beforeAll(async () => {
    // The default week: Monday–Friday 07:30–11:30 and 13:30–17:00, Saturday morning, reset at 00:00, 30 minutes early.
    hub = await frozenHub('2026-12-12T03:00:00+07:00', [], { hours: true });
    k = await kiosk(hub);
    tv = await kiosk(hub, { onEvent: (e) => void seen.push(e) });
    boss = await admin(hub);
  });
  afterAll(async () => {
    for (const c of [k, tv, boss]) c?.close();
    await disposeHub(hub);
  });

  const setClock = async (local: string) => void unwrap(await boss.send('clock:set', { at: vn(local) }));

  it('at 03:00 on a Saturday refuses ticket:issue in Vietnamese, stores nothing, and shows the next opening', async () => {
    expect(k.state()!.opening).toEqual({ state: 'closed', opensAt: vn('2026-12-12T07:30') });
    const reply = await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'center_closed', message: 'Ngoài giờ cấp số: trung tâm chưa làm việc. Quầy mở lúc 07:30 thứ Bảy 12/12, xin mời quay lại.' },
    });
    expect(ticketCount(hub)).toBe(0);
    // The hub is still up and answers.
    expect((await k.send('catalog:get', {})).ok).toBe(true);
  });

  it('from 30 minutes before opening issues, with no estimate while no counter is open', async () => {
    await setClock('2026-12-12T07:05');
    await until(() => seen.some((e) => e.type === 'opening:changed'), 'opening:changed on the kiosk');
    expect(k.state()!.opening).toEqual({ state: 'early', opensAt: vn('2026-12-12T07:30'), reason: 'before' });
    expect(k.state()!.load.civil).toEqual({ waiting: 0, openCounters: 0, estimatedWaitMinutes: null });
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued.ticket).toMatchObject({ number: 2001, day: '2026-12-12' });
    expect(issued.estimatedWaitMinutes).toBeNull();
  });

  it('once a counter opens the estimate counts it', async () => {
    await setClock('2026-12-12T07:40');
    await until(() => k.state()!.opening.state === 'open', 'open on the kiosk');
    expect(k.state()!.opening).toEqual({ state: 'open', closesAt: vn('2026-12-12T11:30') });
    const c1 = await openCounter(hub, 1);
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued.peopleAhead).toBe(1);
    expect(issued.estimatedWaitMinutes).toBe(8);
    await until(() => k.state()!.load.civil?.openCounters === 1, 'one open counter in the load');
    expect(k.state()!.load.civil).toEqual({ waiting: 2, openCounters: 1, estimatedWaitMinutes: 16 });
    unwrap(await c1.send('counter:close', {}));
    c1.close();
  });

  it('in the lunch break issues, saying when the afternoon opens', async () => {
    await setClock('2026-12-14T12:10');
    await until(() => k.state()!.opening.state === 'early', 'the lunch break on the kiosk');
    expect(k.state()!.opening).toEqual({ state: 'early', opensAt: vn('2026-12-14T13:30'), reason: 'break' });
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    expect(issued.ticket).toMatchObject({ number: 1001, day: '2026-12-14' });
  });

  it('promises no wait at lunch even with a counter left open: it serves nobody before 13:30 (was: "khoảng 8 phút")', async () => {
    const c3 = await openCounter(hub, 3);
    await until(() => k.state()!.load.land?.openCounters === 1, 'the open counter in the load');
    expect(k.state()!.load.land).toEqual({ waiting: 1, openCounters: 1, estimatedWaitMinutes: null });
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    expect([issued.peopleAhead, issued.estimatedWaitMinutes]).toEqual([1, null]);
    // Once the afternoon opens the same counter counts again.
    await setClock('2026-12-14T13:31');
    await until(() => k.state()!.opening.state === 'open', 'the afternoon on the kiosk');
    expect(k.state()!.load.land).toEqual({ waiting: 2, openCounters: 1, estimatedWaitMinutes: 16 });
    unwrap(await c3.send('counter:next', { requestId: rid() }));
    unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    unwrap(await c3.send('counter:next', { requestId: rid() }));
    unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    unwrap(await c3.send('counter:close', {}));
    c3.close();
  });

  it('replays missed events with the opening of now, as a snapshot gives it (was: none, and a reconnected kiosk lost its hours)', async () => {
    const { hubId, seq } = k.state()!;
    unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    const reply = unwrap(await boss.send('sync', { lastSeq: seq - 1, hubId }));
    if (reply.mode !== 'events') throw new Error(`expected a replay, got a ${reply.mode}`);
    expect(reply.events.length).toBeGreaterThanOrEqual(2);
    const opening = { state: 'open', closesAt: vn('2026-12-14T17:00') };
    for (const e of reply.events) expect(e.opening).toEqual(opening);
    const snapshot = unwrap(await boss.send('sync', { lastSeq: 0 }));
    expect(snapshot.mode === 'snapshot' && snapshot.snapshot.opening).toEqual(opening);
  });

  it('after the last session refuses; after an evening reset issues for the next day', async () => {
    await setClock('2026-12-14T17:30');
    await until(() => k.state()!.opening.state === 'closed', 'closed after 17:00');
    expect((await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' })).ok).toBe(false);

    const { week } = unwrap(await boss.send('config:get', {})).hours;
    unwrap(await boss.send('config:setHours', { week, resetTime: '18:00', earlyIssueMinutes: 30 }));
    await setClock('2026-12-14T18:20');
    await until(() => k.state()!.opening.state === 'early', 'the evening on the kiosk');
    expect(k.state()!.opening).toEqual({ state: 'early', opensAt: vn('2026-12-15T07:30'), reason: 'evening' });
    const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    expect(issued.ticket).toMatchObject({ number: 2001, day: '2026-12-15' });

    // A counter still open tonight does not call that citizen with "next" (the kiosk sent them home until 07:30).
    const c1 = await openCounter(hub, 1);
    const next = await c1.send('counter:next', { requestId: rid() });
    expect(next).toEqual({
      ok: false,
      error: {
        code: 'center_closed',
        message:
          'Đã hết giờ làm việc: các số đang chờ là của ngày làm việc tiếp theo, công dân được hẹn lúc 07:30 thứ Ba 15/12. Nếu công dân còn ở đây, dùng "Gọi số…".',
      },
    });
    expect(k.state()!.tickets.find((t) => t.id === issued.ticket.id)?.state).toBe('waiting');
    unwrap(await c1.send('counter:close', {}));
    c1.close();
  });

  it('keeps the early window the admin sets, and refuses a bad one in Vietnamese', async () => {
    const hours = unwrap(await boss.send('config:get', {})).hours;
    expect(hours.earlyIssueMinutes).toBe(30);
    const bad = await boss.send('config:setHours', { ...hours, earlyIssueMinutes: -5 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields?.earlyIssueMinutes).toBe('quá nhỏ (tối thiểu 0)');
    unwrap(await boss.send('config:setHours', { ...hours, earlyIssueMinutes: 60 }));
    expect(unwrap(await boss.send('config:get', {})).hours.earlyIssueMinutes).toBe(60);
    // Tuesday 06:40 is within 60 minutes of 07:30.
    await setClock('2026-12-15T06:40');
    await until(() => k.state()!.opening.state === 'early', 'an hour early');
    expect(k.state()!.opening).toEqual({ state: 'early', opensAt: vn('2026-12-15T07:30'), reason: 'before' });
  });
});
