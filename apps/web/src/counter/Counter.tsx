import { useCallback, useEffect, useRef, useState } from 'react';
import { allows, DOSSIER_OUTCOME_REFUSAL, dossierCodeRefusal, scannedCodeRefusal, takesDossierCode, waitingFor } from '@xephang/core';
import { DEFAULT_DOSSIER_SETTINGS, PRIORITY_NAMES, type Ack, type HubError, type Outcome, type PriorityClass, type VisitRow } from '@xephang/protocol';
import { Clock } from '../shared/Clock';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { serviceOf, timeVi } from '../shared/format';
import { requestId, useHub } from '../shared/useHub';
import { Action, HeaderButton } from './Action';
import { CallDialog } from './CallDialog';
import { DossierField, TodayVisits, type DossierDraft, type DossierTarget } from './Dossier';
import { FinishDialog } from './FinishDialog';
import { Login } from './Login';
import { PauseDialog } from './PauseDialog';
import { reasons, statusText, transferWhy } from './reasons';
import { loadSaved, sessionKey, type Saved } from './session';
import { KEYS, OUTCOME_TEXT, OUTCOMES, PAUSE_REASONS, STATE_TEXT } from './text';
import { TransferDialog } from './TransferDialog';
import { useScanner } from './useScanner';
import { WithoutCardDialog } from './WithoutCardDialog';

/** `thenNext`: opened by N while a visit was open, so the next citizen is called once it is finished. */
type Dialog = { kind: 'finish'; thenNext: boolean } | { kind: 'transfer' } | { kind: 'pause' } | { kind: 'call' } | { kind: 'withoutCard' } | undefined;

/** The clerk's screen at one counter: the ticket in hand, the buttons and keys that move it, the queue the counter calls. */
export function Counter({ counterId }: { counterId: number }) {
  const [saved, setSaved] = useState<Saved | undefined>(() => loadSaved(counterId));
  const [auth] = useState(() => ({ role: 'counter' as const, counterId, ...(saved ? { session: saved.session } : {}) }));
  const hub = useHub(auth);
  const [dialog, setDialog] = useState<Dialog>();
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();
  // A ref, not state: a second key pressed before the first reply must see it at once.
  const busy = useRef(false);
  // The dossier code (issue 20): the field's text, the visit last finished here, one picked from today's list.
  const [draft, setDraft] = useState<DossierDraft>({ for: undefined, value: '' });
  const [lastDone, setLastDone] = useState<Extract<DossierTarget, { kind: 'visit' }>>();
  const [picked, setPicked] = useState<Extract<DossierTarget, { kind: 'visit' }>>();
  const [listed, setListed] = useState(0);
  const codeInput = useRef<HTMLInputElement>(null);

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
    async <T,>(action: () => Promise<Ack<T>> | undefined, done?: (data: T) => string | undefined, refused?: (error: HubError) => void): Promise<T | undefined> => {
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
      // A refusal about the dossier code is said beside its field, not at the bottom.
      if (refused && reply.error.code !== 'not_logged_in') refused(reply.error);
      else setMessage({ kind: 'error', text: reply.error.message });
      if (reply.error.code === 'not_logged_in') logOutLocally();
      return undefined;
    },
    [logOutLocally],
  );

  const c = hub.client;
  const dossierSettings = hub.state?.dossier ?? DEFAULT_DOSSIER_SETTINGS;
  // The code field writes to a visit picked from today's list, else the visit in hand, else the
  // visit just finished here if it received a dossier or returned a result.
  const target: DossierTarget | undefined =
    picked ?? (current ? { kind: 'current', ticketId: current.id, number: current.number } : lastDone && takesDossierCode(lastDone.outcome) ? lastDone : undefined);
  // A field's text belongs to its target: another target starts from its own stored code.
  const shownDraft: DossierDraft =
    target && draft.for === target.ticketId ? draft : { for: target?.ticketId, value: target?.kind === 'visit' ? (target.code ?? '') : '' };
  /** The code the visit in hand would be finished with, if any. */
  const pendingCode = current && shownDraft.for === current.id && shownDraft.value.trim() !== '' ? shownDraft.value.trim() : undefined;

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
    finish: (outcome: Outcome) => {
      // The code goes with a finish that takes one; with another outcome the visit ends without it, and the clerk is told.
      const code = pendingCode !== undefined && takesDossierCode(outcome) ? pendingCode : undefined;
      return run(
        () => c?.send('counter:finish', { requestId: requestId(), outcome, ...(code === undefined ? {} : { dossierCode: code }) }),
        (t) => {
          setLastDone({ kind: 'visit', ticketId: t.id, number: t.number, outcome, code: code ?? null });
          setPicked(undefined);
          setDraft({ for: t.id, value: code ?? '', info: code ? `Đã ghi mã hồ sơ ${code} cho số ${t.number}.` : undefined });
          setListed((n) => n + 1);
          const dropped = pendingCode !== undefined && code === undefined ? ` Mã hồ sơ ${pendingCode} không được ghi: ${DOSSIER_OUTCOME_REFUSAL}` : '';
          return `Đã kết thúc số ${t.number}: ${OUTCOME_TEXT[outcome]}${code ? `, mã hồ sơ ${code}` : ''}.${dropped}`;
        },
        code === undefined
          ? undefined
          : (error) => {
              setDraft({ ...shownDraft, error: error.message, info: undefined });
              // The finish dialog covers the field: it says the refusal too.
              if (dialog) setMessage({ kind: 'error', text: error.message });
            },
      );
    },
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
    /** A ticket of a field that needs the ID card, for a citizen without one (issue 20). */
    withoutCard: (serviceId: string, priority: PriorityClass) =>
      fromDialog(
        run(
          () => c?.send('citizen:issueWithoutCard', { requestId: requestId(), serviceId, priority }),
          (r) => `Đã cấp số ${r.ticket.number} cho người không mang thẻ${r.printed === false ? ` (chưa in được: ${r.printMessage ?? 'máy in gặp sự cố'})` : ''}.`,
        ),
      ),
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

  /**
   * The code field's Enter (or a scan): for the visit in hand the code is kept for its finish, once
   * the pattern takes it; for a finished visit it is saved now (empty: removed). Either way the focus
   * goes back to the screen, so the clerk's keys work again. A scanned code refused with Vietnamese
   * letters in it says the typing program (Unikey…) is the likely cause.
   */
  const submitCode = async (value: string, scanned = false) => {
    if (!target) return setMessage({ kind: 'error', text: `Chưa có lượt nào để ghi mã hồ sơ: mã ghi cho lượt “${OUTCOME_TEXT.received}” hoặc “${OUTCOME_TEXT.returned}”.` });
    const code = value.trim();
    const base: DossierDraft = { for: target.ticketId, value: code };
    const refused = (message: string) => setDraft({ ...base, error: scanned ? scannedCodeRefusal(message, code) : message });
    const refusal = code === '' ? undefined : dossierCodeRefusal(code, dossierSettings);
    if (refusal) return refused(refusal);
    if (codeInput.current === document.activeElement) codeInput.current?.blur();
    if (target.kind === 'current') {
      return setDraft({ ...base, info: code === '' ? undefined : `Mã sẽ được ghi khi kết thúc số ${target.number} với 1 hoặc 3.` });
    }
    const saved = await run(
      () => c?.send('visit:setDossier', { requestId: requestId(), ticketId: target.ticketId, code: code === '' ? null : code }),
      undefined,
      (error) => refused(error.message),
    );
    if (!saved) return;
    const kept = { ...target, code: code === '' ? null : code };
    if (lastDone?.ticketId === target.ticketId) setLastDone(kept);
    // A visit picked from the list stays in the field, saying it was saved, unless a visit is in hand.
    if (picked) setPicked(current ? undefined : kept);
    setListed((n) => n + 1);
    const said = code === '' ? `Đã xoá mã hồ sơ của số ${target.number}.` : `Đã ghi mã hồ sơ ${code} cho số ${target.number}.`;
    setDraft({ ...base, for: kept.ticketId, info: said });
    // The field went back to the visit in hand: the confirmation is said below instead.
    if (picked && current) setMessage({ kind: 'info', text: said });
  };
  // Listening before the login too: a slip scanned at the PIN box would type its digits there and
  // its Enter would send them as a wrong PIN.
  const { scanning } = useScanner(dossierSettings.scannerPrefix, (code) => {
    if (!loggedIn) return setMessage({ kind: 'error', text: `Mã hồ sơ ${code} chưa được ghi: hãy đăng nhập bằng mã PIN trước khi quét.` });
    setDraft({ for: target?.ticketId, value: code });
    void submitCode(code, true);
  });
  // A newly called visit takes the field back from a visit picked in the list.
  const currentId = current?.id;
  useEffect(() => setPicked(undefined), [currentId]);
  const pick = (row: VisitRow) => {
    if (!row.outcome) return;
    setPicked({ kind: 'visit', ticketId: row.ticketId, number: row.number, outcome: row.outcome, code: row.dossierCode });
    setDraft({ for: row.ticketId, value: row.dossierCode ?? '' });
    setTimeout(() => codeInput.current?.focus(), 0);
  };

  /** The finish dialog's choice: end the visit with `end`, and with `thenNext` call the next citizen. */
  const endFromDialog = (end: Outcome | 'noShow', thenNext: boolean) =>
    thenNext ? actions.endThenNext(end) : fromDialog(end === 'noShow' ? actions.noShow() : actions.finish(end));

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
        if (outcome) void endFromDialog(outcome, dialog.thenNext);
        else if (e.key.toUpperCase() === KEYS.noShow && current && allows(current.state, 'noShow')) void endFromDialog('noShow', dialog.thenNext);
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
        if (target) attempt(transferWhy(target), () => actions.transferToCounter(target.id));
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

  // The same rules as the hub's "next" and "recall": core's, not a copy.
  const waiting = waitingFor(hub.state.tickets, { counterId, serviceOrder: counter.serviceIds });
  const missed = hub.state.tickets.filter((t) => t.counterId === counterId && allows(t.state, 'recallMissed'));
  const serviceName = (id: string) => serviceOf(hub.state, id)?.nameVi ?? id;
  const alert = message && (
    <div className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
      {message.text}
    </div>
  );
  const closeDialog = () => setDialog(undefined);
  // The fields whose ticket needs the citizen's ID card at the kiosk: the desk issues theirs for a citizen without one.
  const cardRequired = hub.state.services.filter((s) => s.active && hub.state!.citizenIdRules?.[s.id]?.mode === 'required');

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
          <DossierField
            target={target}
            draft={shownDraft}
            settings={dossierSettings}
            scanning={scanning}
            inputRef={codeInput}
            onChange={(value) => setDraft({ for: target?.ticketId, value })}
            onSubmit={() => void submitCode(shownDraft.value)}
            onCancel={() => {
              setPicked(undefined);
              setDraft({ for: undefined, value: '' });
              codeInput.current?.blur();
            }}
          />
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
          {cardRequired.length > 0 && (
            <button type="button" className="without-card" data-testid="open-without-card" onClick={() => setDialog({ kind: 'withoutCard' })}>
              Cấp số cho người không mang thẻ…
            </button>
          )}
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
          <TodayVisits client={c} day={hub.state.day} refresh={`${counter.servedToday}:${listed}`} onPick={pick} />
        </aside>
      </main>

      {dialog?.kind === 'finish' && current && (
        <FinishDialog current={current} thenNext={dialog.thenNext} onEnd={(end) => endFromDialog(end, dialog.thenNext)} onClose={closeDialog} why={why.online} alert={alert} />
      )}
      {dialog?.kind === 'transfer' && current && (
        <TransferDialog
          current={current}
          counterId={counterId}
          services={hub.state.services}
          counters={hub.state.counters}
          onService={actions.transferToService}
          onCounter={actions.transferToCounter}
          onClose={closeDialog}
          why={why.online}
          alert={alert}
        />
      )}
      {dialog?.kind === 'pause' && <PauseDialog onPause={(r) => void actions.pause(r)} onClose={closeDialog} why={why.online} alert={alert} />}
      {dialog?.kind === 'withoutCard' && (
        <WithoutCardDialog services={cardRequired} onIssue={(serviceId, priority) => void actions.withoutCard(serviceId, priority)} onClose={closeDialog} why={why.online} alert={alert} />
      )}
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
