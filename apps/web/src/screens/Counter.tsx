import { useCallback, useEffect, useState } from 'react';
import { PRIORITY_NAMES, type Ack, type CounterView, type Outcome } from '@xephang/protocol';
import { Clock } from '../components/Clock';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { serviceOf, timeVi } from '../format';
import { OUTCOME_TEXT, STATE_TEXT } from '../text';
import { requestId, useHub } from '../useHub';

const OUTCOMES = Object.keys(OUTCOME_TEXT) as Outcome[];
const PAUSE_REASONS = ['Họp', 'Nghỉ giải lao', 'Đi công tác', 'Hỗ trợ quầy khác', 'Sự cố kỹ thuật'];

/** Keyboard shortcuts, shown on the buttons: the clerk's hands stay on the keyboard. */
const KEYS = { next: 'N', recall: 'L', start: 'B', finish: 'K', noShow: 'V', transfer: 'C', call: 'S', pause: 'P' } as const;

type Dialog = 'finish' | 'transfer' | 'pause' | 'call' | undefined;

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

export function Counter({ counterId }: { counterId: number }) {
  const [saved, setSaved] = useState<Saved | undefined>(() => loadSaved(counterId));
  const [auth] = useState(() => ({ role: 'counter' as const, counterId, ...(saved ? { session: saved.session } : {}) }));
  const hub = useHub(auth);
  const [dialog, setDialog] = useState<Dialog>();
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();
  const [busy, setBusy] = useState(false);

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
   * Only a command chosen in a dialog closes it: a key pressed meanwhile may have opened another.
   */
  const run = useCallback(
    async <T,>(action: () => Promise<Ack<T>> | undefined, done?: (data: T) => string | undefined, fromDialog = false) => {
      const pending = action();
      if (!pending) return;
      setBusy(true);
      const reply = await pending;
      setBusy(false);
      if (reply.ok) {
        const info = done?.(reply.data);
        setMessage(info ? { kind: 'info', text: info } : undefined);
        if (fromDialog) setDialog(undefined);
      } else {
        setMessage({ kind: 'error', text: reply.error.message });
        if (reply.error.code === 'not_logged_in') logOutLocally();
      }
    },
    [logOutLocally],
  );

  const c = hub.client;
  const actions = {
    next: () => run(() => c?.send('counter:next', { requestId: requestId() }), (t) => `Đã gọi số ${t.number}.`),
    recall: () => run(() => c?.send('counter:recall', { requestId: requestId() }), (t) => `Đã gọi lại số ${t.number}.`),
    start: () => run(() => c?.send('counter:start', { requestId: requestId() })),
    noShow: () => run(() => c?.send('counter:noShow', { requestId: requestId() }), (t) => `Số ${t.number} được ghi là vắng mặt.`),
    finish: (outcome: Outcome) =>
      run(() => c?.send('counter:finish', { requestId: requestId(), outcome }), (t) => `Đã kết thúc số ${t.number}: ${OUTCOME_TEXT[outcome]}.`, true),
    transferToService: (serviceId: string) =>
      run(() => c?.send('counter:transfer', { requestId: requestId(), toServiceId: serviceId }), (t) => `Đã chuyển số ${t.number}.`, true),
    transferToCounter: (toCounterId: number) =>
      run(() => c?.send('counter:transfer', { requestId: requestId(), toCounterId }), (t) => `Đã chuyển số ${t.number} sang quầy ${toCounterId}.`, true),
    callNumber: (number: number) =>
      run(() => c?.send('counter:callNumber', { requestId: requestId(), number }), (t) => `Đã gọi số ${t.number}.`, true),
    recallMissed: (ticketId: string) =>
      run(() => c?.send('counter:recall', { requestId: requestId(), ticketId }), (t) => `Đã gọi lại số ${t.number}.`),
    pause: (reason: string) => run(() => c?.send('counter:pause', { reason }), undefined, true),
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

  useEffect(() => {
    if (!loggedIn) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.key === 'Escape') return setDialog(undefined);
      if (dialog === 'finish') {
        const outcome = OUTCOMES[Number(e.key) - 1];
        if (outcome) void actions.finish(outcome);
        return;
      }
      if (dialog) return;
      switch (e.key.toUpperCase()) {
        case KEYS.next:
          return void actions.next();
        case KEYS.recall:
          return void actions.recall();
        case KEYS.start:
          return void actions.start();
        case KEYS.noShow:
          return void actions.noShow();
        case KEYS.finish:
          return setDialog('finish');
        case KEYS.transfer:
          return setDialog('transfer');
        case KEYS.call:
          e.preventDefault();
          return setDialog('call');
        case KEYS.pause:
          return counter?.status === 'paused' ? void actions.resume() : setDialog('pause');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!hub.state || !counter) {
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
  const disabled = busy || !hub.online;
  const serviceName = (id: string) => serviceOf(hub.state, id)?.nameVi ?? id;

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
            {counter.status === 'open' ? 'Đang mở' : counter.status === 'paused' ? `Tạm nghỉ: ${counter.pauseReason ?? ''}` : 'Đóng'}
          </span>
          {counter.status === 'closed' ? (
            <button type="button" onClick={() => void actions.open()} disabled={disabled}>Mở quầy</button>
          ) : (
            <button type="button" onClick={() => void actions.close()} disabled={disabled || current !== undefined}>Đóng quầy</button>
          )}
          <button type="button" onClick={() => void actions.logout()} disabled={disabled || current !== undefined}>Đăng xuất</button>
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
          <div className="actions">
            <Action k={KEYS.next} label="Gọi số tiếp theo" primary onClick={actions.next} disabled={disabled || current !== undefined || counter.status !== 'open'} />
            <Action k={KEYS.recall} label="Gọi lại" onClick={actions.recall} disabled={disabled || current?.state !== 'called'} />
            <Action k={KEYS.start} label="Bắt đầu phục vụ" onClick={actions.start} disabled={disabled || current?.state !== 'called'} />
            <Action k={KEYS.finish} label="Kết thúc…" onClick={() => setDialog('finish')} disabled={disabled || current?.state !== 'serving'} />
            <Action k={KEYS.noShow} label="Vắng mặt" onClick={actions.noShow} disabled={disabled || current?.state !== 'called'} />
            <Action k={KEYS.transfer} label="Chuyển…" onClick={() => setDialog('transfer')} disabled={disabled || current === undefined} />
            <Action k={KEYS.call} label="Gọi số…" onClick={() => setDialog('call')} disabled={disabled || current !== undefined || counter.status !== 'open'} />
            {counter.status === 'paused' ? (
              <Action k={KEYS.pause} label="Tiếp tục" onClick={actions.resume} disabled={disabled} />
            ) : (
              <Action k={KEYS.pause} label="Tạm nghỉ…" onClick={() => setDialog('pause')} disabled={disabled || current !== undefined || counter.status !== 'open'} />
            )}
          </div>
          {message && (
            <div className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
              {message.text}
            </div>
          )}
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
              <ul className="waiting-list">
                {missed.map((t) => (
                  <li key={t.id}>
                    <span className="num">{t.number}</span>
                    <span className="svc">{serviceName(t.serviceId)}</span>
                    <button type="button" onClick={() => void actions.recallMissed(t.id)} disabled={disabled || current !== undefined}>Gọi lại</button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </main>

      {dialog === 'finish' && (
        <Modal title="Kết thúc với kết quả" onClose={() => setDialog(undefined)}>
          <div className="choices">
            {OUTCOMES.map((o, i) => (
              <button type="button" key={o} onClick={() => void actions.finish(o)} disabled={disabled}>
                <kbd>{i + 1}</kbd> {OUTCOME_TEXT[o]}
              </button>
            ))}
          </div>
        </Modal>
      )}
      {dialog === 'transfer' && (
        <Modal title={`Chuyển số ${current?.number ?? ''}`} onClose={() => setDialog(undefined)}>
          <h3>Sang lĩnh vực</h3>
          <div className="choices">
            {hub.state.services
              .filter((s) => s.active && s.id !== current?.serviceId)
              .map((s) => (
                <button type="button" key={s.id} onClick={() => void actions.transferToService(s.id)} disabled={disabled}>
                  {s.nameVi}
                </button>
              ))}
          </div>
          <h3>Sang quầy</h3>
          <div className="choices counters">
            {hub.state.counters
              .filter((k) => k.id !== counterId)
              .map((k) => (
                <button type="button" key={k.id} onClick={() => void actions.transferToCounter(k.id)} disabled={disabled}>
                  {k.name}
                </button>
              ))}
          </div>
        </Modal>
      )}
      {dialog === 'pause' && <PauseDialog onPause={(r) => void actions.pause(r)} onClose={() => setDialog(undefined)} disabled={disabled} />}
      {dialog === 'call' && <CallDialog onCall={(n) => void actions.callNumber(n)} onClose={() => setDialog(undefined)} disabled={disabled} />}
      <footer className="counter-footer">
        <ConnectionBadge online={hub.online} refused={hub.refused} />
        <span className="hint">Phím tắt: N gọi tiếp · L gọi lại · B bắt đầu · K kết thúc · V vắng mặt · C chuyển · S gọi số · P tạm nghỉ · Esc đóng</span>
      </footer>
    </div>
  );
}

function Action(props: { k: string; label: string; onClick: () => unknown; disabled: boolean; primary?: boolean }) {
  return (
    <button type="button" className={props.primary ? 'action primary' : 'action'} onClick={() => void props.onClick()} disabled={props.disabled} aria-keyshortcuts={props.k}>
      <kbd>{props.k}</kbd> {props.label}
    </button>
  );
}

function Modal(props: { title: string; onClose: () => void; children: React.ReactNode }) {
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div className="modal" role="dialog" aria-label={props.title} onClick={(e) => e.stopPropagation()}>
        <h2>{props.title}</h2>
        {props.children}
        <button type="button" className="close" onClick={props.onClose}>
          <kbd>Esc</kbd> Đóng
        </button>
      </div>
    </div>
  );
}

function PauseDialog(props: { onPause: (reason: string) => void; onClose: () => void; disabled: boolean }) {
  const [other, setOther] = useState('');
  return (
    <Modal title="Tạm nghỉ vì" onClose={props.onClose}>
      <div className="choices">
        {PAUSE_REASONS.map((r) => (
          <button type="button" key={r} onClick={() => props.onPause(r)} disabled={props.disabled}>
            {r}
          </button>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (other.trim()) props.onPause(other.trim());
        }}
      >
        <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="Lý do khác…" maxLength={120} aria-label="Lý do khác" />
        <button type="submit" disabled={props.disabled || !other.trim()}>Tạm nghỉ</button>
      </form>
    </Modal>
  );
}

function CallDialog(props: { onCall: (n: number) => void; onClose: () => void; disabled: boolean }) {
  const [value, setValue] = useState('');
  return (
    <Modal title="Gọi một số cụ thể" onClose={props.onClose}>
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
        <button type="submit" disabled={props.disabled || value === ''}>Gọi</button>
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
      <button type="submit" className="primary" disabled={busy || !props.online || clerkId === undefined || pin.length < 4}>
        Đăng nhập
      </button>
      {props.message && <div className="message error" role="alert">{props.message}</div>}
    </form>
  );
}

