import { useState } from 'react';
import { Choice, Modal } from './Modal';
import { PAUSE_REASONS } from './text';

/** Why the counter pauses: a usual reason by its digit, or one typed. */
export function PauseDialog(props: { onPause: (reason: string) => void; onClose: () => void; why: string | undefined; alert: React.ReactNode }) {
  const [other, setOther] = useState('');
  return (
    <Modal title="Tạm nghỉ vì" onClose={props.onClose} alert={props.alert}>
      <p className="hint">Chọn bằng phím số, hoặc mũi tên rồi Enter.</p>
      <div className="choices">
        {PAUSE_REASONS.map((r, i) => (
          <Choice key={r} onClick={() => props.onPause(r)} why={props.why}>
            <kbd>{i + 1}</kbd> {r}
          </Choice>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (other.trim()) props.onPause(other.trim());
        }}
      >
        <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="Lý do khác…" maxLength={120} aria-label="Lý do khác" />
        <button type="submit" disabled={props.why !== undefined || !other.trim()} title={props.why ?? (other.trim() ? undefined : 'Hãy gõ lý do trước.')}>
          Tạm nghỉ
        </button>
      </form>
    </Modal>
  );
}
