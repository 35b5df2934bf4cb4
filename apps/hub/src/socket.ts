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
import type { Access, SocketData } from './access';
import type { Queue, Result } from './queue';
import { hashSecret } from './secrets';

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketDeps {
  queue: Queue;
  access: Access;
  /** Whether a kiosk may take one more ticket now. */
  kioskMayIssue: (key: string) => boolean;
  /** Present only when the hub runs with a test clock. */
  setClock?: (at: number) => number;
  now: () => number;
  log: (line: string) => void;
}

type Handler<C extends CommandName> = {
  roles: readonly Role[];
  run: (cmd: ParsedCommand<C>, socket: HubSocket) => Result<CommandReplies[C]> | Promise<Result<CommandReplies[C]>>;
};

const ROLE_VI: Record<Role, string> = { display: 'màn hình hiển thị', kiosk: 'ki-ốt lấy số', counter: 'máy tính quầy', admin: 'quản trị' };

/** Wires every command to the queue, with role checks, validation and broadcasts after commit. */
export function attachSockets(io: HubServer, deps: SocketDeps): void {
  const { queue, access } = deps;
  const actor = (s: HubSocket) => ({ deviceId: s.data.deviceId, counterId: s.data.counterId, clerkId: s.data.clerkId });
  const noEvents = <T>(reply: T): Result<T> => ({ reply, events: [] });

  const handlers: { [C in CommandName]: Handler<C> } = {
    'ticket:issue': {
      roles: ['kiosk', 'admin'],
      run: (cmd, s) => {
        const retry = queue.answered(cmd.requestId);
        if (s.data.role === 'kiosk' && !retry && !deps.kioskMayIssue(s.data.deviceId ?? `address:${s.handshake.address}`)) {
          throw new QueueError('rate_limited', 'Ki-ốt đang nhận quá nhiều yêu cầu. Xin vui lòng chờ vài giây rồi bấm lại.');
        }
        return queue.issue(cmd, actor(s));
      },
    },
    'clerk:login': {
      roles: ['counter'],
      run: async (cmd, s) => {
        const counterId = s.data.counterId!;
        const clerk = await access.checkPin(cmd.clerkId, cmd.pin, counterId);
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
    sync: { roles: ['display', 'kiosk', 'counter', 'admin'], run: (cmd) => queue.sync(cmd) },
    'clerk:create': {
      roles: ['admin'],
      run: async (cmd) => {
        requireCounters(cmd.counterIds);
        const id = queue.access.createClerk(cmd.name, await hashSecret(cmd.pin), cmd.counterIds, deps.now());
        return queue.clerkChanged(id, 'created');
      },
    },
    'clerk:update': {
      roles: ['admin'],
      run: async (cmd) => {
        if (!queue.access.clerk(cmd.id)) throw new QueueError('not_found', `Không có cán bộ mã ${cmd.id}.`);
        if (cmd.counterIds) requireCounters(cmd.counterIds);
        const pinHash = cmd.pin === undefined ? undefined : await hashSecret(cmd.pin);
        queue.access.updateClerk({ ...cmd, ...(pinHash ? { pinHash } : {}) });
        if (pinHash || cmd.active === false) {
          // A new PIN or a locked account ends every session: the clerk logs in again.
          queue.access.endClerkSessions(cmd.id, deps.now());
          for (const s of io.sockets.sockets.values()) if (s.data.clerkId === cmd.id) s.data.clerkId = null;
        }
        return queue.clerkChanged(cmd.id, 'updated');
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
    'clock:set': {
      roles: ['admin'],
      run: (cmd) => {
        if (!deps.setClock) throw new QueueError('forbidden', 'Chỉ đặt được giờ khi máy chủ chạy với --fake-clock (dùng cho kiểm thử).');
        return noEvents({ now: deps.setClock(cmd.at) });
      },
    },
  };

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
    socket.onAny((event: string) => {
      if (!(COMMAND_NAMES as string[]).includes(event)) {
        socket.emit('hub:error', { code: 'unknown_event', message: `Máy chủ không có lệnh "${event.slice(0, 64)}".`, event: event.slice(0, 64) });
      }
    });
    for (const name of COMMAND_NAMES) {
      socket.on(name, (...args: unknown[]) => void handle(socket, name, args));
    }
  });
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
