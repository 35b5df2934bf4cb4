import { useEffect, useState } from 'react';
import { VOICE_VARIANTS, type VoiceSettings } from '@xephang/protocol';
import { callWavUrl, VOICE_SETTINGS_URL } from '@xephang/voice/browser';
import { useAdmin } from './api';

const VARIANT_TEXT: Record<(typeof VOICE_VARIANTS)[number], string> = {
  vi: 'Miền Bắc',
  'vi-vn-x-central': 'Miền Trung',
  'vi-vn-x-south': 'Miền Nam',
};

/** How the TV calls numbers: the sentences, volume, repeats and voice; with a listen button. */
export function VoiceForm() {
  const { act, online } = useAdmin();
  const [saved, setSaved] = useState<VoiceSettings>();
  const [draft, setDraft] = useState<VoiceSettings>();

  useEffect(() => {
    void fetch(VOICE_SETTINGS_URL)
      .then((r) => r.json() as Promise<{ ok: boolean; data?: VoiceSettings }>)
      .then((body) => {
        if (body.ok && body.data) {
          setSaved(body.data);
          setDraft(body.data);
        }
      });
  }, []);

  if (!draft || !saved) return <p className="loading">Đang tải cài đặt giọng đọc…</p>;
  const set = <K extends keyof VoiceSettings>(key: K, value: VoiceSettings[K]) => setDraft({ ...draft, [key]: value });
  const listen = (recall: boolean) => void new Audio(`${callWavUrl({ number: 2005, counter: 3, service: 'civil', recall })}&t=${Date.now()}`).play();

  return (
    <section className="admin-section" data-testid="voice-form">
      <h2>Giọng đọc gọi số <small>Announcements</small></h2>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('voice:set', draft, (data) => {
            setSaved(data);
            return 'Đã lưu cài đặt giọng đọc; TV dùng ngay từ lần gọi sau.';
          });
        }}
      >
        <p className="hint">
          Trong câu: <code>{'{number}'}</code> là số thứ tự, <code>{'{counter}'}</code> là số quầy, <code>{'{service}'}</code> là tên lĩnh vực; phần
          trong <code>[…]</code> chỉ đọc khi có tên lĩnh vực.
        </p>
        <label className="field">
          Câu gọi số
          <input value={draft.callTemplate} maxLength={300} onChange={(e) => set('callTemplate', e.target.value)} aria-label="Câu gọi số" />
        </label>
        <label className="field">
          Câu gọi lại
          <input value={draft.recallTemplate} maxLength={300} onChange={(e) => set('recallTemplate', e.target.value)} aria-label="Câu gọi lại" />
        </label>
        <label className="field inline">
          Âm lượng trên TV: {Math.round(draft.volume * 100)}%
          <input type="range" min={0} max={100} value={Math.round(draft.volume * 100)} onChange={(e) => set('volume', Number(e.target.value) / 100)} aria-label="Âm lượng" />
        </label>
        <label className="field inline">
          Số lần đọc khi gọi
          <input type="number" min={1} max={3} value={draft.callRepeats} onChange={(e) => set('callRepeats', Number(e.target.value))} aria-label="Số lần đọc khi gọi" />
        </label>
        <label className="field inline">
          Số lần đọc khi gọi lại
          <input type="number" min={1} max={5} value={draft.recallRepeats} onChange={(e) => set('recallRepeats', Number(e.target.value))} aria-label="Số lần đọc khi gọi lại" />
        </label>
        <label className="field inline">
          Giọng
          <select value={draft.voice} onChange={(e) => set('voice', e.target.value as VoiceSettings['voice'])} aria-label="Giọng">
            {VOICE_VARIANTS.map((v) => (
              <option key={v} value={v}>
                {VARIANT_TEXT[v]}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          Tốc độ (từ/phút)
          <input type="number" min={80} max={260} value={draft.speed} onChange={(e) => set('speed', Number(e.target.value))} aria-label="Tốc độ" />
        </label>
        <label className="field inline">
          <input type="checkbox" checked={draft.chime} onChange={(e) => set('chime', e.target.checked)} /> Chuông trước khi đọc
        </label>
        <div className="admin-row">
          <button type="submit" className="primary" disabled={!online || JSON.stringify(draft) === JSON.stringify(saved)}>
            Lưu giọng đọc
          </button>
          <button type="button" onClick={() => listen(false)}>
            Nghe thử câu gọi (đã lưu)
          </button>
          <button type="button" onClick={() => listen(true)}>
            Nghe thử câu gọi lại
          </button>
        </div>
      </form>
    </section>
  );
}
