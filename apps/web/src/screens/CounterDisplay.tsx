import { ConnectionBadge } from '../components/ConnectionBadge';
import { serviceOf } from '../format';
import { useHub } from '../useHub';

/** The small screen above a counter: its number, the number being served, very large. */
export function CounterDisplay({ counterId }: { counterId: number }) {
  const hub = useHub({ role: 'display', counterId });
  const s = hub.state;
  const counter = s?.counters.find((c) => c.id === counterId);
  const ticket = counter?.ticketId ? s?.tickets.find((t) => t.id === counter.ticketId) : undefined;
  const status = counter?.status ?? 'closed';
  return (
    <div className={`above ${status}`}>
      <div className="above-counter">
        QUẦY <strong>{counterId}</strong> <small>COUNTER</small>
      </div>
      {status === 'open' ? (
        <>
          <div className="above-number" data-testid="above-number">{ticket?.number ?? '—'}</div>
          <div className="above-service">{serviceOf(s, ticket?.serviceId ?? counter?.serviceIds[0] ?? '')?.nameVi}</div>
        </>
      ) : (
        <div className="above-status" data-testid="above-status">
          {status === 'paused' ? 'Tạm nghỉ' : 'Đóng'}
          <small>{status === 'paused' ? 'Paused' : 'Closed'}</small>
        </div>
      )}
      <ConnectionBadge online={hub.online} refused={hub.refused} />
    </div>
  );
}
