import type { CounterView, ServiceView, TicketView } from '@xephang/protocol';
import { Choice, Modal } from './Modal';
import { statusText, transferWhy } from './reasons';

/** Sends `current` to another field (any counter serving it calls it) or to one other counter, if that one is open. */
export function TransferDialog(props: {
  current: TicketView;
  counterId: number;
  services: readonly ServiceView[];
  counters: readonly CounterView[];
  onService: (serviceId: string) => unknown;
  onCounter: (counterId: number) => unknown;
  onClose: () => void;
  why: string | undefined;
  alert: React.ReactNode;
}) {
  const { current, counters } = props;
  return (
    <Modal title={`Chuyển số ${current.number}`} onClose={props.onClose} alert={props.alert}>
      <h3>Sang lĩnh vực</h3>
      <div className="choices">
        {props.services
          .filter((s) => s.active && s.id !== current.serviceId)
          .map((s) => {
            const open = counters.filter((k) => k.status === 'open' && k.serviceIds.includes(s.id)).length;
            return (
              <Choice key={s.id} onClick={() => props.onService(s.id)} why={props.why} testId={`transfer-service-${s.id}`}>
                {s.nameVi}
                <small className={open ? 'state open' : 'state warn'}>{open ? `${open} quầy đang mở` : 'Chưa quầy nào mở: số chờ đến khi có quầy mở'}</small>
              </Choice>
            );
          })}
      </div>
      <h3>
        Sang quầy <small>(phím số quầy; chỉ quầy đang mở)</small>
      </h3>
      <div className="choices counters">
        {counters
          .filter((k) => k.id !== props.counterId)
          .map((k) => (
            <Choice key={k.id} onClick={() => props.onCounter(k.id)} why={props.why ?? transferWhy(k)} testId={`transfer-counter-${k.id}`}>
              {k.id <= 9 && <kbd>{k.id}</kbd>} {k.name}
              <small className={`state ${k.status}`}>{statusText(k)}</small>
            </Choice>
          ))}
      </div>
    </Modal>
  );
}
