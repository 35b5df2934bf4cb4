import { LEGACY_SCALE_NAME, SATISFIED_SHARE_DEFINITION, type ProvinceRole } from '@xephang/protocol';

// The province pages' words, in one place (Vietnamese first; English where a foreign adviser reads along).

export const ROLE_TEXT: Record<ProvinceRole, string> = { admin: 'quản trị', viewer: 'xem báo cáo' };

/** What "satisfied" means on these pages: written beside every share of it. */
export const SATISFIED_DEFINITION = `${SATISFIED_SHARE_DEFINITION} (hai mức cao nhất trong năm mức của mẫu phiếu). Đánh giá theo ${LEGACY_SCALE_NAME} được đếm riêng, không quy đổi, không tính vào tỷ lệ.`;

/** What a commune's admin does with a new enrolment key, shown once beside it. */
export const ENROL_STEPS = [
  'Gửi mã này cho quản trị viên của xã qua kênh tin cậy (điện thoại, văn bản); không gửi qua nhóm chat chung.',
  'Trên máy chủ của xã: trang Quản trị → thẻ "Hệ thống" → "Liên kết tỉnh", nhập địa chỉ máy chủ tỉnh và mã đăng ký này, bấm "Đăng ký".',
  'Mã chỉ dùng được một lần, trước khi hết hạn. Sau khi xã đăng ký xong, cột "Kết nối" chuyển sang "Đang gửi".',
];

/** Shown on the login form when a request finds the session gone. */
export const SESSION_ENDED = 'Phiên đăng nhập đã kết thúc (hết hạn, đăng xuất ở nơi khác, tài khoản bị khoá hoặc đổi mật khẩu). Đăng nhập lại.';
