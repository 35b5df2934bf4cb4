import type { Outcome, PriorityClass } from '@xephang/protocol';

/** Priority classes as the kiosk and the counter name them. */
export const PRIORITY_TEXT: Record<Exclude<PriorityClass, 'normal'>, { vi: string; en: string }> = {
  elderly: { vi: 'Người cao tuổi', en: 'Elderly' },
  disabled: { vi: 'Người khuyết tật', en: 'Disabled' },
  pregnant: { vi: 'Phụ nữ mang thai', en: 'Pregnant' },
  meritorious: { vi: 'Người có công', en: 'Meritorious service' },
  child: { vi: 'Người có con nhỏ', en: 'With a small child' },
};

export const OUTCOME_TEXT: Record<Outcome, string> = {
  received: 'Tiếp nhận hồ sơ',
  guidance: 'Hướng dẫn',
  returned: 'Trả kết quả',
  other: 'Khác',
};

export const STATE_TEXT = {
  waiting: 'Đang chờ',
  called: 'Đang gọi',
  serving: 'Đang phục vụ',
  done: 'Đã xong',
  no_show: 'Vắng mặt',
  expired: 'Hết hạn',
} as const;
