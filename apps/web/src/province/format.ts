import type { CommuneLinkState } from '@xephang/protocol';

/** A 0–1 share as "83,5 %", one decimal, the Vietnamese way (a no-break space: the sign never wraps alone); "—" without data. */
export function percentVi(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(share * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 })}\u00a0%`;
}

/** A mean score out of 4 with two decimals ("3,65"), "—" without ratings. */
export function scoreVi(mean: number | null): string {
  return mean === null ? '—' : mean.toLocaleString('vi-VN', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
}

/** How long ago, in the words a leader reads: "vừa xong", "12 phút trước", "3 giờ trước", "5 ngày trước". */
export function agoVi(at: number | null, now: number): string {
  if (at === null) return 'chưa bao giờ';
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'vừa xong';
  if (minutes < 60) return `${minutes} phút trước`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} giờ trước`;
  return `${Math.floor(hours / 24)} ngày trước`;
}

/** Whole days behind yesterday: "đủ số liệu" at 0, "chậm 3 ngày" after, "—" when nothing ever came. */
export function behindVi(days: number | null): string {
  if (days === null) return '—';
  return days === 0 ? 'đủ số liệu' : `chậm ${days} ngày`;
}

/** A link state's badge: Vietnamese, the English word beside for a foreign adviser. */
export const LINK_TEXT: Record<CommuneLinkState['state'], { vi: string; en: string; hint: string }> = {
  ok: { vi: 'Đang gửi', en: 'ok', hint: 'Có dữ liệu trong vòng một giờ qua.' },
  late: { vi: 'Trễ', en: 'late', hint: 'Không nhận được dữ liệu từ một giờ trở lên: máy chủ xã tắt, mất mạng, hoặc hết giờ làm việc.' },
  never: { vi: 'Chưa kết nối', en: 'never', hint: 'Đã tạo xã nhưng máy chủ xã chưa đăng ký bằng mã đăng ký.' },
  revoked: { vi: 'Đã thu hồi', en: 'revoked', hint: 'Khóa của xã đã bị thu hồi; cấp mã mới để xã kết nối lại.' },
};

/** The order a click on the link column sorts by: the communes that need someone first. */
export const LINK_RANK: Record<CommuneLinkState['state'], number> = { revoked: 0, never: 1, late: 2, ok: 3 };
