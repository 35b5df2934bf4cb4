// Words more than one screen shows: they must read the same on each.

/** A counter's state, in the words the counter screen, the TV ("Tạm nghỉ") and the home page share. */
export const COUNTER_STATUS_TEXT = { open: 'Đang mở', paused: 'Tạm nghỉ', closed: 'Đóng' } as const;
