import { useCallback, useEffect, useState } from 'react';
import { RATING_SCORES, RATING_TEXT, type HubEvent, type PendingRating, type RatingScore } from '@xephang/protocol';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { serviceOf } from '../shared/format';
import { requestId, useHub } from '../shared/useHub';

/** How long the four buttons stay up when nobody taps them. */
const ASK_MS = 20_000;
const THANKS_MS = 5_000;

const COLOURS: Record<RatingScore, string> = { 4: '#1d8a4e', 3: '#5f9e2f', 2: '#d98200', 1: '#c8102e' };

type Phase =
  | { kind: 'idle' }
  | { kind: 'ask'; visit: PendingRating; until: number }
  | { kind: 'thanks'; score: RatingScore }
  | { kind: 'error'; message: string };

/**
 * The small tablet facing the citizen at one counter (`/rate/N`): idle until the clerk finishes
 * a visit here, then four big answers for about 20 seconds, then thanks.
 */
export function Rate({ counterId }: { counterId: number }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [sending, setSending] = useState(false);
  const hub = useHub({ role: 'rating', counterId }, (e: HubEvent) => {
    if (e.type === 'ticket:finished' && e.counter.id === counterId) void ask();
  });
  const client = hub.client;

  // The hub decides what may be rated (the visit this counter finished last, for a few minutes):
  // the tablet only asks, so a replayed or stale event shows nothing.
  const ask = useCallback(async () => {
    const reply = await client?.send('rating:pending', {});
    if (reply?.ok && reply.data) {
      const visit = reply.data;
      setPhase((p) => (p.kind === 'ask' && p.visit.ticketId === visit.ticketId ? p : { kind: 'ask', visit, until: Date.now() + Math.min(ASK_MS, visit.remainingMs) }));
    }
  }, [client]);

  useEffect(() => {
    if (hub.online) void ask();
  }, [hub.online, ask]);

  useEffect(() => {
    if (phase.kind === 'idle') return;
    const ms = phase.kind === 'ask' ? phase.until - Date.now() : THANKS_MS;
    const t = setTimeout(() => setPhase({ kind: 'idle' }), Math.max(0, ms));
    return () => clearTimeout(t);
  }, [phase]);

  const rate = async (score: RatingScore) => {
    if (phase.kind !== 'ask' || !client || sending) return;
    setSending(true);
    const reply = await client.send('rating:submit', { requestId: requestId(), ticketId: phase.visit.ticketId, score });
    setSending(false);
    if (reply.ok || reply.error.code === 'illegal_transition') setPhase({ kind: 'thanks', score });
    else setPhase({ kind: 'error', message: reply.error.message });
  };

  const service = phase.kind === 'ask' ? serviceOf(hub.state, phase.visit.serviceId) : undefined;
  return (
    <div className={`rate rate-${phase.kind}`} data-testid="rate" data-phase={phase.kind}>
      {phase.kind === 'ask' ? (
        <>
          <header className="rate-head">
            <h1>
              Quý khách có hài lòng với việc giải quyết thủ tục vừa rồi không?
              <small>How satisfied are you with the service you just received?</small>
            </h1>
            <p className="rate-visit">
              Số {phase.visit.number}
              {service ? ` · ${service.nameVi}` : ''} · Quầy {counterId}
              {phase.visit.clerkName ? ` · Cán bộ ${phase.visit.clerkName}` : ''}
            </p>
          </header>
          <div className="rate-buttons">
            {RATING_SCORES.map((score) => (
              <button
                type="button"
                key={score}
                className="rate-button"
                data-score={score}
                style={{ background: COLOURS[score] }}
                disabled={sending}
                onClick={() => void rate(score)}
              >
                <Face score={score} />
                <span className="rate-vi">{RATING_TEXT[score].vi}</span>
                <span className="rate-en">{RATING_TEXT[score].en}</span>
              </button>
            ))}
          </div>
          <Countdown until={phase.until} />
        </>
      ) : phase.kind === 'thanks' ? (
        <div className="rate-message" role="status">
          <Face score={phase.score} big />
          <h1>
            Xin cảm ơn quý khách!
            <small>Thank you!</small>
          </h1>
          <p>Ý kiến của quý khách giúp trung tâm phục vụ tốt hơn.</p>
        </div>
      ) : phase.kind === 'error' ? (
        <div className="rate-message" role="alert">
          <p className="error">{phase.message}</p>
        </div>
      ) : (
        <div className="rate-message">
          <div className="rate-counter">Quầy {counterId} <small>Counter {counterId}</small></div>
          <h1>
            Xin kính chào quý khách
            <small>Welcome</small>
          </h1>
          <p>Sau khi được phục vụ, xin quý khách đánh giá mức độ hài lòng tại đây.</p>
          <p className="rate-en">After your visit, please rate our service here.</p>
          <div className="rate-center">{hub.state?.centerName}</div>
        </div>
      )}
      <footer className="rate-footer">
        <ConnectionBadge online={hub.online} refused={hub.refused} english />
      </footer>
    </div>
  );
}

function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  return <div className="rate-countdown">Tự đóng sau {seconds} giây · closes in {seconds} s</div>;
}

/** A drawn face (no emoji font needed): the mouth curves from a wide smile (4) to a frown (1). */
export function Face({ score, big = false }: { score: RatingScore; big?: boolean }) {
  const curve = { 4: 14, 3: 7, 2: 0, 1: -10 }[score];
  const mouthY = score === 1 ? 70 : 62;
  return (
    <svg className={big ? 'face big' : 'face'} viewBox="0 0 100 100" aria-hidden="true">
      <circle cx="50" cy="50" r="46" fill="#fff" opacity="0.95" />
      <circle cx="35" cy="40" r="6" fill="#16213a" />
      <circle cx="65" cy="40" r="6" fill="#16213a" />
      <path d={`M 28 ${mouthY} Q 50 ${mouthY + curve * 1.6} 72 ${mouthY}`} stroke="#16213a" strokeWidth="6" fill="none" strokeLinecap="round" />
    </svg>
  );
}
