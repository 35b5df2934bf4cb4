import { OUTCOME_NAMES, TICKET_STATE_NAMES, type Outcome } from '@xephang/protocol';

// The counter screen's words, in one place so an English version can sit beside them.

export const OUTCOME_TEXT: Record<Outcome, string> = OUTCOME_NAMES;

/** The outcomes in the order of their keys, 1 to 4. */
export const OUTCOMES = Object.keys(OUTCOME_TEXT) as Outcome[];

export const STATE_TEXT = TICKET_STATE_NAMES;

export const PAUSE_REASONS = ['Họp', 'Nghỉ giải lao', 'Đi công tác', 'Hỗ trợ quầy khác', 'Sự cố kỹ thuật'];

/** Keyboard shortcuts, shown on the buttons: the clerk's hands stay on the keyboard. */
export const KEYS = { next: 'N', recall: 'L', start: 'B', finish: 'K', noShow: 'V', transfer: 'C', call: 'S', pause: 'P' } as const;
