import { RATING_TEXT, type RatingScore } from './admin';
import type { VisitRating } from './dossier';
import type { Outcome, TicketState } from './ids';
import { LEGACY_SCALE_NAME, OFFICIAL_LEVELS_DEFAULT, type OfficialScore } from './rating';

// A visit's outcome and state in words: the counter screen, the admin's visit list and the
// export's per-visit sheet say them alike.

export const OUTCOME_NAMES: Record<Outcome, string> = {
  received: 'Tiếp nhận hồ sơ',
  guidance: 'Hướng dẫn',
  returned: 'Trả kết quả',
  other: 'Khác',
};

export const TICKET_STATE_NAMES: Record<TicketState, string> = {
  waiting: 'Đang chờ',
  called: 'Đang gọi',
  serving: 'Đang phục vụ',
  done: 'Đã xong',
  no_show: 'Vắng mặt',
  expired: 'Hết hạn',
};

/**
 * A visit's rating in words: the official five levels in their standard wording (the admin may
 * reword the tablet, not the record), an old rating in the 4-level tablet's words with its scale named.
 */
export function visitRatingText(r: VisitRating): string {
  if (r.scale === 'v5') return OFFICIAL_LEVELS_DEFAULT[r.score as OfficialScore].vi;
  return `${RATING_TEXT[r.score as RatingScore].vi} (${LEGACY_SCALE_NAME})`;
}
