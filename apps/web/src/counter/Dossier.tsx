import { useEffect, useState, type RefObject } from 'react';
import type { HubClient } from '@xephang/client';
import { dossierCodeRefusal, dossierPatternText, takesDossierCode } from '@xephang/core';
import type { DossierSettings, Outcome, VisitRow } from '@xephang/protocol';
import { timeVi } from '../shared/format';
import { OUTCOME_TEXT } from './text';

/**
 * What the counter's one code field writes to: the visit in hand (the code goes with its finish,
 * if that finish is "received" or "returned"), or a visit of today finished here (the code is
 * saved at once with visit:setDossier).
 */
export type DossierTarget =
  | { kind: 'current'; ticketId: string; number: number }
  | { kind: 'visit'; ticketId: string; number: number; outcome: Outcome; code: string | null };

/** The field's text and what was last said beside it, for the target `for` (its ticket id). */
export interface DossierDraft {
  for: string | undefined;
  value: string;
  error?: string | undefined;
  info?: string | undefined;
}

/**
 * The dossier code field: optional, typed or scanned (useScanner routes a scan here), never in
 * the way of the keys — Enter gives the focus back to the screen. The pattern's refusal shows
 * beside it as the clerk types; the hub's refusal replaces it.
 */
export function DossierField(props: {
  target: DossierTarget | undefined;
  draft: DossierDraft;
  settings: DossierSettings;
  scanning: boolean;
  inputRef: RefObject<HTMLInputElement | null>;
  onChange: (value: string) => void;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const { target, draft, settings } = props;
  if (!target) {
    return (
      <div className="dossier" data-testid="dossier" data-prefix={settings.scannerPrefix}>
        <p className="hint">
          Mã hồ sơ (không bắt buộc): ghi cho lượt kết thúc với “{OUTCOME_TEXT.received}” hoặc “{OUTCOME_TEXT.returned}”
          {settings.scannerPrefix ? ', quét phiếu tiếp nhận bằng máy quét' : ''}.
        </p>
        {/* The keys go to the scan while it lasts: say so even with no visit to write the code to. */}
        {props.scanning && <small className="dossier-note" data-testid="dossier-note">Đang nhận mã từ máy quét… (Esc để huỷ)</small>}
      </div>
    );
  }
  const local = draft.value.trim() === '' ? undefined : dossierCodeRefusal(draft.value.trim(), settings);
  const error = draft.error ?? local;
  const label = `Mã hồ sơ số ${target.number}`;
  const when =
    target.kind === 'current'
      ? `Không bắt buộc; ghi khi kết thúc với 1 “${OUTCOME_TEXT.received}” hoặc 3 “${OUTCOME_TEXT.returned}”.`
      : `Lượt đã xong (${OUTCOME_TEXT[target.outcome]}): Enter để lưu, để trống để xoá mã.`;
  return (
    <form
      className={`dossier${props.scanning ? ' scanning' : ''}`}
      data-testid="dossier" data-prefix={settings.scannerPrefix}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <div className="dossier-row">
        <label htmlFor="dossier-code">{label}</label>
        <input
          id="dossier-code"
          ref={props.inputRef}
          data-testid="dossier-code"
          value={draft.value}
          maxLength={80}
          autoComplete="off"
          spellCheck={false}
          placeholder={settings.scannerPrefix ? 'Gõ hoặc quét mã trên phiếu tiếp nhận' : 'Gõ mã trên phiếu tiếp nhận'}
          title={`Mã gồm ${dossierPatternText(settings.pattern)}.`}
          aria-invalid={error !== undefined}
          aria-describedby="dossier-note"
          className={error ? 'invalid' : undefined}
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') props.onCancel();
          }}
        />
        <button type="submit">{target.kind === 'current' ? 'Giữ mã' : 'Lưu mã'}</button>
        {target.kind === 'visit' && (
          <button type="button" onClick={props.onCancel}>
            Đóng
          </button>
        )}
      </div>
      <small id="dossier-note" className={error ? 'dossier-note error' : 'dossier-note'} role={error ? 'alert' : undefined} data-testid="dossier-note">
        {props.scanning ? 'Đang nhận mã từ máy quét…' : (error ?? draft.info ?? when)}
      </small>
    </form>
  );
}

/** How long the search box waits for the clerk to stop typing before asking the hub. */
const SEARCH_DELAY_MS = 250;

/**
 * The visits this counter finished today, newest first, searched by number or code; a visit that
 * received a dossier or returned a result can be given its code here, later in the day. The hub
 * sends the newest 200 (a counter's page) and the count of all: past 200 the heading says so, and
 * the search is sent to the hub, so it reaches the older visits too.
 */
export function TodayVisits(props: { client: HubClient | undefined; day: string; refresh: string; onPick: (row: VisitRow) => void }) {
  const { client, day, refresh } = props;
  // The newest page of today, and the hub's answer to the search in the box.
  const [list, setList] = useState<{ rows: VisitRow[]; total: number }>();
  const [found, setFound] = useState<{ rows: VisitRow[]; total: number; q: string }>();
  const [search, setSearch] = useState('');
  const q = search.trim();
  useEffect(() => {
    let live = true;
    void client?.send('visit:list', { day }).then((r) => live && r.ok && setList({ rows: r.data.rows, total: r.data.total }));
    return () => {
      live = false;
    };
  }, [client, day, refresh]);
  useEffect(() => {
    if (q === '') return;
    let live = true;
    // Asked once the clerk stops typing.
    const timer = setTimeout(
      () => void client?.send('visit:list', { day, q }).then((r) => live && r.ok && setFound({ rows: r.data.rows, total: r.data.total, q })),
      SEARCH_DELAY_MS,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, day, refresh, q]);
  const rows = list?.rows;
  const needle = q.toLowerCase();
  // The rows held are narrowed at once (a number by its first digits), and the hub's answer adds
  // the older visits it finds (a number exactly, a code by any part).
  const hits = found && found.q === q ? found.rows : [];
  const matching = (rows ?? []).filter((r) => needle === '' || String(r.number).startsWith(needle) || (r.dossierCode ?? '').toLowerCase().includes(needle));
  const merged = needle === '' ? matching : [...new Map([...hits, ...matching].map((r) => [r.ticketId, r])).values()].sort((a, b) => a.issuedAt - b.issuedAt);
  // Newest first: the visit just finished is the one a code is most often added to.
  const shown = merged.reverse();
  const partial =
    needle === ''
      ? list && list.rows.length < list.total && `${list.rows.length} lượt gần nhất / of ${list.total}: tìm theo số hoặc mã hồ sơ để thấy lượt cũ hơn.`
      : found && found.q === q && found.rows.length < found.total && `${found.rows.length} lượt khớp gần nhất / of ${found.total}: gõ thêm để thu hẹp.`;
  return (
    <section className="today" aria-label="Lượt đã phục vụ hôm nay">
      <h2 data-testid="today-heading">Đã phục vụ hôm nay ({list?.total ?? 0})</h2>
      <input
        type="search"
        className="today-search"
        data-testid="today-search"
        value={search}
        maxLength={80}
        placeholder="Tìm theo số hoặc mã hồ sơ"
        aria-label="Tìm lượt đã phục vụ theo số hoặc mã hồ sơ"
        onChange={(e) => setSearch(e.target.value)}
      />
      {partial && (
        <p className="hint" data-testid="today-partial">
          {partial}
        </p>
      )}
      <ul className="waiting-list" data-testid="today-list">
        {shown.map((r) => (
          <li key={r.ticketId}>
            <span className="num">{r.number}</span>
            <span className="svc">
              {r.outcome ? OUTCOME_TEXT[r.outcome] : ''}
              {r.finishedAt !== null && ` · ${timeVi(r.finishedAt)}`}
              {r.dossierCode && (
                <>
                  <br />
                  <code data-testid="today-code">{r.dossierCode}</code>
                </>
              )}
            </span>
            {takesDossierCode(r.outcome) && (
              <button type="button" className="action small" data-testid={`dossier-pick-${r.number}`} onClick={() => props.onPick(r)}>
                {r.dossierCode ? 'Sửa mã' : 'Thêm mã'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {rows && shown.length === 0 && <p className="hint">{rows.length === 0 ? 'Chưa có lượt nào.' : 'Không có lượt nào khớp.'}</p>}
    </section>
  );
}
