import { useState } from 'react';
import { dmyToIso, isoToDmy } from '../format';

/**
 * A date typed and shown as dd/mm/yyyy in every browser. A native `<input type="date">` follows
 * the browser's language, so an English one shows 5 December as 12/05/2026: read by a
 * Vietnamese admin as 12 May. `value` and `onChange` carry `YYYY-MM-DD`, or '' while what is
 * typed is not a (permitted) date, which is then said under the field.
 */
export function DateField({ value, onChange, label, min }: { value: string; onChange: (iso: string) => void; label: string; min?: string }) {
  const [text, setText] = useState(isoToDmy(value));
  const [error, setError] = useState<string>();
  // A new value from outside (a reset, another field) replaces what is typed, unless it is what was typed.
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    const typed = dmyToIso(text);
    // '' is this field's own "not a date yet": the text stays for the admin to correct.
    if (value !== '' && (!('iso' in typed) || typed.iso !== value)) {
      setText(isoToDmy(value));
      setError(undefined);
    }
  }
  const read = (typed: string) => {
    setText(typed);
    const parsed = dmyToIso(typed);
    const problem = 'error' in parsed ? (typed.trim() ? parsed.error : 'Chưa nhập ngày.') : min && parsed.iso < min ? `Ngày phải từ ${isoToDmy(min)} trở đi.` : undefined;
    setError(problem);
    if (problem || 'error' in parsed) return onChange('');
    onChange(parsed.iso);
  };
  return (
    <span className="date-field">
      <input
        type="text"
        inputMode="numeric"
        value={text}
        onChange={(e) => read(e.target.value)}
        placeholder="dd/mm/yyyy"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        className={error ? 'date-input invalid' : 'date-input'}
        maxLength={10}
        data-date={value}
      />
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
