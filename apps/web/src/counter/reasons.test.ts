import { describe, expect, it } from '@jest/globals';
import type { CounterView, TicketView } from '@xephang/protocol';
import { reasons, statusText, transferWhy } from './reasons';

const counter = (extra: Partial<CounterView> = {}): CounterView => ({
  id: 3,
  name: 'Quầy 3',
  serviceIds: ['land'],
  status: 'open',
  pauseReason: null,
  clerkId: 1,
  clerkName: 'Nguyễn Văn An',
  ticketId: null,
  servedToday: 0,
  ...extra,
});

const ticket = (extra: Partial<TicketView> = {}): TicketView => ({
  id: 't1',
  number: 1005,
  serviceId: 'land',
  day: '2026-12-07',
  priority: 'normal',
  state: 'called',
  issuedAt: 0,
  counterId: 3,
  targetCounterId: null,
  calledAt: 60_000,
  recalls: 0,
  outcome: null,
  ...extra,
});

const OPEN = { state: 'open', closesAt: null } as const;

describe('the counter buttons: why each cannot be used now', () => {
  it('offers "next" to an open counter with nothing in hand, and nothing that needs a ticket', () => {
    const why = reasons(counter(), undefined, undefined, true, OPEN);
    expect(why.next).toBeUndefined();
    expect(why.pause).toBeUndefined();
    expect(why.recall).toBe('Chưa gọi số nào.');
    expect(why.finish).toBe('Chưa gọi số nào.');
    expect(why.transfer).toBe('Chưa gọi số nào.');
  });

  it('follows core: a called ticket can be recalled, started, finished or marked absent', () => {
    const called = ticket({ state: 'called' });
    const why = reasons(counter({ ticketId: called.id }), called, undefined, true, OPEN);
    expect([why.recall, why.start, why.finish, why.noShow, why.transfer]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(why.next).toBe('Còn số 1005: kết thúc (phím 1–4) hoặc chuyển số này trước.');
  });

  it('follows core: a ticket being served is not recalled, started again or marked absent', () => {
    const serving = ticket({ state: 'serving' });
    const why = reasons(counter({ ticketId: serving.id }), serving, undefined, true, OPEN);
    expect(why.recall).toBe('Số 1005 đang được phục vụ. Không cần gọi lại.');
    expect(why.start).toBe('Đã bắt đầu phục vụ số 1005.');
    expect(why.noShow).toBe('Số 1005 đang được phục vụ. Công dân đã đến.');
    expect(why.finish).toBeUndefined();
    expect(why.close).toBe('Còn số 1005 chưa xong');
  });

  it('says the counter is closed or paused before "next" and "call"', () => {
    expect(reasons(counter({ status: 'closed' }), undefined, undefined, true, OPEN).next).toBe('Quầy đang đóng: bấm "Mở quầy".');
    expect(reasons(counter({ status: 'paused', pauseReason: 'Họp' }), undefined, undefined, true, OPEN).call).toBe('Quầy đang tạm nghỉ: bấm "Tiếp tục" (P).');
    expect(reasons(counter({ status: 'open' }), undefined, undefined, true, OPEN).next).toBeUndefined();
  });

  it('lets an open or paused counter pause (a new reason), not a closed one', () => {
    expect(reasons(counter({ status: 'closed' }), undefined, undefined, true, OPEN).pause).toBe('Quầy đang đóng.');
    expect(reasons(counter({ status: 'paused', pauseReason: 'Họp' }), undefined, undefined, true, OPEN).pause).toBeUndefined();
    expect(reasons(counter({ status: 'open' }), undefined, undefined, true, OPEN).pause).toBeUndefined();
  });

  it('keeps the counter from pausing, closing or logging out while a ticket transferred to it waits', () => {
    const pinned = ticket({ state: 'waiting', counterId: null, targetCounterId: 3, calledAt: null, number: 2007 });
    const why = reasons(counter(), undefined, pinned, true, OPEN);
    expect(why.pause).toBe('Số 2007 được chuyển đến quầy này còn chờ: gọi số này trước.');
    expect(why.logout).toBe('Số 2007 chuyển đến còn chờ');
  });

  it('refuses "next" after an evening reset, and everything while offline', () => {
    const evening = { state: 'early', opensAt: 0, reason: 'evening' } as const;
    expect(reasons(counter(), undefined, undefined, true, evening).next).toBe('Hết giờ làm việc: số đang chờ là của ngày làm việc sau.');
    const offline = reasons(counter(), undefined, undefined, false, OPEN);
    expect(offline.next).toBe('Mất kết nối với máy chủ: chờ kết nối lại.');
    expect(offline.open).toBe(offline.next);
  });
});

describe('transfer targets and counter states', () => {
  it('greys out a closed or paused counter with core rule, and leaves an open one', () => {
    expect(transferWhy(counter())).toBeUndefined();
    expect(transferWhy(counter({ status: 'closed' }))).toBe('Quầy 3 đang đóng: số chuyển đến sẽ không ai gọi.');
    expect(transferWhy(counter({ status: 'paused', pauseReason: 'Họp' }))).toBe('Quầy 3 đang tạm nghỉ (Họp): số chuyển đến sẽ không ai gọi.');
  });

  it('writes a paused counter with its reason', () => {
    expect(statusText(counter({ status: 'paused', pauseReason: 'Nghỉ giải lao' }))).toBe('Tạm nghỉ: Nghỉ giải lao');
    expect(statusText(counter())).toBe('Đang mở');
  });
});
