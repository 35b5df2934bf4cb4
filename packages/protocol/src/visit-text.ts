import type { Outcome, TicketState } from './ids';

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
