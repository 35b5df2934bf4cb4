import { openingTimeVi } from '@xephang/core';
import { DEFAULT_KIOSK_TEXTS } from '@xephang/protocol';
import { dateVi, timeVi, weekdayDateEn } from '../shared/format';

export type Lang = 'vi' | 'en';

/** What the kiosk's own screen says, Vietnamese first, English beside it. */
export const KIOSK_TEXT = {
  vi: {
    // Until the first snapshot brings the admin's own heading.
    choose: DEFAULT_KIOSK_TEXTS.titleVi,
    priority: 'Ưu tiên (nếu có):',
    waiting: (n: number) => (n === 0 ? 'Không có ai đang chờ' : `${n} người đang chờ`),
    wait: (m: number) => (m === 0 ? 'được phục vụ ngay' : `chờ khoảng ${m} phút`),
    noCounter: 'chưa có quầy mở',
    servedFrom: (at: number) => `phục vụ từ ${timeVi(at)}`,
    yourNumber: 'SỐ THỨ TỰ CỦA BẠN',
    ahead: (n: number) => (n === 0 ? 'Bạn là người tiếp theo' : `Trước bạn còn ${n} người`),
    estimate: (m: number | null) => (m === null ? ' · chưa có quầy mở' : m === 0 ? '' : ` · chờ khoảng ${m} phút`),
    early: {
      before: (at: number) => `Quầy mở lúc ${timeVi(at)}. Xin mời lấy số trước, số sẽ được gọi khi quầy mở.`,
      break: (at: number) => `Đang nghỉ trưa. Quầy mở lúc ${timeVi(at)}. Xin mời lấy số, số sẽ được gọi khi quầy mở.`,
      evening: (at: number) => `Đã hết giờ làm việc hôm nay. Số lấy bây giờ được gọi khi quầy mở lúc ${openingTimeVi(at)}.`,
    },
    closedTitle: 'Ngoài giờ làm việc',
    closedLine: 'Ki-ốt tạm ngừng cấp số.',
    closedNext: (at: number | null) => (at === null ? 'Xin hỏi cán bộ về giờ làm việc.' : `Quầy mở lúc ${openingTimeVi(at)}. Xin mời quay lại.`),
    printing: 'Đang in phiếu, xin mời nhận phiếu bên dưới.',
    printFailed: 'Máy in đang gặp sự cố. Xin hãy ghi lại số này, số vẫn có hiệu lực.',
    paperLow: 'Máy in sắp hết giấy.',
    issuing: 'Đang lấy số…',
    done: 'Xong',
    offline: 'Chưa kết nối được với máy chủ. Xin vui lòng chờ hoặc báo cán bộ.',
    switchTo: 'English',
    issuedAt: (ms: number) => `Lấy lúc ${timeVi(ms)} — ${dateVi(ms)}`,
  },
  en: {
    choose: DEFAULT_KIOSK_TEXTS.titleEn,
    priority: 'Priority (if any):',
    waiting: (n: number) => (n === 0 ? 'Nobody waiting' : `${n} waiting`),
    wait: (m: number) => (m === 0 ? 'served right away' : `about ${m} min`),
    noCounter: 'no counter open yet',
    servedFrom: (at: number) => `served from ${timeVi(at)}`,
    yourNumber: 'YOUR NUMBER',
    ahead: (n: number) => (n === 0 ? 'You are next' : `${n} ${n === 1 ? 'person' : 'people'} ahead of you`),
    estimate: (m: number | null) => (m === null ? ' · no counter open yet' : m === 0 ? '' : ` · about ${m} min`),
    early: {
      before: (at: number) => `Counters open at ${timeVi(at)}. Take a number now; it will be called once they open.`,
      break: (at: number) => `Lunch break. Counters open at ${timeVi(at)}. Take a number now; it will be called once they open.`,
      evening: (at: number) => `Today's working hours are over. A number taken now is called when counters open at ${timeVi(at)} on ${weekdayDateEn(at)}.`,
    },
    closedTitle: 'Outside opening hours',
    closedLine: 'No numbers are issued now.',
    closedNext: (at: number | null) => (at === null ? 'Please ask a staff member for the opening hours.' : `Counters open at ${timeVi(at)} on ${weekdayDateEn(at)}. Please come back then.`),
    printing: 'Printing your ticket, please take it below.',
    printFailed: 'The printer has a problem. Please note this number down: it is valid.',
    paperLow: 'The printer is running low on paper.',
    issuing: 'Getting your number…',
    done: 'Done',
    offline: 'Not connected to the server. Please wait or ask a staff member.',
    switchTo: 'Tiếng Việt',
    issuedAt: (ms: number) => `Issued at ${timeVi(ms)}`,
  },
} as const;

/**
 * The kiosk's own printer cannot print, so no number was issued. The shell words the Vietnamese
 * message (it knows what its connection can tell); a foreigner gets a short English line beside it.
 */
export const PRINTER_FAULT_TEXT = {
  /** When the shell gave no words of its own. */
  vi: 'Máy in phiếu đang gặp sự cố nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.',
  en: {
    paper_out: 'The ticket printer is out of paper. Please ask the staff.',
    cover_open: 'The ticket printer\'s cover is open. Please ask the staff.',
    offline: 'The ticket printer is not connected. Please ask the staff.',
    error: 'The ticket printer has a problem. Please ask the staff.',
  },
} as const;

/** English for a fault state; the generic line for a state that is not a fault (never shown). */
export function printerFaultEn(state: string): string {
  return (PRINTER_FAULT_TEXT.en as Record<string, string>)[state] ?? PRINTER_FAULT_TEXT.en.error;
}

/** What the search and browse panels say, Vietnamese first, English beside it. */
export const SEARCH_TEXT = {
  vi: {
    searchEntry: 'Tìm thủ tục',
    searchEntrySub: 'Gõ tên việc cần làm',
    browseEntry: 'Xem thủ tục theo lĩnh vực',
    browseEntrySub: 'Danh sách thủ tục của từng lĩnh vực',
    searchTitle: 'Tìm thủ tục cần làm',
    browseTitle: 'Thủ tục theo lĩnh vực',
    back: '‹ Quay lại',
    placeholder: 'Gõ tên thủ tục…',
    hint: 'Ví dụ: khai sinh, kết hôn, chứng thực, thường trú, sổ đỏ, hộ kinh doanh. Không cần gõ dấu.',
    none: 'Không tìm thấy thủ tục phù hợp. Hãy thử từ khác, xem theo lĩnh vực, hoặc quay lại chọn lĩnh vực.',
    listedInVi: '',
    chooseField: 'Chọn lĩnh vực',
    loading: 'Đang tải danh mục thủ tục…',
    papers: 'Cần mang:',
    take: 'Lấy số',
    space: 'Dấu cách',
    clear: 'Xoá hết',
    backspace: 'Xoá',
    tones: 'Dấu thanh',
    count: (n: number) => `${n} thủ tục`,
    procedure: 'Thủ tục',
    bring: 'Giấy tờ cần mang',
  },
  en: {
    searchEntry: 'Search a procedure',
    searchEntrySub: 'Type what you need to do',
    browseEntry: 'Procedures by field',
    browseEntrySub: 'The procedures of each field',
    searchTitle: 'Search a procedure',
    browseTitle: 'Procedures by field',
    back: '‹ Back',
    placeholder: 'Type a procedure name…',
    hint: 'For example: birth, marriage, certified copy, residence, ID card, health insurance. Vietnamese words work too.',
    none: 'No matching procedure in English. Procedures are officially listed in Vietnamese: go back and choose your field, or ask a staff member.',
    listedInVi: 'Some procedures are listed in Vietnamese only.',
    chooseField: 'Choose a field',
    loading: 'Loading the procedures…',
    papers: 'Bring:',
    take: 'Get a number',
    space: 'Space',
    clear: 'Clear',
    backspace: 'Delete',
    tones: 'Tone marks',
    count: (n: number) => `${n} procedures`,
    procedure: 'Procedure',
    bring: 'Papers to bring',
  },
} as const;

export type SearchLang = keyof typeof SEARCH_TEXT;
