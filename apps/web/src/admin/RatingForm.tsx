import { useState } from 'react';
import {
  DEFAULT_RATING_SETTINGS,
  OFFICIAL_SCORES,
  RATING_REASON_MAX_LENGTH,
  RATING_REASONS_MAX,
  REASON_MAX_SCORE,
  type RatingSettings,
} from '@xephang/protocol';
import { useAdmin } from './api';

/**
 * What the rating tablet asks: the wording of the five levels (the ministries' forms by default)
 * and the short list of reasons offered after "Bình thường" or below. The hub checks and logs it.
 */
export function RatingForm({ settings }: { settings: RatingSettings }) {
  const { act, online } = useAdmin();
  const [draft, setDraft] = useState(settings);
  const setLevel = (score: number, key: 'vi' | 'en', value: string) =>
    setDraft({ ...draft, levels: draft.levels.map((l, i) => (i === score - 1 ? { ...l, [key]: value } : l)) });
  const setReason = (i: number, value: string) => setDraft({ ...draft, reasons: draft.reasons.map((r, j) => (j === i ? value : r)) });
  return (
    <section className="admin-section" data-testid="rating-form">
      <h2>Câu hỏi đánh giá <small>Rating tablet</small></h2>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('rating:setSettings', draft, () => 'Đã lưu câu hỏi đánh giá; máy đánh giá dùng từ lượt sau.');
        }}
      >
        <p className="hint">
          Năm mức theo mẫu phiếu đánh giá của các bộ, từ cao xuống thấp. Tỷ lệ hài lòng trong báo cáo = (số đánh giá mức 5 + mức 4) / tổng số đánh giá theo thang 5 mức.
        </p>
        <table className="admin-table rating-levels">
          <thead>
            <tr>
              <th>Mức</th>
              <th>Tiếng Việt</th>
              <th>Tiếng Anh</th>
            </tr>
          </thead>
          <tbody>
            {OFFICIAL_SCORES.map((score) => (
              <tr key={score}>
                <th>{score}</th>
                <td>
                  <input value={draft.levels[score - 1]!.vi} maxLength={40} onChange={(e) => setLevel(score, 'vi', e.target.value)} aria-label={`Mức ${score} (tiếng Việt)`} />
                </td>
                <td>
                  <input value={draft.levels[score - 1]!.en} maxLength={40} onChange={(e) => setLevel(score, 'en', e.target.value)} aria-label={`Mức ${score} (tiếng Anh)`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset className="rating-reasons">
          <legend>
            Lý do hỏi thêm khi người dân chọn từ mức {REASON_MAX_SCORE} trở xuống (tối đa {RATING_REASONS_MAX}, mỗi lý do ngắn gọn)
          </legend>
          {draft.reasons.map((reason, i) => (
            <span className="session" key={i}>
              <input value={reason} maxLength={RATING_REASON_MAX_LENGTH} onChange={(e) => setReason(i, e.target.value)} aria-label={`Lý do ${i + 1}`} />
              <button type="button" aria-label={`Bỏ lý do ${i + 1}`} disabled={draft.reasons.length <= 1} onClick={() => setDraft({ ...draft, reasons: draft.reasons.filter((_, j) => j !== i) })}>
                ✕
              </button>
            </span>
          ))}
          {draft.reasons.length < RATING_REASONS_MAX && (
            <button type="button" onClick={() => setDraft({ ...draft, reasons: [...draft.reasons, ''] })}>
              + Thêm lý do
            </button>
          )}
        </fieldset>
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={!online || JSON.stringify(draft) === JSON.stringify(settings)}>
            Lưu câu hỏi đánh giá
          </button>
          <button type="button" onClick={() => setDraft(structuredClone(DEFAULT_RATING_SETTINGS))}>
            Về mặc định
          </button>
        </div>
      </form>
    </section>
  );
}
