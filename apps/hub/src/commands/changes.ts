import type { CounterView, VisitLogType } from '@xephang/protocol';
import type { Actor, Emit, Result, Run } from '../commit';
import type { Stores } from '../store';
import { counterView, type CounterState } from '../store/config-store';
import { dossierSettings } from './visits';

/** What every screen shows of the center, in a snapshot and in every config:updated. */
export function centerState(config: Stores['config'], citizen: Pick<Stores['citizen'], 'activeRules'>) {
  return {
    centerName: config.meta('center_name') ?? '',
    notice: config.meta('notice') ?? '',
    kiosk: config.kioskTexts(),
    services: config.services(),
    counters: config.counters().map(counterView),
    clerks: config.clerks(),
    dossier: dossierSettings(config),
    citizenIdRules: citizen.activeRules(),
  };
}

/**
 * The two broadcasts several commands share: a counter changed (a login, a status, a session
 * that ran out) and the configuration changed (every admin change, sent whole to every screen).
 */
export function createChanges(stores: Pick<Stores, 'config' | 'citizen'>, commit: { run: Run; emit: Emit }) {
  const { config, citizen } = stores;

  function counterChanged(counter: CounterState, actor: Actor, now: number, logType: VisitLogType, detail?: Record<string, unknown>): CounterView {
    const view = counterView(config.counter(counter.id)!);
    commit.emit(
      { type: 'counter:updated', at: now, counter: view },
      { type: logType, at: now, counterId: counter.id, clerkId: actor.clerkId ?? counter.clerkId, deviceId: actor.deviceId, ...(detail ? { detail } : {}) },
    );
    return view;
  }

  function configChanged(now: number, logType: VisitLogType, detail: Record<string, unknown>): void {
    commit.emit(
      { type: 'config:updated', at: now, ...centerState(config, citizen) },
      { type: logType, at: now, detail },
    );
  }

  return {
    counterChanged,
    configChanged,
    /**
     * An admin change: `body` changes the configuration inside the commit; the change is logged
     * as `logType` with `detail` (who and what) and sent to every screen as config:updated.
     */
    adminChange: <T>(logType: VisitLogType, detail: Record<string, unknown>, body: (now: number) => T): Result<T> =>
      commit.run(logType, undefined, (now) => {
        const reply = body(now);
        configChanged(now, logType, detail);
        return reply;
      }),
  };
}

export type Changes = ReturnType<typeof createChanges>;
