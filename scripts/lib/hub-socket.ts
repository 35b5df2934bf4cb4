import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type CommandReplies,
  type Handshake,
  type ServerToClientEvents,
} from '@xephang/protocol';

/** A benchmark's socket to the hub, typed by the protocol. */
export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a bench waits for a command's reply before it calls the hub silent. */
const ACK_TIMEOUT_MS = 10_000;

/** A screen's handshake, with the protocol version the hub checks. */
export const hubAuth = (auth: Omit<Handshake, 'protocolVersion'>): Handshake => ({ ...auth, protocolVersion: PROTOCOL_VERSION }) as Handshake;

/**
 * Connects one socket.io client over a websocket, its own connection (`forceNew`), no retries:
 * a bench wants to see a refusal. Also for the benches' relays, whose sockets are untyped.
 * @throws Error naming the role when the connection is refused.
 */
export async function connect<S extends Socket = HubSocket>(url: string, auth: Record<string, unknown>): Promise<S> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true }) as S;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    // The role, not the whole handshake: an admin's carries its password.
    socket.once('connect_error', (error) => reject(new Error(`could not connect to ${url} as ${String(auth.role ?? 'a client')}: ${error.message}`)));
  });
  return socket;
}

/**
 * Sends a hub command and resolves with its reply's data.
 * @throws Error with the hub's code and message, or when no reply comes within 10 s.
 */
export async function send<C extends CommandName>(socket: HubSocket, name: C, payload: CommandPayload<C>): Promise<CommandReplies[C]> {
  // The typed emitWithAck cannot resolve a generic command name; the reply type comes from the table.
  // Called as a method: emitWithAck needs its `this`.
  const untyped = socket.timeout(ACK_TIMEOUT_MS) as unknown as Socket;
  let reply: Ack<CommandReplies[C]>;
  try {
    reply = (await untyped.emitWithAck(name, payload)) as Ack<CommandReplies[C]>;
  } catch (error) {
    throw new Error(`${name}: no reply (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}
