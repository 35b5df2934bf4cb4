import { useState } from 'react';
import { PRIORITY_NAMES, type PriorityClass, type ServiceView } from '@xephang/protocol';
import { Choice, Modal } from './Modal';

/**
 * The desk's override of the ID card (issue 20): a ticket of a field that needs the card, for a
 * citizen who has none. Priority first (optional), then the field; the ticket prints where the
 * kiosks' tickets print. The hub logs which counter and clerk issued it, nothing of the citizen.
 */
export function WithoutCardDialog(props: {
  services: ServiceView[];
  onIssue: (serviceId: string, priority: PriorityClass) => void;
  onClose: () => void;
  why: string | undefined;
  alert: React.ReactNode;
}) {
  const [priority, setPriority] = useState<PriorityClass>('normal');
  return (
    <Modal title="Cấp số cho người không mang thẻ căn cước" onClose={props.onClose} alert={props.alert}>
      <p className="hint">Các lĩnh vực dưới đây bắt buộc quét thẻ ở ki-ốt. Phiếu được in ở máy in của ki-ốt; nhật ký ghi quầy và cán bộ đã cấp.</p>
      <div className="priority-row" role="group" aria-label="Ưu tiên">
        {(Object.keys(PRIORITY_NAMES) as PriorityClass[])
          .filter((p) => p !== 'normal')
          .map((p) => (
            <button type="button" key={p} className={priority === p ? 'chip selected' : 'chip'} aria-pressed={priority === p} onClick={() => setPriority(priority === p ? 'normal' : p)}>
              {PRIORITY_NAMES[p].vi}
            </button>
          ))}
      </div>
      <div className="choices">
        {props.services.map((s) => (
          <Choice key={s.id} testId={`without-card-${s.id}`} onClick={() => props.onIssue(s.id, priority)} why={props.why}>
            {s.nameVi}
          </Choice>
        ))}
      </div>
    </Modal>
  );
}
