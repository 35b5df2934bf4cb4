import { useEffect, useMemo, useState } from 'react';
import { englishOf, search } from '@xephang/catalog';
import type { ProcedureView, ServiceView } from '@xephang/protocol';
import type { KioskCatalog } from './useCatalog';
import { SEARCH_TEXT, type SearchLang } from './text';
import { VietnameseKeyboard } from './VietnameseKeyboard';

/** Results shown at once: a kiosk screen, not a list to scroll. */
const SHOWN = 6;
/** Back to the start screen when nobody touched the panel for this long. */
const IDLE_MS = 90_000;

/** Closes a kiosk panel after IDLE_MS without a touch; `activity` changes on every touch. */
export function useIdleClose(onClose: () => void, activity: unknown): void {
  useEffect(() => {
    const timer = setTimeout(onClose, IDLE_MS);
    return () => clearTimeout(timer);
  }, [activity, onClose]);
}

/** A panel's title with the way back to the start screen. */
export function PanelHead({ title, back, onClose }: { title: string; back: string; onClose: () => void }) {
  return (
    <div className="panel-head">
      <button type="button" className="panel-back" onClick={onClose}>
        {back}
      </button>
      <h2>{title}</h2>
    </div>
  );
}

export interface PanelProps {
  lang: SearchLang;
  catalog: KioskCatalog;
  services: readonly ServiceView[];
  disabled: boolean;
  onPick: (procedure: ProcedureView) => void;
  onClose: () => void;
}

/** Search by name with the on-screen keyboard; results update on every key, each tap takes a number. */
export function SearchPanel({ lang, catalog, services, disabled, onPick, onClose }: PanelProps) {
  const t = SEARCH_TEXT[lang];
  const [query, setQuery] = useState('');
  const active = useMemo(() => new Map(services.filter((s) => s.active).map((s) => [s.id, s])), [services]);
  const hits = useMemo(() => {
    if (!catalog.index || query.trim() === '') return [];
    const inField = (h: { procedure: ProcedureView }) => active.has(h.procedure.serviceId);
    // In English, the English names first; Vietnamese words a foreigner was shown still work.
    const english = lang === 'en' && catalog.indexEn ? search(catalog.indexEn, query, SHOWN * 2).filter(inField) : [];
    const byCode = new Map((catalog.procedures ?? []).map((p) => [p.code, p]));
    const found = english.map((h) => byCode.get(h.procedure.code)).filter((p): p is ProcedureView => p !== undefined);
    if (found.length === 0) found.push(...search(catalog.index, query, SHOWN * 2).filter(inField).map((h) => h.procedure));
    return found.slice(0, SHOWN);
  }, [catalog.index, catalog.indexEn, catalog.procedures, query, active, lang]);
  const someViOnly = lang === 'en' && hits.some((p) => !englishOf(p));

  useIdleClose(onClose, query);

  return (
    <section className="kiosk-panel kiosk-search" data-testid="search-panel" aria-label={t.searchTitle}>
      <PanelHead title={t.searchTitle} back={t.back} onClose={onClose} />
      <input
        className="search-box"
        data-testid="search-box"
        value={query}
        placeholder={t.placeholder}
        // The on-screen keyboard types here; a tablet's own keyboard stays closed. Read-only to
        // keys: a kiosk's only keyboard is the ID card scanner, and a card scanned here would put
        // its ID number and name on the screen for the next citizen (issue 20).
        readOnly
        inputMode="none"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setQuery(e.target.value.slice(0, 80))}
        aria-label={t.placeholder}
      />
      <ol className="search-results" data-testid="search-results" aria-live="polite">
        {!catalog.index && <li className="search-note">{t.loading}</li>}
        {catalog.index && query.trim() === '' && <li className="search-note">{t.hint}</li>}
        {catalog.index && query.trim() !== '' && hits.length === 0 && (
          <li className="search-note" data-testid="search-none">
            {t.none}{' '}
            <button type="button" className="panel-back" onClick={onClose}>
              {t.chooseField}
            </button>
          </li>
        )}
        {someViOnly && <li className="search-note">{t.listedInVi}</li>}
        {hits.map((procedure) => (
          <li key={procedure.code}>
            <ProcedureButton procedure={procedure} service={active.get(procedure.serviceId)} lang={lang} disabled={disabled} onPick={onPick} />
          </li>
        ))}
      </ol>
      <VietnameseKeyboard value={query} onChange={setQuery} lang={lang} />
    </section>
  );
}

/** One procedure to tap: its name, its field, the papers to bring. */
export function ProcedureButton({
  procedure,
  service,
  lang,
  disabled,
  onPick,
  showField = true,
}: {
  procedure: ProcedureView;
  service: ServiceView | undefined;
  lang: SearchLang;
  disabled: boolean;
  onPick: (procedure: ProcedureView) => void;
  showField?: boolean;
}) {
  const t = SEARCH_TEXT[lang];
  // In English: the English name, with the official Vietnamese one under it for the clerk.
  const en = lang === 'en' ? englishOf(procedure) : undefined;
  const papers = en ? en.papers : procedure.papers;
  return (
    <button type="button" className="procedure" data-procedure={procedure.code} disabled={disabled} onClick={() => onPick(procedure)}>
      <span className="procedure-name">{en ? en.name : procedure.name}</span>
      {en && (
        <span className="procedure-vi" lang="vi">
          {procedure.name}
        </span>
      )}
      {showField && (
        <span className="procedure-field" data-testid="procedure-field">
          {service ? (lang === 'vi' ? service.nameVi : service.nameEn) : procedure.serviceId}
        </span>
      )}
      {papers.length > 0 && (
        <span className="procedure-papers">
          {t.papers} {papers.join('; ')}
        </span>
      )}
      <span className="procedure-take">{t.take} ›</span>
    </button>
  );
}
