import { useCallback, useEffect, useRef, useState } from 'react';
import {
  OFFICIAL_SCORES,
  REASON_MAX_SCORE,
  TRIPS,
  TRIPS_TEXT,
  type HubEvent,
  type OfficialScore,
  type PendingRating,
  type Trips,
} from '@xephang/protocol';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { serviceOf } from '../shared/format';
import { requestId, useHub } from '../shared/useHub';

/** How long the five buttons stay up when nobody taps them. */
const ASK_MS = 20_000;
/** How long each question after the score waits for a tap before thanking (the score already counts). */
const STEP_MS = 15_000;
const THANKS_MS = 5_000;
/**
 * How long a question's buttons stay inert after it appears: the second tap of a citizen who
 * taps twice lands where the next question's buttons now are, and must not answer it.
 */
const TAP_GUARD_MS = 500;

const COLOURS: Record<OfficialScore, string> = { 5: '#1d8a4e', 4: '#4f8f23', 3: '#8a6d00', 2: '#c45200', 1: '#c8102e' };

/** The visit being rated and the last moment the hub still takes an answer for it. */
interface Visit {
  visit: PendingRating;
  windowEnd: number;
}

type Phase =
  | { kind: 'idle' }
  | ({ kind: 'ask'; until: number } & Visit)
  | ({ kind: 'reason'; until: number; score: OfficialScore } & Visit)
  | ({ kind: 'trips'; until: number; score: OfficialScore; reason: string | null } & Visit)
  | { kind: 'thanks'; score: OfficialScore }
  | { kind: 'error'; message: string };

/**
 * The small tablet facing the citizen at one counter (`/rate/N`): idle until the clerk finishes
 * a visit here, then the five levels of the ministries' form; for the lower three, why (one tap,
 * from the center's list); then how many times the citizen came for this matter; then thanks.
 * The score is sent at the tap, so a citizen who walks away still counts; each later question
 * times out to thanks, sending what was answered.
 */
export function Rate({ counterId }: { counterId: number }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [sending, setSending] = useState(false);
  const hub = useHub({ role: 'rating', counterId }, (e: HubEvent) => {
    if (e.type === 'ticket:finished' && e.counter.id === counterId) void ask();
  });
  const client = hub.client;
  // The phase as last rendered, for the hub event's handler (a closure of an older render).
  const current = useRef(phase);
  current.current = phase;

  /** Sends the reason and trips once (a retry of the same answer reuses its request id). */
  const detailSent = useRef<string | null>(null);
  const sendDetail = useCallback(
    (ticketId: string, reason: string | null, trips: Trips | null) => {
      if (!client || detailSent.current === ticketId || (reason === null && trips === null)) return;
      detailSent.current = ticketId;
      void client.send('rating:detail', { requestId: requestId(), ticketId, ...(reason === null ? {} : { reason }), ...(trips === null ? {} : { trips }) });
    },
    [client],
  );

  // The hub decides what may be rated (the visit this counter finished last, for a few minutes):
  // the tablet only asks, so a replayed or stale event shows nothing.
  const ask = useCallback(async () => {
    const reply = await client?.send('rating:pending', {});
    if (reply?.ok && reply.data) {
      const visit = reply.data;
      const now = Date.now();
      // The next visit finished while the previous citizen was asked the trips: the reason they
      // chose still goes (the trips stay unanswered) before the tablet turns to the next visit.
      const p = current.current;
      if (p.kind === 'trips' && p.visit.ticketId !== visit.ticketId) sendDetail(p.visit.ticketId, p.reason, null);
      setPhase((p) =>
        p.kind !== 'idle' && p.kind !== 'thanks' && p.kind !== 'error' && p.visit.ticketId === visit.ticketId
          ? p
          : { kind: 'ask', visit, windowEnd: now + visit.remainingMs, until: now + Math.min(ASK_MS, visit.remainingMs) },
      );
    }
  }, [client, sendDetail]);

  useEffect(() => {
    if (hub.online) void ask();
  }, [hub.online, ask]);

  useEffect(() => {
    if (phase.kind === 'idle') return;
    const ms = phase.kind === 'thanks' || phase.kind === 'error' ? THANKS_MS : phase.until - Date.now();
    const t = setTimeout(() => {
      // A question left unanswered: the score already counts; a reason chosen before still goes.
      if (phase.kind === 'trips') sendDetail(phase.visit.ticketId, phase.reason, null);
      if (phase.kind === 'reason' || phase.kind === 'trips') setPhase({ kind: 'thanks', score: phase.score });
      else setPhase({ kind: 'idle' });
    }, Math.max(0, ms));
    return () => clearTimeout(t);
  }, [phase, sendDetail]);

  // The question whose buttons take taps: each new one only after TAP_GUARD_MS.
  const [armed, setArmed] = useState<Phase | null>(null);
  useEffect(() => {
    const t = setTimeout(() => setArmed(phase), TAP_GUARD_MS);
    return () => clearTimeout(t);
  }, [phase]);
  const inert = armed !== phase;

  const next = (v: Visit): number => Math.min(Date.now() + STEP_MS, v.windowEnd);

  const rate = async (score: OfficialScore) => {
    if (phase.kind !== 'ask' || !client || sending) return;
    setSending(true);
    const reply = await client.send('rating:submit', { requestId: requestId(), ticketId: phase.visit.ticketId, score });
    setSending(false);
    const v = { visit: phase.visit, windowEnd: phase.windowEnd };
    if (reply.ok) setPhase(score <= REASON_MAX_SCORE ? { kind: 'reason', ...v, score, until: next(v) } : { kind: 'trips', ...v, score, reason: null, until: next(v) });
    else if (reply.error.code === 'illegal_transition') setPhase({ kind: 'thanks', score });
    else setPhase({ kind: 'error', message: reply.error.message });
  };

  const chooseReason = (reason: string | null) => {
    if (phase.kind !== 'reason' || inert) return;
    setPhase({ kind: 'trips', visit: phase.visit, windowEnd: phase.windowEnd, score: phase.score, reason, until: next(phase) });
  };

  const chooseTrips = (trips: Trips | null) => {
    if (phase.kind !== 'trips' || inert) return;
    sendDetail(phase.visit.ticketId, phase.reason, trips);
    setPhase({ kind: 'thanks', score: phase.score });
  };

  const levels = phase.kind === 'ask' || phase.kind === 'reason' ? phase.visit.settings.levels : undefined;
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
            {OFFICIAL_SCORES.map((score) => (
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
                <span className="rate-vi">{levels![score - 1]!.vi}</span>
                <span className="rate-en">{levels![score - 1]!.en}</span>
              </button>
            ))}
          </div>
          <Countdown until={phase.until} />
        </>
      ) : phase.kind === 'reason' ? (
        <>
          <header className="rate-head">
            <h1>
              Điều gì khiến quý khách chưa hài lòng?
              <small>What was the main problem?</small>
            </h1>
            <p className="rate-visit">
              Quý khách đã chọn: <strong>{levels![phase.score - 1]!.vi}</strong>
            </p>
          </header>
          <div className="rate-choices" data-testid="rate-reasons">
            {phase.visit.settings.reasons.map((reason) => (
              <button type="button" key={reason} className="rate-choice" data-reason={reason} disabled={inert} onClick={() => chooseReason(reason)}>
                {reason}
              </button>
            ))}
          </div>
          <button type="button" className="rate-skip" disabled={inert} onClick={() => chooseReason(null)}>
            Bỏ qua <small>Skip</small>
          </button>
          <Countdown until={phase.until} />
        </>
      ) : phase.kind === 'trips' ? (
        <>
          <header className="rate-head">
            <h1>
              Anh/chị đến lần thứ mấy cho việc này?
              <small>How many times have you come for this matter?</small>
            </h1>
          </header>
          <div className="rate-choices rate-trips" data-testid="rate-trips">
            {TRIPS.map((n) => (
              <button type="button" key={n} className="rate-choice" data-trips={n} disabled={inert} onClick={() => chooseTrips(n)}>
                {TRIPS_TEXT[n].vi}
                <small>{TRIPS_TEXT[n].en}</small>
              </button>
            ))}
          </div>
          <button type="button" className="rate-skip" disabled={inert} onClick={() => chooseTrips(null)}>
            Bỏ qua <small>Skip</small>
          </button>
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

/** A drawn face (no emoji font needed): the mouth curves from a wide smile (5) to a frown (1). */
export function Face({ score, big = false }: { score: OfficialScore; big?: boolean }) {
  const curve = { 5: 14, 4: 7, 3: 0, 2: -6, 1: -10 }[score];
  const mouthY = score <= 2 ? 70 : 62;
  return (
    <svg className={big ? 'face big' : 'face'} viewBox="0 0 100 100" aria-hidden="true">
      <circle cx="50" cy="50" r="46" fill="#fff" opacity="0.95" />
      <circle cx="35" cy="40" r="6" fill="#16213a" />
      <circle cx="65" cy="40" r="6" fill="#16213a" />
      <path d={`M 28 ${mouthY} Q 50 ${mouthY + curve * 1.6} 72 ${mouthY}`} stroke="#16213a" strokeWidth="6" fill="none" strokeLinecap="round" />
    </svg>
  );
}
