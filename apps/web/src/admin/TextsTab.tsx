import { useState } from 'react';
import { WEEKDAYS_MONDAY_FIRST_VI } from '@xephang/core';
import type { CenterTexts, OpeningHours } from '@xephang/protocol';
import { useAdmin } from './api';
import { RatingForm } from './RatingForm';
import { VoiceForm } from './VoiceForm';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The center's name, the TV's notice line, the kiosk's headings; opening hours; the voice; the rating tablet's questions. */
export function TextsTab() {
  const { config } = useAdmin();
  if (!config) return <p className="loading">Đang tải…</p>;
  return (
    <>
      <TextsForm key={JSON.stringify(config.texts)} texts={config.texts} />
      <HoursForm key={JSON.stringify(config.hours)} hours={config.hours} />
      <VoiceForm />
      <RatingForm key={JSON.stringify(config.rating)} settings={config.rating} />
    </>
  );
}

function TextsForm({ texts }: { texts: CenterTexts }) {
  const { act, online } = useAdmin();
  const [draft, setDraft] = useState(texts);
  const field = (key: keyof CenterTexts, label: string, max: number, long = false) => (
    <label className="field">
      {label}
      {long ? (
        <textarea value={draft[key]} maxLength={max} rows={2} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} aria-label={label} />
      ) : (
        <input value={draft[key]} maxLength={max} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} aria-label={label} />
      )}
    </label>
  );
  return (
    <section className="admin-section">
      <h2>Nội dung hiển thị <small>Screen texts</small></h2>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('config:setTexts', draft, () => 'Đã lưu nội dung hiển thị; TV và ki-ốt đã cập nhật.');
        }}
      >
        {field('centerName', 'Tên trung tâm (đầu TV, ki-ốt, báo cáo)', 120)}
        {field('notice', 'Dòng thông báo chạy trên TV', 300, true)}
        {field('kioskTitleVi', 'Tiêu đề ki-ốt (tiếng Việt)', 120)}
        {field('kioskTitleEn', 'Tiêu đề ki-ốt (tiếng Anh)', 120)}
        {field('kioskNote', 'Ghi chú dưới các lĩnh vực trên ki-ốt (có thể để trống)', 200)}
        <button type="submit" className="primary" disabled={!online || JSON.stringify(draft) === JSON.stringify(texts)}>
          Lưu nội dung
        </button>
      </form>
    </section>
  );
}

function HoursForm({ hours }: { hours: OpeningHours }) {
  const { act, online } = useAdmin();
  const [draft, setDraft] = useState(hours);
  const setSession = (day: number, i: number, key: 'open' | 'close', value: string) =>
    setDraft({ ...draft, week: draft.week.map((s, d) => (d === day ? s.map((x, j) => (j === i ? { ...x, [key]: value } : x)) : s)) });
  const addSession = (day: number) =>
    setDraft({ ...draft, week: draft.week.map((s, d) => (d === day ? [...s, { open: '13:30', close: '17:00' }] : s)) });
  const removeSession = (day: number, i: number) =>
    setDraft({ ...draft, week: draft.week.map((s, d) => (d === day ? s.filter((_, j) => j !== i) : s)) });
  return (
    <section className="admin-section">
      <h2>Giờ làm việc <small>Opening hours</small></h2>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('config:setHours', draft, (saved) => `Đã lưu giờ làm việc; ngày mới bắt đầu lúc ${saved.resetTime}.`);
        }}
      >
        <table className="admin-table hours-table">
          <tbody>
            {WEEKDAYS_MONDAY_FIRST_VI.map((name, d) => (
              <tr key={name}>
                <th>{name}</th>
                <td>
                  {draft.week[d]!.length === 0 && <em className="hint">Nghỉ</em>}
                  {draft.week[d]!.map((s, i) => (
                    <span className="session" key={i}>
                      <TimeInput value={s.open} onChange={(v) => setSession(d, i, 'open', v)} aria-label={`${name} mở cửa`} />
                      –
                      <TimeInput value={s.close} onChange={(v) => setSession(d, i, 'close', v)} aria-label={`${name} đóng cửa`} />
                      <button type="button" aria-label="Bỏ buổi này" onClick={() => removeSession(d, i)}>✕</button>
                    </span>
                  ))}
                  {draft.week[d]!.length < 3 && (
                    <button type="button" onClick={() => addSession(d)}>+ Buổi</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="field inline">
          Giờ bắt đầu ngày mới
          <TimeInput value={draft.resetTime} onChange={(v) => setDraft({ ...draft, resetTime: v })} aria-label="Giờ bắt đầu ngày mới" />
          <span className="hint">00:00 = nửa đêm</span>
        </label>
        <p className="hint">
          Đến giờ này mỗi ngày, số thứ tự đánh lại từ đầu và các số còn chờ hoặc vắng mặt của ngày cũ hết hạn (số đang gọi hoặc đang phục vụ vẫn ở quầy). Giờ này phải ngoài giờ làm việc: trước giờ mở cửa sớm nhất hoặc sau giờ đóng cửa muộn nhất.{' '}
          {resetHint(draft.resetTime)} Báo cáo vẫn tính theo ngày lịch, từ 00:00 đến 24:00.
        </p>
        <label className="field inline">
          Ki-ốt cấp số trước giờ mở cửa
          <input
            type="number"
            min={0}
            max={240}
            step={5}
            value={draft.earlyIssueMinutes}
            onChange={(e) => setDraft({ ...draft, earlyIssueMinutes: e.target.value === '' ? 0 : Number(e.target.value) })}
            aria-label="Số phút ki-ốt cấp số trước giờ mở cửa"
            data-testid="early-issue-minutes"
            style={{ width: '6em' }}
          />
          phút
        </label>
        <p className="hint">
          Ki-ốt cấp số trong giờ làm việc, trong giờ nghỉ trưa, từ {draft.earlyIssueMinutes} phút trước buổi đầu tiên của ngày, và buổi tối sau giờ bắt đầu ngày mới nếu giờ đó sau 12:00 (số được gọi khi quầy mở hôm sau), kèm dòng báo giờ quầy mở. Ban đêm và ngày nghỉ, ki-ốt không cấp số và báo giờ mở cửa lần tới.
        </p>
        <button type="submit" className="primary" disabled={!online || JSON.stringify(draft) === JSON.stringify(hours)}>
          Lưu giờ làm việc
        </button>
      </form>
    </section>
  );
}

/** What a reset time means for the tickets taken around it (the hub's rule: `serviceDay` in @xephang/core). */
function resetHint(time: string): string {
  if (!TIME.test(time)) return 'Nhập giờ dạng HH:MM, ví dụ 00:00.';
  if (time === '00:00') return 'Ngày đổi lúc nửa đêm, theo lịch.';
  if (time <= '12:00') return `Số lấy từ 00:00 đến trước ${time} vẫn tính vào ngày hôm trước.`;
  return `Số lấy từ ${time} đến nửa đêm được tính vào ngày hôm sau.`;
}

/** HH:MM on the 24-hour clock, whatever the browser's language (a time input would show AM/PM on some). */
function TimeInput(props: { value: string; onChange: (value: string) => void; 'aria-label': string }) {
  const valid = TIME.test(props.value);
  return (
    <input
      className={valid ? 'time-input' : 'time-input invalid'}
      inputMode="numeric"
      maxLength={5}
      placeholder="07:30"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value.replace(/[^\d:]/g, ''))}
      aria-label={props['aria-label']}
    />
  );
}
