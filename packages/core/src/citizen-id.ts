import { CITIZEN_OVER_LIMIT_EN, CITIZEN_OVER_LIMIT_VI, type CitizenIdRule } from '@xephang/protocol';
import { QueueError } from './errors';

/** What is known when a ticket of a field is asked for, as far as the citizen's ID card goes. */
export interface CitizenIdAsk {
  /** An ID number was scanned at the kiosk. */
  scanned: boolean;
  /** A clerk issues it at the desk for a citizen without a card (`citizen:issueWithoutCard`). */
  withoutCard: boolean;
  /** The active tickets (waiting, called, serving) of this field the scanned ID holds today. */
  held: number;
}

/** Whether a scanned ID's mark is kept for this ticket: only when the field's rule is not off. */
export const keepsMark = (rule: CitizenIdRule, scanned: boolean): boolean => scanned && rule.mode !== 'off';

/**
 * Why a ticket of a field cannot be issued under its citizen ID rule, or undefined when it can.
 * The refusal never says whose ID: the kiosk's screen is read by whoever stands there.
 */
export function citizenIdRefusal(rule: CitizenIdRule, ask: CitizenIdAsk): QueueError | undefined {
  if (ask.withoutCard) {
    return rule.mode === 'required'
      ? undefined
      : new QueueError('invalid_payload', 'Lĩnh vực này không bắt buộc quét thẻ căn cước: công dân lấy số ở ki-ốt như thường.');
  }
  if (rule.mode === 'off') return undefined;
  if (!ask.scanned) {
    return rule.mode === 'required'
      ? new QueueError(
          'citizen_id_required',
          'Lĩnh vực này cần quét thẻ căn cước để lấy số. Nếu không mang thẻ, xin mời đến quầy để cán bộ cấp số. (An ID card scan is needed; without a card, please ask at the counter.)',
        )
      : undefined;
  }
  if (ask.held >= rule.maxActive) {
    return new QueueError(
      'citizen_over_limit',
      `${CITIZEN_OVER_LIMIT_VI}: mỗi người giữ tối đa ${rule.maxActive} số chưa xong của lĩnh vực này trong ngày. Xin mời chờ đến lượt hoặc hỏi cán bộ. ` +
        `(${CITIZEN_OVER_LIMIT_EN}: at most ${rule.maxActive} unfinished tickets per person for this field today.)`,
    );
  }
  return undefined;
}
