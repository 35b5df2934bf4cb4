import { describe, expect, it } from '@jest/globals';
import { AHEAD_OF_BUILD_MS, clockLooksWrong, clockWarning, createClockWatch, JUMP_WARNING_MS, KEPT_JUMPS, type ClockFacts } from './clock-watch';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TICK = 15_000;
/** Sunday 6 December 2026, 08:00 in Vietnam. */
const MORNING = Date.parse('2026-12-06T08:00:00+07:00');

/** A PC whose wall clock and steady clock the test moves by hand, and the hub's log. */
function pc(at = MORNING) {
  const clocks = { wall: at, steady: 5 * DAY, hub: at };
  const lines: string[] = [];
  const watch = createClockWatch({ wall: () => clocks.wall, steady: () => clocks.steady, hubNow: () => clocks.hub, log: (l) => lines.push(l) });
  /** Time passes: both clocks move on together (and the hub's with them). */
  const pass = (ms: number) => {
    clocks.wall += ms;
    clocks.steady += ms;
    clocks.hub += ms;
  };
  return { clocks, lines, watch, pass };
}

describe('the clock watch', () => {
  it('sees no jump when the clocks move together, nor under a drift of a few seconds a tick', () => {
    const { clocks, lines, watch, pass } = pc();
    for (let i = 0; i < 4 * 240; i++) {
      pass(TICK);
      // An unsynchronised PC clock drifts; NTP-like slews and a busy event loop move a tick by seconds.
      clocks.wall += i % 2 ? 3_000 : -2_000;
      expect(watch.observe()).toBeUndefined();
    }
    // A tick the event loop delayed by a minute is late on both clocks: no jump.
    pass(60 * MIN);
    expect(watch.observe()).toBeUndefined();
    expect(watch.jumps()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('sees the wall clock jump forward, dates it by the hub and logs it once in Vietnamese', () => {
    const { clocks, lines, watch, pass } = pc();
    pass(TICK);
    watch.observe();
    clocks.wall += 3 * HOUR;
    clocks.hub += 3 * HOUR;
    pass(TICK);
    const jump = watch.observe();
    expect(jump).toEqual({ at: clocks.hub, byMs: 3 * HOUR });
    pass(TICK);
    expect(watch.observe()).toBeUndefined();
    expect(watch.jumps()).toEqual([jump]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('đồng hồ của máy tính vừa nhảy tới 3 giờ');
    expect(lines[0]).toContain('11:00 ngày 06/12/2026');
  });

  it('sees it jump back, even by a little more than the threshold', () => {
    const { clocks, lines, watch, pass } = pc();
    pass(TICK);
    clocks.wall -= 2 * MIN + 1_000;
    expect(watch.observe()?.byMs).toBe(-(2 * MIN + 1_000));
    expect(lines[0]).toContain('nhảy lùi 2 phút');
    // Exactly at the threshold is still drift.
    pass(TICK);
    clocks.wall -= 2 * MIN;
    expect(watch.observe()).toBeUndefined();
  });

  it('counts the sleep of a PC suspended overnight as time passed, not as a jump', () => {
    const { watch, pass } = pc();
    pass(TICK);
    watch.observe();
    // The steady clock (the system's uptime) counts the night asleep like the wall clock does.
    pass(11 * HOUR);
    expect(watch.observe()).toBeUndefined();
  });

  it('keeps the newest 20 jumps, newest first, and warns of those of the last 24 hours only', () => {
    const { clocks, watch, pass } = pc();
    for (let i = 1; i <= KEPT_JUMPS + 5; i++) {
      clocks.wall += i * HOUR;
      pass(TICK);
      watch.observe();
    }
    const jumps = watch.jumps();
    expect(jumps).toHaveLength(KEPT_JUMPS);
    expect(jumps[0]!.byMs).toBe((KEPT_JUMPS + 5) * HOUR);
    expect(jumps.at(-1)!.byMs).toBe(6 * HOUR);
    expect(watch.recentJumps()).toHaveLength(KEPT_JUMPS);
    pass(JUMP_WARNING_MS + 1);
    expect(watch.recentJumps()).toEqual([]);
    expect(watch.jumps()).toHaveLength(KEPT_JUMPS);
  });

  it('under a fake clock, sees the PC clock jump, not the hub clock set by a test', () => {
    const { clocks, watch, pass } = pc();
    // clock:set moves the hub's (fake) clock only: the PC's wall and steady clocks agree.
    clocks.hub += 30 * DAY;
    pass(TICK);
    expect(watch.observe()).toBeUndefined();
    clocks.wall -= HOUR;
    pass(TICK);
    expect(watch.observe()).toEqual({ at: clocks.hub, byMs: -HOUR });
  });
});

describe('whether the PC clock looks wrong', () => {
  const BUILT = Date.parse('2026-11-20T10:00:00+07:00');
  const facts = (over: Partial<ClockFacts>): ClockFacts => ({ pcNow: MORNING, fake: false, newestRecord: MORNING - HOUR, builtAt: BUILT, recentJumps: [], ...over });

  it('looks right when it is after the newest record and the build, and not years ahead', () => {
    expect(clockLooksWrong(facts({}))).toEqual([]);
    expect(clockWarning(facts({}))).toBeNull();
    // A new database: nothing recorded yet.
    expect(clockWarning(facts({ newestRecord: null }))).toBeNull();
    // A minute behind the newest record: someone corrected a clock a minute fast.
    expect(clockWarning(facts({ newestRecord: MORNING + MIN }))).toBeNull();
  });

  it('is wrong when earlier than the newest ticket or visit-log line', () => {
    const [problem] = clockLooksWrong(facts({ newestRecord: MORNING + 2 * DAY }));
    expect(problem).toBe(
      'Đồng hồ của máy tính này đang chỉ 08:00 ngày 06/12/2026, sớm hơn dữ liệu mới nhất trong cơ sở dữ liệu (08:00 ngày 08/12/2026): giờ của máy đã bị lùi hoặc bị đặt sai.',
    );
    const warning = clockWarning(facts({ newestRecord: MORNING + 2 * DAY }))!;
    expect(warning).toContain('Hãy đặt lại ngày và giờ đúng cho máy tính này ngay.');
    expect(warning).toContain('Máy chủ không tự chỉnh giờ và ở đây không có giờ qua Internet');
    expect(warning).toContain('Windows');
    expect(warning).toContain('timedatectl');
    // What is wrong on the first line, then what to do, a line each (the page keeps the breaks).
    expect(warning.split('\n')).toHaveLength(5);
  });

  it('is wrong when earlier than the build: a flat CMOS battery brought back 2001', () => {
    const at2001 = Date.parse('2001-01-01T07:00:00+07:00');
    const problems = clockLooksWrong(facts({ pcNow: at2001, newestRecord: null }));
    expect(problems).toEqual([
      'Đồng hồ của máy tính này đang chỉ 07:00 ngày 01/01/2001, sớm hơn cả lúc phần mềm này được tạo ra (10:00 ngày 20/11/2026): giờ của máy bị đặt sai.',
    ]);
    // With records, the newest record says it (once).
    expect(clockLooksWrong(facts({ pcNow: at2001 }))).toHaveLength(1);
    expect(clockWarning(facts({ pcNow: at2001 }))).toContain('pin CMOS');
  });

  it('is wrong when years ahead of the newest record, or of the build when nothing is recorded', () => {
    const at2031 = Date.parse('2031-06-01T08:00:00+07:00');
    expect(clockLooksWrong(facts({ pcNow: at2031 }))).toEqual([
      'Đồng hồ của máy tính này đang chỉ 08:00 ngày 01/06/2031, muộn hơn dữ liệu mới nhất (07:00 ngày 06/12/2026) tới hơn 4 năm: giờ của máy có lẽ bị đặt sai.',
    ]);
    // A center closed for a few months is fine; a new hub years after its build is too, up to ten.
    expect(clockLooksWrong(facts({ pcNow: MORNING + 200 * DAY }))).toEqual([]);
    expect(clockLooksWrong(facts({ pcNow: at2031, newestRecord: null }))).toEqual([]);
    expect(clockLooksWrong(facts({ pcNow: BUILT + AHEAD_OF_BUILD_MS + DAY, newestRecord: null }))).toHaveLength(1);
  });

  it('under a fake clock, ignores the records (they carry the fake time) but still checks the PC against the build', () => {
    expect(clockLooksWrong(facts({ fake: true, newestRecord: MORNING + 400 * DAY }))).toEqual([]);
    expect(clockLooksWrong(facts({ fake: true, pcNow: Date.parse('2001-01-01T00:00:00Z') }))).toHaveLength(1);
  });

  it('warns of a recent jump even when the clock now looks right, saying a correction needs nothing more', () => {
    const at = MORNING - 10 * MIN;
    const warning = clockWarning(facts({ recentJumps: [{ at, byMs: -HOUR }, { at: at - HOUR, byMs: 2 * HOUR }] }))!;
    expect(warning).toContain('Đồng hồ của máy tính đã nhảy lùi 1 giờ lúc 07:50 ngày 06/12/2026 (và 1 lần nữa trong 24 giờ qua).');
    expect(warning).toContain('Nếu là người ở trung tâm vừa chỉnh giờ cho đúng thì không cần làm gì thêm');
    expect(warning).not.toContain('ngay.');
    // A jump and a clock still wrong: both said, and the order to set it.
    const both = clockWarning(facts({ newestRecord: MORNING + DAY, recentJumps: [{ at, byMs: -DAY }] }))!;
    expect(both).toContain('sớm hơn dữ liệu mới nhất');
    expect(both).toContain('nhảy lùi 1 ngày');
    expect(both).toContain('Hãy đặt lại ngày và giờ đúng cho máy tính này ngay.');
  });
});
