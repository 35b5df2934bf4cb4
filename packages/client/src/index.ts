import { io, type Socket } from 'socket.io-client';
import {
  applyEvent,
  HUB_EVENT_TYPES,
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type CommandReplies,
  type Handshake,
  type HubError,
  type HubEvent,
  type ServerToClientEvents,
  type Snapshot,
} from '@xephang/protocol';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface HubClientOptions {
  /** The hub's address, e.g. `http://192.168.1.10:8080`. */
  url: string;
  auth: Omit<Handshake, 'protocolVersion'>;
  /** Called when the connection comes or goes (and once synced after it came back). */
  onOnline?: (online: boolean) => void;
  /** Called after every change of the state, including the first snapshot. */
  onState?: (state: Snapshot, event: HubEvent | undefined) => void;
  /**
   * Every broadcast applied, in order, after the state took it. `replayed` is true for events
   * caught up after a reconnect: a TV shows them but does not announce old calls again.
   */
  onEvent?: (event: HubEvent, replayed: boolean) => void;
  /** Messages the hub sends without an ack (an unknown event, a command sent without ack). */
  onHubError?: (error: HubError & { event?: string }) => void;
  /** How long a command waits for its reply before it is reported as a timeout. */
  ackTimeoutMs?: number;
  transports?: ('websocket' | 'polling')[];
}

export interface SendOptions {
  timeoutMs?: number;
  /** Further attempts after a timeout, for commands carrying a requestId (default 2). */
  retries?: number;
}

export interface HubClient {
  socket: HubSocket;
  /** The state as last synced; undefined until the first sync finished. */
  state: () => Snapshot | undefined;
  /**
   * Sends a command and resolves with its ack; a timeout resolves as an error ack, never throws.
   * A command with a request id is sent again after a timeout (the hub answers a repeat from
   * its store, so this never issues twice), up to `retries` times.
   */
  send: <C extends CommandName>(name: C, payload: CommandPayload<C>, options?: SendOptions) => Promise<Ack<CommandReplies[C]>>;
  /** Whether the socket is connected and the state synced. */
  online: () => boolean;
  /** Resolves once the state is in sync with the hub (after connect or reconnect). */
  synced: () => Promise<Snapshot>;
  /** The clerk session to present on the next reconnect (from `clerk:login`). */
  setSession: (token: string | undefined) => void;
  close: () => void;
}

/**
 * Connects to the hub and keeps a copy of its state: a full snapshot at first, then every
 * broadcast in order; after a reconnect (or the hub restarting) it asks for what it missed.
 */
export function connectHub(options: HubClientOptions): HubClient {
  let session = options.auth.session;
  const socket: HubSocket = io(options.url, {
    auth: (cb) => cb({ ...options.auth, ...(session ? { session } : {}), protocolVersion: PROTOCOL_VERSION }),
    transports: options.transports ?? ['websocket'],
    reconnectionDelay: 250,
    reconnectionDelayMax: 2000,
  });
  let state: Snapshot | undefined;
  let syncing = false;
  let buffered: HubEvent[] = [];
  let waiters: ((s: Snapshot) => void)[] = [];
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;

  const sendOnce = async <C extends CommandName>(name: C, payload: CommandPayload<C>, timeoutMs: number): Promise<Ack<CommandReplies[C]>> => {
    try {
      const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck: (n: string, p: unknown) => Promise<Ack<CommandReplies[C]>> };
      return await timed.emitWithAck(name, payload);
    } catch {
      return {
        ok: false,
        error: { code: 'timeout', message: 'Không nhận được phản hồi từ máy chủ. Hãy kiểm tra kết nối mạng rồi thử lại.' },
      };
    }
  };
  const send = async <C extends CommandName>(name: C, payload: CommandPayload<C>, options: SendOptions = {}) => {
    const timeoutMs = options.timeoutMs ?? ackTimeoutMs;
    const retries = typeof payload === 'object' && payload !== null && 'requestId' in payload ? (options.retries ?? 2) : 0;
    let reply = await sendOnce(name, payload, timeoutMs);
    for (let i = 0; i < retries && !reply.ok && reply.error.code === 'timeout'; i++) reply = await sendOnce(name, payload, timeoutMs);
    return reply;
  };

  const resync = async (): Promise<void> => {
    if (syncing) return;
    syncing = true;
    try {
      for (;;) {
        const reply = await send('sync', { lastSeq: state?.seq ?? 0, ...(state ? { hubId: state.hubId } : {}) });
        if (!reply.ok) {
          if (!socket.connected) return;
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        if (reply.data.mode === 'snapshot') {
          state = reply.data.snapshot;
          options.onState?.(state, undefined);
        } else {
          for (const e of reply.data.events) apply(e, true);
        }
        const pending = buffered;
        buffered = [];
        let gap = false;
        for (const e of pending) gap = apply(e, false) === 'gap' || gap;
        if (!gap) break;
      }
    } finally {
      syncing = false;
    }
    if (state && socket.connected) {
      options.onOnline?.(true);
      const ready = waiters;
      waiters = [];
      for (const w of ready) w(state);
    }
  };

  const apply = (event: HubEvent, replayed: boolean): 'applied' | 'stale' | 'gap' => {
    if (!state) return 'gap';
    const result = applyEvent(state, event);
    if (result.kind === 'applied') {
      state = result.state;
      options.onState?.(state, event);
      options.onEvent?.(event, replayed);
    }
    return result.kind;
  };

  for (const type of HUB_EVENT_TYPES) {
    (socket.on as (n: string, h: (e: HubEvent) => void) => void)(type, (event) => {
      if (syncing || !state) {
        buffered.push(event);
        return;
      }
      if (apply(event, false) === 'gap') {
        buffered.push(event);
        void resync();
      }
    });
  }
  socket.on('connect', () => void resync());
  socket.on('disconnect', () => options.onOnline?.(false));
  socket.on('connect_error', () => options.onOnline?.(false));
  if (options.onHubError) socket.on('hub:error', options.onHubError);

  return {
    socket,
    state: () => state,
    send,
    online: () => socket.connected && state !== undefined && !syncing,
    synced: () =>
      new Promise<Snapshot>((resolve) => {
        if (state && !syncing && socket.connected) resolve(state);
        else waiters.push(resolve);
      }),
    setSession: (token) => {
      session = token;
    },
    close: () => {
      socket.close();
    },
  };
}
