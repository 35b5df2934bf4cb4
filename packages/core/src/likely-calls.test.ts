import { describe, expect, it } from '@jest/globals';
import type { PriorityClass, PriorityRule } from '@xephang/protocol';
import { likelyCalls, nextCandidates, type LikelyCounter } from './likely-calls';
import { pickNext, type WaitingTicket } from './pick-next';

const T0 = Date.parse('2025-07-10T01:00:00Z');

function ticket(id: string, minutes: number, extra: Partial<WaitingTicket> = {}): WaitingTicket {
  return { id, serviceId: 'civil', priority: 'normal', targetCounterId: null, issuedAt: T0 + minutes * 60_000, ...extra };
}

const counter = (id: number, serviceIds: string[], status: LikelyCounter['status'] = 'open'): LikelyCounter => ({ id, status, serviceIds });

describe('nextCandidates', () => {
  const waiting = [
    ticket('c2', 2),
    ticket('c1', 1),
    ticket('p1', 3, { priority: 'elderly' }),
    ticket('l1', 0, { serviceId: 'land' }),
    ticket('l0', 5, { serviceId: 'land', priority: 'disabled' }),
    ticket('x9', 9, { targetCounterId: 9 }),
    ticket('t4', 8, { targetCounterId: 4, serviceId: 'post' }),
    ticket('t3', 7, { targetCounterId: 4, serviceId: 'land' }),
  ];

  it('gives the earliest transferred to the counter, then per field in its order the earliest priority and normal ticket', () => {
    expect(nextCandidates(waiting, { counterId: 4, serviceOrder: ['land', 'civil'] }).map((t) => t.id)).toEqual(['t3', 'l0', 'l1', 'p1', 'c1']);
    expect(nextCandidates(waiting, { counterId: 1, serviceOrder: ['civil'] }).map((t) => t.id)).toEqual(['p1', 'c1']);
    expect(nextCandidates(waiting, { counterId: 2, serviceOrder: ['police'] })).toEqual([]);
  });

  it('holds whatever pickNext calls, for any turn count, rule and clock', () => {
    const rules: PriorityRule[] = [
      { kind: 'oneInEvery', every: 3 },
      { kind: 'oneInEvery', every: 1 },
      { kind: 'priorityFirst', normalMaxWaitMinutes: 1 },
      { kind: 'priorityFirst', normalMaxWaitMinutes: 600 },
    ];
    const kinds: PriorityClass[] = ['normal', 'elderly', 'pregnant'];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 300; round++) {
      const queue = Array.from({ length: random(12) }, (_, i) =>
        ticket(`t${round}-${i}`, random(60), {
          serviceId: ['civil', 'land', 'post'][random(3)]!,
          priority: kinds[random(3)]!,
          targetCounterId: random(5) === 0 ? 1 + random(3) : null,
        }),
      );
      const policy = { counterId: 1 + random(3), serviceOrder: ['land', 'civil', 'post'].slice(random(3)), rule: rules[random(4)]!, normalsSincePriority: random(4) };
      const picked = pickNext(queue, policy, T0 + random(120) * 60_000);
      const candidates = nextCandidates(queue, policy);
      if (picked) expect(candidates).toContain(picked);
      else expect(candidates).toEqual([]);
      // Applied again to its own result, or to a superset (the hub's indexed reads), it gives the same.
      expect(nextCandidates(candidates, policy)).toEqual(candidates);
    }
  });
});

describe('likelyCalls', () => {
  it('takes each counter’s first candidate, open counters before paused ones, then each one’s second; closed counters none', () => {
    const waiting = [ticket('c1', 1), ticket('p1', 2, { priority: 'elderly' }), ticket('l1', 3, { serviceId: 'land' })];
    const counters = [counter(1, ['civil']), counter(2, ['civil'], 'paused'), counter(3, ['land']), counter(6, ['land', 'civil']), counter(7, ['civil'], 'closed')];
    const calls = likelyCalls(counters, () => waiting).map((c) => `${c.ticket.id}@${c.counterId}`);
    expect(calls).toEqual(['p1@1', 'l1@3', 'l1@6', 'p1@2', 'c1@1', 'p1@6', 'c1@2', 'c1@6']);
  });

  it('asks each counter for its own waiting tickets when given them apart', () => {
    const byCounter = new Map([
      [1, [ticket('a', 1)]],
      [3, [ticket('b', 2, { serviceId: 'land' })]],
    ]);
    const asked: number[] = [];
    const calls = likelyCalls([counter(1, ['civil']), counter(3, ['land'])], (c) => {
      asked.push(c.id);
      return byCounter.get(c.id) ?? [];
    });
    expect(asked).toEqual([1, 3]);
    expect(calls.map((c) => `${c.ticket.id}@${c.counterId}`)).toEqual(['a@1', 'b@3']);
  });
});
