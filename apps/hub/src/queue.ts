import type { Database } from 'better-sqlite3';
import {
  estimateWaitMinutes,
  meanServiceMs,
  nextNormalsSincePriority,
  openingAt,
  openingTimeVi,
  pickNext,
  QueueError,
  RECENT_VISITS,
  serviceDay,
  ticketNumber,
  startOnFinish,
  transition,
  type CounterPolicy,
  type TicketAction,
} from '@xephang/core';
import type {
  Role,
  ClerkSummary,
  CounterView,
  HubEvent,
  IssuedTicket,
  LoadByService,
  Opening,
  ParsedCommand,
  PriorityClass,
  Snapshot,
  SyncReply,
  TicketView,
} from '@xephang/protocol';
import { configStore, counterView, type CounterState } from './store/config-store';
import { accessStore } from './store/access-store';
import { catalogStore } from './store/catalog-store';
import { ticketStore, type LogEntry } from './store/ticket-store';

/** Who sent a command: from the socket's handshake and login, never from the payload. */
export interface Actor {
  deviceId: string | null;
  counterId: number | null;
  clerkId: number | null;
  /** The socket's role; absent only for the hub's own changes. */
  role?: Role;
}

/**
 * Whom a stored reply belongs to: a paired device (any of its sockets), else the role and
 * counter of an unpaired screen on the hub PC.
 */
export function actorKey(actor: Actor): string {
  return actor.deviceId !== null ? `device:${actor.deviceId}` : `${actor.role ?? 'hub'}:${actor.counterId ?? '-'}`;
}

/** A command's result: its reply, and what to broadcast once the transaction has committed. */
export interface Result<T> {
  reply: T;
  events: HubEvent[];
}

/** An event before the store gave it a sequence number and the load and opening were computed. */
type Pending = HubEvent extends unknown ? DistributiveOmit<HubEvent, 'seq' | 'load' | 'opening'> : never;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A screen that missed more than this many broadcasts gets a snapshot instead. */
const MAX_REPLAY = 1000;
/** Broadcasts kept for catching up; older ones are pruned when the day turns. */
const KEEP_BROADCASTS = 20_000;
const KEEP_REPLIES_MS = 3 * 24 * 3_600_000;
const DAY_MS = 86_400_000;

export interface QueueOptions {
  now: () => number;
  utcOffsetMinutes?: number;
  /** Issue at any hour, the kiosk always open (`--any-hours`, for tests). */
  anyHours?: boolean;
  /** Where a technician reads what went wrong (the hub's log). */
  log?: (line: string) => void;
}

/**
 * The hub's queue: every command runs as one immediate SQLite transaction that checks the
 * day, lets `@xephang/core` decide, writes, logs the visit and stores the reply under the
 * request id. Nothing here awaits; callers broadcast `events` after it returns.
 */
export function createQueue(db: Database, options: QueueOptions) {
  const config = configStore(db);
  const tickets = ticketStore(db);
  const access = accessStore(db);
  const catalog = catalogStore(db);
  const offset = options.utcOffsetMinutes;
  const meanCache = new Map<string, number>();
  let pending: { events: Pending[]; seqs: number[] } | undefined;

  /**
   * Runs `body` in one immediate transaction, answering a repeated request id from the store,
   * but only to the actor who sent it first.
   */
  function run<T>(command: string, requestId: string | undefined, body: (now: number) => T, actor?: Actor): Result<T> {
    const now = options.now();
    const by = actor ? actorKey(actor) : null;
    const txn = db.transaction((): Result<T> => {
      if (requestId) {
        const stored = tickets.storedReply(requestId);
        if (stored) {
          if (stored.command !== command) {
            throw new QueueError(
              'invalid_payload',
              `Mã yêu cầu ${requestId} đã dùng cho lệnh ${stored.command}. Mỗi lệnh mới cần một mã yêu cầu mới.`,
            );
          }
          if (!sameActor(stored.actor, by)) {
            options.log?.(`mã yêu cầu của thiết bị khác bị dùng lại (${command}, ${requestId.slice(0, 64)}) bởi ${by ?? 'không rõ'}: đã từ chối`);
            throw reusedId(requestId);
          }
          return { reply: JSON.parse(stored.reply) as T, events: [] };
        }
      }
      pending = { events: [], seqs: [] };
      rollover(now);
      expireSessions(now);
      const reply = body(now);
      // A reset time moved earlier than now turns the day at once, in the same transaction.
      rollover(now);
      if (actor?.counterId != null && actor.clerkId !== null) access.touchSession(actor.counterId, actor.clerkId, now);
      if (requestId) tickets.storeReply(requestId, command, reply, now, by);
      const opening = openingOf(now);
      const load = pending.events.length ? loadOf(dayAt(now), opening) : {};
      const { events, seqs } = pending;
      return { reply, events: events.map((e, i) => ({ ...e, seq: seqs[i]!, load, opening }) as HubEvent) };
    });
    try {
      const result = txn.immediate();
      if (result.events.length > 0) sentOpening = JSON.stringify(result.events[0]!.opening);
      return result;
    } catch (error) {
      // What was cached from inside the rolled-back transaction is not true any more.
      config.forgetCache();
      meanCache.clear();
      currentDay = config.meta('day');
      throw error;
    } finally {
      pending = undefined;
    }
  }

  /**
   * Ends clerk sessions that ran out: begun on an earlier service day, or unused for longer
   * than the admin's idle time. A clerk with a visit in hand keeps the session until it ends.
   */
  function expireSessions(now: number): void {
    const idleMinutes = Number(config.meta('clerk_idle_minutes') ?? 0);
    const day = dayAt(now);
    for (const s of access.openSessions()) {
      // The queue's day at login (sessions from before migration 007: the day of their start).
      const dayOver = (s.day ?? serviceDay(s.started_at, offset, config.resetMinutes())) < day;
      const idle = idleMinutes > 0 && now - s.last_active_at > idleMinutes * 60_000;
      if ((!dayOver && !idle) || tickets.activeAt(s.counter_id)) continue;
      access.endSession(s.token_hash, now);
      const counter = config.counter(s.counter_id);
      if (counter?.clerkId !== s.clerk_id) continue;
      config.setCounterClerk(counter.id, null);
      config.setCounterStatus(counter.id, 'closed');
      counterChanged(counter, { deviceId: null, counterId: counter.id, clerkId: s.clerk_id }, now, 'clerk:loggedOut', {
        reason: dayOver ? 'day' : 'idle',
      });
    }
  }

  /** Stores one broadcast and its lines in the visit log; sent after commit. */
  function emit(event: Pending, ...log: LogEntry[]): void {
    if (!pending) throw new Error('emit outside a queue transaction');
    const seq = tickets.broadcast(event);
    for (const entry of log) tickets.log(seq, entry);
    pending.events.push(event);
    pending.seqs.push(seq);
  }

  let currentDay = config.meta('day');
  /**
   * The service day at `now` by the admin's reset time, but not the day before the one the
   * queue is on: a reset moved later, or a clock put back a little, must not number tickets
   * under a day that already ended. A clock more than a day behind is followed (a hub PC
   * whose clock once ran ahead must not stay on that date), and the hub says so on its log.
   */
  function dayAt(now: number): string {
    const day = serviceDay(now, offset, config.resetMinutes());
    if (currentDay === undefined || day >= currentDay) return day;
    return Date.parse(`${currentDay}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`) <= DAY_MS ? currentDay : day;
  }

  /** On the first command of a new day: expire what still waits from earlier days. */
  function rollover(now: number): void {
    const day = dayAt(now);
    if (day === currentDay) return;
    if (currentDay !== undefined && day < currentDay) {
      options.log?.(
        `CẢNH BÁO: đồng hồ máy chủ lùi về ngày ${day}, trước ngày hàng đợi đang chạy (${currentDay}). Hàng đợi theo ngày ${day}; ` +
          `các số cấp cho ngày ${currentDay} không còn được gọi. Hãy kiểm tra ngày giờ của máy chủ.`,
      );
    }
    const expired = tickets.expireBefore(day);
    config.setMeta('day', day);
    currentDay = day;
    tickets.pruneBroadcasts(tickets.lastSeq() - KEEP_BROADCASTS);
    tickets.pruneReplies(now - KEEP_REPLIES_MS);
    emit(
      { type: 'day:started', at: now, day, expired: expired.length, counters: config.counters().map(counterView) },
      { type: 'day:started', at: now, detail: { day, expired: expired.length } },
      ...expired.map((t) => ({ type: 'ticket:expired', at: now, ticketId: t.id, serviceId: t.service_id })),
    );
  }

  function meanMs(serviceId: string): number {
    let mean = meanCache.get(serviceId);
    if (mean === undefined) {
      mean = meanServiceMs(tickets.recentDurations(serviceId, RECENT_VISITS));
      meanCache.set(serviceId, mean);
    }
    return mean;
  }

  function openCountersFor(serviceId: string, counters: readonly CounterView[]): number {
    return counters.filter((c) => c.status === 'open' && c.serviceIds.includes(serviceId)).length;
  }

  /**
   * The minutes a newcomer waits behind `ahead`: null while no counter of the field is open, and
   * outside a session (before opening, at lunch, in the evening), when a counter left open serves
   * nobody until `opensAt` (the kiosk says "phục vụ từ 13:30" instead).
   */
  function waitEstimate(serviceId: string, ahead: number, openCounters: number, opening: Opening): number | null {
    return opening.state === 'open' ? estimateWaitMinutes(ahead, meanMs(serviceId), openCounters) : null;
  }

  function loadOf(day: string, opening: Opening): LoadByService {
    const counts = tickets.waitingCounts(day);
    const counters = config.counters();
    const load: LoadByService = {};
    for (const s of config.services()) {
      const waiting = counts.get(s.id) ?? 0;
      const openCounters = openCountersFor(s.id, counters);
      load[s.id] = { waiting, openCounters, estimatedWaitMinutes: waitEstimate(s.id, waiting, openCounters, opening) };
    }
    return load;
  }

  /** Whether the kiosk issues at `now`, by the admin's hours. */
  function openingOf(now: number): Opening {
    if (options.anyHours) return { state: 'open', closesAt: null };
    return openingAt(now, config.openingHours(), offset);
  }
  /** The opening the screens were last sent, so the tick broadcasts only a change. */
  let sentOpening: string | undefined;

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
    if (counter.status === 'closed') {
      throw new QueueError('counter_closed', `${counter.name} đang đóng. Hãy bấm "Mở quầy" trước khi gọi số.`);
    }
    if (counter.status === 'paused') {
      throw new QueueError(
        'counter_closed',
        `${counter.name} đang tạm nghỉ (${counter.pauseReason ?? ''}). Hãy bấm "Tiếp tục" trước khi gọi số.`,
      );
    }
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
    if (target.status === 'open') return;
    const state = target.status === 'closed' ? 'đang đóng' : `đang tạm nghỉ (${target.pauseReason ?? 'không ghi lý do'})`;
    throw new QueueError(
      'counter_closed',
      `Không chuyển được số ${ticket.number}: ${target.name} ${state}, công dân sẽ phải chờ mà không ai gọi. ` +
        'Hãy chọn một quầy đang mở, hoặc chuyển sang một lĩnh vực.',
    );
  }

  /** Applies a state change to the active ticket of a counter and broadcasts it. */
  function move(
    ticket: TicketView,
    action: TicketAction,
    counter: CounterState,
    actor: Actor,
    now: number,
    fields: Parameters<typeof tickets.update>[1],
    type: 'ticket:started' | 'ticket:finished' | 'ticket:missed',
    detail?: Record<string, unknown>,
  ): TicketView {
    const state = transition(ticket.number, ticket.state, action);
    tickets.update(ticket.id, { ...fields, state });
    const updated = tickets.get(ticket.id)!;
    emit(
      { type, at: now, ticket: updated, counter: counterView(config.counter(counter.id)!) },
      { type, at: now, ticketId: ticket.id, serviceId: ticket.serviceId, counterId: counter.id, clerkId: actor.clerkId, deviceId: actor.deviceId, ...(detail ? { detail } : {}) },
    );
    return updated;
  }

  /** Calls a ticket to a counter (first call, a call by number, or a missed ticket called back). */
  function call(ticket: TicketView, action: 'call' | 'recallMissed', counter: CounterState, actor: Actor, now: number): TicketView {
    const state = transition(ticket.number, ticket.state, action);
    tickets.update(ticket.id, {
      state,
      counter_id: counter.id,
      target_counter_id: null,
      clerk_id: actor.clerkId,
      called_at: now,
      ...(action === 'call' && ticket.calledAt === null ? { first_called_at: now } : {}),
      ...(action === 'recallMissed' ? { recalls: ticket.recalls + 1 } : {}),
    });
    if (action === 'call') {
      config.setCounterRouting(counter.id, nextNormalsSincePriority(counterPolicy(counter), ticket));
    }
    const updated = tickets.get(ticket.id)!;
    const recall = action === 'recallMissed';
    emit(
      { type: 'ticket:called', at: now, ticket: updated, counter: counterView(config.counter(counter.id)!), recall },
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

  function counterPolicy(counter: CounterState): CounterPolicy {
    return {
      counterId: counter.id,
      serviceOrder: counter.serviceIds,
      rule: config.priorityRule(),
      normalsSincePriority: counter.normalsSincePriority,
    };
  }

  function counterChanged(counter: CounterState, actor: Actor, now: number, logType: string, detail?: Record<string, unknown>): CounterView {
    const view = counterView(config.counter(counter.id)!);
    emit(
      { type: 'counter:updated', at: now, counter: view },
      { type: logType, at: now, counterId: counter.id, clerkId: actor.clerkId ?? counter.clerkId, deviceId: actor.deviceId, ...(detail ? { detail } : {}) },
    );
    return view;
  }

  function configChanged(now: number, logType: string, detail: Record<string, unknown>): void {
    emit(
      {
        type: 'config:updated',
        at: now,
        centerName: config.meta('center_name') ?? '',
        notice: config.meta('notice') ?? '',
        kiosk: config.kioskTexts(),
        services: config.services(),
        counters: config.counters().map(counterView),
        clerks: config.clerks(),
      },
      { type: logType, at: now, detail },
    );
  }

  const snapshot = (now: number): Snapshot => {
    const day = dayAt(now);
    const opening = openingOf(now);
    return {
      hubId: config.meta('hub_id')!,
      seq: tickets.lastSeq(),
      day,
      centerName: config.meta('center_name') ?? '',
      notice: config.meta('notice') ?? '',
      kiosk: config.kioskTexts(),
      services: config.services(),
      counters: config.counters().map(counterView),
      load: loadOf(day, opening),
      opening,
      tickets: tickets.forSnapshot(day),
      recentCalls: tickets.recentCalls(10),
      clerks: config.clerks(),
    };
  };

  return {
    config,
    access,
    tickets,
    catalog,

    /** Writes the default center (and the starter catalog) on first start; returns whether the database was new. */
    seed: (hubId: string) => {
      const fresh = config.seedDefaults(hubId);
      catalog.seedStarter(options.now());
      return fresh;
    },

    /** The day a command now would be on, for a reader outside a command (the queue turns to it on its next command or tick). */
    today: (): string => dayAt(options.now()),

    /** The wait a (re)printed ticket states for `ahead` tickets of its field now: the kiosk's and the ticket's one rule. */
    estimateNow: (serviceId: string, ahead: number): number | null =>
      waitEstimate(serviceId, ahead, openCountersFor(serviceId, config.counters()), openingOf(options.now())),

    /** Advances the day if it turned; called by a timer so a quiet night still rolls over. */
    tick: (): HubEvent[] =>
      run('tick', undefined, (now) => {
        // Sessions open and close with the clock alone: tell the kiosks when that changes what they do.
        const opening = JSON.stringify(openingOf(now));
        if (sentOpening === undefined) sentOpening = opening;
        else if (opening !== sentOpening) emit({ type: 'opening:changed', at: now });
        return null;
      }).events,

    issue(cmd: ParsedCommand<'ticket:issue'>, actor: Actor): Result<IssuedTicket> {
      return run('ticket:issue', cmd.requestId, (now) => {
        const service = config.service(cmd.serviceId);
        if (!service) throw new QueueError('not_found', `Không có lĩnh vực "${cmd.serviceId}".`);
        if (!service.active) {
          throw new QueueError('forbidden', `Lĩnh vực "${service.nameVi}" đang tạm ngừng cấp số. Xin mời chọn lĩnh vực khác hoặc hỏi cán bộ hướng dẫn.`);
        }
        const opening = openingOf(now);
        if (opening.state === 'closed') {
          const back = opening.opensAt === null ? 'Hiện chưa có lịch làm việc, xin hỏi cán bộ.' : `Quầy mở lúc ${openingTimeVi(opening.opensAt, offset)}, xin mời quay lại.`;
          throw new QueueError('center_closed', `Ngoài giờ cấp số: trung tâm chưa làm việc. ${back}`);
        }
        const procedure = cmd.procedureCode === undefined ? undefined : catalog.get(cmd.procedureCode);
        if (cmd.procedureCode !== undefined && !procedure) throw new QueueError('not_found', `Không có thủ tục mã "${cmd.procedureCode}" trong danh mục.`);
        if (procedure && procedure.serviceId !== service.id) {
          throw new QueueError('invalid_payload', `Thủ tục "${procedure.name}" không thuộc lĩnh vực "${service.nameVi}".`);
        }
        const day = dayAt(now);
        const number = ticketNumber(service.blockStart, tickets.nextOrdinal(service.id, day), service.nameVi);
        const id = `${day}-${number}`;
        tickets.insert({ id, day, number, serviceId: service.id, priority: cmd.priority as PriorityClass, issuedAt: now, deviceId: actor.deviceId });
        if (procedure) catalog.setTicketProcedure(id, procedure.code);
        const ticket = tickets.get(id)!;
        emit(
          { type: 'ticket:issued', at: now, ticket },
          {
            type: 'ticket:issued',
            at: now,
            ticketId: id,
            serviceId: service.id,
            deviceId: actor.deviceId,
            detail: { priority: cmd.priority, ...(procedure ? { procedure: procedure.code } : {}) },
          },
        );
        const peopleAhead = tickets.ahead(ticket);
        return {
          ticket,
          peopleAhead,
          estimatedWaitMinutes: waitEstimate(service.id, peopleAhead, openCountersFor(service.id, config.counters()), opening),
          ...(procedure ? { procedure } : {}),
        };
      }, actor);
    },

    /** The synchronous half of a login, after the PIN was checked. */
    login(clerk: ClerkSummary, counterId: number, sessionHash: string, actor: Actor): Result<CounterView> {
      return run('clerk:login', undefined, (now) => {
        const counter = config.counter(counterId);
        if (!counter) throw new QueueError('not_found', `Không có quầy số ${counterId}.`);
        config.setCounterClerk(counterId, clerk.id);
        access.startSession(sessionHash, clerk.id, counterId, now, dayAt(now));
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

    setStatus(command: 'counter:open' | 'counter:close' | 'counter:pause' | 'counter:resume', actor: Actor, reason?: string): Result<CounterView> {
      return run(command, undefined, (now) => {
        const counter = counterOf(actor);
        switch (command) {
          case 'counter:open':
            if (counter.status === 'open') return counterView(counter);
            config.setCounterStatus(counter.id, 'open');
            return counterChanged(counter, actor, now, 'counter:opened');
          case 'counter:close':
            if (counter.status === 'closed') return counterView(counter);
            refuseWhileBusy(counter, 'đóng quầy');
            refuseWhilePinned(counter, 'đóng quầy', now);
            config.setCounterStatus(counter.id, 'closed');
            return counterChanged(counter, actor, now, 'counter:closed');
          case 'counter:pause':
            if (counter.status === 'closed') throw new QueueError('counter_closed', `${counter.name} đang đóng, không cần tạm nghỉ.`);
            refuseWhileBusy(counter, 'tạm nghỉ');
            refuseWhilePinned(counter, 'tạm nghỉ', now);
            config.setCounterStatus(counter.id, 'paused', reason ?? null);
            return counterChanged(counter, actor, now, 'counter:paused', { reason });
          case 'counter:resume':
            if (counter.status === 'open') return counterView(counter);
            if (counter.status === 'closed') throw new QueueError('counter_closed', `${counter.name} đang đóng. Hãy bấm "Mở quầy".`);
            config.setCounterStatus(counter.id, 'open');
            return counterChanged(counter, actor, now, 'counter:resumed', { reason: counter.pauseReason });
        }
      }, actor);
    },

    next(cmd: ParsedCommand<'counter:next'>, actor: Actor): Result<TicketView> {
      return run('counter:next', cmd.requestId, (now) => {
        const counter = freeCounterOf(actor);
        const opening = openingOf(now);
        // After an evening reset every waiting ticket is the next working day's, and its citizen
        // was told so at the kiosk and went home: "next" (one key after finishing the last visit)
        // must not call them tonight. A clerk who sees the citizen still there calls the number.
        if (opening.state === 'early' && opening.reason === 'evening') {
          throw new QueueError(
            'center_closed',
            `Đã hết giờ làm việc: các số đang chờ là của ngày làm việc tiếp theo, công dân được hẹn lúc ${openingTimeVi(opening.opensAt, offset)}. ` +
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
        tickets.update(ticket.id, { called_at: now, recalls: ticket.recalls + 1 });
        const updated = tickets.get(ticket.id)!;
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
        // Finished straight from the call: the visit began at the call, and the log says so.
        const startedAt = startOnFinish(ticket);
        const fields = { finished_at: now, outcome: cmd.outcome, ...(startedAt === undefined ? {} : { started_at: startedAt }) };
        const done = move(ticket, 'finish', counter, actor, now, fields, 'ticket:finished', {
          outcome: cmd.outcome,
          ...(cmd.note ? { note: cmd.note } : {}),
          ...(startedAt === undefined ? {} : { startedAtCall: true }),
        });
        meanCache.delete(ticket.serviceId);
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
        if (cmd.toServiceId !== undefined) {
          const service = config.service(cmd.toServiceId);
          if (!service) throw new QueueError('not_found', `Không có lĩnh vực "${cmd.toServiceId}".`);
          if (service.id === ticket.serviceId) throw new QueueError('invalid_payload', `Số ${ticket.number} đã thuộc lĩnh vực "${service.nameVi}".`);
          tickets.update(ticket.id, { state, service_id: service.id, target_counter_id: null });
          to = service.id;
        } else {
          const target = config.counter(cmd.toCounterId!);
          if (!target) throw new QueueError('not_found', `Không có quầy số ${String(cmd.toCounterId)}.`);
          if (target.id === counter.id) throw new QueueError('invalid_payload', 'Không thể chuyển số về chính quầy này.');
          refuseClosedTarget(ticket, target);
          tickets.update(ticket.id, { state, target_counter_id: target.id });
          to = target.name;
        }
        const updated = tickets.get(ticket.id)!;
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

    sync(cmd: ParsedCommand<'sync'>): Result<SyncReply> {
      return run('sync', undefined, (now): SyncReply => {
        const hubId = config.meta('hub_id')!;
        const last = tickets.lastSeq();
        const first = tickets.firstSeq() ?? last + 1;
        const replayable = cmd.hubId === hubId && cmd.lastSeq <= last && cmd.lastSeq >= first - 1 && last - cmd.lastSeq <= MAX_REPLAY;
        if (!replayable) return { mode: 'snapshot', snapshot: snapshot(now) };
        // The log keeps events without their load and opening: a replay carries today's, as a snapshot would.
        const opening = openingOf(now);
        const load = loadOf(dayAt(now), opening);
        const events = tickets
          .broadcastsAfter(cmd.lastSeq, MAX_REPLAY)
          .map((b) => ({ ...(JSON.parse(b.payload) as Pending), seq: b.seq, load, opening }) as HubEvent);
        return { mode: 'events', hubId, events };
      });
    },

    /** The state a screen starts from; may carry a day:started event to broadcast. */
    snapshot: (): Result<Snapshot> => run('snapshot', undefined, snapshot),

    /** Whether a request id already has a stored reply for this actor (a retry, not a new command). */
    answered: (requestId: string, actor: Actor): boolean => {
      const stored = tickets.storedReply(requestId);
      return stored !== undefined && sameActor(stored.actor, actorKey(actor));
    },

    /** Completes a stored `ticket:issue` reply with how its print went, so a repeat says the same. */
    recordPrint: (requestId: string, reply: IssuedTicket): void => tickets.updateReply(requestId, reply),

    /** Admin: a clerk created or changed; the counters' login lists follow. */
    clerkChanged: (clerkId: number, what: string, by?: string, logOut = false): Result<ClerkSummary> =>
      run('clerk:changed', undefined, (now) => {
        if (logOut) {
          // A new PIN or a locked account: the clerk leaves every counter with nothing in hand.
          for (const c of config.counters()) {
            if (c.clerkId !== clerkId || tickets.activeAt(c.id)) continue;
            config.setCounterClerk(c.id, null);
            config.setCounterStatus(c.id, 'closed');
            counterChanged(c, { deviceId: null, counterId: c.id, clerkId }, now, 'clerk:loggedOut', { by: by ?? 'quản trị' });
          }
        }
        configChanged(now, 'clerk:changed', { clerkId, what, ...(by === undefined ? {} : { by }) });
        const summary = config.clerks().find((c) => c.id === clerkId);
        if (summary) return summary;
        const row = access.clerk(clerkId)!;
        return { id: row.id, name: row.name, counterIds: access.clerkCounters(clerkId) };
      }),

    /**
     * Admin: `body` changes the configuration inside the queue's transaction; the change is
     * logged as `logType` with `detail` (who and what) and sent to every screen as config:updated.
     */
    adminChange: <T>(logType: string, detail: Record<string, unknown>, body: (now: number) => T): Result<T> =>
      run(logType, undefined, (now) => {
        const reply = body(now);
        configChanged(now, logType, detail);
        return reply;
      }),

    /** Runs `body` in the queue's transaction (a repeated request id gets the stored reply, if `actor` sent it); broadcasts nothing. */
    transact: <T>(command: string, requestId: string | undefined, body: (now: number) => T, actor?: Actor): Result<T> => run(command, requestId, body, actor),
  };
}

export type Queue = ReturnType<typeof createQueue>;

/** Replies stored before migration 007 have no actor and are answered to anyone. */
function sameActor(stored: string | null, by: string | null): boolean {
  return stored === null || stored === by;
}

function reusedId(requestId: string): QueueError {
  return new QueueError(
    'invalid_payload',
    `Mã yêu cầu ${requestId} đã được một thiết bị khác dùng. Mỗi lệnh mới cần một mã yêu cầu mới (requestId không trùng).`,
  );
}
