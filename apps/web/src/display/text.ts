import { COUNTER_STATUS_TEXT } from '../shared/text';

/** What the waiting-room TV says, Vietnamese first, English beside it for a foreigner. */
export const TEXT = {
  counters: 'Các quầy',
  counter: 'Quầy',
  counterEn: 'Counter',
  calling: 'Mời công dân có số',
  callingEn: 'Now calling',
  to: 'đến',
  toEn: 'to counter',
  idle: 'Chưa có số nào đang được mời',
  idleEn: 'No number is being called',
  takeNumber: 'Xin mời lấy số thứ tự tại ki-ốt',
  takeNumberEn: 'Please take a number at the kiosk',
  recent: 'Vừa gọi',
  recentEn: 'Recent calls',
  waiting: 'Đang chờ',
  waitingEn: 'Waiting',
  closed: COUNTER_STATUS_TEXT.closed,
  closedEn: 'Closed',
  paused: COUNTER_STATUS_TEXT.paused,
  pausedEn: 'Paused',
  sound: '🔊 Bật âm thanh',
  soundEn: 'Chạm một lần để nghe gọi số · Tap once to enable sound',
} as const;
