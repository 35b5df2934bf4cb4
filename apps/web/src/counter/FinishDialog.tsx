import { allows } from '@xephang/core';
import type { Outcome, TicketView } from '@xephang/protocol';
import { Choice, Modal } from './Modal';
import { KEYS, OUTCOME_TEXT, OUTCOMES } from './text';

/**
 * Ends the visit of `current` with an outcome, or as absent while it is only called. With
 * `thenNext` (opened by N) the next citizen is called once the visit is recorded.
 */
export function FinishDialog(props: {
  current: TicketView;
  thenNext: boolean;
  onEnd: (end: Outcome | 'noShow') => unknown;
  onClose: () => void;
  why: string | undefined;
  alert: React.ReactNode;
}) {
  const { current, thenNext } = props;
  return (
    <Modal title={thenNext ? `Kết thúc số ${current.number} rồi gọi số tiếp theo` : `Kết thúc số ${current.number} với kết quả`} onClose={props.onClose} alert={props.alert}>
      {thenNext && <p className="hint">Số {current.number} chưa kết thúc. Chọn kết quả (phím 1–4), hệ thống ghi lại rồi gọi số tiếp theo.</p>}
      <div className="choices">
        {OUTCOMES.map((o, i) => (
          <Choice key={o} onClick={() => props.onEnd(o)} why={props.why}>
            <kbd>{i + 1}</kbd> {OUTCOME_TEXT[o]}
          </Choice>
        ))}
        {allows(current.state, 'noShow') && (
          <Choice onClick={() => props.onEnd('noShow')} why={props.why}>
            <kbd>{KEYS.noShow}</kbd> Vắng mặt
          </Choice>
        )}
      </div>
    </Modal>
  );
}
