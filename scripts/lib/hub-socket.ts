import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, CommandName, CommandPayload, CommandReplies, ServerToClientEvents } from '@xephang/protocol';

/** A benchmark's socket to the hub, typed by the protocol. */
export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects over a websocket (no retries: a bench wants to see a refusal). @throws the connect error. */
export async function connect(url: string, auth: Record<string, unknown>): Promise<HubSocket> {
  const s: HubSocket = io(url, { auth, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** Sends a command and resolves with its reply's data. @throws Error with the hub's code and message. */
export function send<C extends CommandName>(s: HubSocket, name: C, payload: CommandPayload<C>): Promise<CommandReplies[C]> {
  return new Promise((resolve, reject) => {
    const emit = s.emit as unknown as (n: string, p: unknown, ack: (a: Ack<CommandReplies[C]>) => void) => void;
    emit.call(s, name, payload, (a) => (a.ok ? resolve(a.data) : reject(new Error(`${a.error.code}: ${a.error.message}`))));
  });
}
