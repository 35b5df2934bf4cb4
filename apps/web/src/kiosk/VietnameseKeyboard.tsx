import type { PointerEvent } from 'react';
import { applyTone, type Tone } from '@xephang/catalog';
import { SEARCH_TEXT, type SearchLang } from './text';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const VIETNAMESE = ['ă', 'â', 'đ', 'ê', 'ô', 'ơ', 'ư'];
const TONE_KEYS: { tone: Tone; mark: string; vi: string }[] = [
  { tone: 'sac', mark: 'á', vi: 'sắc' },
  { tone: 'huyen', mark: 'à', vi: 'huyền' },
  { tone: 'hoi', mark: 'ả', vi: 'hỏi' },
  { tone: 'nga', mark: 'ã', vi: 'ngã' },
  { tone: 'nang', mark: 'ạ', vi: 'nặng' },
];
const MAX_LENGTH = 80;

// A tap must not take the focus from the search box (nor open a system keyboard).
const keep = (e: PointerEvent) => e.preventDefault();

/**
 * A touch keyboard for Vietnamese: the Latin letters, the seven Vietnamese letters, and the
 * five tones, each put on the right vowel of the word being typed. Typing without marks, or
 * in Telex ("ddang kys"), works too: the search reads all of them.
 */
export function VietnameseKeyboard({ value, onChange, lang }: { value: string; onChange: (next: string) => void; lang: SearchLang }) {
  const t = SEARCH_TEXT[lang];
  const type = (s: string) => {
    if (value.length < MAX_LENGTH) onChange(value + s);
  };
  const key = (label: string, action: () => void, opts: { className?: string; name?: string; aria?: string } = {}) => (
    <button
      type="button"
      key={opts.name ?? label}
      className={`vk-key ${opts.className ?? ''}`}
      data-key={opts.name ?? label}
      aria-label={opts.aria ?? label}
      onPointerDown={keep}
      onClick={action}
    >
      {label}
    </button>
  );
  return (
    <div className="vk" data-testid="vietnamese-keyboard" role="group" aria-label="Bàn phím tiếng Việt">
      {ROWS.map((row, i) => (
        <div className="vk-row" key={row}>
          {[...row].map((c) => key(c, () => type(c)))}
          {i === 2 && key('⌫', () => onChange([...value].slice(0, -1).join('')), { className: 'vk-wide', name: 'backspace', aria: t.backspace })}
        </div>
      ))}
      <div className="vk-row vk-vietnamese">{VIETNAMESE.map((c) => key(c, () => type(c)))}</div>
      <div className="vk-row vk-tones" aria-label={t.tones}>
        {TONE_KEYS.map((k) => key(k.mark, () => onChange(applyTone(value, k.tone)), { name: `tone-${k.tone}`, aria: `dấu ${k.vi}`, className: 'vk-tone' }))}
      </div>
      <div className="vk-row">
        {key(t.clear, () => onChange(''), { name: 'clear', className: 'vk-wide' })}
        {key(t.space, () => {
          if (value !== '' && !value.endsWith(' ')) type(' ');
        }, { name: 'space', className: 'vk-space' })}
      </div>
    </div>
  );
}
