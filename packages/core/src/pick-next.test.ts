import { describe, expect, it } from '@jest/globals';
import type { PriorityClass, PriorityRule } from '@xephang/protocol';
import { describePriorityRule, mayCall, nextNormalsSincePriority, pickNext, waitingFor, type CounterPolicy, type WaitingTicket } from './pick-next';

const T0 = Date.parse('2025-07-10T01:00:00Z'); // 08:00 in Hà Trung

function ticket(id: string, minutes: number, extra: Partial<WaitingTicket> = {}): WaitingTicket {
  return { id, serviceId: 'civil', priority: 'normal', targetCounterId: null, issuedAt: T0 + minutes * 60_000, ...extra };
}

/** The moment "next" is pressed in most tests: early enough that no normal ticket is overdue. */
const NOW = T0 + 60 * 60_000;

/** Of every `n` calls one is a priority ticket. */
const everyN = (every: number): PriorityRule => ({ kind: 'oneInEvery', every });
/** Priority first; a normal ticket that waited more than `minutes` overtakes later priority ones. */
const first = (minutes = 240): PriorityRule => ({ kind: 'priorityFirst', normalMaxWaitMinutes: minutes });

function policy(extra: Partial<CounterPolicy> = {}): CounterPolicy {
  return { counterId: 1, serviceOrder: ['civil'], rule: everyN(3), normalsSincePriority: 0, ...extra };
}

/**
 * Plays a counter pressing "next" until nothing is left for it: each call picks, updates the
 * counter's count as the hub does, and takes the ticket out of the queue.
 */
function callAll(waiting: readonly WaitingTicket[], start: CounterPolicy, now = NOW): WaitingTicket[] {
  let queue = [...waiting];
  let current = start;
  const called: WaitingTicket[] = [];
  for (let guard = 0; guard <= waiting.length; guard++) {
    const next = pickNext(queue, current, now);
    if (!next) return called;
    called.push(next);
    current = { ...current, normalsSincePriority: nextNormalsSincePriority(current, next) };
    queue = queue.filter((t) => t !== next);
  }
  throw new Error('pickNext kept returning tickets');
}

const kinds = (tickets: readonly WaitingTicket[]): string => tickets.map((t) => (t.priority === 'normal' ? 'N' : 'P')).join('');
const ids = (tickets: readonly WaitingTicket[]): string[] => tickets.map((t) => t.id);

/** `normals` normal and `priorities` priority tickets of one service, issued alternately a minute apart. */
function mixedQueue(normals: number, priorities: number): WaitingTicket[] {
  const classes: PriorityClass[] = ['elderly', 'disabled', 'pregnant', 'meritorious', 'child'];
  const out: WaitingTicket[] = [];
  for (let i = 0; i < Math.max(normals, priorities); i++) {
    if (i < priorities) out.push(ticket(`p${i}`, 2 * i, { priority: classes[i % classes.length] ?? 'elderly' }));
    if (i < normals) out.push(ticket(`n${i}`, 2 * i + 1));
  }
  return out;
}

describe('pickNext', () => {
  it('gives nothing when nobody waits', () => {
    expect(pickNext([], policy(), NOW)).toBeUndefined();
  });

  it('calls the earliest ticket first', () => {
    const waiting = [ticket('c', 3), ticket('a', 1), ticket('b', 2)];
    expect(pickNext(waiting, policy(), NOW)?.id).toBe('a');
    expect(ids(callAll(waiting, policy()))).toEqual(['a', 'b', 'c']);
  });

  it('breaks a tie in issue time by id', () => {
    const waiting = [ticket('t2', 1), ticket('t1', 1)];
    expect(pickNext(waiting, policy(), NOW)?.id).toBe('t1');
  });

  describe('tickets transferred to a counter', () => {
    it('come first at that counter, even when issued later and of another service', () => {
      const waiting = [
        ticket('early', 0),
        ticket('early-priority', 1, { priority: 'elderly' }),
        ticket('pinned', 30, { serviceId: 'land', targetCounterId: 1 }),
      ];
      expect(pickNext(waiting, policy({ rule: first() }), NOW)?.id).toBe('pinned');
    });

    it('are called earliest first among themselves', () => {
      const waiting = [ticket('p2', 20, { targetCounterId: 1 }), ticket('p1', 10, { targetCounterId: 1 }), ticket('x', 0)];
      expect(ids(callAll(waiting, policy()))).toEqual(['p1', 'p2', 'x']);
    });

    it('are never called at another counter', () => {
      const waiting = [ticket('for-2', 0, { targetCounterId: 2 })];
      expect(pickNext(waiting, policy({ counterId: 1 }), NOW)).toBeUndefined();
      expect(pickNext(waiting, policy({ counterId: 2 }), NOW)?.id).toBe('for-2');
    });

    it('are skipped by other counters in favour of the open queue', () => {
      const waiting = [ticket('for-2', 0, { targetCounterId: 2 }), ticket('open', 5)];
      expect(pickNext(waiting, policy({ counterId: 1 }), NOW)?.id).toBe('open');
      expect(ids(callAll(waiting, policy({ counterId: 1 })))).toEqual(['open']);
    });

    it('stay pinned even when their priority would be due elsewhere', () => {
      const waiting = [ticket('for-2', 0, { targetCounterId: 2, priority: 'pregnant' })];
      expect(pickNext(waiting, policy({ counterId: 1, rule: first() }), NOW)).toBeUndefined();
    });
  });

  describe("the counter's service order", () => {
    it('calls its first service before its second, whatever the issue times', () => {
      const order = policy({ serviceOrder: ['civil', 'land'] });
      const waiting = [ticket('land-early', 0, { serviceId: 'land' }), ticket('civil-late', 50)];
      expect(pickNext(waiting, order, NOW)?.id).toBe('civil-late');
    });

    it('falls back to the next service when the first has nobody waiting', () => {
      const order = policy({ serviceOrder: ['civil', 'land', 'business'] });
      const waiting = [ticket('biz', 0, { serviceId: 'business' }), ticket('land', 5, { serviceId: 'land' })];
      expect(ids(callAll(waiting, order))).toEqual(['land', 'biz']);
    });

    it('never calls a service the counter does not serve', () => {
      const waiting = [ticket('police', 0, { serviceId: 'police' })];
      expect(pickNext(waiting, policy({ serviceOrder: ['civil', 'land'] }), NOW)).toBeUndefined();
      expect(pickNext(waiting, policy({ serviceOrder: [] }), NOW)).toBeUndefined();
    });

    it('interleaves priority within the chosen service only', () => {
      const order = policy({ serviceOrder: ['civil', 'land'], rule: first() });
      const waiting = [ticket('civil-normal', 5), ticket('land-priority', 0, { serviceId: 'land', priority: 'elderly' })];
      expect(pickNext(waiting, order, NOW)?.id).toBe('civil-normal');
    });
  });

  describe('priority interleave', () => {
    it('one in every 3 calls normal, normal, priority, … over a long queue', () => {
      const called = callAll(mixedQueue(12, 12), policy({ rule: everyN(3) }));
      // 12 normals take 18 calls (6 priorities among them); the 6 priorities left follow.
      expect(kinds(called)).toBe('NNPNNPNNPNNPNNPNNP' + 'PPPPPP');
      expect(called).toHaveLength(24);
    });

    it('keeps each kind in issue order', () => {
      const called = callAll(mixedQueue(12, 12), policy({ rule: everyN(3) }));
      const normals = called.filter((t) => t.priority === 'normal');
      const priorities = called.filter((t) => t.priority !== 'normal');
      expect(ids(normals)).toEqual(Array.from({ length: 12 }, (_, i) => `n${i}`));
      expect(ids(priorities)).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`));
    });

    it('one in every 4 calls three normals between priorities', () => {
      expect(kinds(callAll(mixedQueue(9, 3), policy({ rule: everyN(4) })))).toBe('NNNPNNNPNNNP');
    });

    it('one in every 2 alternates', () => {
      expect(kinds(callAll(mixedQueue(4, 4), policy({ rule: everyN(2) })))).toBe('NPNPNPNP');
    });

    it('priority first calls every priority ticket first while no normal one is overdue', () => {
      const called = callAll(mixedQueue(5, 5), policy({ rule: first() }));
      expect(kinds(called)).toBe('PPPPPNNNNN');
      expect(ids(called)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'n0', 'n1', 'n2', 'n3', 'n4']);
    });

    it('calls a priority ticket before an earlier normal one when it is due', () => {
      const waiting = [ticket('normal-first', 0), ticket('priority-later', 10, { priority: 'child' })];
      expect(pickNext(waiting, policy({ rule: everyN(3), normalsSincePriority: 2 }), NOW)?.id).toBe('priority-later');
      expect(pickNext(waiting, policy({ rule: everyN(3), normalsSincePriority: 1 }), NOW)?.id).toBe('normal-first');
    });

    it('picks up the count the counter already has', () => {
      expect(kinds(callAll(mixedQueue(6, 6), policy({ rule: everyN(3), normalsSincePriority: 2 })))).toBe('PNNPNNPNNPPP');
      expect(kinds(callAll(mixedQueue(6, 6), policy({ rule: everyN(3), normalsSincePriority: 7 })))).toBe('PNNPNNPNNPPP');
    });

    it('treats every priority class alike', () => {
      const classes: PriorityClass[] = ['elderly', 'disabled', 'pregnant', 'meritorious', 'child'];
      for (const priority of classes) {
        const waiting = [ticket('n', 0), ticket('p', 1, { priority })];
        expect(pickNext(waiting, policy({ rule: first() }), NOW)?.id).toBe('p');
      }
    });

    it('does not starve normal tickets when priority ones run out', () => {
      expect(kinds(callAll(mixedQueue(8, 2), policy({ rule: everyN(3) })))).toBe('NNPNNPNNNN');
      expect(kinds(callAll(mixedQueue(3, 0), policy({ rule: first() })))).toBe('NNN');
    });

    it('does not starve priority tickets when normal ones run out', () => {
      expect(kinds(callAll(mixedQueue(2, 5), policy({ rule: everyN(3) })))).toBe('NNPPPPP');
      expect(kinds(callAll(mixedQueue(0, 3), policy({ rule: everyN(6) })))).toBe('PPP');
    });

    it('calls everyone exactly once, for every setting', () => {
      for (const rule of [first(), first(5), everyN(2), everyN(3), everyN(4), everyN(6)]) {
        const waiting = mixedQueue(7, 4);
        const called = callAll(waiting, policy({ rule }), T0 + 20 * 60_000);
        expect([...ids(called)].sort()).toEqual([...ids(waiting)].sort());
      }
    });
  });

  describe('priority first, with a limit on how long a normal ticket waits', () => {
    it('calls an elderly citizen before the normal tickets issued earlier, at a counter that has called nobody yet', () => {
      const waiting = [ticket('n1', 0), ticket('n2', 1), ticket('n3', 2), ticket('elderly', 3, { priority: 'elderly' })];
      expect(pickNext(waiting, policy({ rule: first(30) }), T0 + 10 * 60_000)?.id).toBe('elderly');
    });

    it('calls a normal ticket that waited longer than the limit before priority tickets issued after it', () => {
      const waiting = [ticket('n-old', 0), ticket('p-new', 25, { priority: 'pregnant' })];
      // 30 minutes exactly is not longer than 30: the priority ticket still goes first.
      expect(pickNext(waiting, policy({ rule: first(30) }), T0 + 30 * 60_000)?.id).toBe('p-new');
      expect(pickNext(waiting, policy({ rule: first(30) }), T0 + 30 * 60_000 + 1)?.id).toBe('n-old');
    });

    it('never lets an overdue normal ticket overtake a priority ticket issued before it', () => {
      const waiting = [ticket('p-old', 0, { priority: 'disabled' }), ticket('n-later', 1)];
      expect(pickNext(waiting, policy({ rule: first(5) }), T0 + 120 * 60_000)?.id).toBe('p-old');
    });

    it('serves priority first, then the overdue normals in order, then priority again over fresh normals', () => {
      // Normals at 0, 2, 4, 6; priorities at 1, 3, 5, 7 (minutes). At minute 10 with a 7-minute
      // limit only n0 (10 min) and n1 (8 min) are overdue.
      const waiting = [
        ...[0, 2, 4, 6].map((m) => ticket(`n${m}`, m)),
        ...[1, 3, 5, 7].map((m) => ticket(`p${m}`, m, { priority: 'elderly' })),
      ];
      expect(ids(callAll(waiting, policy({ rule: first(7) }), T0 + 10 * 60_000))).toEqual(['n0', 'p1', 'n2', 'p3', 'p5', 'p7', 'n4', 'n6']);
    });

    it('does not depend on the count of normal tickets since the last priority one', () => {
      const waiting = [ticket('n', 0), ticket('p', 1, { priority: 'child' })];
      for (const normalsSincePriority of [0, 1, 5]) {
        expect(pickNext(waiting, policy({ rule: first(30), normalsSincePriority }), T0 + 10 * 60_000)?.id).toBe('p');
      }
    });

    it('is about each service separately: an overdue normal ticket of a later service waits its turn', () => {
      const order = policy({ serviceOrder: ['civil', 'land'], rule: first(5) });
      const waiting = [ticket('civil-p', 50, { priority: 'elderly' }), ticket('land-n', 0, { serviceId: 'land' })];
      expect(pickNext(waiting, order, T0 + 60 * 60_000)?.id).toBe('civil-p');
    });
  });

  it('does not change the queue or the policy it is given', () => {
    const waiting = Object.freeze(mixedQueue(3, 3).map((t) => Object.freeze(t)));
    const counter = Object.freeze(policy({ serviceOrder: Object.freeze(['civil']) }));
    expect(pickNext(waiting, counter, NOW)?.id).toBe('n0');
    expect(waiting).toEqual(mixedQueue(3, 3));
    expect(counter.normalsSincePriority).toBe(0);
  });
});

describe('nextNormalsSincePriority', () => {
  it('counts a normal ticket', () => {
    expect(nextNormalsSincePriority(policy({ normalsSincePriority: 0 }), { priority: 'normal' })).toBe(1);
    expect(nextNormalsSincePriority(policy({ normalsSincePriority: 4 }), { priority: 'normal' })).toBe(5);
  });

  it('resets after a priority ticket', () => {
    expect(nextNormalsSincePriority(policy({ normalsSincePriority: 4 }), { priority: 'elderly' })).toBe(0);
    expect(nextNormalsSincePriority(policy({ normalsSincePriority: 0 }), { priority: 'child' })).toBe(0);
  });
});

describe('describePriorityRule', () => {
  it('says priority first and the limit, in minutes', () => {
    const text = describePriorityRule(first(30));
    expect(text).toContain('Số ưu tiên (người cao tuổi, người khuyết tật, phụ nữ mang thai');
    expect(text).toContain('được gọi trước số thường');
    expect(text).toContain('đã chờ quá 30 phút được gọi trước các số ưu tiên lấy sau nó.');
  });

  it('says how many normal tickets come between two priority ones', () => {
    expect(describePriorityRule(everyN(4))).toBe(
      'Cứ 4 lượt gọi thì có 1 số ưu tiên: 3 số thường rồi 1 số ưu tiên (khi một loại không còn ai chờ thì gọi loại kia).',
    );
    expect(describePriorityRule(everyN(2))).toContain('1 số thường rồi 1 số ưu tiên');
  });
});

describe('mayCall and waitingFor: the tickets a counter may call', () => {
  const counter = { counterId: 2, serviceOrder: ['civil', 'land'] };

  it('calls its own fields, and a ticket transferred to it whatever its field', () => {
    expect(mayCall({ serviceId: 'land', targetCounterId: null }, counter)).toBe(true);
    expect(mayCall({ serviceId: 'police', targetCounterId: null }, counter)).toBe(false);
    expect(mayCall({ serviceId: 'police', targetCounterId: 2 }, counter)).toBe(true);
  });

  it('leaves a ticket transferred to another counter to that counter, even of its own field', () => {
    expect(mayCall({ serviceId: 'civil', targetCounterId: 5 }, counter)).toBe(false);
  });

  it('lists only waiting tickets, in the order given', () => {
    const tickets = [
      { id: 'a', state: 'waiting' as const, serviceId: 'land', targetCounterId: null },
      { id: 'b', state: 'called' as const, serviceId: 'civil', targetCounterId: null },
      { id: 'c', state: 'waiting' as const, serviceId: 'post', targetCounterId: null },
      { id: 'd', state: 'waiting' as const, serviceId: 'post', targetCounterId: 2 },
      { id: 'e', state: 'waiting' as const, serviceId: 'civil', targetCounterId: 1 },
      { id: 'f', state: 'no_show' as const, serviceId: 'civil', targetCounterId: null },
    ];
    expect(waitingFor(tickets, counter).map((t) => t.id)).toEqual(['a', 'd']);
  });

  it('agrees with pickNext: whatever it picks, the counter may call', () => {
    const waiting = [ticket('x', 1, { serviceId: 'police' }), ticket('y', 2, { targetCounterId: 3 }), ticket('z', 3, { serviceId: 'land' })];
    const p = policy({ counterId: 2, serviceOrder: ['civil', 'land'] });
    const picked = pickNext(waiting, p, NOW);
    expect(picked?.id).toBe('z');
    expect(waiting.filter((t) => mayCall(t, p)).map((t) => t.id)).toEqual(['z']);
  });
});
