import { useEffect, useState } from 'react';
import type { HubEvent, Snapshot } from '@xephang/protocol';
import { Clock } from '../components/Clock';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { serviceOf, timeVi } from '../format';
import { useAnnouncer } from '../useAnnouncer';
import { useHub } from '../useHub';

/** How long the latest call stays highlighted and flashing. */
const FLASH_MS = 8_000;

/** The waiting-room TV (1920×1080): every counter, the latest call large, the queue per field. */
export function Display() {
  const [flashUntil, setFlashUntil] = useState(0);
  const voice = useAnnouncer();
  const hub = useHub({ role: 'display' }, (e: HubEvent, replayed: boolean) => {
    if (e.type === 'ticket:called' && !replayed) setFlashUntil(Date.now() + FLASH_MS);
    voice.onEvent(e, replayed);
  });
  const [, tick] = useState(0);
  useEffect(() => {
    if (flashUntil <= Date.now()) return;
    const t = setTimeout(() => tick((n) => n + 1), flashUntil - Date.now());
    return () => clearTimeout(t);
  }, [flashUntil]);

  const s = hub.state;
  const latest = s?.recentCalls[0];
  const flashing = flashUntil > Date.now();
  return (
    <div className="tv">
      <header className="tv-header">
        <div className="center-name">{s?.centerName ?? 'xephang'}</div>
        <Clock />
      </header>
      <main className="tv-main">
        <section className="tv-counters" aria-label="Các quầy">
          <div className="tv-row tv-head">
            <span>Quầy <small>Counter</small></span>
            <span>Số <small>Number</small></span>
            <span>Lĩnh vực <small>Service</small></span>
          </div>
          {s?.counters.map((c) => {
            const ticket = c.ticketId ? s.tickets.find((t) => t.id === c.ticketId) : undefined;
            const isLatest = flashing && latest?.counterId === c.id && ticket?.id === latest.ticketId;
            return (
              <div key={c.id} className={`tv-row ${c.status}${isLatest ? ' flash' : ''}`} data-counter={c.id}>
                <span className="tv-counter">{c.id}</span>
                <span className="tv-number" data-testid={`tv-counter-${c.id}`}>
                  {c.status === 'closed' ? '' : c.status === 'paused' ? '' : (ticket?.number ?? '—')}
                </span>
                <span className="tv-service">
                  {c.status === 'closed' ? (
                    <em>Đóng · Closed</em>
                  ) : c.status === 'paused' ? (
                    <em>Tạm nghỉ · Paused</em>
                  ) : (
                    (serviceOf(s, ticket?.serviceId ?? c.serviceIds[0] ?? '')?.nameVi ?? '')
                  )}
                </span>
              </div>
            );
          })}
        </section>
        <section className="tv-side">
          <div className={`tv-latest${flashing ? ' flash' : ''}`} data-testid="tv-latest">
            {latest ? (
              <>
                <div className="tv-latest-label">Mời công dân có số <small>Now calling</small></div>
                <div className="tv-latest-number">{latest.number}</div>
                <div className="tv-latest-counter">
                  đến <strong>Quầy {latest.counterId}</strong> <small>to counter {latest.counterId}</small>
                </div>
                <div className="tv-latest-service">{serviceOf(s, latest.serviceId)?.nameVi}</div>
              </>
            ) : (
              <div className="tv-latest-label">Xin mời lấy số thứ tự tại ki-ốt <small>Please take a number at the kiosk</small></div>
            )}
          </div>
          <div className="tv-recent">
            <h2>Vừa gọi <small>Recent calls</small></h2>
            <ol>
              {s?.recentCalls.slice(1, 5).map((r) => (
                <li key={`${r.ticketId}-${r.at}`}>
                  <span className="num">{r.number}</span> → Quầy {r.counterId} <span className="time">{timeVi(r.at)}</span>
                </li>
              ))}
            </ol>
          </div>
          <WaitingByField state={s} />
        </section>
      </main>
      {voice.blocked && (
        <button type="button" className="unlock-sound" onClick={() => void voice.unlock()} data-testid="unlock-sound">
          <span>🔊 Bật âm thanh</span>
          <small>Chạm một lần để nghe gọi số · Tap once to enable sound</small>
        </button>
      )}
      <footer className="tv-footer">
        <div className="ticker" aria-label="Thông báo" data-testid="notice">
          <div className="ticker-track">
            <span>{s?.notice}</span>
            <span aria-hidden="true">{s?.notice}</span>
          </div>
        </div>
        <ConnectionBadge online={hub.online} refused={hub.refused} />
      </footer>
    </div>
  );
}

function WaitingByField({ state }: { state: Snapshot | undefined }) {
  return (
    <div className="tv-waiting">
      <h2>Đang chờ <small>Waiting</small></h2>
      <ul>
        {state?.services
          .filter((v) => v.active)
          .map((v) => (
            <li key={v.id} data-service={v.id}>
              <span className="svc">{v.nameVi}</span>
              <span className="num">{state.load[v.id]?.waiting ?? 0}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
