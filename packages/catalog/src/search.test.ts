import { describe, expect, it } from '@jest/globals';
import { buildIndex, byField, search } from './search';
import { STARTER_CATALOG } from './starter';
import { applyTone, editDistance, fold, stripTelex, stripVni, words } from './text';

const FIELDS = {
  land: 'Nông nghiệp – Môi trường – Đất đai',
  civil: 'Tư pháp – Hộ tịch',
  business: 'Đăng ký kinh doanh – Tài chính',
  culture: 'Văn hoá – Xã hội',
  police: 'Công an',
  landreg: 'Chi nhánh Văn phòng đăng ký đất đai',
  post: 'Bưu điện – Bảo hiểm xã hội',
};
const index = buildIndex(STARTER_CATALOG, FIELDS);
const top = (query: string) => search(index, query, 5)[0]?.procedure.name;

describe('the starter catalog', () => {
  it('has at least 60 procedures, unique codes, each in a default field', () => {
    expect(STARTER_CATALOG.length).toBeGreaterThanOrEqual(60);
    expect(new Set(STARTER_CATALOG.map((p) => p.code)).size).toBe(STARTER_CATALOG.length);
    for (const p of STARTER_CATALOG) expect(Object.keys(FIELDS)).toContain(p.serviceId);
    for (const id of Object.keys(FIELDS)) expect(STARTER_CATALOG.some((p) => p.serviceId === id)).toBe(true);
  });

  it('groups by field in the order asked', () => {
    const groups = byField(STARTER_CATALOG, ['police', 'civil']);
    expect([...groups.keys()]).toEqual(['police', 'civil']);
    expect(groups.get('police')![0]!.name).toBe('Đăng ký thường trú');
  });
});

describe('search: query → top result over the starter catalog', () => {
  it.each([
    // with and without diacritics
    ['Đăng ký khai sinh', 'Đăng ký khai sinh'],
    ['dang ky khai sinh', 'Đăng ký khai sinh'],
    ['DANG KY KHAI SINH', 'Đăng ký khai sinh'],
    ['đăng ký kết hôn', 'Đăng ký kết hôn'],
    ['dang ky ket hon', 'Đăng ký kết hôn'],
    ['khai tu', 'Đăng ký khai tử'],
    ['dang ky thuong tru', 'Đăng ký thường trú'],
    ['tạm trú', 'Đăng ký tạm trú'],
    ['chung thuc ban sao', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận'],
    ['chứng thực chữ ký', 'Chứng thực chữ ký trong các giấy tờ, văn bản'],
    ['ho kinh doanh', 'Đăng ký thành lập hộ kinh doanh'],
    ['tro cap xa hoi', 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng'],
    ['giay chung nhan quyen su dung dat lan dau', 'Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu'],
    ['xac nhan tinh trang hon nhan', 'Cấp Giấy xác nhận tình trạng hôn nhân'],
    // Telex typed without an input method
    ['ddang kys khai sinh', 'Đăng ký khai sinh'],
    ['ddawng kys keets hoon', 'Đăng ký kết hôn'],
    ['ddawng kys thuwowngf truws', 'Đăng ký thường trú'],
    ['chuwngs thuwcj chuwx kys', 'Chứng thực chữ ký trong các giấy tờ, văn bản'],
    // VNI typed without an input method
    ['d9ang ky1 khai sinh', 'Đăng ký khai sinh'],
    ['d9ang ky1', 'Đăng ký khai sinh'],
    ['d9a8ng ky1 ke6t ho6n', 'Đăng ký kết hôn'],
    ['ca61p the3 ba3o hie63m y te61', 'Cấp thẻ bảo hiểm y tế (BHYT)'],
    // a typo
    ['dang ky kahi sinh', 'Đăng ký khai sinh'],
    ['dang ky khai snih', 'Đăng ký khai sinh'],
    ['chung thuc ban sauo', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận'],
    ['thuong truu', 'Đăng ký thường trú'],
    // a single word, and words still being typed
    ['BHYT', 'Cấp thẻ bảo hiểm y tế (BHYT)'],
    ['sinh', 'Đăng ký khai sinh'],
    ['tạm vắng', 'Khai báo tạm vắng'],
    ['giám hộ', 'Đăng ký giám hộ'],
    ['di chúc', 'Chứng thực di chúc'],
    ['sổ đỏ', 'Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu'],
    ['nhập hộ khẩu', 'Đăng ký thường trú'],
    ['xac dinh muc do khuyet tat', 'Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật'],
    ['dang ky kh', 'Đăng ký khai sinh'],
    ['dang ky ket h', 'Đăng ký kết hôn'],
    ['tach thua', 'Tách thửa hoặc hợp thửa đất'],
    ['căn cước', 'Cấp, cấp đổi, cấp lại thẻ căn cước'],
    // the tone where the old or the new spelling puts it
    ['hoà giải', 'Hòa giải tranh chấp đất đai'],
    ['hòa giải', 'Hòa giải tranh chấp đất đai'],
  ])('%s → %s', (query, expected) => {
    expect(top(query)).toBe(expected);
  });

  it('ranks whole words and prefixes above typos', () => {
    const names = search(index, 'khai sinh', 10).map((h) => h.procedure.name);
    expect(names[0]).toBe('Đăng ký khai sinh');
    expect(names).toContain('Đăng ký lại khai sinh');
    expect(names.indexOf('Đăng ký khai sinh')).toBeLessThan(names.indexOf('Đăng ký lại khai sinh'));
  });

  it('finds nothing for nothing, and never throws on odd input', () => {
    expect(search(index, '')).toEqual([]);
    expect(search(index, '   ,.-')).toEqual([]);
    expect(search(index, 'qqqqqqqq zzzzzzz')).toEqual([]);
    expect(() => search(index, '🙂 "; DROP TABLE')).not.toThrow();
  });
});

describe('text', () => {
  it('folds Vietnamese to plain letters, đ included', () => {
    expect(fold('Đăng Ký Thường Trú')).toBe('dang ky thuong tru');
    expect(words('Cấp thẻ bảo hiểm y tế (BHYT)')).toEqual(['cap', 'the', 'bao', 'hiem', 'y', 'te', 'bhyt']);
    // Decomposed input (some keyboards send it) folds the same.
    expect(fold('Đăng ký'.normalize('NFD'))).toBe('dang ky');
  });

  it('reads Telex and VNI markers, leaving plain words alone', () => {
    expect(stripTelex('ddawngs')).toBe('dang');
    expect(stripTelex('dduwowngf')).toBe('duong');
    expect(stripTelex('hojp')).toBe('hop');
    expect(stripTelex('tw')).toBe('tu');
    for (const w of ['sinh', 'tru', 'xa', 'ra', 'khai', 'thuong', 'sao']) expect(stripTelex(w)).toBe(w);
    expect(stripVni('d9a8ng')).toBe('dang');
    expect(stripVni('2025')).toBe('2025');
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('kahi', 'khai', 2)).toBe(1);
    expect(editDistance('sinh', 'sinh', 2)).toBe(0);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('puts a tone where Vietnamese spelling puts it, and takes it off again', () => {
    expect(applyTone('dang ky', 'sac')).toBe('dang ký');
    expect(applyTone('khai', 'sac')).toBe('khái');
    expect(applyTone('đăng', 'sac')).toBe('đắng');
    expect(applyTone('thương', 'huyen')).toBe('thường');
    expect(applyTone('thuơng', 'huyen')).toBe('thuờng');
    expect(applyTone('hoa', 'huyen')).toBe('hoà');
    expect(applyTone('toan', 'sac')).toBe('toán');
    expect(applyTone('mua', 'sac')).toBe('múa');
    expect(applyTone('quy', 'nang')).toBe('quỵ');
    expect(applyTone('ký', 'sac')).toBe('ky');
    expect(applyTone('ký', 'hoi')).toBe('kỷ');
    expect(applyTone('bc', 'sac')).toBe('bc');
  });
});
