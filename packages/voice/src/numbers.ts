/** Digit words as read alone or after "linh" / "mười". */
const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** The largest number `numberToWords` reads. */
export const MAX_SPOKEN_NUMBER = 999_999;

/**
 * Reads a whole number in Vietnamese the Northern way: 1005 "một nghìn không trăm linh năm",
 * 21 "hai mươi mốt", 24 "hai mươi tư", 15 "mười lăm", 14 "mười bốn".
 * @throws RangeError outside 0 … 999,999 or for a non-integer.
 */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPOKEN_NUMBER) {
    throw new RangeError(`numberToWords reads whole numbers from 0 to ${MAX_SPOKEN_NUMBER}, not ${n}`);
  }
  if (n === 0) return DIGITS[0];
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const words: string[] = [];
  if (thousands > 0) words.push(...readGroup(thousands, false), 'nghìn');
  // After "nghìn", the hundreds are always said, even when zero: "không trăm linh năm".
  if (rest > 0) words.push(...readGroup(rest, thousands > 0));
  return words.join(' ');
}

/** 1 … 999; `full` says "không trăm" for an empty hundreds place (after a larger unit). */
function readGroup(n: number, full: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const units = n % 10;
  const words: string[] = [];
  if (hundreds > 0 || full) words.push(digit(hundreds), 'trăm');
  if (tens === 0) {
    // 105 "một trăm linh năm": the empty tens place is "linh" (Southern "lẻ").
    if (units > 0) words.push(...(words.length > 0 ? ['linh'] : []), digit(units));
    return words;
  }
  if (tens === 1) {
    words.push('mười');
    // 15 "mười lăm"; 11 "mười một" and 14 "mười bốn" keep the plain digit.
    if (units > 0) words.push(units === 5 ? 'lăm' : digit(units));
    return words;
  }
  words.push(digit(tens), 'mươi');
  if (units === 1) words.push('mốt');
  else if (units === 4) words.push('tư');
  else if (units === 5) words.push('lăm');
  else if (units > 0) words.push(digit(units));
  return words;
}

function digit(d: number): string {
  const word = DIGITS[d];
  if (word === undefined) throw new RangeError(`not a digit: ${d}`);
  return word;
}
