import { describe, expect, it } from '@jest/globals';
import type { FieldAcross, ProvinceFields, TimeStats } from '@xephang/protocol';
import { zeroField } from '@xephang/reports';
import { fieldsSheets } from './sheets';

const NONE: TimeStats = { count: 0, meanMs: null, medianMs: null, p90Ms: null };
const total = { totals: zeroField(), wait: NONE, service: NONE };

describe('fieldsSheets', () => {
  it('calls only the national catalogue\'s code "Mã lĩnh vực": the hubs\' own id says what it is', () => {
    const civil: FieldAcross = { serviceId: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', officialCode: 'TEST.HT-01', total, byCommune: [{ code: '12345', name: 'Xã Hà Trung', ...total }] };
    const f: ProvinceFields = {
      range: { kind: 'week', from: 0, to: 7 * 86_400_000, firstDay: '2025-07-07', lastDay: '2025-07-13', label: 'Tuần 28/2025' },
      generatedAt: 0,
      fields: [civil],
      loadByField: [],
    };
    const sheet = fieldsSheets(f).find((s) => s.name === 'Theo lĩnh vực')!;
    const headers = sheet.columns.map((c) => c.header);
    // A catalog file made from this sheet must not carry "civil" as the field's official code (the hub refuses it).
    expect(headers.filter((h) => /^mã lĩnh vực/i.test(h))).toEqual(['Mã lĩnh vực (CSDL quốc gia TTHC)']);
    const row = sheet.rows[0]!;
    expect(row[headers.indexOf('Mã lĩnh vực (CSDL quốc gia TTHC)')]).toBe('TEST.HT-01');
    expect(row[headers.findIndex((h) => /máy chủ xã/.test(h))]).toBe('civil');
  });
});
