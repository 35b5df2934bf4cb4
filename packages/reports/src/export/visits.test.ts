import { describe, expect, it } from '@jest/globals';
import type { VisitRow } from '@xephang/protocol';
import { tableCsv } from './files';
import { visitSheet } from './visits';

const visit = (number: number, extra: Partial<VisitRow> = {}): VisitRow & { day: string } => ({
  day: '2025-07-14', ticketId: `2025-07-14-${number}`, number, serviceId: 'civil', serviceNameVi: 'Tư pháp – Hộ tịch', serviceOfficialCode: null,
  priority: 'normal', state: 'done', counterId: 1, counterName: 'Quầy 1', clerkName: '=cmd|calc', issuedAt: Date.parse('2025-07-14T08:00:00+07:00'),
  calledAt: null, startedAt: null, finishedAt: null, waitMs: null, serviceMs: null, outcome: 'received', dossierCode: 'H12-0001', rating: null, ...extra,
});

describe('the per-visit sheet', () => {
  it('says in its title when the range had more visits than it holds', () => {
    expect(visitSheet([visit(2001)], 'Tuần 29/2025', false).title).toBe('Từng lượt khách — Tuần 29/2025');
    expect(visitSheet([visit(2001), visit(2002)], 'Năm 2025', true).title).toBe('Từng lượt khách — Năm 2025 (chỉ 2 lượt đầu tiên; hãy xuất từng tháng để có đủ)');
  });

  it('writes words, not codes, and defuses what people typed', () => {
    const sheet = visitSheet(
      [
        visit(2001, { priority: 'elderly', rating: { scale: 'v4', score: 3, reason: null, trips: null } }),
        visit(2002, { rating: { scale: 'v5', score: 3, reason: '=Chờ lâu', trips: 3 } }),
      ],
      'Ngày 14/07/2025',
      false,
    );
    const lines = tableCsv([sheet], 420).split('\r\n');
    expect(lines[2]).toBe("14/07/2025,2001,Tư pháp – Hộ tịch,,Người cao tuổi,Đã xong,Quầy 1,'=cmd|calc,08:00,,,,,,Tiếp nhận hồ sơ,H12-0001,Hài lòng (thang 4 mức cũ),3,,");
    expect(lines[3]).toBe("14/07/2025,2002,Tư pháp – Hộ tịch,,,Đã xong,Quầy 1,'=cmd|calc,08:00,,,,,,Tiếp nhận hồ sơ,H12-0001,Bình thường,3,'=Chờ lâu,Từ 3 lần");
  });
});
