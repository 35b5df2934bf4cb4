import { useEffect, useState } from 'react';
import { dossierPatternRefusal, dossierPatternText, scannerPrefixRefusal, takesDossierCode } from '@xephang/core';
import { DOSSIER_PATTERN_DEFAULT, OUTCOME_NAMES, TICKET_STATE_NAMES, TRIPS_TEXT, visitRatingText, type VisitList, type VisitRow } from '@xephang/protocol';
import { isoToDmy, timeVi } from '../shared/format';
import { DateField } from '../shared/report/DateField';
import { requestId } from '../shared/useHub';
import { useAdmin } from './api';

const PAGE = 50;

/** Minutes with one decimal, the Vietnamese way ("6,5"). */
const mins = (ms: number | null) => (ms === null ? '—' : (ms / 60_000).toFixed(1).replace('.', ','));
const time = (ms: number | null) => (ms === null ? '—' : timeVi(ms));

function ratingText(r: VisitRow['rating']): string {
  if (!r) return '—';
  return [visitRatingText(r), r.reason, r.trips ? TRIPS_TEXT[r.trips].vi : null].filter(Boolean).join(' · ');
}

/**
 * "Lượt khách": a day's visits, searched by number or dossier code — which visit was dossier X,
 * who served it, how long the citizen waited — and the code of a visit of today added or corrected.
 */
export function VisitsTab() {
  const { send, state } = useAdmin();
  const [day, setDay] = useState(state.day);
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<VisitList>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  // A finish anywhere moves the state's seq: today's list is read again with it.
  const seq = day === state.day ? state.seq : 0;

  useEffect(() => {
    let live = true;
    const query = q.trim();
    void send('visit:list', { day, ...(query ? { q: query } : {}), limit: PAGE, offset }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setList(r.data);
        setError(undefined);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [send, day, q, offset, seq, reloads]);

  return (
    <>
      <section className="admin-section" data-testid="visits">
        <h2>
          Lượt khách <small>Visits</small>
        </h2>
        <p className="hint">Mỗi lượt lấy số trong ngày: ai phục vụ, chờ bao lâu, kết quả, mã hồ sơ và đánh giá. Mã hồ sơ của lượt hôm nay sửa được ở đây.</p>
        <div className="admin-form row visit-search">
          <label className="field" data-testid="visits-day">
            Ngày
            <DateField
              value={day}
              label="Ngày"
              onChange={(iso) => {
                if (iso === '') return;
                setDay(iso);
                setOffset(0);
              }}
            />
          </label>
          <label className="field">
            Tìm theo số thứ tự hoặc mã hồ sơ
            <input
              type="search"
              value={q}
              maxLength={80}
              placeholder="Ví dụ 2005 hoặc H12-250714"
              data-testid="visits-search"
              onChange={(e) => {
                setQ(e.target.value);
                setOffset(0);
              }}
            />
          </label>
        </div>
        {error && (
          <p className="message error" role="alert">
            {error}
          </p>
        )}
        {!list ? (
          <p className="loading">Đang tải…</p>
        ) : list.total === 0 ? (
          <p className="hint" data-testid="visits-empty">
            {q.trim() ? `Không có lượt nào ngày ${isoToDmy(list.day)} khớp “${q.trim()}”.` : `Ngày ${isoToDmy(list.day)} chưa có lượt nào.`}
          </p>
        ) : (
          <>
            <table className="admin-table visit-table" data-testid="visits-table">
              <thead>
                <tr>
                  <th>Số</th>
                  <th>Lĩnh vực</th>
                  <th>Quầy</th>
                  <th>Cán bộ</th>
                  <th>Lấy số</th>
                  <th>Gọi</th>
                  <th>Bắt đầu</th>
                  <th>Kết thúc</th>
                  <th className="num">Chờ (phút)</th>
                  <th className="num">Phục vụ (phút)</th>
                  <th>Kết quả</th>
                  <th>Mã hồ sơ</th>
                  <th>Đánh giá</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((v) => (
                  <tr key={v.ticketId} data-testid={`visit-${v.number}`}>
                    <td className="num">
                      <strong>{v.number}</strong>
                    </td>
                    <td className="wrap">{v.serviceNameVi}</td>
                    <td>{v.counterName ?? '—'}</td>
                    <td className="wrap">{v.clerkName ?? '—'}</td>
                    <td className="nowrap">{time(v.issuedAt)}</td>
                    <td className="nowrap">{time(v.calledAt)}</td>
                    <td className="nowrap">{time(v.startedAt)}</td>
                    <td className="nowrap">{time(v.finishedAt)}</td>
                    <td className="num">{mins(v.waitMs)}</td>
                    <td className="num">{mins(v.serviceMs)}</td>
                    <td className="wrap">{v.outcome ? OUTCOME_NAMES[v.outcome] : TICKET_STATE_NAMES[v.state]}</td>
                    <td>
                      <DossierCell visit={v} editable={list.day === state.day && v.state === 'done' && takesDossierCode(v.outcome)} saved={() => setReloads((n) => n + 1)} />
                    </td>
                    <td className="wrap">{ratingText(v.rating)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                ‹ Trang trước
              </button>
              <span data-testid="visits-count">
                {offset + 1}–{offset + list.rows.length} trong {list.total} lượt
              </span>
              <button type="button" disabled={offset + PAGE >= list.total} onClick={() => setOffset(offset + PAGE)}>
                Trang sau ›
              </button>
            </div>
          </>
        )}
      </section>
      <DossierSettingsCard />
    </>
  );
}

/** A visit's code, and for a visit of today its editor: the hub's refusal is said beside the field. */
function DossierCell({ visit, editable, saved }: { visit: VisitRow; editable: boolean; saved: () => void }) {
  const { send } = useAdmin();
  const [editing, setEditing] = useState<string>();
  const [error, setError] = useState<string>();
  if (editing === undefined) {
    return (
      <span className="dossier-edit">
        {visit.dossierCode ? <code data-testid="visit-code">{visit.dossierCode}</code> : '—'}
        {editable && (
          <button type="button" data-testid={`visit-edit-${visit.number}`} onClick={() => setEditing(visit.dossierCode ?? '')}>
            {visit.dossierCode ? 'Sửa' : 'Thêm'}
          </button>
        )}
      </span>
    );
  }
  const save = async () => {
    const code = editing.trim();
    const r = await send('visit:setDossier', { requestId: requestId(), ticketId: visit.ticketId, code: code === '' ? null : code });
    if (!r.ok) return setError(r.error.message);
    setEditing(undefined);
    setError(undefined);
    saved();
  };
  return (
    <form
      className="dossier-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input autoFocus value={editing} maxLength={80} aria-label={`Mã hồ sơ của số ${visit.number}`} data-testid="visit-code-input" onChange={(e) => setEditing(e.target.value)} />
      <button type="submit" className="primary">
        Lưu
      </button>
      <button type="button" onClick={() => (setEditing(undefined), setError(undefined))}>
        Huỷ
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

/** The center's dossier code pattern and its scanners' prefix; checked here as the hub checks them. */
function DossierSettingsCard() {
  const { config, act } = useAdmin();
  const current = config?.dossier;
  const [pattern, setPattern] = useState<string>();
  const [prefix, setPrefix] = useState<string>();
  if (!current) return null;
  const p = pattern ?? current.pattern;
  const s = prefix ?? current.scannerPrefix;
  const refusal = dossierPatternRefusal(p) ?? scannerPrefixRefusal(s);
  const changed = p !== current.pattern || s !== current.scannerPrefix;
  return (
    <section className="admin-section" data-testid="dossier-settings">
      <h2>
        Mã hồ sơ và máy quét <small>Dossier code and scanner</small>
      </h2>
      <p className="hint">
        Mã hồ sơ in trên phiếu tiếp nhận (Mẫu 01). Khi chưa rõ định dạng của tỉnh, giữ mẫu mặc định: {dossierPatternText(DOSSIER_PATTERN_DEFAULT)}. Máy quét USB cần được cài gửi
        tiền tố trước mã và Enter sau mã; quầy nhận mã theo tiền tố, ở bất kỳ ô nào đang được chọn.
      </p>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('visit:setDossierSettings', { pattern: p, scannerPrefix: s }, () => 'Đã lưu mẫu mã hồ sơ và tiền tố máy quét.').then((saved) => {
            if (saved) {
              setPattern(undefined);
              setPrefix(undefined);
            }
          });
        }}
      >
        <label className="field">
          Mẫu mã hồ sơ (biểu thức chính quy JavaScript)
          <input value={p} maxLength={200} data-testid="dossier-pattern" className={dossierPatternRefusal(p) ? 'invalid' : undefined} onChange={(e) => setPattern(e.target.value)} />
        </label>
        <label className="field">
          Tiền tố máy quét (để trống nếu không dùng máy quét)
          <input value={s} maxLength={8} className={`short${scannerPrefixRefusal(s) ? ' invalid' : ''}`} data-testid="dossier-prefix" onChange={(e) => setPrefix(e.target.value)} />
        </label>
        {refusal && (
          <p className="message error" role="alert">
            {refusal}
          </p>
        )}
        <div>
          <button type="submit" className="primary" disabled={!changed || refusal !== undefined}>
            Lưu
          </button>{' '}
          <button type="button" disabled={p === DOSSIER_PATTERN_DEFAULT} onClick={() => setPattern(DOSSIER_PATTERN_DEFAULT)}>
            Về mẫu mặc định
          </button>
        </div>
      </form>
    </section>
  );
}
