import { standingCall } from '@xephang/protocol';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { OfflineBanner } from '../shared/OfflineBanner';
import { serviceOf } from '../shared/format';
import { counterDisplayAuth } from '../shared/hub-connection';
import { useHub } from '../shared/useHub';

/**
 * The small screen above a counter: its number and the number called or served there, very
 * large; the same rule as the TV's box decides which call stands.
 */
export function CounterDisplay({ counterId }: { counterId: number }) {
  const hub = useHub(counterDisplayAuth(counterId));
  const s = hub.state;
  const counter = s?.counters.find((c) => c.id === counterId);
  const ticket = s && standingCall(s, counterId);
  const status = counter?.status ?? 'closed';
  return (
    <div className={`above ${status}${hub.online ? '' : ' offline'}`}>
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
      {!hub.online && <OfflineBanner refused={hub.refused} hadState={s !== undefined} />}
      <ConnectionBadge online={hub.online} refused={hub.refused} english />
    </div>
  );
}
