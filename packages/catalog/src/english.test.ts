import { describe, expect, it } from '@jest/globals';
import { buildEnglishIndex, englishOf } from './english';
import { search } from './search';
import { STARTER_CATALOG } from './starter';

const FIELDS_EN = {
  land: 'Agriculture – Environment – Land',
  civil: 'Justice – Civil status',
  business: 'Business registration – Finance',
  culture: 'Culture – Society',
  police: 'Police',
  landreg: 'Land registration office branch',
  post: 'Post office – Social insurance',
};
const index = buildEnglishIndex(STARTER_CATALOG, FIELDS_EN);
const top = (query: string) => search(index, query, 5)[0]?.procedure.code;

describe('the starter catalog in English', () => {
  it('names every starter procedure and every paper in English', () => {
    for (const p of STARTER_CATALOG) {
      const en = englishOf(p);
      expect(en?.name).toMatch(/^[A-Z]/);
      // A paper left untranslated would still carry Vietnamese letters.
      for (const paper of en!.papers) expect(paper).not.toMatch(/[ăâđêôơưàáảãạ]/i);
    }
    expect(index.size).toBe(STARTER_CATALOG.length);
  });

  it('has nothing for a procedure a center imported or renamed', () => {
    expect(englishOf({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh', serviceId: 'civil', papers: [] })).toBeUndefined();
    expect(englishOf({ ...STARTER_CATALOG[0]!, name: 'Đăng ký khai sinh (sửa)' })).toBeUndefined();
    expect(buildEnglishIndex([{ code: 'X-1', name: 'Thủ tục khác', serviceId: 'civil', papers: [] }]).size).toBe(0);
  });

  it('finds what a foreigner types', () => {
    expect(top('birth')).toBe('HT-01');
    expect(top('birth certificate')).toBe('HT-01');
    expect(top('marriage')).toBe('HT-02');
    expect(top('ID card')).toBe('CA-11');
    expect(top('temporary residence')).toBe('CA-02');
    expect(top('health insurance')).toBe('BH-01');
    expect(top('red book')).toMatch(/^DD-/);
    expect(top('motorbike')).toBe('CA-12');
    expect(top('notary')).toMatch(/^CT-/);
  });

  it('does not offer a farming procedure for "birth"', () => {
    for (const hit of search(index, 'birth', 6)) expect(hit.procedure.serviceId).toBe('civil');
  });
});
