import { DEFAULT_CALL_TEMPLATE, DEFAULT_RECALL_TEMPLATE } from '@xephang/protocol';
import { MAX_SPOKEN_NUMBER, numberToWords } from './numbers';

export { DEFAULT_CALL_TEMPLATE, DEFAULT_RECALL_TEMPLATE };

/** What one call says. */
export interface CallDetails {
  number: number;
  counter: number;
  /** The field's Vietnamese name, for templates with {service}. */
  serviceName?: string | undefined;
}

/**
 * Fills a template: {number} and {counter} become Vietnamese words, {service} the field's name.
 * A part in square brackets is kept only when every placeholder in it has a value, so
 * "Mời số {number}[, lĩnh vực {service},] đến quầy {counter}" works with or without a field.
 * Unknown placeholders are dropped. The result is ready to speak: no digits left.
 */
export function fillTemplate(template: string, call: CallDetails): string {
  const values: Record<string, string | undefined> = {
    number: numberToWords(call.number),
    counter: numberToWords(call.counter),
    service: call.serviceName?.trim() || undefined,
  };
  const fill = (part: string): string | undefined => {
    let missing = false;
    const text = part.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) missing = true;
      return value ?? '';
    });
    return missing ? undefined : text;
  };
  const withOptional = template.replace(/\[([^\][]*)\]/g, (_, part: string) => fill(part) ?? '');
  return spokenText(withOptional.replace(/\{(\w+)\}/g, (placeholder: string) => fill(placeholder) ?? ''));
}

/**
 * Text as it will be spoken: NFC, digits read as words, dashes as pauses, spaces collapsed,
 * no punctuation left dangling.
 */
export function spokenText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\d+/g, (digits) => readDigits(digits))
    .replace(/\s+[–—-]\s+/g, ', ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/([,.;:!?])[,.;:!?]+/g, '$1')
    .replace(/^[\s,.;:!?]+/, '')
    .trim();
}

/**
 * The words of a spoken text, grouped into phrases at punctuation (where a pause goes),
 * lower-case NFC: the names clips are looked up by.
 */
export function textToPhrases(text: string): string[][] {
  return spokenText(text)
    .split(/[,.;:!?()"“”]+/)
    .map((phrase) => phrase.split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean).map(normalizeWord))
    .filter((words) => words.length > 0);
}

/** Every word of a spoken text, in order. */
export function textToWords(text: string): string[] {
  return textToPhrases(text).flat();
}

/** A clip's or a word's lookup form: NFC, lower case (Vietnamese rules). */
export function normalizeWord(word: string): string {
  return word.normalize('NFC').toLocaleLowerCase('vi');
}

function readDigits(digits: string): string {
  const n = Number(digits);
  if (digits.length > 1 && digits.startsWith('0')) return [...digits].map((d) => numberToWords(Number(d))).join(' ');
  return n <= MAX_SPOKEN_NUMBER ? numberToWords(n) : [...digits].map((d) => numberToWords(Number(d))).join(' ');
}
