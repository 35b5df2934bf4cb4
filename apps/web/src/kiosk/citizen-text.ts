import { CITIZEN_OVER_LIMIT_EN, CITIZEN_OVER_LIMIT_VI } from '@xephang/protocol';

/** What the kiosk's ID card screen says (issue 20), Vietnamese first, English beside it. */
export const CITIZEN_TEXT = {
  vi: {
    title: 'Xin mời quét thẻ căn cước',
    why: 'Trung tâm giới hạn số phiếu mỗi người được lấy cho lĩnh vực này, để chống việc lấy số hộ, bán số.',
    stored:
      'Số định danh trên thẻ không được lưu lại: máy chỉ giữ một mã không thể đọc ngược ra số thẻ, và mã này bị xóa khi hết ngày.',
    how: 'Đưa mã QR ở mặt trước thẻ vào đầu đọc bên dưới màn hình.',
    reading: 'Đang đọc thẻ…',
    unreadable: 'Không đọc được mã trên thẻ. Xin quét lại mã QR ở mặt trước thẻ căn cước.',
    skip: 'Không có thẻ — bỏ qua',
    required: 'Lĩnh vực này bắt buộc quét thẻ. Nếu không mang thẻ, xin mời đến quầy để cán bộ cấp số.',
    back: '‹ Quay lại',
    limit: (n: number) => `Mỗi người được giữ tối đa ${n} số chưa xong của lĩnh vực này trong ngày.`,
    refusedTitle: CITIZEN_OVER_LIMIT_VI,
    refusedLine: 'Thẻ này đã lấy đủ số phiếu cho phép của lĩnh vực này hôm nay. Xin mời chờ đến lượt số đã lấy, hoặc hỏi cán bộ hướng dẫn.',
  },
  en: {
    title: 'Please scan your ID card',
    why: 'The center limits how many tickets one person may take for this field, against ticket touts.',
    stored: 'Your ID number is not stored: the kiosk keeps only a mark that cannot be turned back into it, erased at the end of the day.',
    how: 'Hold the QR code on the front of the card to the reader below the screen.',
    reading: 'Reading the card…',
    unreadable: 'The card could not be read. Please scan the QR code on the front of your ID card again.',
    skip: 'No card — skip',
    required: 'This field needs an ID card scan. Without a card, please ask at a counter: the staff will issue your number.',
    back: '‹ Back',
    limit: (n: number) => `At most ${n} unfinished tickets per person for this field today.`,
    refusedTitle: CITIZEN_OVER_LIMIT_EN,
    refusedLine: 'This card already holds the tickets allowed for this field today. Please wait for your number, or ask a staff member.',
  },
} as const;
