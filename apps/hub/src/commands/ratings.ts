import { QueueError } from '@xephang/core';
import {
  DEFAULT_RATING_SETTINGS,
  REASON_MAX_SCORE,
  RatingSettingsSchema,
  type OfficialScore,
  type ParsedCommand,
  type PendingRating,
  type RatingDetailReply,
  type RatingReply,
  type RatingSettings,
  type Trips,
} from '@xephang/protocol';
import type { Actor, Result, Run } from '../commit';
import type { Stores } from '../store';
import type { Changes } from './changes';

/** How long after a visit ends its citizen may still rate it (the tablet itself closes sooner). */
export const RATING_WINDOW_MS = 3 * 60_000;

/** Where the admin's rating settings are kept (the `meta` table, through the config store). */
const SETTINGS_KEY = 'rating_settings';

/**
 * The rating tablet's commands: which visit it may ask about, the citizen's score, then its
 * reason and trips; and the admin's wording of the levels and list of reasons.
 */
export function createRatingCommands(deps: { stores: Pick<Stores, 'admin' | 'config'>; commit: { run: Run }; changes: Pick<Changes, 'adminChange'> }) {
  const store = deps.stores.admin;
  const config = deps.stores.config;
  const { run } = deps.commit;

  /** The stored settings; ones that no longer read (edited by hand, an older shape) give the defaults. */
  const settings = (): RatingSettings => {
    try {
      const parsed = RatingSettingsSchema.safeParse(JSON.parse(config.meta(SETTINGS_KEY) ?? 'null'));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: the defaults below
    }
    return structuredClone(DEFAULT_RATING_SETTINGS);
  };

  /** The rating of `ticketId` this tablet may still add to. @throws QueueError when it may not. */
  const openRating = (ticketId: string, counterId: number, now: number) => {
    const rated = store.ratingOf(ticketId);
    if (!rated || rated.counter_id !== counterId) {
      throw new QueueError('forbidden', `Máy đánh giá của quầy ${counterId} chỉ bổ sung được đánh giá vừa gửi ở quầy ${counterId}.`);
    }
    if (now - rated.finished_at > RATING_WINDOW_MS) throw new QueueError('forbidden', `Đã quá thời gian đánh giá lượt số ${rated.number}.`);
    if (rated.scale !== 'v5') throw new QueueError('illegal_transition', `Lượt số ${rated.number} được đánh giá theo thang cũ.`);
    return rated;
  };

  return {
    settings,

    /** The visit the tablet at `counterId` may ask about now, if any, with the wording to ask in. */
    pending(counterId: number): Result<PendingRating | null> {
      return run('rating:pending', undefined, (now) => {
        const last = store.lastFinished(counterId);
        if (!last || last.rated || now - last.finished_at > RATING_WINDOW_MS) return null;
        return {
          ticketId: last.id,
          number: last.number,
          serviceId: last.service_id,
          counterId,
          clerkName: last.clerk_name,
          remainingMs: Math.max(0, RATING_WINDOW_MS - (now - last.finished_at)),
          settings: settings(),
        };
      });
    },

    /**
     * Stores a citizen's score (five levels) of the visit the tablet's counter finished last; a
     * repeated request id is answered only to the tablet (`actor`) that sent it.
     * @throws QueueError when it is another visit, too late, or already rated.
     */
    rate(cmd: ParsedCommand<'rating:submit'>, counterId: number, actor?: Actor): Result<RatingReply> {
      return run('rating:submit', cmd.requestId, (now) => {
        const last = store.lastFinished(counterId);
        if (!last || last.id !== cmd.ticketId) {
          throw new QueueError('forbidden', `Máy đánh giá của quầy ${counterId} chỉ đánh giá được lượt vừa kết thúc ở quầy ${counterId}.`);
        }
        if (now - last.finished_at > RATING_WINDOW_MS) {
          throw new QueueError('forbidden', `Đã quá thời gian đánh giá lượt số ${last.number}.`);
        }
        if (last.rated || !store.rate(last.id, counterId, last.clerk_id, cmd.score, now)) {
          throw new QueueError('illegal_transition', `Lượt số ${last.number} đã được đánh giá. Xin cảm ơn!`);
        }
        return { ticketId: last.id, score: cmd.score as OfficialScore, at: now };
      }, actor);
    },

    /**
     * Adds the reason (a score of 1–3 only, one of the admin's list) and the trips to a rating
     * this tablet sent, once, within the rating's window.
     * A reason no longer on the list (removed between the question and the answer) is dropped and
     * the trips kept: the reply's `reasonNotKept` names it.
     * @throws QueueError when the rating is not this tablet's, too late, already completed, a reason after a score of 4–5, or a reason not on the list sent without trips.
     */
    detail(cmd: ParsedCommand<'rating:detail'>, counterId: number, actor?: Actor): Result<RatingDetailReply> {
      return run('rating:detail', cmd.requestId, (now) => {
        const rated = openRating(cmd.ticketId, counterId, now);
        const reason = cmd.reason ?? null;
        const { levels, reasons: allowed } = settings();
        if (reason !== null) {
          if (rated.score > REASON_MAX_SCORE) {
            throw new QueueError(
              'invalid_payload',
              `Lượt số ${rated.number} được đánh giá "${levels[rated.score - 1]!.vi}": chỉ hỏi lý do khi đánh giá từ "${levels[REASON_MAX_SCORE - 1]!.vi}" trở xuống.`,
            );
          }
          // Not on the list (the admin may have removed it after the tablet asked): the trips the
          // citizen answered with it are still kept, only the reason is dropped, and the reply
          // says so. With no trips there is nothing to keep: refused as before.
          if (!allowed.includes(reason) && cmd.trips === undefined) {
            throw new QueueError('invalid_payload', `Lý do "${reason}" không có trong danh sách của trung tâm: ${allowed.join(', ')}.`);
          }
        }
        const kept = reason !== null && allowed.includes(reason) ? reason : null;
        if (rated.reason !== null || rated.trips !== null || !store.addRatingDetail(rated.ticket_id, kept, cmd.trips ?? null)) {
          throw new QueueError('illegal_transition', `Lượt số ${rated.number} đã được trả lời đủ. Xin cảm ơn!`);
        }
        return {
          ticketId: rated.ticket_id,
          score: rated.score as OfficialScore,
          reason: kept,
          trips: (cmd.trips ?? null) as Trips | null,
          ...(reason !== null && kept === null ? { reasonNotKept: reason } : {}),
        };
      }, actor);
    },

    /** Sets the tablet's wording and reasons; logged with what changed. */
    setSettings(cmd: ParsedCommand<'rating:setSettings'>, by: string): Result<RatingSettings> {
      const before = settings();
      const changes: string[] = [];
      cmd.levels.forEach((l, i) => {
        const b = before.levels[i]!;
        if (b.vi !== l.vi || b.en !== l.en) changes.push(`mức ${i + 1} "${b.vi}" → "${l.vi}" (${l.en})`);
      });
      if (before.reasons.join('\n') !== cmd.reasons.join('\n')) changes.push(`lý do: ${cmd.reasons.join(', ')} (trước: ${before.reasons.join(', ')})`);
      const what = `Sửa câu hỏi đánh giá: ${changes.join('; ') || 'không đổi gì'}`;
      return deps.changes.adminChange('admin:rating', { by, what }, () => {
        config.setMeta(SETTINGS_KEY, JSON.stringify(cmd));
        return settings();
      });
    },
  };
}

export type RatingCommands = ReturnType<typeof createRatingCommands>;
