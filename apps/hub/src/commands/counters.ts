import {
  callRefusal,
  decideStatusChange,
  nextNormalsSincePriority,
  openingTimeVi,
  pickNext,
  QueueError,
  serviceDay,
  startOnFinish,
  transferRefusal,
  transition,
  type CounterPolicy,
  type CounterStatusChange,
  type TicketAction,
} from '@xephang/core';
import type { ClerkSummary, CounterView, ParsedCommand, TicketView } from '@xephang/protocol';
import type { Actor, Emit, Result, Run } from '../commit';
import type { Day } from '../day';
import type { Load } from '../load';
import type { Stores } from '../store';
import { counterView, type CounterState } from '../store/config-store';
import type { TicketStore } from '../store/ticket-store';
import type { Changes } from './changes';
import { checkDossierCode } from './visits';

export interface CounterDeps {
  stores: Pick<Stores, 'config' | 'tickets' | 'access'>;
  commit: { run: Run; emit: Emit };
  day: Pick<Day, 'dayAt'>;
  load: Pick<Load, 'openingOf' | 'finished'>;
  changes: Pick<Changes, 'counterChanged'>;
  utcOffsetMinutes?: number;
}

const STATUS_COMMANDS = { open: 'counter:open', close: 'counter:close', pause: 'counter:pause', resume: 'counter:resume' } as const;

/** A clerk's commands at a counter: login and logout, its status, and every call of a ticket. */
export function createCounterCommands(deps: CounterDeps) {
  const { config, tickets, access } = deps.stores;
  const { run, emit } = deps.commit;
  const { dayAt } = deps.day;
  const { counterChanged } = deps.changes;
  /**
   * When the open sessions were last looked at, and the first moment one of them can run out:
   * every command begins with expireSessions, and reading every session for each of them cost
   * a query a call did not need. A session only grows younger (touched, or a new login, which
   * forgets this); the day, the idle setting or that moment coming looks again.
   */
  let sessionsChecked: { day: string; idleMinutes: number; until: number } | undefined;

  function counterOf(actor: Actor): CounterState {
    const counter = actor.counterId === null ? undefined : config.counter(actor.counterId);
    if (!counter) throw new QueueError('forbidden', 'Thiết bị này không gắn với quầy nào.');
    if (actor.clerkId === null || counter.clerkId !== actor.clerkId) {
      const who = counter.clerkName ? ` Hiện ${counter.clerkName} đang đăng nhập ở quầy này.` : '';
      throw new QueueError('not_logged_in', `Bạn chưa đăng nhập ở ${counter.name}.${who} Hãy đăng nhập bằng mã PIN.`);
    }
    return counter;
  }

  function openCounterOf(actor: Actor): CounterState {
    const counter = counterOf(actor);
    const refusal = callRefusal(counter);
    if (refusal) throw refusal;
    return counter;
  }

  function freeCounterOf(actor: Actor): CounterState {
    const counter = openCounterOf(actor);
    const active = tickets.activeAt(counter.id);
    if (active) {
      throw new QueueError(
        'counter_busy',
        `${counter.name} đang ${active.state === 'called' ? 'gọi' : 'phục vụ'} số ${active.number}. ` +
          'Hãy kết thúc, báo vắng mặt hoặc chuyển số này trước.',
      );
    }
    return counter;
  }

  function activeTicketOf(counter: CounterView): TicketView {
    const active = tickets.activeAt(counter.id);
    if (!active) throw new QueueError('illegal_transition', `${counter.name} chưa gọi số nào. Hãy bấm "Gọi số tiếp theo".`);
    return active;
  }

  function refuseWhileBusy(counter: CounterView, what: string): void {
    const active = tickets.activeAt(counter.id);
    if (active) {
      throw new QueueError('counter_busy', `Không thể ${what} khi ${counter.name} còn số ${active.number}. Hãy kết thúc hoặc chuyển số này trước.`);
    }
  }

  /**
   * A counter that closes, pauses or is left while a ticket transferred to it still waits
   * would strand that citizen as surely as a transfer to a closed counter: call it first.
   */
  function refuseWhilePinned(counter: CounterView, what: string, now: number): void {
    const pinned = tickets.candidates(dayAt(now), counter.id, [])[0];
    if (!pinned) return;
    const number = tickets.get(pinned.id)?.number;
    throw new QueueError(
      'counter_busy',
      `Không thể ${what}: số ${number} được chuyển đến ${counter.name} đang chờ, không quầy nào khác gọi số này. ` +
        'Hãy gọi số này trước (rồi kết thúc, hoặc chuyển sang quầy hay lĩnh vực khác).',
    );
  }

  /**
   * A ticket sent to one counter waits for that counter alone: sent to a closed or paused one
   * it would wait unseen, so the transfer is refused and the clerk is told where it can go.
   */
  function refuseClosedTarget(ticket: TicketView, target: CounterState): void {
    const refusal = transferRefusal(target);
    if (refusal === null) return;
    throw new QueueError(
      'counter_closed',
      `Không chuyển được số ${ticket.number}: ${refusal}, công dân sẽ phải chờ mà không ai gọi. ` +
        'Hãy chọn một quầy đang mở, hoặc chuyển sang một lĩnh vực.',
    );
  }

  function counterPolicy(counter: CounterState): CounterPolicy {
    return { counterId: counter.id, serviceOrder: counter.serviceIds, rule: config.priorityRule(), normalsSincePriority: counter.normalsSincePriority };
  }

  /** Applies a state change to the active ticket of a counter and broadcasts it. */
  function move(
    ticket: TicketView,
    action: TicketAction,
    counter: CounterState,
    actor: Actor,
    now: number,
    fields: Parameters<TicketStore['update']>[1],
    type: 'ticket:started' | 'ticket:finished' | 'ticket:missed',
    detail?: Record<string, unknown>,
  ): TicketView {
    const state = transition(ticket.number, ticket.state, action);
    const updated = tickets.update(ticket, { ...fields, state });
    // Starting changes nothing the counter shows: the view read by the command stands.
    const view = type === 'ticket:started' ? counterView(counter) : counterView(config.counter(counter.id)!);
    emit(
      { type, at: now, ticket: updated, counter: view },
      { type, at: now, ticketId: ticket.id, serviceId: ticket.serviceId, counterId: counter.id, clerkId: actor.clerkId, deviceId: actor.deviceId, ...(detail ? { detail } : {}) },
    );
    return updated;
  }

  /** Calls a ticket to a counter (first call, a call by number, or a missed ticket called back). */
  function call(ticket: TicketView, action: 'call' | 'recallMissed', counter: CounterState, actor: Actor, now: number): TicketView {
    const state = transition(ticket.number, ticket.state, action);
    const updated = tickets.update(ticket, {
      state,
      counter_id: counter.id,
      target_counter_id: null,
      clerk_id: actor.clerkId,
      called_at: now,
      ...(action === 'call' && ticket.calledAt === null ? { first_called_at: now } : {}),
      ...(action === 'recallMissed' ? { recalls: ticket.recalls + 1 } : {}),
    });
    if (action === 'call') config.setCounterRouting(counter.id, nextNormalsSincePriority(counterPolicy(counter), ticket));
    const recall = action === 'recallMissed';
    // The counter as read by the command (a free counter, see freeCounterOf), now with this
    // ticket: the call changes nothing else it shows, so it is not read again.
    emit(
      { type: 'ticket:called', at: now, ticket: updated, counter: { ...counterView(counter), ticketId: updated.id }, recall },
      {
        type: recall ? 'ticket:recalled' : 'ticket:called',
        at: now,
        ticketId: ticket.id,
        serviceId: ticket.serviceId,
        counterId: counter.id,
        clerkId: actor.clerkId,
        deviceId: actor.deviceId,
      },
    );
    return updated;
  }

  return {
    /**
     * The clerk logged in at the actor's counter (the desk's override of the ID card, issuing.ts).
     * @throws QueueError when no clerk is logged in there.
     */
    clerkAt(actor: Actor): { counterId: number; clerkId: number } {
      const counter = counterOf(actor);
      return { counterId: counter.id, clerkId: actor.clerkId! };
    },
    /**
     * Ends clerk sessions that ran out: begun on an earlier service day, or unused for longer
     * than the admin's idle time. A clerk with a visit in hand keeps the session until it ends.
     * Runs at the start of every commit.
     */
    expireSessions(now: number): void {
      const idleMinutes = Number(config.meta('clerk_idle_minutes') ?? 0);
      const day = dayAt(now);
      const last = sessionsChecked;
      if (last && last.day === day && last.idleMinutes === idleMinutes && now < last.until) return;
      let until = Infinity;
      for (const s of access.openSessions()) {
        // The queue's day at login (sessions from before migration 007: the day of their start).
        const dayOver = (s.day ?? serviceDay(s.started_at, deps.utcOffsetMinutes, config.resetMinutes())) < day;
        const idle = idleMinutes > 0 && now - s.last_active_at > idleMinutes * 60_000;
        if (!dayOver && !idle) {
          if (idleMinutes > 0) until = Math.min(until, s.last_active_at + idleMinutes * 60_000 + 1);
          continue;
        }
        // Ended, or kept for the visit in hand: looked at again by the next command.
        until = now;
        if (tickets.activeAt(s.counter_id)) continue;
        access.endSession(s.token_hash, now);
        const counter = config.counter(s.counter_id);
        if (counter?.clerkId !== s.clerk_id) continue;
        config.setCounterClerk(counter.id, null);
        config.setCounterStatus(counter.id, 'closed');
        counterChanged(counter, { deviceId: null, counterId: counter.id, clerkId: s.clerk_id }, now, 'clerk:loggedOut', { reason: dayOver ? 'day' : 'idle' });
      }
      sessionsChecked = { day, idleMinutes, until };
    },

    /** A command by a logged-in clerk keeps the session alive. Runs at the end of every commit. */
    touchSession(now: number, actor: Actor | undefined): void {
      if (actor?.counterId != null && actor.clerkId !== null) access.touchSession(actor.counterId, actor.clerkId, now);
    },

    /** The synchronous half of a login, after the PIN was checked. */
    login(clerk: ClerkSummary, counterId: number, sessionHash: string, actor: Actor): Result<CounterView> {
      return run('clerk:login', undefined, (now) => {
        const counter = config.counter(counterId);
        if (!counter) throw new QueueError('not_found', `Không có quầy số ${counterId}.`);
        config.setCounterClerk(counterId, clerk.id);
        access.startSession(sessionHash, clerk.id, counterId, now, dayAt(now));
        sessionsChecked = undefined;
        return counterChanged(counter, { ...actor, clerkId: clerk.id }, now, 'clerk:loggedIn', { clerk: clerk.name });
      }, actor);
    },

    logout(actor: Actor): Result<CounterView> {
      return run('clerk:logout', undefined, (now) => {
        const counter = counterOf(actor);
        refuseWhileBusy(counter, 'đăng xuất');
        refuseWhilePinned(counter, 'đăng xuất', now);
        config.setCounterClerk(counter.id, null);
        config.setCounterStatus(counter.id, 'closed');
        access.endSessions(counter.id, now);
        return counterChanged(counter, actor, now, 'clerk:loggedOut');
      }, actor);
    },

    /** Opens, closes, pauses or resumes the clerk's counter, by core's counter-status rules. */
    setStatus(change: CounterStatusChange, actor: Actor, reason?: string): Result<CounterView> {
      return run(STATUS_COMMANDS[change], undefined, (now) => {
        const counter = counterOf(actor);
        const decision = decideStatusChange(counter, change);
        if (decision.kind === 'same') return counterView(counter);
        if (decision.kind === 'refused') throw decision.error;
        if (decision.whileBusy) {
          refuseWhileBusy(counter, decision.whileBusy);
          refuseWhilePinned(counter, decision.whileBusy, now);
        }
        config.setCounterStatus(counter.id, decision.to, decision.to === 'paused' ? (reason ?? null) : null);
        const detail = change === 'pause' ? { reason } : change === 'resume' ? { reason: counter.pauseReason } : undefined;
        return counterChanged(counter, actor, now, decision.log, detail);
      }, actor);
    },

    next(cmd: ParsedCommand<'counter:next'>, actor: Actor): Result<TicketView> {
      return run('counter:next', cmd.requestId, (now) => {
        const counter = freeCounterOf(actor);
        const opening = deps.load.openingOf(now);
        // After an evening reset every waiting ticket is the next working day's, and its citizen
        // was told so at the kiosk and went home: "next" (one key after finishing the last visit)
        // must not call them tonight. A clerk who sees the citizen still there calls the number.
        if (opening.state === 'early' && opening.reason === 'evening') {
          throw new QueueError(
            'center_closed',
            `Đã hết giờ làm việc: các số đang chờ là của ngày làm việc tiếp theo, công dân được hẹn lúc ${openingTimeVi(opening.opensAt, deps.utcOffsetMinutes)}. ` +
              'Nếu công dân còn ở đây, dùng "Gọi số…".',
          );
        }
        const picked = pickNext(tickets.candidates(dayAt(now), counter.id, counter.serviceIds), counterPolicy(counter), now);
        if (!picked) throw new QueueError('queue_empty', `Không còn ai chờ ở các lĩnh vực của ${counter.name}.`);
        return call(tickets.get(picked.id)!, 'call', counter, actor, now);
      }, actor);
    },

    callNumber(cmd: ParsedCommand<'counter:callNumber'>, actor: Actor): Result<TicketView> {
      return run('counter:callNumber', cmd.requestId, (now) => {
        const counter = freeCounterOf(actor);
        const ticket = tickets.byNumber(dayAt(now), cmd.number);
        if (!ticket) throw new QueueError('not_found', `Hôm nay chưa có số ${cmd.number}.`);
        return call(ticket, ticket.state === 'no_show' ? 'recallMissed' : 'call', counter, actor, now);
      }, actor);
    },

    recall(cmd: ParsedCommand<'counter:recall'>, actor: Actor): Result<TicketView> {
      return run('counter:recall', cmd.requestId, (now) => {
        if (cmd.ticketId !== undefined) {
          const counter = freeCounterOf(actor);
          const ticket = tickets.get(cmd.ticketId);
          if (!ticket || ticket.day !== dayAt(now)) throw new QueueError('not_found', 'Không tìm thấy số này trong hôm nay.');
          return call(ticket, 'recallMissed', counter, actor, now);
        }
        const counter = openCounterOf(actor);
        const ticket = activeTicketOf(counter);
        transition(ticket.number, ticket.state, 'recall');
        const updated = tickets.update(ticket, { called_at: now, recalls: ticket.recalls + 1 });
        emit(
          { type: 'ticket:called', at: now, ticket: updated, counter: counterView(counter), recall: true },
          { type: 'ticket:recalled', at: now, ticketId: ticket.id, serviceId: ticket.serviceId, counterId: counter.id, clerkId: actor.clerkId, deviceId: actor.deviceId },
        );
        return updated;
      }, actor);
    },

    start(cmd: ParsedCommand<'counter:start'>, actor: Actor): Result<TicketView> {
      return run('counter:start', cmd.requestId, (now) => {
        const counter = counterOf(actor);
        return move(activeTicketOf(counter), 'start', counter, actor, now, { started_at: now }, 'ticket:started');
      }, actor);
    },

    finish(cmd: ParsedCommand<'counter:finish'>, actor: Actor): Result<TicketView> {
      return run('counter:finish', cmd.requestId, (now) => {
        const counter = counterOf(actor);
        const ticket = activeTicketOf(counter);
        // A refused code refuses the finish: nothing is recorded, the citizen is still at the
        // desk with the slip, and the clerk fixes the code (or clears it) and finishes again.
        if (cmd.dossierCode !== undefined) checkDossierCode(cmd.dossierCode, cmd.outcome, config);
        // Finished straight from the call: the visit began at the call, and the log says so.
        const startedAt = startOnFinish(ticket);
        const fields = {
          finished_at: now,
          outcome: cmd.outcome,
          ...(startedAt === undefined ? {} : { started_at: startedAt }),
          ...(cmd.dossierCode === undefined ? {} : { dossier_code: cmd.dossierCode }),
        };
        const done = move(ticket, 'finish', counter, actor, now, fields, 'ticket:finished', {
          outcome: cmd.outcome,
          ...(cmd.note ? { note: cmd.note } : {}),
          // A dossier code names the dossier, not the citizen: it may sit in the log.
          ...(cmd.dossierCode === undefined ? {} : { dossierCode: cmd.dossierCode }),
          ...(startedAt === undefined ? {} : { startedAtCall: true }),
        });
        deps.load.finished(ticket.serviceId);
        return done;
      }, actor);
    },

    noShow(cmd: ParsedCommand<'counter:noShow'>, actor: Actor): Result<TicketView> {
      return run('counter:noShow', cmd.requestId, (now) => {
        const counter = counterOf(actor);
        return move(activeTicketOf(counter), 'noShow', counter, actor, now, {}, 'ticket:missed');
      }, actor);
    },

    transfer(cmd: ParsedCommand<'counter:transfer'>, actor: Actor): Result<TicketView> {
      return run('counter:transfer', cmd.requestId, (now) => {
        const counter = counterOf(actor);
        const ticket = activeTicketOf(counter);
        const state = transition(ticket.number, ticket.state, 'transfer');
        let to: string;
        let updated: TicketView;
        if (cmd.toServiceId !== undefined) {
          const service = config.service(cmd.toServiceId);
          if (!service) throw new QueueError('not_found', `Không có lĩnh vực "${cmd.toServiceId}".`);
          if (service.id === ticket.serviceId) throw new QueueError('invalid_payload', `Số ${ticket.number} đã thuộc lĩnh vực "${service.nameVi}".`);
          updated = tickets.update(ticket, { state, service_id: service.id, target_counter_id: null });
          to = service.id;
        } else {
          const target = config.counter(cmd.toCounterId!);
          if (!target) throw new QueueError('not_found', `Không có quầy số ${String(cmd.toCounterId)}.`);
          if (target.id === counter.id) throw new QueueError('invalid_payload', 'Không thể chuyển số về chính quầy này.');
          refuseClosedTarget(ticket, target);
          updated = tickets.update(ticket, { state, target_counter_id: target.id });
          to = target.name;
        }
        emit(
          { type: 'ticket:transferred', at: now, ticket: updated, counter: counterView(config.counter(counter.id)!), fromServiceId: ticket.serviceId },
          {
            type: 'ticket:transferred',
            at: now,
            ticketId: ticket.id,
            serviceId: updated.serviceId,
            counterId: counter.id,
            clerkId: actor.clerkId,
            deviceId: actor.deviceId,
            detail: { from: ticket.serviceId, to },
          },
        );
        return updated;
      }, actor);
    },
  };
}

export type CounterCommands = ReturnType<typeof createCounterCommands>;
