import { estimateWaitMinutes, meanServiceMs, openingAt, RECENT_VISITS } from '@xephang/core';
import type { LoadByService, Opening } from '@xephang/protocol';
import type { Stores } from './store';

export interface LoadOptions {
  utcOffsetMinutes?: number;
  /** Issue at any hour, the kiosk always open (`--any-hours`, for tests). */
  anyHours?: boolean;
}

/**
 * What the screens are told about waiting: whether the kiosk issues now (the opening), how
 * many wait per field, and the one wait estimate every number states (the kiosk's, the
 * printed ticket's and a reprint's).
 */
export function createLoad(stores: Pick<Stores, 'config' | 'tickets'>, options: LoadOptions = {}) {
  const { config, tickets } = stores;
  const meanCache = new Map<string, number>();
  /** The opening the screens were last sent, so the tick broadcasts only a change. */
  let sentOpening: Opening | undefined;

  function meanMs(serviceId: string): number {
    let mean = meanCache.get(serviceId);
    if (mean === undefined) {
      mean = meanServiceMs(tickets.recentDurations(serviceId, RECENT_VISITS));
      meanCache.set(serviceId, mean);
    }
    return mean;
  }

  function waitMinutes(serviceId: string, ahead: number, openCounters: number, opening: Opening): number | null {
    return opening.state === 'open' ? estimateWaitMinutes(ahead, meanMs(serviceId), openCounters) : null;
  }

  /** Whether the kiosk issues at `now`, by the admin's hours. */
  function openingOf(now: number): Opening {
    if (options.anyHours) return { state: 'open', closesAt: null };
    return openingAt(now, config.openingHours(), options.utcOffsetMinutes);
  }

  return {
    openingOf,

    /**
     * The minutes a newcomer to `serviceId` waits behind `ahead`: null while no counter of the
     * field is open, and outside a session (before opening, at lunch, in the evening), when a
     * counter left open serves nobody until `opensAt` (the kiosk says "phục vụ từ 13:30" instead).
     */
    estimate: (serviceId: string, ahead: number, opening: Opening): number | null =>
      waitMinutes(serviceId, ahead, config.openCountersByService().get(serviceId) ?? 0, opening),

    /** Each field's waiting count, open counters and wait estimate on `day`. */
    loadOf(day: string, opening: Opening): LoadByService {
      const counts = tickets.waitingCounts(day);
      const open = config.openCountersByService();
      const load: LoadByService = {};
      for (const s of config.services()) {
        const waiting = counts.get(s.id) ?? 0;
        const openCounters = open.get(s.id) ?? 0;
        load[s.id] = { waiting, openCounters, estimatedWaitMinutes: waitMinutes(s.id, waiting, openCounters, opening) };
      }
      return load;
    },

    /** A visit of `serviceId` finished: its mean service time is read again when next needed. */
    finished: (serviceId: string): void => void meanCache.delete(serviceId),
    /**
     * After a rollback: means read inside the transaction may count a visit that never finished,
     * and the waiting counts kept may count tickets that were never written.
     */
    forget(): void {
      meanCache.clear();
      tickets.forgetCounts();
    },

    /** The screens were sent `opening` (with a committed broadcast). */
    sent(opening: Opening): void {
      sentOpening = opening;
    },
    /** Whether the opening at `now` differs from the one last sent (the first ask only remembers it). */
    openingChanged(now: number): boolean {
      const opening = openingOf(now);
      sentOpening ??= opening;
      return !sameOpening(opening, sentOpening);
    },
  };
}

export type Load = ReturnType<typeof createLoad>;

/** Field by field: every broadcast remembers its opening, and JSON for the comparison cost a string each time. */
function sameOpening(a: Opening, b: Opening): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}
