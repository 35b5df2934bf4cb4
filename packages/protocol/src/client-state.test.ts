import { describe, expect, it } from '@jest/globals';
import { applyEvent, standingCall, type ApplyResult } from './client-state';
import type { ConfigUpdated, CounterUpdated, DayStarted, HubEvent, TicketCalled, TicketIssued } from './events';
import type { ClerkSummary, CounterView, LoadByService, Opening, ServiceView, Snapshot, TicketView } from './views';

const DAY = '2025-07-10';
const T0 = Date.parse('2025-07-10T01:00:00Z'); // 08:00 in Hà Trung

/** Freezes `value` and everything it holds, so any write in the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function ticket(id: string, number: number, extra: Partial<TicketView> = {}): TicketView {
  return {
    id,
    number,
    serviceId: 'civil',
    day: DAY,
    priority: 'normal',
    state: 'waiting',
    issuedAt: T0 + (number % 1000) * 60_000,
    counterId: null,
    targetCounterId: null,
    calledAt: null,
    recalls: 0,
    outcome: null,
    ...extra,
  };
}

function counter(id: number, extra: Partial<CounterView> = {}): CounterView {
  return {
    id,
    name: `Quầy ${id}`,
    serviceIds: ['civil'],
    status: 'open',
    pauseReason: null,
    clerkId: null,
    clerkName: null,
    ticketId: null,
    servedToday: 0,
    ...extra,
  };
}

const SERVICES: ServiceView[] = [
  { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', kind: 'commune', blockStart: 2001, active: true, sortOrder: 1, officialCode: null },
  { id: 'land', nameVi: 'Nông nghiệp – Môi trường – Đất đai', nameEn: 'Agriculture – Environment – Land', kind: 'commune', blockStart: 1001, active: true, sortOrder: 2, officialCode: null },
];

const OPEN: Opening = { state: 'open', closesAt: T0 + 3 * 3_600_000 };

function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    hubId: 'hub-1',
    seq: 10,
    day: DAY,
    centerName: 'Trung tâm phục vụ hành chính công xã Hà Trung',
    notice: '',
    kiosk: { titleVi: 'Xin mời chọn lĩnh vực', titleEn: 'Please choose', note: '' },
    services: SERVICES,
    counters: [counter(1), counter(2), counter(3, { serviceIds: ['land'] })],
    load: { civil: { waiting: 0, openCounters: 1, estimatedWaitMinutes: 0 } },
    opening: OPEN,
    tickets: [],
    recentCalls: [],
    clerks: [{ id: 1, name: 'Nguyễn Thị Lan', counterIds: [1, 2] }],
    ...extra,
  };
}

const LOAD: LoadByService = { civil: { waiting: 3, openCounters: 1, estimatedWaitMinutes: 24 }, land: { waiting: 1, openCounters: 1, estimatedWaitMinutes: 8 } };

function issued(seq: number, t: TicketView): TicketIssued {
  return { type: 'ticket:issued', seq, at: t.issuedAt, load: LOAD, opening: OPEN, ticket: t };
}

function called(seq: number, t: TicketView, counterId: number, at = T0 + seq * 1000): TicketCalled {
  return {
    type: 'ticket:called',
    seq,
    at,
    load: LOAD, opening: OPEN,
    ticket: { ...t, state: 'called', counterId, calledAt: at },
    counter: counter(counterId, { ticketId: t.id, clerkId: 1, clerkName: 'Nguyễn Thị Lan' }),
    recall: false,
  };
}

function applied(result: ApplyResult): Snapshot {
  expect(result.kind).toBe('applied');
  return result.state;
}

const idsOf = (s: Snapshot): string[] => s.tickets.map((t) => t.id);

describe('applyEvent: sequence numbers', () => {
  it('applies the event right after the last one and takes its seq and load', () => {
    const state = deepFreeze(snapshot({ seq: 10 }));
    const next = applied(applyEvent(state, issued(11, ticket('a', 2001))));
    expect(next.seq).toBe(11);
    expect(next.load).toEqual(LOAD);
  });

  it('takes the kiosk opening from every event, and from opening:changed alone', () => {
    const state = deepFreeze(snapshot({ seq: 10 }));
    const closed: Opening = { state: 'closed', opensAt: T0 + 86_400_000 };
    const next = applied(applyEvent(state, { type: 'opening:changed', seq: 11, at: T0, load: LOAD, opening: closed }));
    expect(next.opening).toEqual(closed);
    expect(next.tickets).toBe(state.tickets);
    expect(applied(applyEvent(next, issued(12, ticket('a', 2001)))).opening).toEqual(OPEN);
  });

  it.each([10, 9, 1, 0])('calls seq %i stale when the state is at 10, and changes nothing', (seq) => {
    const state = deepFreeze(snapshot({ seq: 10 }));
    const result = applyEvent(state, issued(seq, ticket('a', 2001)));
    expect(result.kind).toBe('stale');
    expect(result.state).toBe(state);
  });

  it.each([12, 13, 100])('calls seq %i a gap when the state is at 10, and changes nothing', (seq) => {
    const state = deepFreeze(snapshot({ seq: 10 }));
    const result = applyEvent(state, issued(seq, ticket('a', 2001)));
    expect(result.kind).toBe('gap');
    expect(result.state).toBe(state);
  });

  it('accepts a missed event once it is replayed, then refuses the overlapping live one', () => {
    let state = deepFreeze(snapshot({ seq: 10 }));
    const e11 = issued(11, ticket('a', 2001));
    const e12 = issued(12, ticket('b', 2002));
    expect(applyEvent(state, e12).kind).toBe('gap');
    state = applied(applyEvent(state, e11));
    state = applied(applyEvent(state, e12));
    expect(applyEvent(state, e12).kind).toBe('stale');
    expect(idsOf(state)).toEqual(['a', 'b']);
  });
});

describe('applyEvent: tickets', () => {
  it('adds an issued ticket', () => {
    const next = applied(applyEvent(deepFreeze(snapshot()), issued(11, ticket('a', 2001))));
    expect(next.tickets).toEqual([ticket('a', 2001)]);
  });

  it('keeps tickets in issue order, whatever order they arrive in', () => {
    const state = deepFreeze(snapshot({ tickets: [ticket('a', 2001), ticket('c', 2003)] }));
    const next = applied(applyEvent(state, issued(11, ticket('b', 2002))));
    expect(idsOf(next)).toEqual(['a', 'b', 'c']);
    const first = applied(applyEvent(state, issued(11, ticket('z', 2000))));
    expect(idsOf(first)).toEqual(['z', 'a', 'c']);
  });

  it('orders tickets issued at the same moment by id', () => {
    const at = T0 + 5 * 60_000;
    const state = deepFreeze(snapshot({ tickets: [ticket('t1', 2001, { issuedAt: at }), ticket('t3', 1001, { issuedAt: at, serviceId: 'land' })] }));
    const next = applied(applyEvent(state, issued(11, ticket('t2', 2002, { issuedAt: at }))));
    expect(idsOf(next)).toEqual(['t1', 't2', 't3']);
  });

  it('replaces a ticket it already has, in its place, without a duplicate', () => {
    const b = ticket('b', 2002);
    const state = deepFreeze(snapshot({ tickets: [ticket('a', 2001), b, ticket('c', 2003)] }));
    const event: HubEvent = {
      type: 'ticket:started',
      seq: 11,
      at: T0,
      load: LOAD, opening: OPEN,
      ticket: { ...b, state: 'serving', counterId: 2 },
      counter: counter(2, { ticketId: 'b' }),
    };
    const next = applied(applyEvent(state, event));
    expect(idsOf(next)).toEqual(['a', 'b', 'c']);
    expect(next.tickets[1]?.state).toBe('serving');
    expect(next.tickets[1]?.counterId).toBe(2);
  });

  it('keeps a ticket marked no-show (it can be called back)', () => {
    const a = ticket('a', 2001, { state: 'called', counterId: 1 });
    const state = deepFreeze(snapshot({ tickets: [a] }));
    const event: HubEvent = { type: 'ticket:missed', seq: 11, at: T0, load: LOAD, opening: OPEN, ticket: { ...a, state: 'no_show' }, counter: counter(1) };
    expect(applied(applyEvent(state, event)).tickets).toEqual([{ ...a, state: 'no_show' }]);
  });

  it('keeps a transferred ticket, waiting again under its new service', () => {
    const a = ticket('a', 2001, { state: 'serving', counterId: 1 });
    const state = deepFreeze(snapshot({ tickets: [a] }));
    const moved: TicketView = { ...a, state: 'waiting', serviceId: 'land' };
    const event: HubEvent = { type: 'ticket:transferred', seq: 11, at: T0, load: LOAD, opening: OPEN, ticket: moved, counter: counter(1), fromServiceId: 'civil' };
    expect(applied(applyEvent(state, event)).tickets).toEqual([moved]);
  });

  it('drops a finished ticket from the list', () => {
    const a = ticket('a', 2001, { state: 'serving', counterId: 1 });
    const state = deepFreeze(snapshot({ tickets: [a, ticket('b', 2002)] }));
    const event: HubEvent = {
      type: 'ticket:finished',
      seq: 11,
      at: T0,
      load: LOAD, opening: OPEN,
      ticket: { ...a, state: 'done', outcome: 'received' },
      counter: counter(1),
    };
    expect(idsOf(applied(applyEvent(state, event)))).toEqual(['b']);
  });

  it('drops an expired ticket and never adds one it did not have', () => {
    const state = deepFreeze(snapshot({ tickets: [ticket('a', 2001)] }));
    const expired = applied(applyEvent(state, issued(11, ticket('a', 2001, { state: 'expired' }))));
    expect(expired.tickets).toEqual([]);
    const unknownDone = applied(applyEvent(state, issued(11, ticket('x', 2009, { state: 'done' }))));
    expect(idsOf(unknownDone)).toEqual(['a']);
  });
});

describe('applyEvent: calls', () => {
  it('marks the ticket called, records the call and updates the counter', () => {
    const a = ticket('a', 2001);
    const state = deepFreeze(snapshot({ tickets: [a] }));
    const event = called(11, a, 2, T0 + 60_000);
    const next = applied(applyEvent(state, event));
    expect(next.tickets).toEqual([event.ticket]);
    expect(next.recentCalls).toEqual([{ ticketId: 'a', number: 2001, serviceId: 'civil', counterId: 2, at: T0 + 60_000 }]);
    expect(next.counters.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(next.counters[1]).toEqual(event.counter);
    expect(next.counters[0]).toBe(state.counters[0]);
    expect(next.counters[2]).toBe(state.counters[2]);
  });

  it('keeps the 10 newest calls, newest first', () => {
    let state = deepFreeze(snapshot({ seq: 0 }));
    for (let i = 1; i <= 12; i++) state = deepFreeze(applied(applyEvent(state, called(i, ticket(`t${i}`, 2000 + i), 1))));
    expect(state.recentCalls).toHaveLength(10);
    expect(state.recentCalls.map((c) => c.number)).toEqual([2012, 2011, 2010, 2009, 2008, 2007, 2006, 2005, 2004, 2003]);
  });

  it('moves a recalled number to the top at its new time, without a second line', () => {
    const a = ticket('a', 2001);
    const b = ticket('b', 2002);
    let state = deepFreeze(snapshot());
    state = applied(applyEvent(state, called(11, a, 1, T0 + 1000)));
    state = applied(applyEvent(state, called(12, b, 2, T0 + 2000)));
    state = applied(applyEvent(state, { ...called(13, a, 1, T0 + 3000), recall: true }));
    expect(state.recentCalls.map((c) => [c.number, c.counterId, c.at])).toEqual([
      [2001, 1, T0 + 3000],
      [2002, 2, T0 + 2000],
    ]);
    expect(idsOf(state)).toEqual(['a', 'b']);
  });

  it('lists a number called back after a no-show once, at the top', () => {
    const a = ticket('a', 2001);
    let state = deepFreeze(snapshot());
    state = applied(applyEvent(state, called(11, a, 1, T0 + 1000)));
    const missed: HubEvent = { type: 'ticket:missed', seq: 12, at: T0 + 2000, load: LOAD, opening: OPEN, ticket: { ...a, state: 'no_show', counterId: 1 }, counter: counter(1) };
    state = applied(applyEvent(state, missed));
    state = applied(applyEvent(state, called(13, ticket('b', 2002), 1, T0 + 3000)));
    state = applied(applyEvent(state, { ...called(14, a, 1, T0 + 4000), recall: true }));
    expect(state.recentCalls.map((c) => [c.number, c.at])).toEqual([
      [2001, T0 + 4000],
      [2002, T0 + 3000],
    ]);
  });

  it('keeps a line per counter when a transferred number is called at another counter', () => {
    const a = ticket('a', 2001);
    let state = deepFreeze(snapshot());
    state = applied(applyEvent(state, called(11, a, 1, T0 + 1000)));
    state = applied(applyEvent(state, called(12, a, 3, T0 + 2000)));
    expect(state.recentCalls.map((c) => [c.number, c.counterId])).toEqual([
      [2001, 3],
      [2001, 1],
    ]);
  });

  it('keeps 10 lines when a recall moves a line from the bottom, as the hub does', () => {
    let state = deepFreeze(snapshot({ seq: 0 }));
    for (let i = 1; i <= 10; i++) state = deepFreeze(applied(applyEvent(state, called(i, ticket(`t${i}`, 2000 + i), 1))));
    state = applied(applyEvent(state, { ...called(11, ticket('t1', 2001), 1), recall: true }));
    expect(state.recentCalls.map((c) => c.number)).toEqual([2001, 2010, 2009, 2008, 2007, 2006, 2005, 2004, 2003, 2002]);
  });
});

describe('applyEvent: counters', () => {
  it('replaces only the counter that changed', () => {
    const state = deepFreeze(snapshot({ tickets: [ticket('a', 2001)] }));
    const paused = counter(3, { serviceIds: ['land'], status: 'paused', pauseReason: 'Họp giao ban' });
    const event: CounterUpdated = { type: 'counter:updated', seq: 11, at: T0, load: LOAD, opening: OPEN, counter: paused };
    const next = applied(applyEvent(state, event));
    expect(next.counters).toEqual([counter(1), counter(2), paused]);
    expect(next.tickets).toEqual(state.tickets);
    expect(next.recentCalls).toEqual([]);
  });
});

describe('applyEvent: day:started', () => {
  const yesterday = '2025-07-09';
  const old = [
    ticket('old-waiting', 2001, { day: yesterday, issuedAt: T0 - 86_400_000 }),
    ticket('old-no-show', 2002, { day: yesterday, state: 'no_show', issuedAt: T0 - 86_300_000 }),
    ticket('old-called', 2003, { day: yesterday, state: 'called', counterId: 1, issuedAt: T0 - 86_200_000 }),
    ticket('old-serving', 2004, { day: yesterday, state: 'serving', counterId: 2, issuedAt: T0 - 86_100_000 }),
  ];
  const today = [ticket('new-waiting', 2001, { day: DAY }), ticket('new-no-show', 2002, { day: DAY, state: 'no_show' })];

  it("drops earlier days' waiting and no-show tickets and keeps called and serving ones", () => {
    const state = deepFreeze(snapshot({ day: yesterday, tickets: [...old, ...today] }));
    const counters = state.counters.map((c) => ({ ...c, servedToday: 0 }));
    const event: DayStarted = { type: 'day:started', seq: 11, at: T0, load: LOAD, opening: OPEN, day: DAY, expired: 2, counters };
    const next = applied(applyEvent(state, event));
    expect(next.day).toBe(DAY);
    expect(idsOf(next)).toEqual(['old-called', 'old-serving', 'new-waiting', 'new-no-show']);
    expect(next.counters).toEqual(counters);
  });

  it("forgets the earlier day's calls", () => {
    const recentCalls = [{ ticketId: 'old-called', number: 2003, serviceId: 'civil', counterId: 1, at: T0 - 86_000_000 }];
    const state = deepFreeze(snapshot({ day: yesterday, tickets: old, recentCalls }));
    const event: DayStarted = { type: 'day:started', seq: 11, at: T0, load: LOAD, opening: OPEN, day: DAY, expired: 2, counters: state.counters };
    expect(applied(applyEvent(state, event)).recentCalls).toEqual([]);
  });
});

describe('applyEvent: config:updated', () => {
  it('replaces the name, notice, services, counters and clerks, and keeps the queue', () => {
    const tickets = [ticket('a', 2001)];
    const state = deepFreeze(snapshot({ tickets }));
    const services: ServiceView[] = [{ ...SERVICES[0]!, nameVi: 'Tư pháp – Hộ tịch (mới)' }];
    const counters = [counter(1, { serviceIds: ['civil', 'land'] })];
    const clerks: ClerkSummary[] = [{ id: 2, name: 'Trần Văn Minh', counterIds: [1] }];
    const event: ConfigUpdated = {
      type: 'config:updated',
      seq: 11,
      at: T0,
      load: LOAD, opening: OPEN,
      centerName: 'Trung tâm PVHCC xã Hà Trung',
      notice: 'Chiều thứ Bảy nghỉ',
      kiosk: { titleVi: 'Mời chọn việc cần làm', titleEn: 'Choose', note: 'Hồ sơ đất đai nhận đến 16 giờ' },
      services,
      counters,
      clerks,
    };
    const next = applied(applyEvent(state, event));
    expect(next.centerName).toBe('Trung tâm PVHCC xã Hà Trung');
    expect(next.notice).toBe('Chiều thứ Bảy nghỉ');
    expect(next.kiosk).toEqual(event.kiosk);
    expect(next.services).toEqual(services);
    expect(next.counters).toEqual(counters);
    expect(next.clerks).toEqual(clerks);
    expect(next.tickets).toEqual(tickets);
    expect(next.hubId).toBe('hub-1');
  });
});

describe('applyEvent: purity', () => {
  it('never mutates the state or the event, for every kind of event', () => {
    const a = ticket('a', 2001, { state: 'called', counterId: 1 });
    const b = ticket('b', 2002);
    const base = snapshot({
      tickets: [a, b, ticket('old', 2000, { day: '2025-07-09' })],
      recentCalls: [{ ticketId: 'a', number: 2001, serviceId: 'civil', counterId: 1, at: T0 }],
    });
    const events: HubEvent[] = [
      issued(11, ticket('c', 2003)),
      called(11, b, 2),
      { type: 'ticket:started', seq: 11, at: T0, load: LOAD, opening: OPEN, ticket: { ...a, state: 'serving' }, counter: counter(1) },
      { type: 'ticket:finished', seq: 11, at: T0, load: LOAD, opening: OPEN, ticket: { ...a, state: 'done' }, counter: counter(1) },
      { type: 'ticket:missed', seq: 11, at: T0, load: LOAD, opening: OPEN, ticket: { ...a, state: 'no_show' }, counter: counter(1) },
      { type: 'ticket:transferred', seq: 11, at: T0, load: LOAD, opening: OPEN, ticket: { ...a, state: 'waiting' }, counter: counter(1), fromServiceId: 'civil' },
      { type: 'counter:updated', seq: 11, at: T0, load: LOAD, opening: OPEN, counter: counter(2, { status: 'closed' }) },
      { type: 'day:started', seq: 11, at: T0, load: LOAD, opening: OPEN, day: '2025-07-11', expired: 1, counters: [] },
      { type: 'config:updated', seq: 11, at: T0, load: LOAD, opening: OPEN, centerName: 'X', notice: 'Y', kiosk: { titleVi: 'T', titleEn: 'T', note: '' }, services: [], counters: [], clerks: [] },
    ];
    for (const event of events) {
      const state = deepFreeze(structuredClone(base));
      const frozenEvent = deepFreeze(structuredClone(event));
      const result = applyEvent(state, frozenEvent);
      expect(result.kind).toBe('applied');
      expect(result.state).not.toBe(state);
      expect(state).toEqual(base);
      expect(frozenEvent).toEqual(event);
    }
  });

  it('ends with what the hub has after a morning of events', () => {
    let state = deepFreeze(snapshot({ seq: 0 }));
    const a = ticket('a', 2001);
    const b = ticket('b', 2002, { priority: 'elderly' });
    const c = ticket('c', 1001, { serviceId: 'land' });
    const callB = called(4, b, 1);
    const events: HubEvent[] = [
      issued(1, a),
      issued(2, c),
      issued(3, b),
      callB,
      { type: 'ticket:started', seq: 5, at: T0, load: LOAD, opening: OPEN, ticket: { ...callB.ticket, state: 'serving' }, counter: callB.counter },
      called(6, a, 2),
      { type: 'ticket:finished', seq: 7, at: T0, load: LOAD, opening: OPEN, ticket: { ...callB.ticket, state: 'done', outcome: 'guidance' }, counter: counter(1) },
    ];
    for (const event of events) state = deepFreeze(applied(applyEvent(state, event)));
    expect(state.seq).toBe(7);
    expect(state.tickets.map((t) => [t.id, t.state])).toEqual([
      ['a', 'called'],
      ['c', 'waiting'],
    ]);
    expect(state.recentCalls.map((r) => [r.number, r.counterId])).toEqual([
      [2001, 2],
      [2002, 1],
    ]);
    expect(state.counters[0]).toEqual(counter(1));
  });
});

describe('standingCall: the call the TV box and a counter display show', () => {
  /** Plays `events` from an empty morning, as a screen receives them. */
  function play(...events: ((seq: number) => HubEvent)[]): Snapshot {
    let state = deepFreeze(snapshot({ seq: 0 }));
    events.forEach((e, i) => (state = deepFreeze(applied(applyEvent(state, e(i + 1))))));
    return state;
  }
  const a = ticket('a', 2001);
  const b = ticket('b', 2002);
  const callA = (seq: number) => called(seq, a, 1, T0 + seq * 1000);
  const callB = (seq: number) => called(seq, b, 2, T0 + seq * 1000);
  const onA = (type: 'ticket:started' | 'ticket:finished' | 'ticket:missed', state: TicketView['state']) => (seq: number): HubEvent => ({
    type,
    seq,
    at: T0 + seq * 1000,
    load: LOAD, opening: OPEN,
    ticket: { ...a, state, counterId: 1, calledAt: T0 + 1000 },
    counter: counter(1),
  });

  it('is the newest call while its ticket is called, then while it is served', () => {
    const state = play(callA, callB);
    expect(standingCall(state)?.id).toBe('b');
    expect(standingCall(state, 1)?.id).toBe('a');
    expect(standingCall(state, 2)?.id).toBe('b');
    expect(standingCall(state, 3)).toBeUndefined();
    expect(standingCall(play(callA, onA('ticket:started', 'serving')))?.id).toBe('a');
  });

  it('is none once the ticket is transferred away, marked absent or finished', () => {
    const transferred = (seq: number): HubEvent => ({
      type: 'ticket:transferred',
      seq,
      at: T0,
      load: LOAD, opening: OPEN,
      ticket: { ...a, state: 'waiting', serviceId: 'land', counterId: 1 },
      counter: counter(1),
      fromServiceId: 'civil',
    });
    for (const end of [transferred, onA('ticket:missed', 'no_show'), onA('ticket:finished', 'done')]) {
      const state = play(callA, end);
      expect(state.recentCalls.map((r) => r.number)).toEqual([2001]);
      expect(standingCall(state)).toBeUndefined();
      expect(standingCall(state, 1)).toBeUndefined();
    }
  });

  it('falls back to an older call that still stands, not to a stale newer one', () => {
    const state = play(callA, callB, (seq) => ({
      type: 'ticket:missed',
      seq,
      at: T0,
      load: LOAD, opening: OPEN,
      ticket: { ...b, state: 'no_show', counterId: 2 },
      counter: counter(2),
    }));
    expect(standingCall(state)?.id).toBe('a');
  });

  it('follows a transferred number to the counter that called it next', () => {
    const state = play(callA, (seq) => called(seq, a, 3, T0 + seq * 1000));
    expect(standingCall(state)).toMatchObject({ id: 'a', counterId: 3 });
    expect(standingCall(state, 1)).toBeUndefined();
    expect(standingCall(state, 3)?.id).toBe('a');
  });

  it('takes the order of the calls, not the clock, when two calls share a millisecond', () => {
    const state = play(
      (seq) => called(seq, a, 1, T0),
      (seq) => called(seq, b, 2, T0),
    );
    expect(standingCall(state)?.id).toBe('b');
    expect(standingCall(play((seq) => called(seq, b, 2, T0), (seq) => called(seq, a, 1, T0)))?.id).toBe('a');
  });

  it('is a recalled number again, at the top', () => {
    const state = play(callA, callB, (seq) => ({ ...called(seq, a, 1, T0 + seq * 1000), recall: true }));
    expect(standingCall(state)?.id).toBe('a');
  });

  it('keeps a long visit that left the list of the last calls', () => {
    const calls = Array.from({ length: 10 }, (_, i) => (seq: number) => called(seq, ticket(`x${i}`, 2100 + i), 2, T0 + seq * 1000));
    // Counter 2 calls and finishes ten numbers while counter 1 still serves 2001.
    const finishes = calls.map((_, i) => (seq: number): HubEvent => ({
      type: 'ticket:finished',
      seq,
      at: T0 + seq * 1000,
      load: LOAD, opening: OPEN,
      ticket: { ...ticket(`x${i}`, 2100 + i), state: 'done', counterId: 2 },
      counter: counter(2),
    }));
    const state = play(callA, ...calls.flatMap((c, i) => [c, finishes[i]!]));
    expect(state.recentCalls.some((r) => r.ticketId === 'a')).toBe(false);
    expect(standingCall(state)?.id).toBe('a');
    expect(standingCall(state, 1)?.id).toBe('a');
  });

  it("is none on a new morning, even for yesterday's number left open at a counter", () => {
    const yesterday = '2025-07-09';
    const left = ticket('old', 2009, { day: yesterday, state: 'called', counterId: 1, calledAt: T0 - 86_000_000 });
    let state = deepFreeze(
      snapshot({ day: yesterday, tickets: [left], recentCalls: [{ ticketId: 'old', number: 2009, serviceId: 'civil', counterId: 1, at: T0 - 86_000_000 }] }),
    );
    expect(standingCall(state)?.id).toBe('old');
    state = applied(applyEvent(state, { type: 'day:started', seq: 11, at: T0, load: LOAD, opening: OPEN, day: DAY, expired: 0, counters: state.counters }));
    expect(idsOf(state)).toEqual(['old']);
    expect(standingCall(state)).toBeUndefined();
    expect(standingCall(state, 1)).toBeUndefined();
    // Called again this morning, it stands again.
    state = applied(applyEvent(state, { ...called(12, left, 1, T0 + 1000), recall: true }));
    expect(standingCall(state)?.id).toBe('old');
  });
});
