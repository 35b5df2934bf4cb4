import type { TicketData } from './layout';

/** The ticket `npm run print-test` and the admin's test print print: every line of a ticket, every Vietnamese tone mark, a long name, a QR code. */
export function selfTestTicket(now: number, description: string): TicketData {
  return {
    centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung — IN THỬ / SELF-TEST',
    number: 2001,
    serviceNameVi: 'Tư pháp – Hộ tịch',
    serviceNameEn: 'Justice – Civil status',
    issuedAt: now,
    peopleAhead: 3,
    estimatedWaitMinutes: 15,
    priorityLabel: 'ƯU TIÊN – Người cao tuổi',
    // Every line a citizen's ticket has, "Phục vụ tại Quầy…" included: the test shows the real length.
    counterIds: [1, 2],
    qr: 'https://xephang.invalid/self-test',
    footer: `Máy in: ${description}. Dấu: à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ đ ề ế ể ễ ệ ờ ớ ở ỡ ợ ừ ứ ử ữ ự ỳ ý ỷ ỹ ỵ ƯỚC ĐỊNH`,
  };
}
