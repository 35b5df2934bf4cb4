import type { TicketData } from '../layout';

/**
 * One ordinary ticket every print test sends through its path (TCP, a serial line, CUPS…), so
 * the decoded jobs of two paths can be compared byte for byte: number 2001, civil status, three
 * ahead, a QR code, the center's long name that wraps.
 */
export const SAMPLE_TICKET: TicketData = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung, tỉnh Thanh Hoá',
  number: 2001,
  serviceNameVi: 'Tư pháp – Hộ tịch',
  serviceNameEn: 'Justice – Civil status',
  issuedAt: Date.parse('2025-07-10T08:05:00+07:00'),
  peopleAhead: 3,
  estimatedWaitMinutes: 15,
  qr: 'https://xephang.invalid/t/2025-07-10-2001',
  footer: 'Xin vui lòng chú ý màn hình và loa gọi số. Cảm ơn ông/bà!',
};
