import { describe, expect, it } from '@jest/globals';
import { TICKET_STATES, type TicketState } from '@xephang/protocol';
import { QueueError } from './errors';
import { allows, startOnFinish, stateName, transition, type TicketAction } from './state-machine';

const ACTIONS: readonly TicketAction[] = ['call', 'recall', 'start', 'finish', 'noShow', 'recallMissed', 'transfer', 'expire'];

/**
 * The documented life of a ticket, written out by hand: waiting → called → serving → done;
 * called → no_show, which can be called back; transfer sends a called or served ticket back
 * to waiting (in another service or at another counter); waiting and no_show expire at day end.
 * `null` marks a move the queue refuses.
 */
const EXPECTED: Record<TicketState, Record<TicketAction, TicketState | null>> = {
  waiting: {
    call: 'called',
    recall: null,
    start: null,
    finish: null,
    noShow: null,
    recallMissed: null,
    transfer: null,
    expire: 'expired',
  },
  called: {
    call: null,
    recall: 'called',
    start: 'serving',
    finish: 'done',
    noShow: 'no_show',
    recallMissed: null,
    transfer: 'waiting',
    expire: null,
  },
  serving: {
    call: null,
    recall: null,
    start: null,
    finish: 'done',
    noShow: null,
    recallMissed: null,
    transfer: 'waiting',
    expire: null,
  },
  done: {
    call: null,
    recall: null,
    start: null,
    finish: null,
    noShow: null,
    recallMissed: null,
    transfer: null,
    expire: null,
  },
  no_show: {
    call: null,
    recall: null,
    start: null,
    finish: null,
    noShow: null,
    recallMissed: 'called',
    transfer: null,
    expire: 'expired',
  },
  expired: {
    call: null,
    recall: null,
    start: null,
    finish: null,
    noShow: null,
    recallMissed: null,
    transfer: null,
    expire: null,
  },
};

const STATE_VI: Record<TicketState, string> = {
  waiting: 'đang chờ',
  called: 'đang được gọi',
  serving: 'đang được phục vụ',
  done: 'đã xong',
  no_show: 'vắng mặt',
  expired: 'đã hết hạn',
};

const ACTION_VI: Record<TicketAction, string> = {
  call: 'gọi',
  recall: 'gọi lại',
  recallMissed: 'gọi lại số vắng mặt',
  start: 'bắt đầu phục vụ',
  finish: 'kết thúc',
  noShow: 'báo vắng mặt',
  transfer: 'chuyển',
  expire: 'cho hết hạn',
};

const ALL_PAIRS = TICKET_STATES.flatMap((from) => ACTIONS.map((action) => ({ from, action, to: EXPECTED[from][action] })));
const LEGAL = ALL_PAIRS.filter((p) => p.to !== null);
const ILLEGAL = ALL_PAIRS.filter((p) => p.to === null);

function refusal(number: number, from: TicketState, action: TicketAction): QueueError {
  try {
    transition(number, from, action);
  } catch (error) {
    if (error instanceof QueueError) return error;
    throw error;
  }
  throw new Error(`expected ${action} from ${from} to be refused`);
}

describe('transition', () => {
  it('covers every (state, action) pair', () => {
    expect(ALL_PAIRS).toHaveLength(TICKET_STATES.length * ACTIONS.length);
    expect(ALL_PAIRS).toHaveLength(48);
    expect(LEGAL).toHaveLength(11);
  });

  it.each(LEGAL)('$from --$action--> $to', ({ from, action, to }) => {
    expect(transition(1005, from, action)).toBe(to);
  });

  it.each(ILLEGAL)('$from --$action--> refused', ({ from, action }) => {
    const error = refusal(2017, from, action);
    expect(error.code).toBe('illegal_transition');
    expect(error.name).toBe('QueueError');
    expect(error.message).toContain(`Không thể ${ACTION_VI[action]} số 2017 vì số này ${STATE_VI[from]}.`);
  });

  it('names what is allowed from an open state', () => {
    expect(refusal(1005, 'waiting', 'finish').message).toBe(
      'Không thể kết thúc số 1005 vì số này đang chờ. Với số này chỉ có thể: gọi, cho hết hạn.',
    );
    expect(refusal(3002, 'no_show', 'start').message).toBe(
      'Không thể bắt đầu phục vụ số 3002 vì số này vắng mặt. Với số này chỉ có thể: gọi lại số vắng mặt, cho hết hạn.',
    );
  });

  it('lists, for each open state, exactly the actions the table allows', () => {
    for (const from of TICKET_STATES) {
      const allowed = ACTIONS.filter((a) => EXPECTED[from][a] !== null);
      const refused = ACTIONS.find((a) => EXPECTED[from][a] === null);
      if (allowed.length === 0 || refused === undefined) continue;
      const message = refusal(4001, from, refused).message;
      const hint = message.slice(message.indexOf('Với số này chỉ có thể: '));
      expect(hint).toBe(`Với số này chỉ có thể: ${allowed.map((a) => ACTION_VI[a]).join(', ')}.`);
    }
  });

  it.each(['done', 'expired'] as const)('says a %s ticket is closed for good', (from) => {
    for (const action of ACTIONS) {
      const message = refusal(7003, from, action).message;
      expect(message).toContain('Số này đã khép lại, không thao tác được nữa.');
      expect(message).not.toContain('chỉ có thể');
    }
  });

  it('walks a whole visit: issued, called, missed, called back, served, transferred, served, done', () => {
    let state: TicketState = 'waiting';
    for (const action of ['call', 'recall', 'noShow', 'recallMissed', 'start', 'transfer', 'call', 'start', 'finish'] as const) {
      state = transition(1005, state, action);
    }
    expect(state).toBe('done');
  });
});

describe('allows', () => {
  it.each(ALL_PAIRS)('$from --$action--> $to', ({ from, action, to }) => {
    expect(allows(from, action)).toBe(to !== null);
  });
});

describe('startOnFinish', () => {
  it('records the start at the call when a called visit is finished without "Bắt đầu phục vụ"', () => {
    expect(startOnFinish({ state: 'called', calledAt: 1_000 })).toBe(1_000);
  });

  it('keeps the start the clerk pressed', () => {
    expect(startOnFinish({ state: 'serving', calledAt: 1_000 })).toBeUndefined();
  });

  it('refuses a called ticket without a call time (a broken row), rather than inventing a start', () => {
    expect(() => startOnFinish({ state: 'called', calledAt: null })).toThrow(QueueError);
  });

  it('finishing from called then serving: the two-key visit (outcome, next) is legal', () => {
    expect(transition(2001, transition(2001, 'waiting', 'call'), 'finish')).toBe('done');
  });
});

describe('stateName', () => {
  it.each(TICKET_STATES.map((s) => [s, STATE_VI[s]] as const))('%s is "%s"', (state, name) => {
    expect(stateName(state)).toBe(name);
  });
});
