import { useEffect, useRef, useState } from 'react';
import { citizenIdOfScan, type CitizenIdRule, type ServiceView } from '@xephang/protocol';
import { CITIZEN_TEXT } from './citizen-text';
import type { Lang } from './text';

/** A scan with no key for this long is dropped: a half-typed line never waits for the next citizen. */
const PARTIAL_SCAN_MS = 2_000;
/** Nobody scanned: back to the fields, the screen holding nothing. */
export const SCAN_IDLE_MS = 45_000;

export interface CitizenScanProps {
  lang: Lang;
  service: ServiceView;
  rule: CitizenIdRule;
  /** The 12-digit ID read from the card's QR (its first field). */
  onScanned: (citizenId: string) => void;
  /** `limit` only: the citizen has no card. */
  onSkip: () => void;
  /** Back to the fields (the button, or nobody scanned for SCAN_IDLE_MS). */
  onBack: () => void;
}

/**
 * The ID card screen (issue 20): why it asks, then waits for a keyboard-mode 2D scanner to type
 * the card's QR and Enter. Only the first `|`-separated field is used; the line is held in a ref,
 * never rendered, and dropped on Enter, on a pause in the typing and when the screen goes.
 */
export function CitizenScan({ lang, service, rule, onScanned, onSkip, onBack }: CitizenScanProps) {
  const t = CITIZEN_TEXT[lang];
  const line = useRef('');
  const lastKeyAt = useRef(0);
  const [unreadable, setUnreadable] = useState(false);
  const [reading, setReading] = useState(false);
  const handlers = useRef({ onScanned, onBack });
  handlers.current = { onScanned, onBack };

  useEffect(() => {
    let partial: ReturnType<typeof setTimeout> | undefined;
    const drop = () => {
      line.current = '';
      setReading(false);
    };
    const onKey = (e: KeyboardEvent) => {
      // The scanner is a keyboard: nothing else on the page may take its keys.
      e.preventDefault();
      const now = performance.now();
      if (now - lastKeyAt.current > PARTIAL_SCAN_MS) line.current = '';
      lastKeyAt.current = now;
      clearTimeout(partial);
      if (e.key === 'Enter') {
        const id = citizenIdOfScan(line.current);
        drop();
        if (id) handlers.current.onScanned(id);
        else setUnreadable(true);
        return;
      }
      if (e.key.length !== 1) return;
      // Past the first field nothing is needed: the rest (a name, an address) is never kept.
      if (!line.current.includes('|')) line.current += e.key;
      setReading(true);
      partial = setTimeout(drop, PARTIAL_SCAN_MS);
    };
    window.addEventListener('keydown', onKey, true);
    const idle = setTimeout(() => handlers.current.onBack(), SCAN_IDLE_MS);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      clearTimeout(partial);
      clearTimeout(idle);
      line.current = '';
    };
  }, []);

  const name = lang === 'vi' ? service.nameVi : service.nameEn;
  const other = CITIZEN_TEXT[lang === 'vi' ? 'en' : 'vi'];
  return (
    <section className="kiosk-scan" data-testid="citizen-scan" data-mode={rule.mode} aria-live="polite">
      <div className="kiosk-scan-field">{name}</div>
      <h1>{t.title}</h1>
      <div className="kiosk-scan-card" aria-hidden="true">
        <span className="kiosk-scan-qr">▦</span>
      </div>
      <p className="kiosk-scan-how">{reading ? t.reading : t.how}</p>
      {unreadable && (
        <div className="kiosk-error" role="alert" data-testid="citizen-scan-unreadable">
          {t.unreadable}
        </div>
      )}
      <div className="kiosk-scan-notice" data-testid="citizen-scan-notice">
        <p>
          <strong>{t.why}</strong> {t.limit(rule.maxActive)}
        </p>
        <p>{t.stored}</p>
        {lang === 'vi' && (
          <p className="kiosk-scan-en" lang="en">
            {other.title}. {other.why} {other.stored}
          </p>
        )}
      </div>
      {rule.mode === 'required' && (
        <div className="kiosk-scan-required" role="note" data-testid="citizen-scan-required">
          {t.required}
          {lang === 'vi' && <div className="kiosk-scan-en" lang="en">{other.required}</div>}
        </div>
      )}
      <div className="kiosk-scan-actions">
        <button type="button" className="kiosk-scan-back" data-testid="citizen-scan-back" onClick={onBack}>
          {t.back}
        </button>
        {rule.mode === 'limit' && (
          <button type="button" className="kiosk-scan-skip" data-testid="citizen-scan-skip" onClick={onSkip}>
            {t.skip}
          </button>
        )}
      </div>
    </section>
  );
}

/** The refusal when one card already holds the field's limit: never whose card. */
export function CitizenRefused({ lang, rule, onDone }: { lang: Lang; rule: CitizenIdRule | undefined; onDone: () => void }) {
  const t = CITIZEN_TEXT[lang];
  const other = CITIZEN_TEXT[lang === 'vi' ? 'en' : 'vi'];
  return (
    <section className="kiosk-refused" data-testid="citizen-refused" role="alert">
      <div className="kiosk-refused-mark" aria-hidden="true">✋</div>
      <h1>{t.refusedTitle}</h1>
      <p>{t.refusedLine}</p>
      {rule && <p>{t.limit(rule.maxActive)}</p>}
      {lang === 'vi' && (
        <p className="kiosk-scan-en" lang="en">
          {other.refusedTitle}. {other.refusedLine}
        </p>
      )}
      <button type="button" className="done" data-testid="citizen-refused-done" onClick={onDone}>
        {lang === 'vi' ? 'Xong' : 'Done'}
      </button>
    </section>
  );
}
