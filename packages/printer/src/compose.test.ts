import { describe, expect, it } from '@jest/globals';
import { composeTicket, DEFAULT_FOOTER, type TicketFacts, type TicketSettings } from './compose';

const facts: TicketFacts = {
  ticket: { id: '2025-07-10-2001', number: 2001, serviceId: 'civil', priority: 'elderly', issuedAt: Date.parse('2025-07-10T08:05:00+07:00'), day: '2025-07-10' },
  service: { nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status' },
  counterIds: [2, 3],
  procedure: { name: 'Đăng ký khai sinh', papers: ['Giấy chứng sinh', 'CCCD của cha hoặc mẹ'] },
  peopleAhead: 3,
  estimatedWaitMinutes: 15,
};
const settings: TicketSettings = { centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung', footer: DEFAULT_FOOTER, qrTemplate: 'https://x.invalid/{day}/{number}?id={ticketId}' };

describe('composeTicket: what goes on every printer', () => {
  it('puts the number, field, counters, priority, procedure and papers, estimate, QR, footer and service day on the ticket', () => {
    expect(composeTicket(facts, settings)).toEqual({
      centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
      number: 2001,
      serviceNameVi: 'Tư pháp – Hộ tịch',
      serviceNameEn: 'Justice – Civil status',
      issuedAt: facts.ticket.issuedAt,
      day: '2025-07-10',
      peopleAhead: 3,
      estimatedWaitMinutes: 15,
      counterIds: [2, 3],
      priorityLabel: 'ƯU TIÊN – Người cao tuổi',
      qr: 'https://x.invalid/2025-07-10/2001?id=2025-07-10-2001',
      footer: DEFAULT_FOOTER,
      procedureName: 'Đăng ký khai sinh',
      papers: ['Giấy chứng sinh', 'CCCD của cha hoặc mẹ'],
    });
  });

  it('leaves out what the admin left empty, and names a deleted field by its id', () => {
    const t = composeTicket({ ...facts, ticket: { ...facts.ticket, priority: 'normal' }, service: undefined, procedure: { name: 'Chứng thực bản sao', papers: [] }, reprintedAt: 5 }, { ...settings, footer: '', qrTemplate: '' });
    expect(t.serviceNameVi).toBe('civil');
    expect(t).not.toHaveProperty('serviceNameEn');
    expect(t).not.toHaveProperty('priorityLabel');
    expect(t).not.toHaveProperty('qr');
    expect(t).not.toHaveProperty('footer');
    expect(t).not.toHaveProperty('papers');
    expect(t.procedureName).toBe('Chứng thực bản sao');
    expect(t.reprintedAt).toBe(5);
  });
});
