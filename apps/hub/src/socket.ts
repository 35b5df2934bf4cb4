import type { Server, Socket } from 'socket.io';
import { QueueError } from '@xephang/core';
import {
  COMMAND_NAMES,
  COMMAND_SCHEMAS,
  fail,
  ok,
  parsePayload,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandReplies,
  type HubEvent,
  type ParsedCommand,
  type Role,
  type ServerToClientEvents,
  type VoiceSettings,
} from '@xephang/protocol';
import type { Access, SocketData } from './access';
import type { Admin } from './admin';
import type { Printing } from './printing';
import { actorKey, type Queue, type Result } from './queue';
import { catalogImports } from './commands/catalog';
import type { Reports } from './reports';
import { hashSecret } from './secrets';

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketDeps {
  queue: Queue;
  access: Access;
  printing: Printing;
  /** The admin's configuration commands and the rating tablets. */
  admin: Admin;
  /** Whether a kiosk may take one more ticket now. */
  kioskMayIssue: (key: string) => boolean;
  /** Present only when the hub runs with a test clock. */
  setClock?: (at: number) => number;
  /** `report:get`; absent, the command answers not_found. */
  reports?: Reports;
  /** How calls sound: stored by the voice service, read by the TV. */
  voice: { updateSettings: (settings: unknown) => Ack<VoiceSettings> };
  now: () => number;
  log: (line: string) => void;
}

type Handler<C extends CommandName> = {
  roles: readonly Role[];
  run: (cmd: ParsedCommand<C>, socket: HubSocket) => Result<CommandReplies[C]> | Promise<Result<CommandReplies[C]>>;
};

const ROLE_VI: Record<Role, string> = { display: 'màn hình hiển thị', kiosk: 'ki-ốt lấy số', counter: 'máy tính quầy', admin: 'quản trị', rating: 'máy đánh giá' };

/** Wires every command to the queue, with role checks, validation and broadcasts after commit. */
export function attachSockets(io: HubServer, deps: SocketDeps): { noteConnectedDevices: () => void } {
  const { queue, access } = deps;
  const actor = (s: HubSocket) => ({ deviceId: s.data.deviceId, counterId: s.data.counterId, clerkId: s.data.clerkId, role: s.data.role });
  const noEvents = <T>(reply: T): Result<T> => ({ reply, events: [] });
  /** Whose PIN tries a counter socket makes: its paired device, else the hub PC's screen of that counter. */
  const pinDevice = (s: HubSocket) => s.data.deviceId ?? `local:counter${s.data.counterId}`;

  /** Issues waiting for their printer, by request id, with the actor who asked. */
  const issuing = new Map<string, { by: string; result: Promise<Result<CommandReplies['ticket:issue']>> }>();
  const limitLoggedAt = new Map<string, number>();

  /** Refuses a kiosk over its limit; the first refusal of a minute is logged, a flood is not. */
  function kioskLimited(s: HubSocket): QueueError {
    const key = kioskKey(s);
    const at = deps.now();
    const last = limitLoggedAt.get(key);
    if (last === undefined || at - last >= 60_000 || at < last) {
      limitLoggedAt.set(key, at);
      deps.log(`ki-ốt vượt giới hạn lấy số: ${who(s)}`);
    }
    return new QueueError('rate_limited', 'Ki-ốt đang nhận quá nhiều yêu cầu. Xin vui lòng chờ vài giây rồi bấm lại.');
  }

  /** Status question, number (one transaction), broadcast, print: in that order. */
  async function issueAndPrint(cmd: ParsedCommand<'ticket:issue'>, s: HubSocket): Promise<Result<CommandReplies['ticket:issue']>> {
    const retry = queue.answered(cmd.requestId, actor(s));
    if (s.data.role === 'kiosk' && !retry && !deps.kioskMayIssue(kioskKey(s))) throw kioskLimited(s);
    // No number is allocated while the kiosk's printer is out of paper, open or offline.
    if (!retry) await deps.printing.check(s.data.deviceId);
    // Checked and issued in one synchronous step: a twin on another socket that committed
    // while this one waited for the printer is a replay here, and prints nothing.
    const replay = queue.answered(cmd.requestId, actor(s));
    const result = queue.issue(cmd, actor(s));
    if (replay) {
      // The stored reply says how the print went once it was known; before that (still
      // printing on a twin, or the hub stopped mid-print) the printer is asked what it knows.
      if (result.reply.printed !== undefined) return { reply: result.reply, events: [] };
      return { reply: { ...result.reply, ...(await deps.printing.outcomeOf(result.reply.ticket.id)) }, events: [] };
    }
    // Commit first, then broadcast and print.
    broadcastAll(io, result.events);
    const printed = await deps.printing.printIssued(result.reply, s.data.deviceId);
    const reply = { ...result.reply, ...printed };
    queue.recordPrint(cmd.requestId, reply);
    return { reply, events: [] };
  }

  const importCatalog = catalogImports({
    catalog: queue.catalog,
    services: () => queue.config.services(),
    now: deps.now,
    log: (type, detail) => queue.catalog.audit(type, detail, deps.now()),
  });
  /** Who an admin change is logged under: the name given at login. */
  const by = (s: HubSocket) => s.data.adminName ?? 'quản trị';

  const handlers: { [C in CommandName]: Handler<C> } = {
    'ticket:issue': {
      roles: ['kiosk', 'admin'],
      run: (cmd, s) => {
        // A twin of a request still waiting for its printer shares its result: no second
        // rate-limit token, status question or print.
        const by = actorKey(actor(s));
        const running = issuing.get(cmd.requestId);
        if (running && running.by !== by) {
          throw new QueueError('invalid_payload', `Mã yêu cầu ${cmd.requestId} đã được một thiết bị khác dùng. Mỗi lệnh mới cần một mã yêu cầu mới (requestId không trùng).`);
        }
        if (running) return running.result.then((r) => ({ reply: r.reply, events: [] }));
        const result = issueAndPrint(cmd, s).finally(() => issuing.delete(cmd.requestId));
        issuing.set(cmd.requestId, { by, result });
        return result;
      },
    },
    'ticket:reprint': {
      roles: ['kiosk', 'admin'],
      run: async (cmd, s) => {
        if (s.data.role === 'kiosk' && !deps.kioskMayIssue(kioskKey(s))) throw kioskLimited(s);
        return noEvents(await deps.printing.reprint(cmd, s.data.role === 'admin' ? 'admin' : 'kiosk', s.data.deviceId));
      },
    },
    'printer:status': {
      roles: ['kiosk', 'admin'],
      run: async (cmd, s) => noEvents(await deps.printing.status(s.data.role === 'kiosk' ? s.data.deviceId : (cmd.kioskId ?? null))),
    },
    'printer:list': { roles: ['admin'], run: () => noEvents(deps.printing.list()) },
    'printer:set': {
      roles: ['admin'],
      run: (cmd, s) => {
        const before = deps.printing.list().printers.find((p) => p.kioskId === cmd.kioskId);
        const who = cmd.kioskId === '*' ? 'mặc định (mọi ki-ốt)' : `của ki-ốt ${cmd.kioskId}`;
        const what = `Máy in ${who}: ${deps.printing.describeConfig({ ...cmd, address: cmd.address ?? null })}${before ? ` (trước: ${deps.printing.describeConfig(before)})` : ''}`;
        return queue.adminChange('admin:printer', { by: by(s), what }, () => deps.printing.set(cmd));
      },
    },
    'printer:setTicketText': {
      roles: ['admin'],
      run: (cmd, s) => {
        const what = `Chữ trên phiếu: cuối phiếu "${cmd.footer}"; mã QR ${cmd.qr ? `"${cmd.qr}"` : 'không in'}`;
        return queue.adminChange('admin:ticketText', { by: by(s), what }, () => deps.printing.setTicketText(cmd));
      },
    },
    'printer:unset': {
      roles: ['admin'],
      run: (cmd, s) => {
        const before = deps.printing.list().printers.find((p) => p.kioskId === cmd.kioskId);
        if (!before) throw new QueueError('not_found', `Ki-ốt ${cmd.kioskId} không có máy in riêng: nó đang dùng máy in mặc định.`);
        const what = `Máy in của ki-ốt ${cmd.kioskId}: dùng máy in mặc định (trước: ${deps.printing.describeConfig(before)})`;
        return queue.adminChange('admin:printer', { by: by(s), what }, () => deps.printing.unset(cmd.kioskId));
      },
    },
    'printer:test': { roles: ['admin'], run: async (cmd, s) => noEvents(await deps.printing.test(cmd, by(s))) },
    'admin:changePassword': {
      roles: ['admin'],
      run: async (cmd, s) => {
        const result = await deps.admin.changePassword(cmd, by(s), s.handshake.address);
        // Every other admin screen held the old password: it is told why, then logged out.
        let loggedOut = 0;
        for (const other of io.sockets.sockets.values()) {
          if (other.id === s.id || other.data.role !== 'admin') continue;
          other.emit('hub:error', {
            code: 'unauthorized',
            message: `Mật khẩu quản trị vừa được đổi bởi ${by(s)}. Hãy đăng nhập lại bằng mật khẩu mới.`,
            event: 'admin:changePassword',
          });
          other.disconnect(true);
          loggedOut++;
        }
        return { reply: { ...result.reply, loggedOut }, events: result.events };
      },
    },
    'clerk:login': {
      roles: ['counter'],
      run: async (cmd, s) => {
        const counterId = s.data.counterId!;
        const clerk = await access.checkPin(cmd.clerkId, cmd.pin, counterId, pinDevice(s));
        const session = access.newSession();
        const result = queue.login(clerk, counterId, session.hash, actor(s));
        s.data.clerkId = clerk.id;
        return { reply: { clerk, counter: result.reply, sessionToken: session.token }, events: result.events };
      },
    },
    'clerk:logout': {
      roles: ['counter'],
      run: (_cmd, s) => {
        const result = queue.logout(actor(s));
        s.data.clerkId = null;
        return result;
      },
    },
    'counter:open': { roles: ['counter'], run: (_cmd, s) => queue.setStatus('counter:open', actor(s)) },
    'counter:close': { roles: ['counter'], run: (_cmd, s) => queue.setStatus('counter:close', actor(s)) },
    'counter:pause': { roles: ['counter'], run: (cmd, s) => queue.setStatus('counter:pause', actor(s), cmd.reason) },
    'counter:resume': { roles: ['counter'], run: (_cmd, s) => queue.setStatus('counter:resume', actor(s)) },
    'counter:next': { roles: ['counter'], run: (cmd, s) => queue.next(cmd, actor(s)) },
    'counter:recall': { roles: ['counter'], run: (cmd, s) => queue.recall(cmd, actor(s)) },
    'counter:noShow': { roles: ['counter'], run: (cmd, s) => queue.noShow(cmd, actor(s)) },
    'counter:start': { roles: ['counter'], run: (cmd, s) => queue.start(cmd, actor(s)) },
    'counter:finish': { roles: ['counter'], run: (cmd, s) => queue.finish(cmd, actor(s)) },
    'counter:transfer': { roles: ['counter'], run: (cmd, s) => queue.transfer(cmd, actor(s)) },
    'counter:callNumber': { roles: ['counter'], run: (cmd, s) => queue.callNumber(cmd, actor(s)) },
    sync: { roles: ['display', 'kiosk', 'counter', 'admin', 'rating'], run: (cmd) => queue.sync(cmd) },
    'clerk:create': {
      roles: ['admin'],
      run: async (cmd, s) => {
        requireCounters(cmd.counterIds);
        const id = queue.access.createClerk(cmd.name, await hashSecret(cmd.pin), cmd.counterIds, deps.now());
        return queue.clerkChanged(id, `Thêm cán bộ ${cmd.name} (mã ${id}), quầy ${cmd.counterIds.join(', ') || 'chưa có'}`, by(s));
      },
    },
    'clerk:update': {
      roles: ['admin'],
      run: async (cmd, s) => {
        const before = queue.access.clerk(cmd.id);
        if (!before) throw new QueueError('not_found', `Không có cán bộ mã ${cmd.id}.`);
        if (cmd.counterIds) requireCounters(cmd.counterIds);
        const pinHash = cmd.pin === undefined ? undefined : await hashSecret(cmd.pin);
        queue.access.updateClerk({ ...cmd, ...(pinHash ? { pinHash } : {}) });
        if (pinHash || cmd.active === false) {
          // A new PIN or a locked account ends every session: the clerk logs in again.
          queue.access.endClerkSessions(cmd.id, deps.now());
          for (const s of io.sockets.sockets.values()) if (s.data.clerkId === cmd.id) s.data.clerkId = null;
        }
        const changes = [
          ...(cmd.name !== undefined && cmd.name !== before.name ? [`tên "${cmd.name}"`] : []),
          ...(cmd.pin !== undefined ? ['đặt lại mã PIN'] : []),
          ...(cmd.counterIds ? [`quầy ${cmd.counterIds.join(', ') || 'không'}`] : []),
          ...(cmd.active === undefined ? [] : [cmd.active ? 'mở khoá' : 'khoá tài khoản']),
        ];
        return queue.clerkChanged(cmd.id, `Sửa cán bộ ${before.name} (mã ${cmd.id}): ${changes.join('; ') || 'không đổi gì'}`, by(s), Boolean(pinHash) || cmd.active === false);
      },
    },
    'pairing:create': { roles: ['admin'], run: (cmd) => noEvents(access.createPairingCode(cmd.role, cmd.counterId ?? null)) },
    'device:list': { roles: ['admin'], run: () => noEvents(queue.access.devices()) },
    'device:revoke': {
      roles: ['admin'],
      run: (cmd) => {
        const device = queue.access.device(cmd.deviceId);
        if (!device) throw new QueueError('not_found', 'Không có thiết bị này.');
        queue.access.revokeDevice(device.id, deps.now());
        for (const s of io.sockets.sockets.values()) if (s.data.deviceId === device.id) s.disconnect(true);
        return noEvents(queue.access.device(device.id)!);
      },
    },
    'device:revokeStale': {
      roles: ['admin'],
      run: (cmd) => {
        const now = deps.now();
        const connected = connectedDevices();
        const stale = queue.access.staleDevices(now - cmd.days * 86_400_000).filter((d) => !connected.has(d.id));
        for (const d of stale) queue.access.revokeDevice(d.id, now);
        deps.log(`quản trị thu hồi ${stale.length} thiết bị không kết nối từ ${cmd.days} ngày: ${stale.map((d) => d.name).join(', ') || 'không có'}`);
        return noEvents(stale.map((d) => queue.access.device(d.id)!));
      },
    },
    'access:get': { roles: ['admin'], run: () => noEvents(accessStatus()) },
    'access:unlock': {
      roles: ['admin'],
      run: (cmd, s) => {
        const cleared = access.unlock(cmd);
        deps.log(`${by(s)} mở khoá ${cmd.clerkId === undefined ? `thiết bị ${cmd.device}` : `cán bộ mã ${cmd.clerkId}`} (${cleared} khoá/bộ đếm)`);
        return noEvents(accessStatus());
      },
    },
    'access:setIdle': {
      roles: ['admin'],
      run: (cmd, s) =>
        queue.adminChange(
          'access:setIdle',
          { by: by(s), what: cmd.clerkIdleMinutes ? `Phiên cán bộ hết hạn sau ${cmd.clerkIdleMinutes} phút không thao tác` : 'Phiên cán bộ chỉ hết hạn khi sang ngày mới' },
          () => {
            queue.config.setMeta('clerk_idle_minutes', String(cmd.clerkIdleMinutes));
            return accessStatus();
          },
        ),
    },
    'admin:session': { roles: ['admin'], run: (_cmd, s) => noEvents(access.adminSession(s.data.adminName ?? null)) },
    'config:get': { roles: ['admin'], run: () => noEvents(deps.admin.config()) },
    'config:saveService': { roles: ['admin'], run: (cmd, s) => deps.admin.saveService(cmd, by(s)) },
    'config:orderServices': { roles: ['admin'], run: (cmd, s) => deps.admin.orderServices(cmd, by(s)) },
    'config:counterServices': { roles: ['admin'], run: (cmd, s) => deps.admin.counterServices(cmd, by(s)) },
    'config:setTexts': { roles: ['admin'], run: (cmd, s) => deps.admin.setTexts(cmd, by(s)) },
    'config:setHours': { roles: ['admin'], run: (cmd, s) => deps.admin.setHours(cmd, by(s)) },
    'config:setPriorityRule': { roles: ['admin'], run: (cmd, s) => deps.admin.setPriorityRule(cmd, by(s)) },
    'config:log': { roles: ['admin'], run: (cmd) => noEvents(deps.admin.log(cmd.limit)) },
    // A tablet acts only for the counter it was opened (or paired) for.
    'rating:pending': { roles: ['rating'], run: (_cmd, s) => deps.admin.pendingRating(s.data.counterId!) },
    'rating:submit': { roles: ['rating'], run: (cmd, s) => deps.admin.rate(cmd, s.data.counterId!, actor(s)) },
    'report:get': {
      roles: ['admin'],
      run: (cmd) => {
        if (!deps.reports) throw new QueueError('not_found', 'Máy chủ này chưa có báo cáo.');
        return noEvents(deps.reports.get(cmd));
      },
    },
    'clock:set': {
      roles: ['admin'],
      run: (cmd) => {
        if (!deps.setClock) throw new QueueError('forbidden', 'Chỉ đặt được giờ khi máy chủ chạy với --fake-clock (dùng cho kiểm thử).');
        return noEvents({ now: deps.setClock(cmd.at) });
      },
    },
    'catalog:get': { roles: ['kiosk', 'admin', 'counter', 'display'], run: (cmd) => noEvents(queue.catalog.reply(cmd.since)) },
    'catalog:import': { roles: ['admin'], run: async (cmd) => noEvents(await importCatalog(cmd)) },
    'voice:set': {
      roles: ['admin'],
      // Logged and broadcast as a configuration change: the TVs read the new settings at once.
      run: (cmd, s) =>
        queue.adminChange('admin:voice', { by: by(s), what: 'Đổi cài đặt giọng đọc gọi số' }, () => {
          const saved = deps.voice.updateSettings(cmd);
          if (!saved.ok) throw new QueueError(saved.error.code, saved.error.message);
          return saved.data;
        }),
    },
  };

  function accessStatus() {
    return { lockouts: access.lockouts(), clerkIdleMinutes: Number(queue.config.meta('clerk_idle_minutes') ?? 0) };
  }

  function connectedDevices(): Set<string> {
    const ids = new Set<string>();
    for (const s of io.sockets.sockets.values()) if (s.data.deviceId) ids.add(s.data.deviceId);
    return ids;
  }

  function requireCounters(ids: readonly number[]): void {
    const missing = ids.filter((id) => !queue.access.counterExists(id));
    if (missing.length) throw new QueueError('not_found', `Không có quầy số ${missing.join(', ')}.`);
  }

  async function handle(socket: HubSocket, name: CommandName, args: unknown[]): Promise<void> {
    const last = args[args.length - 1];
    if (typeof last !== 'function') {
      socket.emit('hub:error', {
        code: 'invalid_payload',
        message: `Lệnh "${name}" phải kèm hàm nhận phản hồi (acknowledgement); lệnh không được thực hiện.`,
        event: name,
      });
      return;
    }
    const ack = last as (reply: Ack<unknown>) => void;
    const handler = handlers[name] as unknown as Handler<CommandName>;
    if (args.length > 2) {
      ack(fail('invalid_payload', `Lệnh "${name}" nhận đúng một đối tượng dữ liệu và một hàm phản hồi.`));
      return;
    }
    if (!handler.roles.includes(socket.data.role)) {
      ack(fail('forbidden', `${capitalise(ROLE_VI[socket.data.role])} không được phép dùng lệnh "${name}".`));
      return;
    }
    const parsed = parsePayload(COMMAND_SCHEMAS[name], args.length === 2 ? args[0] : undefined);
    if (!parsed.ok) {
      ack(parsed);
      return;
    }
    let result: Result<unknown>;
    try {
      result = await handler.run(parsed.data as never, socket);
    } catch (error) {
      ack(toFailure(error, name, deps.log));
      return;
    }
    ack(ok(result.reply));
    broadcastAll(io, result.events);
  }

  io.use((socket, next) => {
    access.handshake(socket.handshake.auth, socket.handshake.address).then(
      (data) => {
        socket.data = data;
        next();
      },
      (error: unknown) => {
        const failure = toFailure(error, 'handshake', deps.log);
        const err = new Error(failure.ok ? '' : failure.error.message) as Error & { data?: unknown };
        err.data = failure.ok ? undefined : failure.error;
        next(err);
      },
    );
  });

  io.on('connection', (socket: HubSocket) => {
    // "Last contact" is when a device was last connected: also written when it leaves.
    socket.on('disconnect', () => {
      if (!socket.data.deviceId) return;
      try {
        queue.access.seenDevice(socket.data.deviceId, deps.now());
      } catch (error) {
        deps.log(`không ghi được lần kết nối cuối của thiết bị: ${String(error)}`);
      }
    });
    // socket.io reports a frame it cannot decode (an attachment count or placeholder that does
    // not add up, binary nobody announced) as an 'error' on the socket and closes the
    // connection; with no listener, Node would throw that error and end the hub.
    socket.on('error', (error: Error) => deps.log(`khung tin lạ từ ${who(socket)}: ${error.message}; đã đóng kết nối này`));
    let unknownLogged = 0;
    // The wire allows any JSON as an event name (socket.io-parser lets numbers through): trust
    // nothing about its type.
    socket.onAny((event: unknown) => {
      if (typeof event === 'string' && (COMMAND_NAMES as string[]).includes(event)) return;
      const shown = typeof event === 'string' ? event.slice(0, 64) : `(${typeof event}) ${String(event).slice(0, 32)}`;
      // A few lines per socket say who probes; a flood does not fill the log.
      if (unknownLogged++ < 3) deps.log(`lệnh lạ "${shown}" từ ${who(socket)}`);
      socket.emit('hub:error', { code: 'unknown_event', message: `Máy chủ không có lệnh "${shown}".`, event: shown });
    });
    for (const name of COMMAND_NAMES) {
      socket.on(name, (...args: unknown[]) => {
        handle(socket, name, args).catch((error: unknown) => toFailure(error, `${name} từ ${who(socket)}`, deps.log));
      });
    }
  });

  return {
    /**
     * Writes "last contact" of every connected paired device: called on the hub's tick, so a TV
     * connected for a month shows today, at one write per device per tick, not one per message.
     */
    noteConnectedDevices(): void {
      const now = deps.now();
      for (const id of connectedDevices()) queue.access.seenDevice(id, now);
    },
  };
}

/** Sends committed events to every screen, in order. */
export function broadcastAll(io: HubServer, events: readonly HubEvent[]): void {
  for (const event of events) (io.emit as (name: string, e: HubEvent) => boolean)(event.type, event);
}

function toFailure(error: unknown, where: string, log: (line: string) => void): Ack<never> {
  if (error instanceof QueueError) return fail(error.code, error.message);
  log(`lỗi khi xử lý ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return fail('internal', 'Máy chủ gặp lỗi khi xử lý yêu cầu; không có gì bị thay đổi. Hãy thử lại, nếu vẫn lỗi hãy báo kỹ thuật viên.');
}

/**
 * Whose tickets a kiosk's limit counts: a paired kiosk's device, or, for the unpaired kiosks
 * the hub PC may run, one bucket for them all. An address is no key: one machine can use all of
 * 127.0.0.0/8 (20 addresses once took 200 tickets in 0.4 s), and kiosks behind one router share one.
 */
function kioskKey(s: HubSocket): string {
  return s.data.deviceId ? `device:${s.data.deviceId}` : 'unpaired';
}

/** A socket as the technician reads it in the log: role, counter, device and address. */
function who(s: HubSocket): string {
  const d = s.data as Partial<SocketData> | undefined;
  const parts = [d?.role ?? 'chưa xác định', d?.counterId ? `quầy ${d.counterId}` : '', d?.deviceId ? `thiết bị ${d.deviceId}` : '', `địa chỉ ${s.handshake.address}`];
  return parts.filter(Boolean).join(', ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
