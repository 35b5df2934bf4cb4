import { useCallback, useEffect, useState } from 'react';
import { PRIORITY_NAMES, type CitizenIdRule, type IssuedTicket, type Opening, type PrinterState, type PriorityClass, type ProcedureView, type ServiceLoad, type ServiceView } from '@xephang/protocol';
import { englishOf } from '@xephang/catalog';
import { Clock } from '../shared/Clock';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { requestId, useHub } from '../shared/useHub';
import { BrowsePanel } from './BrowsePanel';
import { CitizenRefused, CitizenScan } from './CitizenScan';
import { SearchPanel } from './SearchPanel';
import { KIOSK_TEXT, PRINTER_FAULT_TEXT, printerFaultEn, SEARCH_TEXT, type Lang } from './text';
import { useCatalog } from './useCatalog';
import { useOwnPrinter } from './useOwnPrinter';

/** How long the ticket stays on screen; longer when it did not print, so it can be noted down. */
const SHOW_MS = 10_000;
const SHOW_UNPRINTED_MS = 30_000;
const ERROR_MS = 8_000;
/**
 * A citizen who walked away mid-choice: the next one starts from Vietnamese, normal priority.
 * As long as a panel's own idle close (SearchPanel), so a slow reader is not cut short.
 */
const IDLE_RESET_MS = 90_000;

type Phase =
  | { kind: 'choose' }
  | { kind: 'issuing'; service: ServiceView }
  /** The field asks for the citizen's ID card first (issue 20): the scan screen. */
  | { kind: 'scan'; service: ServiceView; procedure: ProcedureView | undefined; rule: CitizenIdRule }
  /** The card already holds the field's limit of tickets today. */
  | { kind: 'refused'; rule: CitizenIdRule | undefined }
  | { kind: 'ticket'; issued: IssuedTicket; printed: boolean; paperLow: boolean; printMessage: string | undefined }
  | { kind: 'error'; message: string }
  /** The kiosk's own printer cannot print: no number was issued. */
  | { kind: 'printer'; state: PrinterState; message: string };

export function Kiosk() {
  const hub = useHub({ role: 'kiosk' });
  const own = useOwnPrinter(hub.client, hub.online);
  const [lang, setLang] = useState<Lang>('vi');
  const [priority, setPriority] = useState<PriorityClass>('normal');
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [panel, setPanel] = useState<'none' | 'search' | 'browse'>('none');
  const [touchedAt, setTouchedAt] = useState(0);
  const closePanel = useCallback(() => setPanel('none'), []);
  const t = KIOSK_TEXT[lang];
  const st = SEARCH_TEXT[lang];

  /** Ends a citizen's turn: the next one finds the kiosk as the day began (the panel closes, taking its search text). */
  const endTurn = useCallback(() => {
    setPhase({ kind: 'choose' });
    setPriority('normal');
    setLang('vi');
    setPanel('none');
  }, []);

  useEffect(() => {
    // The scan screen has its own idle timer (CitizenScan).
    if (phase.kind === 'choose' || phase.kind === 'issuing' || phase.kind === 'scan') return;
    const ms = phase.kind !== 'ticket' ? ERROR_MS : phase.printed ? SHOW_MS : SHOW_UNPRINTED_MS;
    const timer = setTimeout(endTurn, ms);
    return () => clearTimeout(timer);
  }, [phase, endTurn]);

  const opening = hub.state?.opening;
  const changed = lang !== 'vi' || priority !== 'normal' || panel !== 'none';
  useEffect(() => {
    if (phase.kind !== 'choose' || !changed) return;
    const timer = setTimeout(endTurn, IDLE_RESET_MS);
    return () => clearTimeout(timer);
  }, [phase, changed, touchedAt, endTurn]);

  /** `card`: what the ID card screen gave (an ID, or a skip); absent, a field that asks shows that screen first. */
  const issue = async (service: ServiceView, procedure?: ProcedureView, card?: { citizenId?: string }) => {
    // An error message stays up for a while, but the buttons under it still work.
    if (!own || phase.kind === 'issuing' || phase.kind === 'ticket' || opening?.state === 'closed') return;
    const rule = hub.state?.citizenIdRules?.[service.id];
    if (rule && rule.mode !== 'off' && card === undefined) {
      setPanel('none');
      setPhase({ kind: 'scan', service, procedure, rule });
      return;
    }
    setPhase({ kind: 'issuing', service });
    // In the desktop shell the kiosk's own printer is asked first and prints the job the hub drew;
    // in a browser the hub's printer prints (own-printer.ts).
    const outcome = await own.tap({
      requestId: requestId(),
      serviceId: service.id,
      priority,
      ...(procedure ? { procedureCode: procedure.code } : {}),
      ...(card?.citizenId ? { citizenId: card.citizenId } : {}),
    });
    setPanel('none');
    if (outcome.kind === 'issued') {
      setPhase({ kind: 'ticket', issued: outcome.issued, printed: outcome.printed, paperLow: outcome.warning === 'paper_near_end', printMessage: outcome.message });
    } else if (outcome.kind === 'printer_fault') {
      setPhase({ kind: 'printer', state: outcome.state, message: outcome.message || PRINTER_FAULT_TEXT.vi });
    } else if (outcome.error.code === 'citizen_over_limit') {
      setPhase({ kind: 'refused', rule });
    } else {
      setPhase({ kind: 'error', message: outcome.error.message });
    }
  };

  const services = (hub.state?.services ?? []).filter((s) => s.active);
  const name = (s: ServiceView) => (lang === 'vi' ? s.nameVi : s.nameEn);
  const other = (s: ServiceView) => (lang === 'vi' ? s.nameEn : s.nameVi);
  const serviceName = (id: string) => services.find((s) => s.id === id);
  const catalog = useCatalog(hub.client, hub.online, hub.state?.services ?? []);
  const pickProcedure = (p: ProcedureView) => {
    const service = serviceName(p.serviceId);
    if (service) void issue(service, p);
  };

  return (
    <div className="kiosk" lang={lang} data-opening={opening?.state} onPointerDownCapture={() => setTouchedAt(Date.now())}>
      <header className="kiosk-header">
        <div>
          <div className="center-name">{hub.state?.centerName ?? 'xephang'}</div>
          <Clock />
        </div>
        <button type="button" className="lang" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {t.switchTo}
        </button>
      </header>

      {phase.kind === 'scan' ? (
        <CitizenScan
          lang={lang}
          service={phase.service}
          rule={phase.rule}
          onScanned={(citizenId) => void issue(phase.service, phase.procedure, { citizenId })}
          onSkip={() => void issue(phase.service, phase.procedure, {})}
          onBack={endTurn}
        />
      ) : phase.kind === 'refused' ? (
        <CitizenRefused lang={lang} rule={phase.rule} onDone={endTurn} />
      ) : phase.kind === 'ticket' ? (
        <section className="kiosk-ticket" data-testid="kiosk-ticket" aria-live="assertive">
          <div className="your-number">{t.yourNumber}</div>
          <div className="ticket-number" data-testid="ticket-number">{phase.issued.ticket.number}</div>
          <div className="ticket-service">
            {serviceName(phase.issued.ticket.serviceId) ? name(serviceName(phase.issued.ticket.serviceId)!) : phase.issued.ticket.serviceId}
          </div>
          {phase.issued.procedure && <TicketProcedure procedure={phase.issued.procedure} lang={lang} />}
          {phase.issued.ticket.priority !== 'normal' && (
            <div className="ticket-priority">
              {lang === 'vi' ? 'Ưu tiên: ' : 'Priority: '}
              {PRIORITY_NAMES[phase.issued.ticket.priority][lang]}
            </div>
          )}
          <div className="ticket-ahead">
            {t.ahead(phase.issued.peopleAhead)}
            {t.estimate(phase.issued.estimatedWaitMinutes)}
          </div>
          {opening?.state === 'early' && <div className="ticket-opening">{t.early[opening.reason](opening.opensAt)}</div>}
          <div className="ticket-time">{t.issuedAt(phase.issued.ticket.issuedAt)}</div>
          <div className={phase.printed ? 'ticket-print' : 'ticket-print failed'} data-testid="print-status">
            {phase.printed ? t.printing : t.printFailed}
            {!phase.printed && phase.printMessage && <div className="ticket-print-why" lang="vi">{phase.printMessage}</div>}
          </div>
          {phase.paperLow && (
            <div className="ticket-paper-low" data-testid="paper-low" role="status">
              {t.paperLow}
            </div>
          )}
          <button type="button" className="done" data-testid="done" onClick={endTurn}>
            {t.done}
          </button>
        </section>
      ) : opening?.state === 'closed' ? (
        <section className="kiosk-closed" data-testid="kiosk-closed" role="status">
          <h1>{t.closedTitle}</h1>
          <p>{t.closedLine}</p>
          <p className="kiosk-closed-next" data-testid="kiosk-next-opening">{t.closedNext(opening.opensAt)}</p>
          {lang === 'vi' && <p className="kiosk-closed-en" lang="en">{KIOSK_TEXT.en.closedTitle}. {KIOSK_TEXT.en.closedNext(opening.opensAt)}</p>}
        </section>
      ) : (
        <>
          <h1 className="kiosk-title" data-testid="kiosk-title">
            {(lang === 'vi' ? hub.state?.kiosk.titleVi : hub.state?.kiosk.titleEn) ?? t.choose}
          </h1>
          {phase.kind === 'error' && (
            <div className="kiosk-error" role="alert" data-testid="kiosk-error">
              {phase.message}
            </div>
          )}
          {phase.kind === 'printer' && (
            <div className="kiosk-error kiosk-printer-fault" role="alert" data-testid="kiosk-printer-fault" data-state={phase.state}>
              <div lang="vi">{phase.message}</div>
              <div className="kiosk-printer-fault-en" lang="en">
                {printerFaultEn(phase.state)}
              </div>
            </div>
          )}
          {!hub.online && <div className="kiosk-error" role="alert">{hub.refused ?? t.offline}</div>}
          {opening?.state === 'early' && (
            <div className="kiosk-opening" data-testid="kiosk-opening" role="status">
              {t.early[opening.reason](opening.opensAt)}
            </div>
          )}
          <div className="priority-row" role="group" aria-label={t.priority}>
            <span>{t.priority}</span>
            {(Object.keys(PRIORITY_NAMES) as (keyof typeof PRIORITY_NAMES)[]).map((p) => (
              <button
                type="button"
                key={p}
                className={priority === p ? 'chip selected' : 'chip'}
                aria-pressed={priority === p}
                onClick={() => setPriority(priority === p ? 'normal' : p)}
              >
                {PRIORITY_NAMES[p][lang]}
              </button>
            ))}
          </div>
          {panel === 'search' && (
            <SearchPanel lang={lang} catalog={catalog} services={services} disabled={!hub.online || phase.kind === 'issuing'} onPick={pickProcedure} onClose={closePanel} />
          )}
          {panel === 'browse' && (
            <BrowsePanel lang={lang} catalog={catalog} services={services} disabled={!hub.online || phase.kind === 'issuing'} onPick={pickProcedure} onClose={closePanel} />
          )}
          {panel === 'none' && (
            <div className="search-entries">
              <button type="button" className="search-entry" data-testid="open-search" onClick={() => setPanel('search')}>
                <span className="search-entry-title">🔍 {st.searchEntry}</span>
                <span className="search-entry-sub">{st.searchEntrySub}</span>
              </button>
              <button type="button" className="search-entry" data-testid="open-browse" onClick={() => setPanel('browse')}>
                <span className="search-entry-title">☰ {st.browseEntry}</span>
                <span className="search-entry-sub">{st.browseEntrySub}</span>
              </button>
            </div>
          )}
          <div className="service-grid" hidden={panel !== 'none'}>
            {services.map((s) => {
              const load = hub.state?.load[s.id];
              return (
                <button
                  type="button"
                  key={s.id}
                  className={`service ${s.kind}`}
                  data-service={s.id}
                  disabled={!hub.online || phase.kind === 'issuing'}
                  onClick={() => void issue(s)}
                >
                  <span className="service-name">{name(s)}</span>
                  <span className="service-other">{other(s)}</span>
                  <span className="service-load" data-testid="service-load">
                    {t.waiting(load?.waiting ?? 0)} · {loadText(load, opening, t)}
                  </span>
                </button>
              );
            })}
          </div>
          {hub.state?.kiosk.note && panel === 'none' && <p className="kiosk-note" data-testid="kiosk-note">{hub.state.kiosk.note}</p>}
          {phase.kind === 'issuing' && <div className="kiosk-issuing">{t.issuing}</div>}
        </>
      )}
      <footer className="kiosk-footer">
        <ConnectionBadge online={hub.online} refused={hub.refused} english lang={lang} />
      </footer>
    </div>
  );
}

/** The wait a field's button promises: none before the counters open, nor while none serving it is open. */
function loadText(load: ServiceLoad | undefined, opening: Opening | undefined, t: (typeof KIOSK_TEXT)[Lang]): string {
  // A counter left open over lunch still serves nobody before the session starts.
  if (opening?.state === 'early') return t.servedFrom(opening.opensAt);
  if (!load || load.openCounters === 0 || load.estimatedWaitMinutes === null) return t.noCounter;
  return t.wait(load.estimatedWaitMinutes);
}

/** The procedure a searched ticket is for, in English too when the catalog has it. */
function TicketProcedure({ procedure, lang }: { procedure: ProcedureView; lang: Lang }) {
  const st = SEARCH_TEXT[lang];
  const en = lang === 'en' ? englishOf(procedure) : undefined;
  const papers = en ? en.papers : procedure.papers;
  return (
    <div className="ticket-procedure" data-testid="ticket-procedure">
      <div>
        {st.procedure}: {en ? en.name : procedure.name}
      </div>
      {en && <div className="ticket-procedure-vi" lang="vi">{procedure.name}</div>}
      {papers.length > 0 && (
        <div className="ticket-papers">
          {st.bring}: {papers.join('; ')}
        </div>
      )}
    </div>
  );
}
