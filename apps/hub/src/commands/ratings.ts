import { QueueError } from '@xephang/core';
import type { ParsedCommand, PendingRating, RatingReply, RatingScore } from '@xephang/protocol';
import type { Actor, Result, Run } from '../commit';
import type { Stores } from '../store';

/** How long after a visit ends its citizen may still rate it (the tablet itself closes sooner). */
export const RATING_WINDOW_MS = 3 * 60_000;

/** The rating tablet's commands: which visit it may ask about, and the citizen's answer. */
export function createRatingCommands(deps: { stores: Pick<Stores, 'admin'>; commit: { run: Run } }) {
  const store = deps.stores.admin;
  const { run } = deps.commit;
  return {
    /** The visit the tablet at `counterId` may ask about now, if any. */
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
        };
      });
    },

    /**
     * Stores a citizen's rating of the visit the tablet's counter finished last; a repeated
     * request id is answered only to the tablet (`actor`) that sent it.
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
        return { ticketId: last.id, score: cmd.score as RatingScore, at: now };
      }, actor);
    },
  };
}

export type RatingCommands = ReturnType<typeof createRatingCommands>;
