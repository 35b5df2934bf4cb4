import { dateTimeVi, durationVi } from '@xephang/core';
import type { ClockJump } from '@xephang/protocol';

/**
 * The PC's clock, watched (issue 17). A commune's hub PC has no internet time: its clock is
 * whatever someone set, or what the board's battery kept. Tickets are numbered per day and the
 * reports and backups are dated by it, so a clock set wrong (a flat CMOS battery brings back
 * 2001) or moved while the hub runs must be said loudly to the admin, with what to do. Pure: the
 * clocks are passed in, so the tests drive them.
 */

/** A step of the wall clock this much longer or shorter than the steady clock's is a jump, not drift. */
export const JUMP_THRESHOLD_MS = 2 * 60_000;
/** The newest jumps kept for the page. */
export const KEPT_JUMPS = 20;
/** How long (steady time) a jump keeps the warning up: the admin opening the page the next morning still sees it. */
export const JUMP_WARNING_MS = 24 * 3_600_000;
/** A clock this much behind the newest record is wrong; a little less is someone correcting a clock a minute fast. */
export const BEHIND_MARGIN_MS = JUMP_THRESHOLD_MS;
const YEAR_MS = 365 * 24 * 3_600_000;
/** A clock more than a year past the newest record is wrong: a center does not stop issuing for a year. */
export const AHEAD_OF_RECORDS_MS = YEAR_MS;
/** With nothing recorded yet, only this far past the build: nobody installs a ten-year-old release. */
export const AHEAD_OF_BUILD_MS = 10 * YEAR_MS;

export interface ClockWatchDeps {
  /** The PC's own clock (Date.now): what moves when someone, or something, sets the time. */
  wall: () => number;
  /**
   * A clock that only moves on, and keeps counting while the PC sleeps: the system's uptime.
   * (`performance.now()` stops during a suspend on Linux: a PC asleep overnight would look like
   * a clock jumping forward each morning.)
   */
  steady: () => number;
  /** The hub's now, to date a jump by (the fake one under --fake-clock). */
  hubNow: () => number;
  log: (line: string) => void;
}

export interface ClockWatch {
  /** Compares both clocks' steps since the last look; a jump is kept and logged, once. */
  observe: () => ClockJump | undefined;
  /** The jumps seen while this hub ran, newest first, at most KEPT_JUMPS. */
  jumps: () => ClockJump[];
  /** The jumps seen in the last JUMP_WARNING_MS (steady time), newest first. */
  recentJumps: () => ClockJump[];
}

/** Watches the PC's wall clock against a steady one; call `observe` at each of the hub's ticks. */
export function createClockWatch(deps: ClockWatchDeps): ClockWatch {
  let last = { wall: deps.wall(), steady: deps.steady() };
  const seen: { jump: ClockJump; steadyAt: number }[] = [];
  const observe = (): ClockJump | undefined => {
    const now = { wall: deps.wall(), steady: deps.steady() };
    const byMs = now.wall - last.wall - (now.steady - last.steady);
    last = now;
    if (Math.abs(byMs) <= JUMP_THRESHOLD_MS) return undefined;
    const jump: ClockJump = { at: deps.hubNow(), byMs };
    seen.unshift({ jump, steadyAt: now.steady });
    seen.length = Math.min(seen.length, KEPT_JUMPS);
    deps.log(
      `CẢNH BÁO: đồng hồ của máy tính vừa nhảy ${byMs > 0 ? 'tới' : 'lùi'} ${durationVi(Math.abs(byMs))} (bây giờ máy chỉ ${dateTimeVi(now.wall)}). ` +
        'Máy chủ không tự chỉnh giờ: nếu không phải người ở trung tâm vừa chỉnh cho đúng, hãy đặt lại ngày giờ của máy tính này.',
    );
    return jump;
  };
  return {
    observe,
    jumps: () => seen.map((s) => s.jump),
    recentJumps: () => {
      const steadyNow = deps.steady();
      return seen.filter((s) => steadyNow - s.steadyAt <= JUMP_WARNING_MS).map((s) => s.jump);
    },
  };
}

/** What the hub knows when it judges the PC's clock. */
export interface ClockFacts {
  /** The PC's own clock now (Date.now). */
  pcNow: number;
  /** The hub runs on a fake clock (tests, demos): its records carry that clock's time, not the PC's. */
  fake: boolean;
  /** The newest time in the database (the latest ticket issued, the latest visit-log line); null when it holds none. */
  newestRecord: number | null;
  /** When this hub's code was built: the PC's time cannot truly be earlier. */
  builtAt: number;
  /** The jumps seen lately (ClockWatch.recentJumps), newest first. */
  recentJumps: readonly ClockJump[];
}

/** The ways a PC's clock looks wrong now, each a Vietnamese sentence; empty when it looks right. */
export function clockLooksWrong(f: ClockFacts): string[] {
  const problems: string[] = [];
  const pc = `Đồng hồ của máy tính này đang chỉ ${dateTimeVi(f.pcNow)}`;
  // Under a fake clock the records carry its time, so only the build and the years say anything of the PC's.
  const newest = f.fake ? null : f.newestRecord;
  if (newest !== null && f.pcNow < newest - BEHIND_MARGIN_MS) {
    problems.push(`${pc}, sớm hơn dữ liệu mới nhất trong cơ sở dữ liệu (${dateTimeVi(newest)}): giờ của máy đã bị lùi hoặc bị đặt sai.`);
  } else if (f.pcNow < f.builtAt) {
    problems.push(`${pc}, sớm hơn cả lúc phần mềm này được tạo ra (${dateTimeVi(f.builtAt)}): giờ của máy bị đặt sai.`);
  }
  const ahead = newest !== null ? { of: newest, by: AHEAD_OF_RECORDS_MS, what: 'dữ liệu mới nhất' } : { of: f.builtAt, by: AHEAD_OF_BUILD_MS, what: 'lúc phần mềm này được tạo ra' };
  if (f.pcNow > ahead.of + ahead.by) {
    const years = Math.floor((f.pcNow - ahead.of) / YEAR_MS);
    problems.push(`${pc}, muộn hơn ${ahead.what} (${dateTimeVi(ahead.of)}) tới hơn ${years} năm: giờ của máy có lẽ bị đặt sai.`);
  }
  return problems;
}

/** How to set the PC's time, said at the end of every clock warning, a line each (the page keeps the line breaks). */
export const SET_THE_CLOCK_VI = [
  'Máy chủ không tự chỉnh giờ và ở đây không có giờ qua Internet: số phiếu theo ngày, báo cáo và bản sao lưu đều theo đồng hồ của máy này.',
  'Windows: Cài đặt (Settings) → Thời gian và ngôn ngữ → Ngày và giờ, tắt "Đặt giờ tự động", bấm "Thay đổi".',
  'Linux: sudo timedatectl set-ntp false, rồi sudo timedatectl set-time "2026-12-06 08:00:00" (thay bằng ngày giờ đúng lúc đó).',
  'Nếu giờ lại sai sau mỗi lần tắt máy, pin CMOS trên bo mạch chủ đã hết: hãy thay pin.',
].join('\n');

/**
 * The page's loud warning about the PC's clock: what looks wrong now and the jumps seen lately,
 * then, on lines of their own, what to do. Null when the clock looks right and has not jumped lately.
 */
export function clockWarning(f: ClockFacts): string | null {
  const wrong = clockLooksWrong(f);
  const [jump, ...others] = f.recentJumps;
  const parts = [...wrong];
  if (jump) {
    const more = others.length ? ` (và ${others.length} lần nữa trong 24 giờ qua)` : '';
    parts.push(`Đồng hồ của máy tính đã nhảy ${jump.byMs > 0 ? 'tới' : 'lùi'} ${durationVi(Math.abs(jump.byMs))} lúc ${dateTimeVi(jump.at)}${more}.`);
    // A jump with a clock that now looks right is most often someone setting it right.
    if (!wrong.length) parts.push('Nếu là người ở trung tâm vừa chỉnh giờ cho đúng thì không cần làm gì thêm; nếu không, hãy kiểm tra lại ngày giờ của máy tính này.');
  } else if (!wrong.length) {
    return null;
  }
  if (wrong.length) parts.push('Hãy đặt lại ngày và giờ đúng cho máy tính này ngay.');
  return `${parts.join(' ')}\n${SET_THE_CLOCK_VI}`;
}
