import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CALL_TEMPLATE, DEFAULT_RECALL_TEMPLATE, fillTemplate, spokenText, textToPhrases, textToWords } from './announcement';

describe('announcement templates', () => {
  it('fills the default call and recall templates with number words', () => {
    expect(fillTemplate(DEFAULT_CALL_TEMPLATE, { number: 2005, counter: 3 })).toBe(
      'Mời công dân có số thứ tự hai nghìn không trăm linh năm đến quầy số ba',
    );
    expect(fillTemplate(DEFAULT_RECALL_TEMPLATE, { number: 1021, counter: 9 })).toBe(
      'Xin nhắc lại: mời công dân có số thứ tự một nghìn không trăm hai mươi mốt đến quầy số chín',
    );
  });

  it('keeps a bracketed part only when the field name is known', () => {
    const template = 'Mời công dân có số thứ tự {number}[, lĩnh vực {service},] đến quầy số {counter}';
    expect(fillTemplate(template, { number: 2015, counter: 1, serviceName: 'Tư pháp – Hộ tịch' })).toBe(
      'Mời công dân có số thứ tự hai nghìn không trăm mười lăm, lĩnh vực Tư pháp, Hộ tịch, đến quầy số một',
    );
    expect(fillTemplate(template, { number: 2015, counter: 1 })).toBe('Mời công dân có số thứ tự hai nghìn không trăm mười lăm đến quầy số một');
  });

  it('drops a bare placeholder without a value and unknown placeholders', () => {
    expect(fillTemplate('Số {number} {service} quầy {counter} {clerk}', { number: 24, counter: 10 })).toBe('Số hai mươi tư quầy mười');
  });

  it('reads digits an admin typed into the text and leaves no digit behind', () => {
    expect(spokenText('Quầy 6 tạm nghỉ đến 14 giờ')).toBe('Quầy sáu tạm nghỉ đến mười bốn giờ');
    expect(spokenText('mã 0105')).toBe('mã không một không năm');
  });

  it('splits into lower-case phrases at punctuation: the clip names', () => {
    const text = fillTemplate('Xin nhắc lại: mời số {number}, đến quầy {counter}.', { number: 105, counter: 2 });
    expect(textToPhrases(text)).toEqual([['xin', 'nhắc', 'lại'], ['mời', 'số', 'một', 'trăm', 'linh', 'năm'], ['đến', 'quầy', 'hai']]);
    expect(textToWords('MỜI Công dân')).toEqual(['mời', 'công', 'dân']);
  });

  it('normalises decomposed input (NFD) to NFC words', () => {
    expect(textToWords('Mời'.normalize('NFD'))).toEqual(['mời']);
  });
});
