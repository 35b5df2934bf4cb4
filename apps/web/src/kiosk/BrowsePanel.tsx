import { useMemo, useState } from 'react';
import { byField } from '@xephang/catalog';
import { PanelHead, ProcedureButton, useIdleClose, type PanelProps } from './SearchPanel';
import { SEARCH_TEXT } from './text';

/** The procedures grouped under each field: pick a field, then the procedure. */
export function BrowsePanel({ lang, catalog, services, disabled, onPick, onClose }: PanelProps) {
  const t = SEARCH_TEXT[lang];
  const active = useMemo(() => services.filter((s) => s.active), [services]);
  const groups = useMemo(() => byField(catalog.procedures ?? [], active.map((s) => s.id)), [catalog.procedures, active]);
  const [fieldId, setFieldId] = useState<string | undefined>(undefined);
  const current = active.find((s) => s.id === fieldId) ?? active[0];

  useIdleClose(onClose, fieldId);

  return (
    <section className="kiosk-panel kiosk-browse" data-testid="browse-panel" aria-label={t.browseTitle}>
      <PanelHead title={t.browseTitle} back={t.back} onClose={onClose} />
      {!catalog.procedures && <p className="search-note">{t.loading}</p>}
      <div className="browse">
        <div className="browse-fields" role="tablist">
          {active.map((s) => (
            <button
              type="button"
              role="tab"
              key={s.id}
              data-field={s.id}
              aria-selected={s.id === current?.id}
              className={s.id === current?.id ? 'browse-field selected' : 'browse-field'}
              onClick={() => setFieldId(s.id)}
            >
              <span>{lang === 'vi' ? s.nameVi : s.nameEn}</span>
              <span className="browse-count">{t.count(groups.get(s.id)?.length ?? 0)}</span>
            </button>
          ))}
        </div>
        <ul className="browse-list" role="tabpanel" data-testid="browse-list">
          {current &&
            (groups.get(current.id) ?? []).map((p) => (
              <li key={p.code}>
                <ProcedureButton procedure={p} service={current} lang={lang} disabled={disabled} onPick={onPick} showField={false} />
              </li>
            ))}
        </ul>
      </div>
    </section>
  );
}
