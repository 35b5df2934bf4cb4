import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { allows, type TicketAction } from '@xephang/core';
import { PRIORITY_NAMES, type Ack, type CounterView, type Opening, type Outcome, type TicketView } from '@xephang/protocol';
import { Clock } from '../shared/Clock';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { serviceOf, timeVi } from '../shared/format';
import { COUNTER_STATUS_TEXT, OUTCOME_TEXT, STATE_TEXT } from '../shared/text';
import { requestId, useHub } from '../shared/useHub';

const OUTCOMES = Object.keys(OUTCOME_TEXT) as Outcome[];
const PAUSE_REASONS = ['Họp', 'Nghỉ giải lao', 'Đi công tác', 'Hỗ trợ quầy khác', 'Sự cố kỹ thuật'];

/** Keyboard shortcuts, shown on the buttons: the clerk's hands stay on the keyboard. */
const KEYS = { next: 'N', recall: 'L', start: 'B', finish: 'K', noShow: 'V', transfer: 'C', call: 'S', pause: 'P' } as const;

/** `thenNext`: opened by N while a visit was open, so the next citizen is called once it is finished. */
type Dialog = { kind: 'finish'; thenNext: boolean } | { kind: 'transfer' } | { kind: 'pause' } | { kind: 'call' } | undefined;

const sessionKey = (counterId: number) => `xephang.counter.${counterId}`;

interface Saved {
  clerkId: number;
  session: string;
}

function loadSaved(counterId: number): Saved | undefined {
  try {
    const raw = sessionStorage.getItem(sessionKey(counterId));
    return raw ? (JSON.parse(raw) as Saved) : undefined;
  } catch {
    return undefined;
  }
}

/** A counter's state as its clerk and its neighbours read it. */
const statusText = (c: CounterView) => (c.status === 'paused' ? `${COUNTER_STATUS_TEXT.paused}: ${c.pauseReason ?? ''}` : COUNTER_STATUS_TEXT[c.status]);

export function Counter({ counterId }: { counterId: number }) {
  const [saved, setSaved] = useState<Saved | undefined>(() => loadSaved(counterId));
  const [auth] = useState(() => ({ role: 'counter' as const, counterId, ...(saved ? { session: saved.session } : {}) }));
  const hub = useHub(auth);
  const [dialog, setDialog] = useState<Dialog>();
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();
  // A ref, not state: a second key pressed before the first reply must see it at once.
  const busy = useRef(false);

  const counter = hub.state?.counters.find((c) => c.id === counterId);
  const loggedIn = saved !== undefined && counter?.clerkId === saved.clerkId;
  const current = counter?.ticketId ? hub.state?.tickets.find((t) => t.id === counter.ticketId) : undefined;

  const logOutLocally = useCallback(() => {
    sessionStorage.removeItem(sessionKey(counterId));
    setSaved(undefined);
    hub.client?.setSession(undefined);
  }, [counterId, hub.client]);

  /**
   * Runs a command and shows its result; a lost login sends the clerk back to the PIN screen.
   * Gives the reply's data, or undefined when refused. One command at a time: a key pressed
   * while one runs is dropped, so a double press never finishes one visit and calls twice.
   */
  const run = useCallback(
    async <T,>(action: () => Promise<Ack<T>> | undefined, done?: (data: T) => string | undefined): Promise<T | undefined> => {
      if (busy.current) return undefined;
      const pending = action();
      if (!pending) return undefined;
      busy.current = true;
      let reply: Ack<T>;
      try {
        reply = await pending;
      } finally {
        busy.current = false;
      }
      if (reply.ok) {
        const info = done?.(reply.data);
        setMessage(info ? { kind: 'info', text: info } : undefined);
        return reply.data;
      }
      setMessage({ kind: 'error', text: reply.error.message });
      if (reply.error.code === 'not_logged_in') logOutLocally();
      return undefined;
    },
    [logOutLocally],
  );

  const c = hub.client;
  /** Runs a command chosen in a dialog: the dialog closes when it succeeds, and shows the refusal above itself otherwise. */
  const fromDialog = async <T,>(pending: Promise<T | undefined>) => {
    const data = await pending;
    if (data !== undefined) setDialog(undefined);
    return data;
  };
  const actions = {
    next: () => run(() => c?.send('counter:next', { requestId: requestId() }), (t) => `Đã gọi số ${t.number}.`),
    recall: () => run(() => c?.send('counter:recall', { requestId: requestId() }), (t) => `Đã gọi lại số ${t.number}.`),
    start: () => run(() => c?.send('counter:start', { requestId: requestId() })),
    noShow: () => run(() => c?.send('counter:noShow', { requestId: requestId() }), (t) => `Số ${t.number} được ghi là vắng mặt.`),
    finish: (outcome: Outcome) =>
      run(() => c?.send('counter:finish', { requestId: requestId(), outcome }), (t) => `Đã kết thúc số ${t.number}: ${OUTCOME_TEXT[outcome]}.`),
    /** The dialog N opens: end the open visit (an outcome, or absent), then call the next citizen. */
    endThenNext: async (end: Outcome | 'noShow') => {
      const ended = await fromDialog(end === 'noShow' ? actions.noShow() : actions.finish(end));
      if (!ended) return;
      const said = end === 'noShow' ? `Số ${ended.number} được ghi là vắng mặt.` : `Đã kết thúc số ${ended.number}: ${OUTCOME_TEXT[end]}.`;
      const called = await run(() => c?.send('counter:next', { requestId: requestId() }), (t) => `${said} Đã gọi số ${t.number}.`);
      // A refused call (nobody waiting) must not hide that the visit itself was recorded.
      if (!called) setMessage((m) => (m?.kind === 'error' ? { kind: 'error', text: `${said} ${m.text}` } : m));
    },
    transferToService: (serviceId: string) =>
      fromDialog(run(() => c?.send('counter:transfer', { requestId: requestId(), toServiceId: serviceId }), (t) => `Đã chuyển số ${t.number}.`)),
    transferToCounter: (toCounterId: number) =>
      fromDialog(run(() => c?.send('counter:transfer', { requestId: requestId(), toCounterId }), (t) => `Đã chuyển số ${t.number} sang quầy ${toCounterId}.`)),
    callNumber: (number: number) => fromDialog(run(() => c?.send('counter:callNumber', { requestId: requestId(), number }), (t) => `Đã gọi số ${t.number}.`)),
    recallMissed: (ticketId: string) =>
      run(() => c?.send('counter:recall', { requestId: requestId(), ticketId }), (t) => `Đã gọi lại số ${t.number}.`),
    pause: (reason: string) => fromDialog(run(() => c?.send('counter:pause', { reason }))),
    resume: () => run(() => c?.send('counter:resume', {})),
    open: () => run(() => c?.send('counter:open', {})),
    close: () => run(() => c?.send('counter:close', {})),
    logout: () =>
      run(
        () => c?.send('clerk:logout', {}),
        () => {
          logOutLocally();
          return 'Đã đăng xuất.';
        },
      ),
  };

  const pinned = hub.state?.tickets.find((t) => t.state === 'waiting' && t.targetCounterId === counterId);
  const why = counter && reasons(counter, current, pinned, hub.online, hub.state?.opening);

  /** A key for a button that cannot be used now says why instead, where the clerk is looking. */
  const attempt = (reason: string | undefined, act: () => unknown) => {
    if (reason) return setMessage({ kind: 'error', text: reason });
    void act();
  };
  const finishDialog = (thenNext: boolean) => attempt(why?.finish, () => setDialog({ kind: 'finish', thenNext }));

  useEffect(() => {
    if (!loggedIn || !why) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.key === 'Escape') return setDialog(undefined);
      const digit = /^[1-9]$/.test(e.key) ? Number(e.key) : undefined;
      if (dialog?.kind === 'finish') {
        const outcome = digit === undefined ? undefined : OUTCOMES[digit - 1];
        if (outcome) void (dialog.thenNext ? actions.endThenNext(outcome) : fromDialog(actions.finish(outcome)));
        else if (e.key.toUpperCase() === KEYS.noShow && current?.state === 'called') {
          void (dialog.thenNext ? actions.endThenNext('noShow') : fromDialog(actions.noShow()));
        }
        return;
      }
      if (dialog?.kind === 'pause') {
        const reason = digit === undefined ? undefined : PAUSE_REASONS[digit - 1];
        if (reason) void actions.pause(reason);
        return;
      }
      if (dialog?.kind === 'transfer') {
        // Digits choose a counter by its number; arrows and Enter move among every choice (see Modal).
        const target = hub.state?.counters.find((k) => k.id === digit && k.id !== counterId);
        if (target) attempt(transferRefusal(target), () => actions.transferToCounter(target.id));
        return;
      }
      if (dialog) return;
      // An outcome key ends the visit being served, or the one only called: two keys a citizen.
      const outcome = digit === undefined ? undefined : OUTCOMES[digit - 1];
      if (outcome) return attempt(why.finish, () => actions.finish(outcome));
      switch (e.key.toUpperCase()) {
        case KEYS.next:
          // With a visit still open, N asks for its outcome first, then calls the next citizen.
          return current ? finishDialog(true) : attempt(why.next, actions.next);
        case KEYS.recall:
          return attempt(why.recall, actions.recall);
        case KEYS.start:
          return attempt(why.start, actions.start);
        case KEYS.noShow:
          return attempt(why.noShow, actions.noShow);
        case KEYS.finish:
          return finishDialog(false);
        case KEYS.transfer:
          return attempt(why.transfer, () => setDialog({ kind: 'transfer' }));
        case KEYS.call:
          e.preventDefault();
          return attempt(why.call, () => setDialog({ kind: 'call' }));
        case KEYS.pause:
          return counter?.status === 'paused' ? attempt(why.resume, actions.resume) : attempt(why.pause, () => setDialog({ kind: 'pause' }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!hub.state || !counter || !why) {
    return (
      <div className="counter-screen">
        <ConnectionBadge online={hub.online} refused={hub.refused} />
        <p className="loading">{hub.refused ? '' : 'Đang kết nối với máy chủ…'}</p>
      </div>
    );
  }

  if (!loggedIn) {
    return (
      <div className="counter-screen">
        <Login
          counter={counter}
          clerks={hub.state.clerks.filter((k) => k.counterIds.includes(counterId))}
          online={hub.online}
          message={message?.text}
          onLogin={async (clerkId, pin) => {
            const reply = await hub.client?.send('clerk:login', { clerkId, pin });
            if (!reply) return;
            if (!reply.ok) return setMessage({ kind: 'error', text: reply.error.message });
            const next = { clerkId, session: reply.data.sessionToken };
            sessionStorage.setItem(sessionKey(counterId), JSON.stringify(next));
            hub.client?.setSession(next.session);
            setSaved(next);
            setMessage(undefined);
          }}
        />
        <footer className="counter-footer">
          <ConnectionBadge online={hub.online} refused={hub.refused} />
        </footer>
      </div>
    );
  }

  const waiting = hub.state.tickets.filter(
    (t) => t.state === 'waiting' && (t.targetCounterId === counterId || (t.targetCounterId === null && counter.serviceIds.includes(t.serviceId))),
  );
  const missed = hub.state.tickets.filter((t) => t.state === 'no_show' && t.counterId === counterId);
  const serviceName = (id: string) => serviceOf(hub.state, id)?.nameVi ?? id;
  const alert = message && (
    <div className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
      {message.text}
    </div>
  );
  const closeDialog = () => setDialog(undefined);

  return (
    <div className="counter-screen">
      <header className="counter-header">
        <div>
          <h1>{counter.name}</h1>
          <div className="counter-clerk">
            {counter.clerkName} · Hôm nay đã phục vụ <strong data-testid="served-today">{counter.servedToday}</strong> lượt
          </div>
        </div>
        <div className="counter-status">
          <span className={`status-pill ${counter.status}`} data-testid="counter-status">
            {statusText(counter)}
          </span>
          {counter.status === 'closed' ? (
            <HeaderButton id="open" label="Mở quầy" onClick={actions.open} why={why.open} />
          ) : (
            <HeaderButton id="close" label="Đóng quầy" onClick={actions.close} why={why.close} />
          )}
          <HeaderButton id="logout" label="Đăng xuất" onClick={actions.logout} why={why.logout} />
          <Clock withDate={false} />
        </div>
      </header>

      <main className="counter-main">
        <section className="current" data-testid="current">
          {current ? (
            <>
              <div className="current-label">{STATE_TEXT[current.state]}</div>
              <div className="current-number" data-testid="current-number">{current.number}</div>
              <div className="current-service">{serviceName(current.serviceId)}</div>
              {current.priority !== 'normal' && <div className="badge priority">Ưu tiên: {PRIORITY_NAMES[current.priority].vi}</div>}
              <div className="current-meta">
                Lấy số lúc {timeVi(current.issuedAt)}
                {current.calledAt !== null && ` · gọi lúc ${timeVi(current.calledAt)}`}
                {current.recalls > 0 && ` · đã gọi lại ${current.recalls} lần`}
              </div>
            </>
          ) : (
            <div className="current-empty">Chưa gọi số nào</div>
          )}
          <div className="outcomes" role="group" aria-label="Kết thúc với kết quả (phím 1–4)" data-testid="outcomes">
            {OUTCOMES.map((o, i) => (
              <Action key={o} id={`outcome-${o}`} k={String(i + 1)} label={OUTCOME_TEXT[o]} onClick={() => actions.finish(o)} why={why.finish} />
            ))}
          </div>
          <div className="actions">
            <Action
              id="next"
              k={KEYS.next}
              label={current ? 'Kết thúc rồi gọi tiếp…' : 'Gọi số tiếp theo'}
              primary
              onClick={() => (current ? setDialog({ kind: 'finish', thenNext: true }) : actions.next())}
              why={current ? why.finish : why.next}
            />
            <Action id="recall" k={KEYS.recall} label="Gọi lại" onClick={actions.recall} why={why.recall} />
            <Action id="start" k={KEYS.start} label="Bắt đầu phục vụ" onClick={actions.start} why={why.start} />
            <Action id="finish" k={KEYS.finish} label="Kết thúc…" onClick={() => setDialog({ kind: 'finish', thenNext: false })} why={why.finish} />
            <Action id="noShow" k={KEYS.noShow} label="Vắng mặt" onClick={actions.noShow} why={why.noShow} />
            <Action id="transfer" k={KEYS.transfer} label="Chuyển…" onClick={() => setDialog({ kind: 'transfer' })} why={why.transfer} />
            <Action id="call" k={KEYS.call} label="Gọi số…" onClick={() => setDialog({ kind: 'call' })} why={why.call} />
            {counter.status === 'paused' ? (
              <Action id="resume" k={KEYS.pause} label="Tiếp tục" onClick={actions.resume} why={why.resume} />
            ) : (
              <Action id="pause" k={KEYS.pause} label="Tạm nghỉ…" onClick={() => setDialog({ kind: 'pause' })} why={why.pause} />
            )}
          </div>
          {!dialog && alert}
        </section>

        <aside className="queue">
          <h2>Đang chờ ({waiting.length})</h2>
          <ol className="waiting-list" data-testid="waiting-list">
            {waiting.map((t) => (
              <li key={t.id} className={t.priority !== 'normal' ? 'priority' : undefined}>
                <span className="num">{t.number}</span>
                <span className="svc">{serviceName(t.serviceId)}</span>
                {t.priority !== 'normal' && <span className="badge priority">Ưu tiên</span>}
                {t.targetCounterId === counterId && <span className="badge">Chuyển đến</span>}
                <span className="time">{timeVi(t.issuedAt)}</span>
              </li>
            ))}
          </ol>
          {missed.length > 0 && (
            <>
              <h2>Vắng mặt</h2>
              <ul className="waiting-list" data-testid="missed-list">
                {missed.map((t) => (
                  <li key={t.id}>
                    <span className="num">{t.number}</span>
                    <span className="svc">{serviceName(t.serviceId)}</span>
                    <Action id={`recall-${t.id}`} label="Gọi lại" small onClick={() => actions.recallMissed(t.id)} why={why.recallMissed} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </main>

      {dialog?.kind === 'finish' && current && (
        <Modal
          title={dialog.thenNext ? `Kết thúc số ${current.number} rồi gọi số tiếp theo` : `Kết thúc số ${current.number} với kết quả`}
          onClose={closeDialog}
          alert={alert}
        >
          {dialog.thenNext && <p className="hint">Số {current.number} chưa kết thúc. Chọn kết quả (phím 1–4), hệ thống ghi lại rồi gọi số tiếp theo.</p>}
          <div className="choices">
            {OUTCOMES.map((o, i) => (
              <Choice key={o} onClick={() => (dialog.thenNext ? actions.endThenNext(o) : fromDialog(actions.finish(o)))} why={why.online}>
                <kbd>{i + 1}</kbd> {OUTCOME_TEXT[o]}
              </Choice>
            ))}
            {current.state === 'called' && (
              <Choice onClick={() => (dialog.thenNext ? actions.endThenNext('noShow') : fromDialog(actions.noShow()))} why={why.online}>
                <kbd>{KEYS.noShow}</kbd> Vắng mặt
              </Choice>
            )}
          </div>
        </Modal>
      )}
      {dialog?.kind === 'transfer' && current && (
        <Modal title={`Chuyển số ${current.number}`} onClose={closeDialog} alert={alert}>
          <h3>Sang lĩnh vực</h3>
          <div className="choices">
            {hub.state.services
              .filter((s) => s.active && s.id !== current.serviceId)
              .map((s) => {
                const open = hub.state!.counters.filter((k) => k.status === 'open' && k.serviceIds.includes(s.id)).length;
                return (
                  <Choice key={s.id} onClick={() => actions.transferToService(s.id)} why={why.online} testId={`transfer-service-${s.id}`}>
                    {s.nameVi}
                    <small className={open ? 'state open' : 'state warn'}>{open ? `${open} quầy đang mở` : 'Chưa quầy nào mở: số chờ đến khi có quầy mở'}</small>
                  </Choice>
                );
              })}
          </div>
          <h3>Sang quầy <small>(phím số quầy; chỉ quầy đang mở)</small></h3>
          <div className="choices counters">
            {hub.state.counters
              .filter((k) => k.id !== counterId)
              .map((k) => (
                <Choice key={k.id} onClick={() => actions.transferToCounter(k.id)} why={why.online ?? transferRefusal(k)} testId={`transfer-counter-${k.id}`}>
                  {k.id <= 9 && <kbd>{k.id}</kbd>} {k.name}
                  <small className={`state ${k.status}`}>{statusText(k)}</small>
                </Choice>
              ))}
          </div>
        </Modal>
      )}
      {dialog?.kind === 'pause' && <PauseDialog onPause={(r) => void actions.pause(r)} onClose={closeDialog} why={why.online} alert={alert} />}
      {dialog?.kind === 'call' && <CallDialog onCall={(n) => void actions.callNumber(n)} onClose={closeDialog} why={why.online} alert={alert} />}
      <footer className="counter-footer">
        <ConnectionBadge online={hub.online} refused={hub.refused} />
        <span className="hint">
          Phím tắt: 1–4 kết thúc với kết quả · N gọi tiếp · L gọi lại · B bắt đầu · K kết thúc · V vắng mặt · C chuyển · S gọi số · P tạm nghỉ · Esc đóng
        </span>
      </footer>
    </div>
  );
}

/**
 * Why each of the counter's buttons cannot be used now (undefined: it can), in words a clerk
 * reads on the button itself. Which moves a ticket allows is the core's rule (`allows`).
 */
function reasons(counter: CounterView, current: TicketView | undefined, pinned: TicketView | undefined, online: boolean, opening: Opening | undefined) {
  const offline = online ? undefined : 'Mất kết nối với máy chủ: chờ kết nối lại.';
  const notOpen =
    counter.status === 'closed' ? 'Quầy đang đóng: bấm "Mở quầy".' : counter.status === 'paused' ? 'Quầy đang tạm nghỉ: bấm "Tiếp tục" (P).' : undefined;
  const none = 'Chưa gọi số nào.';
  const busy = current && `Còn số ${current.number}: kết thúc (phím 1–4) hoặc chuyển số này trước.`;
  /** Why `action` cannot be done to the current ticket. */
  const onTicket = (action: TicketAction, refusal: string) => offline ?? (!current ? none : allows(current.state, action) ? undefined : refusal);
  const served = current && `Số ${current.number} đang được phục vụ.`;
  // The hub refuses to pause, close or log out while a ticket transferred here waits: only this counter calls it.
  const open = current ? `Còn số ${current.number} chưa xong` : pinned && `Số ${pinned.number} chuyển đến còn chờ`;
  return {
    online: offline,
    // After an evening reset the hub refuses "next": the tickets waiting are for the next working day.
    next: offline ?? notOpen ?? busy ?? (opening?.state === 'early' && opening.reason === 'evening' ? 'Hết giờ làm việc: số đang chờ là của ngày làm việc sau.' : undefined),
    recall: onTicket('recall', `${served ?? ''} Không cần gọi lại.`),
    start: onTicket('start', `Đã bắt đầu phục vụ số ${current?.number ?? ''}.`),
    finish: onTicket('finish', none),
    noShow: onTicket('noShow', `${served ?? ''} Công dân đã đến.`),
    transfer: onTicket('transfer', none),
    call: offline ?? notOpen ?? busy,
    pause: offline ?? (counter.status === 'closed' ? 'Quầy đang đóng.' : (busy ?? (pinned && `Số ${pinned.number} được chuyển đến quầy này còn chờ: gọi số này trước.`))),
    resume: offline,
    open: offline,
    // Short: these sit under the header's small buttons.
    close: offline ?? open,
    logout: offline ?? open,
    recallMissed: offline ?? notOpen ?? (current && `Còn số ${current.number} chưa xong`),
  };
}

/** Why a ticket cannot be sent to `target` (the hub refuses it too): nobody there would call it. */
function transferRefusal(target: CounterView): string | undefined {
  if (target.status === 'closed') return `${target.name} đang đóng: số chuyển đến sẽ không ai gọi.`;
  if (target.status === 'paused') return `${target.name} đang tạm nghỉ (${target.pauseReason ?? ''}): số chuyển đến sẽ không ai gọi.`;
  return undefined;
}

/** A button that, when it cannot be used, says why: on itself, in its tooltip and to a screen reader. */
function Action(props: { id: string; k?: string; label: string; onClick: () => unknown; why: string | undefined; primary?: boolean; small?: boolean }) {
  const whyId = `why-${props.id}`;
  const className = ['action', props.primary ? 'primary' : '', props.small ? 'small' : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className={className}
      data-action={props.id}
      onClick={() => void props.onClick()}
      disabled={props.why !== undefined}
      title={props.why}
      aria-describedby={props.why ? whyId : undefined}
      {...(props.k ? { 'aria-keyshortcuts': props.k } : {})}
    >
      <span className="action-label">
        {props.k && <kbd>{props.k}</kbd>} {props.label}
      </span>
      {props.why && (
        <small className="why" id={whyId}>
          {props.why}
        </small>
      )}
    </button>
  );
}

function HeaderButton(props: { id: string; label: string; onClick: () => unknown; why: string | undefined }) {
  const whyId = `why-${props.id}`;
  return (
    <span className="header-button">
      <button type="button" onClick={() => void props.onClick()} disabled={props.why !== undefined} title={props.why} aria-describedby={props.why ? whyId : undefined}>
        {props.label}
      </button>
      {props.why && (
        <small className="why" id={whyId}>
          {props.why}
        </small>
      )}
    </span>
  );
}

/** One choice of a dialog: reachable with the arrow keys, chosen with Enter; a disabled one says why. */
function Choice(props: { onClick: () => unknown; why: string | undefined; testId?: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <button
      type="button"
      data-choice
      data-testid={props.testId}
      onClick={() => void props.onClick()}
      disabled={props.why !== undefined}
      title={props.why}
      aria-describedby={props.why ? id : undefined}
    >
      {props.children}
      {props.why && (
        <small className="why" id={id}>
          {props.why}
        </small>
      )}
    </button>
  );
}

/**
 * A dialog over the screen. Its first choice has the focus; the arrow keys move among the
 * choices that can be used, Enter takes one. A refusal (`alert`) is shown inside it, above
 * the backdrop, where the clerk is looking.
 */
function Modal(props: { title: string; onClose: () => void; alert?: React.ReactNode; focusFirst?: boolean; children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const focusFirst = props.focusFirst ?? true;
  useEffect(() => {
    if (focusFirst) box.current?.querySelector<HTMLButtonElement>('button[data-choice]:not(:disabled)')?.focus();
  }, [focusFirst]);
  const move = (e: React.KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (step === undefined || e.target instanceof HTMLInputElement) return;
    const choices = [...(box.current?.querySelectorAll<HTMLButtonElement>('button[data-choice]:not(:disabled)') ?? [])];
    if (choices.length === 0) return;
    e.preventDefault();
    const at = choices.indexOf(document.activeElement as HTMLButtonElement);
    choices[at === -1 ? 0 : (at + step + choices.length) % choices.length]!.focus();
  };
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div ref={box} className="modal" role="dialog" aria-modal="true" aria-label={props.title} onClick={(e) => e.stopPropagation()} onKeyDown={move}>
        <h2>{props.title}</h2>
        {props.children}
        {props.alert}
        <button type="button" className="close" onClick={props.onClose}>
          <kbd>Esc</kbd> Đóng
        </button>
      </div>
    </div>
  );
}

function PauseDialog(props: { onPause: (reason: string) => void; onClose: () => void; why: string | undefined; alert: React.ReactNode }) {
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

function CallDialog(props: { onCall: (n: number) => void; onClose: () => void; why: string | undefined; alert: React.ReactNode }) {
  const [value, setValue] = useState('');
  return (
    <Modal title="Gọi một số cụ thể" onClose={props.onClose} alert={props.alert} focusFirst={false}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(value);
          if (Number.isInteger(n) && n > 0) props.onCall(n);
        }}
      >
        <input
          autoFocus
          inputMode="numeric"
          value={value}
          onChange={(e) => setValue(e.target.value.replace(/\D/g, '').slice(0, 5))}
          onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
          placeholder="Số thứ tự, ví dụ 2005"
          aria-label="Số thứ tự"
        />
        <button type="submit" disabled={props.why !== undefined || value === ''} title={props.why ?? (value === '' ? 'Hãy gõ số cần gọi.' : undefined)}>
          Gọi
        </button>
      </form>
    </Modal>
  );
}

function Login(props: {
  counter: CounterView;
  clerks: { id: number; name: string }[];
  online: boolean;
  message: string | undefined;
  onLogin: (clerkId: number, pin: string) => Promise<void>;
}) {
  const [clerkId, setClerkId] = useState<number | undefined>(props.clerks.length === 1 ? props.clerks[0]!.id : undefined);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const why = !props.online
    ? 'Mất kết nối với máy chủ: chờ kết nối lại.'
    : busy
      ? 'Đang kiểm tra mã PIN…'
      : clerkId === undefined
        ? 'Hãy chọn tên cán bộ.'
        : pin.length < 4
          ? 'Hãy nhập mã PIN (4 đến 8 chữ số).'
          : undefined;
  return (
    <form
      className="login"
      onSubmit={async (e) => {
        e.preventDefault();
        if (clerkId === undefined || pin.length < 4) return;
        setBusy(true);
        await props.onLogin(clerkId, pin);
        setBusy(false);
        setPin('');
      }}
    >
      <h1>{props.counter.name} — Đăng nhập</h1>
      {props.counter.clerkName && <p>Hiện {props.counter.clerkName} đang đăng nhập ở quầy này.</p>}
      {props.clerks.length === 0 ? (
        <p className="error">Chưa có cán bộ nào được phân công ở quầy này. Hãy nhờ quản trị thêm cán bộ.</p>
      ) : (
        <div className="choices" role="radiogroup" aria-label="Cán bộ">
          {props.clerks.map((k) => (
            <button type="button" key={k.id} role="radio" aria-checked={clerkId === k.id} className={clerkId === k.id ? 'selected' : undefined} onClick={() => setClerkId(k.id)}>
              {k.name}
            </button>
          ))}
        </div>
      )}
      <label>
        Mã PIN
        <input autoFocus type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} aria-label="Mã PIN" />
      </label>
      <button type="submit" className="primary" disabled={why !== undefined} title={why} aria-describedby={why ? 'why-login' : undefined}>
        Đăng nhập
      </button>
      {why && (
        <small className="why" id="why-login">
          {why}
        </small>
      )}
      {props.message && <div className="message error" role="alert">{props.message}</div>}
    </form>
  );
}

