import type { OpeningHours } from '@xephang/protocol';

/** The center xephang was written for (Hà Trung commune, July 2025): written on first start. */
export const DEFAULT_CENTER_NAME = 'Trung tâm Phục vụ hành chính công xã Hà Trung';

/** A commune center's usual week: mornings and afternoons Monday to Friday, Saturday morning; the day turns at midnight. */
export const DEFAULT_HOURS: OpeningHours = {
  week: [
    ...Array.from({ length: 5 }, () => [
      { open: '07:30', close: '11:30' },
      { open: '13:30', close: '17:00' },
    ]),
    [{ open: '07:30', close: '11:30' }],
    [],
  ],
  resetTime: '00:00',
  earlyIssueMinutes: 30,
};

export interface ServiceSeed {
  id: string;
  nameVi: string;
  nameEn: string;
  kind: 'commune' | 'partner';
  blockStart: number;
}

export const DEFAULT_SERVICES: readonly ServiceSeed[] = [
  { id: 'land', nameVi: 'Nông nghiệp – Môi trường – Đất đai', nameEn: 'Agriculture – Environment – Land', kind: 'commune', blockStart: 1001 },
  { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', kind: 'commune', blockStart: 2001 },
  { id: 'business', nameVi: 'Đăng ký kinh doanh – Tài chính', nameEn: 'Business registration – Finance', kind: 'commune', blockStart: 3001 },
  { id: 'culture', nameVi: 'Văn hoá – Xã hội', nameEn: 'Culture – Society', kind: 'commune', blockStart: 4001 },
  { id: 'police', nameVi: 'Công an', nameEn: 'Police', kind: 'partner', blockStart: 5001 },
  { id: 'landreg', nameVi: 'Chi nhánh Văn phòng đăng ký đất đai', nameEn: 'Land registration office', kind: 'partner', blockStart: 6001 },
  { id: 'post', nameVi: 'Bưu điện – Bảo hiểm xã hội', nameEn: 'Post office – Social insurance', kind: 'partner', blockStart: 7001 },
];

/** Counters 1–9 and the services each calls, most important first. */
export const DEFAULT_COUNTERS: readonly { id: number; serviceIds: readonly string[] }[] = [
  { id: 1, serviceIds: ['civil'] },
  { id: 2, serviceIds: ['civil'] },
  { id: 3, serviceIds: ['land'] },
  { id: 4, serviceIds: ['business'] },
  { id: 5, serviceIds: ['culture'] },
  // The backup counter takes the busiest field first.
  { id: 6, serviceIds: ['civil', 'land', 'business', 'culture'] },
  { id: 7, serviceIds: ['police'] },
  { id: 8, serviceIds: ['landreg'] },
  { id: 9, serviceIds: ['post'] },
];

/** Created with `--demo` only: one clerk per counter, PIN 1111 for counter 1 … 9999 for counter 9. */
export const DEMO_CLERKS: readonly { name: string; counterIds: readonly number[]; pin: string }[] = [
  'Nguyễn Thị Hương',
  'Trần Văn Minh',
  'Lê Thị Thu Hà',
  'Phạm Quốc Bảo',
  'Hoàng Thị Lan',
  'Vũ Đức Thắng',
  'Đỗ Văn Hùng',
  'Bùi Thị Ngọc',
  'Đặng Thị Mai',
].map((name, i) => ({ name, counterIds: [i + 1], pin: String(i + 1).repeat(4) }));
