import { serviceDay } from '@xephang/core';
import { counterView } from './store/config-store';
import type { Stores } from './store';
import type { Emit } from './commit';

/** Broadcasts kept for catching up; older ones are pruned when the day turns. */
const KEEP_BROADCASTS = 20_000;
const KEEP_REPLIES_MS = 3 * 24 * 3_600_000;
const DAY_MS = 86_400_000;

export interface DayOptions {
  utcOffsetMinutes?: number;
  /** Where a technician reads what went wrong (the hub's log). */
  log?: (line: string) => void;
  emit: Emit;
  /** Inside the turn's transaction, once the new day is set (the citizen IDs' marks go: citizen-ids.ts). */
  turned?: () => void;
}

/**
 * The queue's service day: the day a command at `now` is on, and the turn to a new one, which
 * expires what still waits from earlier days. Runs inside the commit runner's transaction.
 */
export function createDay(stores: Pick<Stores, 'config' | 'tickets' | 'broadcasts' | 'replies'>, options: DayOptions) {
  const { config, tickets } = stores;
  let currentDay = config.meta('day');

  /**
   * The service day at `now` by the admin's reset time, but not the day before the one the
   * queue is on: a reset moved later, or a clock put back a little, must not number tickets
   * under a day that already ended. A clock more than a day behind is followed (a hub PC
   * whose clock once ran ahead must not stay on that date), and the hub says so on its log.
   */
  function dayAt(now: number): string {
    const day = serviceDay(now, options.utcOffsetMinutes, config.resetMinutes());
    if (currentDay === undefined || day >= currentDay) return day;
    return Date.parse(`${currentDay}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`) <= DAY_MS ? currentDay : day;
  }

  /** On the first command of a new day: expire what still waits from earlier days. */
  function rollover(now: number): void {
    const day = dayAt(now);
    if (day === currentDay) return;
    if (currentDay !== undefined && day < currentDay) {
      options.log?.(
        `CẢNH BÁO: đồng hồ máy chủ lùi về ngày ${day}, trước ngày hàng đợi đang chạy (${currentDay}). Hàng đợi theo ngày ${day}; ` +
          `các số cấp cho ngày ${currentDay} không còn được gọi. Hãy kiểm tra ngày giờ của máy chủ.`,
      );
    }
    const expired = tickets.expireBefore(day);
    config.setMeta('day', day);
    currentDay = day;
    options.turned?.();
    stores.broadcasts.prune(stores.broadcasts.lastSeq() - KEEP_BROADCASTS);
    stores.replies.prune(now - KEEP_REPLIES_MS);
    options.emit(
      { type: 'day:started', at: now, day, expired: expired.length, counters: config.counters().map(counterView) },
      { type: 'day:started', at: now, detail: { day, expired: expired.length } },
      ...expired.map((t) => ({ type: 'ticket:expired' as const, at: now, ticketId: t.id, serviceId: t.service_id })),
    );
  }

  return {
    dayAt,
    rollover,
    /** The day the queue is on: after a commit, the one it committed (the backups watch it turn). */
    current: (): string | undefined => currentDay,
    /** After a rollback: the day is what the database says, not what the failed command set. */
    reload(): void {
      currentDay = config.meta('day');
    },
  };
}

export type Day = ReturnType<typeof createDay>;
