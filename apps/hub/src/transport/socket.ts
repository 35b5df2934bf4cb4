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
} from '@xephang/protocol';
import type { Access, SocketData } from '../access';
import type { Backups } from '../backups/backups';
import type { Commands } from '../commands';
import type { AccessCommands } from '../commands/access';
import type { ConfigCommands } from '../commands/config';
import type { Connections } from '../commands/connections';
import type { Issuing } from '../commands/issuing';
import type { PrinterCommands } from '../commands/printers';
import type { ProvinceLink } from '../province/link';
import type { Actor, Result } from '../commit';
import type { KioskLink } from '../kiosk-printers';
import type { Reports } from '../reports';
import type { Stores } from '../store';

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The commands the socket table calls, built by the composition root (hub.ts). */
export interface SocketDeps {
  commands: Pick<Commands, 'tickets' | 'counters' | 'sync' | 'clerks' | 'devices' | 'ratings' | 'visits'>;
  issuing: Issuing;
  printers: PrinterCommands;
  config: ConfigCommands;
  accessCommands: AccessCommands;
  /** The handshake, PIN checks, pairing codes and admin sessions. */
  access: Access;
  /** `catalog:get`: the catalog store's reply (read-only). */
  catalog: Pick<Stores['catalog'], 'reply'>;
  /** `catalog:import` (commands/catalog.ts). */
  importCatalog: (cmd: ParsedCommand<'catalog:import'>, by: string) => Promise<Result<CommandReplies['catalog:import']>>;
  /** "Last contact" of a paired device. */
  seenDevice: (deviceId: string, at: number) => void;
  /** Present only when the hub runs with a test clock. */
  setClock?: (at: number) => number;
  /** `system:status` (system-status.ts): the hub PC's disk, memory, uptime, version and clock. */
  systemStatus: () => CommandReplies['system:status'];
  /** `report:get`; absent, the command answers not_found. */
  reports?: Reports;
  /** `system:backups`, `system:backupNow`, `system:backupSettings` (backups/backups.ts). */
  backups: Pick<Backups, 'view' | 'backupNow' | 'setSettings'>;
  /** `province:*` (province/link.ts): the link with the province's server. */
  province: Pick<ProvinceLink, 'view' | 'enrol' | 'unlink' | 'pushNow'>;
  now: () => number;
  log: (line: string) => void;
}

type Handler<C extends CommandName> = {
  roles: readonly Role[];
  run: (cmd: ParsedCommand<C>, socket: HubSocket) => Result<CommandReplies[C]> | Promise<Result<CommandReplies[C]>>;
};

const ROLE_VI: Record<Role, string> = { display: 'màn hình hiển thị', kiosk: 'ki-ốt lấy số', counter: 'máy tính quầy', admin: 'quản trị', rating: 'máy đánh giá' };

/**
 * The socket transport: the handshake, one line per command (who may send it, which command
 * runs it), validation, the acknowledgement, and the broadcast after the commit. No queue
 * rule lives here.
 */
export function attachSockets(io: HubServer, deps: SocketDeps): { noteConnectedDevices: () => void } {
  const { commands, access } = deps;
  const actor = (s: HubSocket): Actor => ({ deviceId: s.data.deviceId, counterId: s.data.counterId, clerkId: s.data.clerkId, role: s.data.role });
  const noEvents = <T>(reply: T): Result<T> => ({ reply, events: [] });
  /** Whose PIN tries a counter socket makes: its paired device, else the hub PC's screen of that counter. */
  const pinDevice = (s: HubSocket) => s.data.deviceId ?? `local:counter${s.data.counterId}`;
  /** Who an admin change is logged under: the name given at login. */
  const by = (s: HubSocket) => s.data.adminName ?? 'quản trị';
  const connections: Connections = {
    connectedDevices,
    disconnectDevice: (deviceId) => {
      for (const s of io.sockets.sockets.values()) if (s.data.deviceId === deviceId) s.disconnect(true);
    },
    forgetClerk: (clerkId) => {
      for (const s of io.sockets.sockets.values()) if (s.data.clerkId === clerkId) s.data.clerkId = null;
    },
  };

  const handlers: { [C in CommandName]: Handler<C> } = {
    'ticket:issue': { roles: ['kiosk', 'admin'], run: (cmd, s) => deps.issuing.issue(cmd, actor(s), who(s)) },
    'ticket:reprint': { roles: ['kiosk', 'admin'], run: (cmd, s) => deps.issuing.reprint(cmd, actor(s), who(s)) },
    // A kiosk that prints itself: how a job came out, and how its printer is.
    'ticket:printed': { roles: ['kiosk'], run: (cmd, s) => noEvents(deps.printers.printed(cmd, actor(s))) },
    'printer:report': { roles: ['kiosk'], run: (cmd, s) => noEvents(deps.printers.report(cmd, actor(s))) },
    'printer:none': { roles: ['kiosk'], run: (_cmd, s) => noEvents(deps.printers.none(actor(s))) },
    'printer:status': { roles: ['kiosk', 'admin'], run: async (cmd, s) => noEvents(await deps.printers.status(cmd, s.data.role === 'kiosk' ? 'kiosk' : 'admin', s.data.deviceId)) },
    'printer:list': { roles: ['admin'], run: () => noEvents(deps.printers.list()) },
    'printer:set': { roles: ['admin'], run: (cmd, s) => deps.printers.set(cmd, by(s)) },
    'printer:setTicketText': { roles: ['admin'], run: (cmd, s) => deps.printers.setTicketText(cmd, by(s)) },
    'printer:unset': { roles: ['admin'], run: (cmd, s) => deps.printers.unset(cmd, by(s)) },
    'printer:test': { roles: ['admin'], run: async (cmd, s) => noEvents(await deps.printers.test(cmd, by(s))) },
    'admin:changePassword': { roles: ['admin'], run: async (cmd, s) => logOutOtherAdmins(s, await deps.config.changePassword(cmd, by(s), s.handshake.address)) },
    'clerk:login': { roles: ['counter'], run: (cmd, s) => logIn(cmd, s) },
    'clerk:logout': { roles: ['counter'], run: (_cmd, s) => logOut(s) },
    'counter:open': { roles: ['counter'], run: (_cmd, s) => commands.counters.setStatus('open', actor(s)) },
    'counter:close': { roles: ['counter'], run: (_cmd, s) => commands.counters.setStatus('close', actor(s)) },
    'counter:pause': { roles: ['counter'], run: (cmd, s) => commands.counters.setStatus('pause', actor(s), cmd.reason) },
    'counter:resume': { roles: ['counter'], run: (_cmd, s) => commands.counters.setStatus('resume', actor(s)) },
    'counter:next': { roles: ['counter'], run: (cmd, s) => commands.counters.next(cmd, actor(s)) },
    'counter:recall': { roles: ['counter'], run: (cmd, s) => commands.counters.recall(cmd, actor(s)) },
    'counter:noShow': { roles: ['counter'], run: (cmd, s) => commands.counters.noShow(cmd, actor(s)) },
    'counter:start': { roles: ['counter'], run: (cmd, s) => commands.counters.start(cmd, actor(s)) },
    'counter:finish': { roles: ['counter'], run: (cmd, s) => commands.counters.finish(cmd, actor(s)) },
    'counter:transfer': { roles: ['counter'], run: (cmd, s) => commands.counters.transfer(cmd, actor(s)) },
    'counter:callNumber': { roles: ['counter'], run: (cmd, s) => commands.counters.callNumber(cmd, actor(s)) },
    sync: { roles: ['display', 'kiosk', 'counter', 'admin', 'rating'], run: (cmd) => commands.sync.sync(cmd) },
    'clerk:create': { roles: ['admin'], run: (cmd, s) => commands.clerks.create(cmd, by(s)) },
    'clerk:update': { roles: ['admin'], run: (cmd, s) => commands.clerks.update(cmd, by(s), connections) },
    'pairing:create': { roles: ['admin'], run: (cmd) => noEvents(access.createPairingCode(cmd.role, cmd.counterId ?? null)) },
    'device:list': { roles: ['admin'], run: () => noEvents(commands.devices.list()) },
    'device:revoke': { roles: ['admin'], run: (cmd) => noEvents(commands.devices.revoke(cmd, connections)) },
    'device:revokeStale': { roles: ['admin'], run: (cmd) => noEvents(commands.devices.revokeStale(cmd, connections)) },
    'access:get': { roles: ['admin'], run: () => noEvents(deps.accessCommands.status()) },
    'access:unlock': { roles: ['admin'], run: (cmd, s) => noEvents(deps.accessCommands.unlock(cmd, by(s))) },
    'access:setIdle': { roles: ['admin'], run: (cmd, s) => deps.accessCommands.setIdle(cmd, by(s)) },
    'admin:session': { roles: ['admin'], run: (_cmd, s) => noEvents(access.adminSession(s.data.adminName ?? null)) },
    'config:get': { roles: ['admin'], run: () => noEvents(deps.config.config()) },
    'config:saveService': { roles: ['admin'], run: (cmd, s) => deps.config.saveService(cmd, by(s)) },
    'config:orderServices': { roles: ['admin'], run: (cmd, s) => deps.config.orderServices(cmd, by(s)) },
    'config:counterServices': { roles: ['admin'], run: (cmd, s) => deps.config.counterServices(cmd, by(s)) },
    'config:setTexts': { roles: ['admin'], run: (cmd, s) => deps.config.setTexts(cmd, by(s)) },
    'config:setHours': { roles: ['admin'], run: (cmd, s) => deps.config.setHours(cmd, by(s)) },
    'config:setPriorityRule': { roles: ['admin'], run: (cmd, s) => deps.config.setPriorityRule(cmd, by(s)) },
    'config:log': { roles: ['admin'], run: (cmd) => noEvents(deps.config.log(cmd.limit)) },
    // A tablet acts only for the counter it was opened (or paired) for.
    'rating:pending': { roles: ['rating'], run: (_cmd, s) => commands.ratings.pending(s.data.counterId!) },
    'rating:submit': { roles: ['rating'], run: (cmd, s) => commands.ratings.rate(cmd, s.data.counterId!, actor(s)) },
    'rating:detail': { roles: ['rating'], run: (cmd, s) => commands.ratings.detail(cmd, s.data.counterId!, actor(s)) },
    'rating:setSettings': { roles: ['admin'], run: (cmd, s) => commands.ratings.setSettings(cmd, by(s)) },
    'report:get': { roles: ['admin'], run: (cmd) => noEvents(report(cmd)) },
    'clock:set': { roles: ['admin'], run: (cmd) => noEvents({ now: setClock(cmd.at) }) },
    'catalog:get': { roles: ['kiosk', 'admin', 'counter', 'display'], run: (cmd) => noEvents(deps.catalog.reply(cmd.since)) },
    'catalog:import': { roles: ['admin'], run: (cmd, s) => deps.importCatalog(cmd, by(s)) },
    'voice:set': { roles: ['admin'], run: (cmd, s) => deps.config.setVoice(cmd, by(s)) },
    'system:status': { roles: ['admin'], run: () => noEvents(deps.systemStatus()) },
    'system:backups': { roles: ['admin'], run: async () => noEvents(await deps.backups.view()) },
    'system:backupNow': { roles: ['admin'], run: async () => noEvents(await deps.backups.backupNow()) },
    'system:backupSettings': { roles: ['admin'], run: (cmd, s) => deps.backups.setSettings(cmd, by(s)) },
    'province:status': { roles: ['admin'], run: () => noEvents(deps.province.view()) },
    // Awaits the province's answer (bounded, see province/link.ts): it is the admin's own command.
    'province:enrol': { roles: ['admin'], run: async (cmd, s) => noEvents(await deps.province.enrol(cmd, by(s))) },
    'province:unlink': { roles: ['admin'], run: (_cmd, s) => noEvents(deps.province.unlink(by(s))) },
    'province:pushNow': { roles: ['admin'], run: () => noEvents(deps.province.pushNow()) },
    // A counter: its own visits of today (commands/visits.ts checks); the admin: any visit of today.
    'visit:setDossier': { roles: ['counter', 'admin'], run: (cmd, s) => commands.visits.setDossier(cmd, actor(s), s.data.role === 'admin' ? by(s) : null) },
    'visit:list': { roles: ['counter', 'admin'], run: (cmd, s) => noEvents(commands.visits.list(cmd, actor(s))) },
    'visit:setDossierSettings': { roles: ['admin'], run: (cmd, s) => commands.visits.setSettings(cmd, by(s)) },
    // The citizen's ID card (issue 20): the desk's override prints where the kiosks' tickets print.
    'citizen:issueWithoutCard': { roles: ['counter'], run: (cmd, s) => deps.issuing.issueWithoutCard(cmd, actor(s), who(s), commands.counters.clerkAt(actor(s))) },
    'citizen:setRule': { roles: ['admin'], run: (cmd, s) => deps.config.setCitizenIdRule(cmd, by(s)) },
  };

  /** A clerk's PIN checked (awaited), then the login committed; the socket remembers the clerk. */
  async function logIn(cmd: ParsedCommand<'clerk:login'>, s: HubSocket): Promise<Result<CommandReplies['clerk:login']>> {
    const counterId = s.data.counterId!;
    const clerk = await access.checkPin(cmd.clerkId, cmd.pin, counterId, pinDevice(s));
    const session = access.newSession();
    const result = commands.counters.login(clerk, counterId, session.hash, actor(s));
    s.data.clerkId = clerk.id;
    return { reply: { clerk, counter: result.reply, sessionToken: session.token }, events: result.events };
  }

  function logOut(s: HubSocket): Result<CommandReplies['clerk:logout']> {
    const result = commands.counters.logout(actor(s));
    s.data.clerkId = null;
    return result;
  }

  /** Every other admin screen held the old password: it is told why, then logged out. */
  function logOutOtherAdmins(s: HubSocket, result: Result<{ changedAt: number }>): Result<CommandReplies['admin:changePassword']> {
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
  }

  function report(cmd: ParsedCommand<'report:get'>): CommandReplies['report:get'] {
    if (!deps.reports) throw new QueueError('not_found', 'Máy chủ này chưa có báo cáo.');
    return deps.reports.get(cmd);
  }

  function setClock(at: number): number {
    if (!deps.setClock) throw new QueueError('forbidden', 'Chỉ đặt được giờ khi máy chủ chạy với --fake-clock (dùng cho kiểm thử).');
    return deps.setClock(at);
  }

  function connectedDevices(): Set<string> {
    const ids = new Set<string>();
    for (const s of io.sockets.sockets.values()) if (s.data.deviceId) ids.add(s.data.deviceId);
    return ids;
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
        deps.seenDevice(socket.data.deviceId, deps.now());
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
      for (const id of connectedDevices()) deps.seenDevice(id, now);
    },
  };
}

/**
 * The kiosks connected now, as the printing sees them: whether one is there, and `kiosk:print`
 * to one socket of it (its newest: two tabs of one kiosk must not print a reprint twice).
 */
export function kioskLink(io: HubServer): KioskLink {
  const sockets = (deviceId: string | null) => [...io.sockets.sockets.values()].filter((s) => s.data.role === 'kiosk' && s.data.deviceId === deviceId);
  return {
    connected: (deviceId) => sockets(deviceId).length > 0,
    send(deviceId, job) {
      const socket = sockets(deviceId).at(-1);
      socket?.emit('kiosk:print', job);
      return socket !== undefined;
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

/** A socket as the technician reads it in the log: role, counter, device and address. */
function who(s: HubSocket): string {
  const d = s.data as Partial<SocketData> | undefined;
  const parts = [d?.role ?? 'chưa xác định', d?.counterId ? `quầy ${d.counterId}` : '', d?.deviceId ? `thiết bị ${d.deviceId}` : '', `địa chỉ ${s.handshake.address}`];
  return parts.filter(Boolean).join(', ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
