import { useEffect, useState } from 'react';
import { standingCall, type HubEvent, type Snapshot } from '@xephang/protocol';
import { Clock } from '../shared/Clock';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { OfflineBanner } from '../shared/OfflineBanner';
import { serviceOf, timeVi } from '../shared/format';
import { TV_AUTH } from '../shared/hub-connection';
import { useHub } from '../shared/useHub';
import { TEXT } from './text';
import { useAnnouncer } from './useAnnouncer';

/** How long a new call stays highlighted and flashing. */
const FLASH_MS = 8_000;
/** Lines of *Vừa gọi* under the box: the box's own call is not repeated there. */
const RECENT_LINES = 6;

/** The call that flashes: the last one heard live (a recall flashes again). */
interface Flash {
  ticketId: string;
  counterId: number;
  at: number;
  until: number;
}

/** The waiting-room TV (1920×1080): every counter, the call that stands large, the queue per field. */
export function Display() {
  const [flash, setFlash] = useState<Flash>();
  const voice = useAnnouncer();
  const hub = useHub(TV_AUTH, (e: HubEvent, replayed: boolean) => {
    if (e.type === 'ticket:called' && !replayed) setFlash({ ticketId: e.ticket.id, counterId: e.counter.id, at: e.at, until: Date.now() + FLASH_MS });
    voice.onEvent(e, replayed);
  });
  // Every change of the queue: the announcer fetches the likely next calls' audio while quiet.
  const { foresee } = voice;
  useEffect(() => foresee(hub.state), [foresee, hub.state]);
  const [, tick] = useState(0);
  useEffect(() => {
    if (!flash || flash.until <= Date.now()) return;
    const t = setTimeout(() => tick((n) => n + 1), flash.until - Date.now());
    return () => clearTimeout(t);
  }, [flash]);

  const s = hub.state;
  const online = hub.online;
  const box = s && standingCall(s);
  const flashing = online && flash !== undefined && flash.until > Date.now();
  const flashes = (ticketId: string | undefined, counterId: number) => flashing && ticketId === flash.ticketId && counterId === flash.counterId;
  const recent = (s?.recentCalls ?? []).filter((r) => r.ticketId !== box?.id || r.counterId !== box.counterId).slice(0, RECENT_LINES);
  const rows = Math.ceil((s?.counters.length ?? 0) / 2);
  return (
    <div className={`tv${online ? '' : ' offline'}`}>
      <header className="tv-header">
        <div className="center-name">{s?.centerName ?? 'xephang'}</div>
        <Clock />
      </header>
      <main className="tv-main">
        <section className="tv-counters" aria-label={TEXT.counters} style={{ gridTemplateRows: `repeat(${Math.max(rows, 1)}, minmax(0, 1fr))` }}>
          {s?.counters.map((c) => {
            const ticket = standingCall(s, c.id);
            const lit = flashes(ticket?.id, c.id);
            return (
              // A new key restarts the flash when a number is recalled while its row still flashes.
              <div key={lit ? `${c.id}-${flash!.at}` : c.id} className={`tv-row ${c.status}${lit ? ' flash' : ''}`} data-counter={c.id}>
                <div className="tv-counter-cell">
                  <span className="tv-counter-label">{TEXT.counter}</span>
                  <span className="tv-counter" data-testid={`tv-counter-id-${c.id}`}>
                    {c.id}
                  </span>
                </div>
                <div className="tv-call">
                  <span className="tv-service">
                    {c.status === 'open' ? (serviceOf(s, ticket?.serviceId ?? c.serviceIds[0] ?? '')?.nameVi ?? '') : ''}
                  </span>
                  {c.status === 'open' ? (
                    <span className="tv-number" data-testid={`tv-counter-${c.id}`}>
                      {ticket?.number ?? '—'}
                    </span>
                  ) : (
                    <span className="tv-number tv-status" data-testid={`tv-counter-${c.id}`}>
                      <em>{c.status === 'paused' ? TEXT.paused : TEXT.closed}</em>
                      <small>{c.status === 'paused' ? TEXT.pausedEn : TEXT.closedEn}</small>
                    </span>
                  )}
                </div>
              </div>
            );
          })}
        </section>
        <section className="tv-side">
          <div
            className={`tv-latest${box ? '' : ' idle'}${box && flashes(box.id, box.counterId!) ? ' flash' : ''}`}
            data-testid="tv-latest"
            data-number={box?.number ?? ''}
          >
            {box ? (
              <>
                <div className="tv-latest-label">
                  {TEXT.calling} <small>{TEXT.callingEn}</small>
                </div>
                <div className="tv-latest-number">{box.number}</div>
                <div className="tv-latest-counter">
                  {TEXT.to} <strong>Quầy {box.counterId}</strong> <small>{TEXT.toEn} {box.counterId}</small>
                </div>
                <div className="tv-latest-service">{serviceOf(s, box.serviceId)?.nameVi}</div>
              </>
            ) : (
              <>
                <div className="tv-latest-idle">
                  {TEXT.idle} <small>{TEXT.idleEn}</small>
                </div>
                <div className="tv-latest-label">
                  {TEXT.takeNumber} <small>{TEXT.takeNumberEn}</small>
                </div>
              </>
            )}
          </div>
          <div className="tv-recent">
            <h2>
              {TEXT.recent} <small>{TEXT.recentEn}</small>
            </h2>
            <ol data-testid="tv-recent">
              {recent.map((r) => (
                <li key={`${r.ticketId}-${r.counterId}`}>
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
          <span>{TEXT.sound}</span>
          <small>{TEXT.soundEn}</small>
        </button>
      )}
      {!online && <OfflineBanner refused={hub.refused} hadState={s !== undefined} />}
      <footer className="tv-footer">
        <div className="ticker" aria-label="Thông báo" data-testid="notice">
          <div className="ticker-track">
            <span>{s?.notice}</span>
            <span aria-hidden="true">{s?.notice}</span>
          </div>
        </div>
        <ConnectionBadge online={online} refused={hub.refused} english />
      </footer>
    </div>
  );
}

function WaitingByField({ state }: { state: Snapshot | undefined }) {
  return (
    <div className="tv-waiting">
      <h2>
        {TEXT.waiting} <small>{TEXT.waitingEn}</small>
      </h2>
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
