import { describe, expect, it } from '@jest/globals';
import { MAX_SPOKEN_NUMBER, numberToWords } from './numbers';

// Northern reading: "linh" for an empty tens place, "không trăm" after "nghìn", "mốt" / "tư" /
// "lăm" for 1 / 4 / 5 after "mươi", "lăm" after "mười" but "mười một", "mười bốn".
const TABLE: Array<[number, string]> = [
  [0, 'không'],
  [1, 'một'],
  [2, 'hai'],
  [3, 'ba'],
  [4, 'bốn'],
  [5, 'năm'],
  [6, 'sáu'],
  [7, 'bảy'],
  [8, 'tám'],
  [9, 'chín'],
  [10, 'mười'],
  [11, 'mười một'],
  [12, 'mười hai'],
  [13, 'mười ba'],
  [14, 'mười bốn'],
  [15, 'mười lăm'],
  [16, 'mười sáu'],
  [19, 'mười chín'],
  [20, 'hai mươi'],
  [21, 'hai mươi mốt'],
  [22, 'hai mươi hai'],
  [23, 'hai mươi ba'],
  [24, 'hai mươi tư'],
  [25, 'hai mươi lăm'],
  [26, 'hai mươi sáu'],
  [30, 'ba mươi'],
  [31, 'ba mươi mốt'],
  [34, 'ba mươi tư'],
  [35, 'ba mươi lăm'],
  [41, 'bốn mươi mốt'],
  [44, 'bốn mươi tư'],
  [45, 'bốn mươi lăm'],
  [50, 'năm mươi'],
  [55, 'năm mươi lăm'],
  [99, 'chín mươi chín'],
  [100, 'một trăm'],
  [101, 'một trăm linh một'],
  [104, 'một trăm linh bốn'],
  [105, 'một trăm linh năm'],
  [109, 'một trăm linh chín'],
  [110, 'một trăm mười'],
  [111, 'một trăm mười một'],
  [114, 'một trăm mười bốn'],
  [115, 'một trăm mười lăm'],
  [120, 'một trăm hai mươi'],
  [121, 'một trăm hai mươi mốt'],
  [124, 'một trăm hai mươi tư'],
  [125, 'một trăm hai mươi lăm'],
  [200, 'hai trăm'],
  [999, 'chín trăm chín mươi chín'],
  [1000, 'một nghìn'],
  [1001, 'một nghìn không trăm linh một'],
  [1004, 'một nghìn không trăm linh bốn'],
  [1005, 'một nghìn không trăm linh năm'],
  [1006, 'một nghìn không trăm linh sáu'],
  [1009, 'một nghìn không trăm linh chín'],
  [1010, 'một nghìn không trăm mười'],
  [1011, 'một nghìn không trăm mười một'],
  [1015, 'một nghìn không trăm mười lăm'],
  [1021, 'một nghìn không trăm hai mươi mốt'],
  [1100, 'một nghìn một trăm'],
  [1104, 'một nghìn một trăm linh bốn'],
  [1105, 'một nghìn một trăm linh năm'],
  [1106, 'một nghìn một trăm linh sáu'],
  [1110, 'một nghìn một trăm mười'],
  [2001, 'hai nghìn không trăm linh một'],
  [2005, 'hai nghìn không trăm linh năm'],
  [2010, 'hai nghìn không trăm mười'],
  [2011, 'hai nghìn không trăm mười một'],
  [2014, 'hai nghìn không trăm mười bốn'],
  [2015, 'hai nghìn không trăm mười lăm'],
  [2023, 'hai nghìn không trăm hai mươi ba'],
  [2024, 'hai nghìn không trăm hai mươi tư'],
  [2025, 'hai nghìn không trăm hai mươi lăm'],
  [3001, 'ba nghìn không trăm linh một'],
  [7001, 'bảy nghìn không trăm linh một'],
  [9998, 'chín nghìn chín trăm chín mươi tám'],
  [9999, 'chín nghìn chín trăm chín mươi chín'],
  [10000, 'mười nghìn'],
  [10005, 'mười nghìn không trăm linh năm'],
  [14000, 'mười bốn nghìn'],
  [15000, 'mười lăm nghìn'],
  [21000, 'hai mươi mốt nghìn'],
  [24000, 'hai mươi tư nghìn'],
  [25025, 'hai mươi lăm nghìn không trăm hai mươi lăm'],
  [99999, 'chín mươi chín nghìn chín trăm chín mươi chín'],
  [100000, 'một trăm nghìn'],
  [105105, 'một trăm linh năm nghìn một trăm linh năm'],
  [999999, 'chín trăm chín mươi chín nghìn chín trăm chín mươi chín'],
];

describe('numberToWords (Northern reading)', () => {
  it.each(TABLE)('%i → %s', (n, words) => {
    expect(numberToWords(n)).toBe(words);
  });

  it('reads every number up to the maximum with known words only, never two spaces', () => {
    const vocabulary = new Set(['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín', 'mười', 'mươi', 'mốt', 'tư', 'lăm', 'linh', 'trăm', 'nghìn']);
    const odd: string[] = [];
    for (let n = 0; n <= MAX_SPOKEN_NUMBER; n += n < 20_000 ? 1 : 37) {
      const text = numberToWords(n);
      if (text.split(' ').some((w) => !vocabulary.has(w))) odd.push(`${n}: ${text}`);
    }
    expect(odd).toEqual([]);
  });

  it.each([-1, 1.5, 1_000_000, Number.NaN])('refuses %p', (n) => {
    expect(() => numberToWords(n)).toThrow(RangeError);
  });
});
