import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { OfficialCodeSaveSchema, OfficialCodeSchema } from './official-code';
import { ServiceSaveSchema } from './admin';
import { CommuneConfigSchema, configOnWire, type CommuneConfig } from './province';

describe('a field\'s official code', () => {
  const Save = z.strictObject({ officialCode: OfficialCodeSaveSchema });

  it('accepts the catalogue\'s characters, trimmed, and nothing else', () => {
    expect(OfficialCodeSchema.parse(' 1.000893.000.00.00.H12 ')).toBe('1.000893.000.00.00.H12');
    expect(OfficialCodeSchema.parse('G09-TP03/HT_2')).toBe('G09-TP03/HT_2');
    expect(OfficialCodeSchema.parse('x'.repeat(40))).toHaveLength(40);
    for (const bad of ['Hộ tịch', 'a b', 'x'.repeat(41), '', 'a;b', 'a\nb']) expect(OfficialCodeSchema.safeParse(bad).success).toBe(false);
  });

  it('on a save: left out keeps, empty or null clears, a bad one is refused in Vietnamese', () => {
    expect('officialCode' in Save.parse({})).toBe(false);
    expect(Save.parse({ officialCode: '' })).toEqual({ officialCode: null });
    expect(Save.parse({ officialCode: '   ' })).toEqual({ officialCode: null });
    expect(Save.parse({ officialCode: null })).toEqual({ officialCode: null });
    expect(Save.parse({ officialCode: ' 2.001 ' })).toEqual({ officialCode: '2.001' });
    const bad = Save.safeParse({ officialCode: 'Tư pháp' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/mã lĩnh vực chỉ gồm chữ không dấu/);
    expect(Save.safeParse({ officialCode: 12 }).success).toBe(false);
  });

  it('rides on the service save', () => {
    const base = { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice', kind: 'commune', blockStart: 2001, active: true };
    expect(ServiceSaveSchema.parse({ ...base, officialCode: 'HT.01' }).officialCode).toBe('HT.01');
    expect(ServiceSaveSchema.parse(base).officialCode).toBeUndefined();
  });

  it('travels to the province only for a field that has one, and a configuration without it reads as null', () => {
    const config: CommuneConfig = {
      centerName: 'Trung tâm xã Nga Sơn',
      services: [
        { id: 'tax', nameVi: 'Thuế', nameEn: 'Tax', officialCode: null },
        { id: 'civil', nameVi: 'Hộ tịch', nameEn: 'Civil status', officialCode: 'TEST.HT-01' },
      ],
      counters: [],
      clerks: [],
    };
    const wire = JSON.parse(JSON.stringify(configOnWire(config))) as { services: object[] };
    expect(wire.services.map((s) => 'officialCode' in s)).toEqual([false, true]);
    // What the province reads back, and what it reads of a hub from before issue 20.
    expect(CommuneConfigSchema.parse(wire)).toEqual(config);
    const older = { ...config, services: config.services.map(({ officialCode: _code, ...names }) => names) };
    expect(CommuneConfigSchema.parse(older).services.map((s) => s.officialCode)).toEqual([null, null]);
  });
});
