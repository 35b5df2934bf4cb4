import { connectHub, type HubClient, type HubClientOptions } from '@xephang/client';
import type { HubError, HubEvent, ScreenRoute, Snapshot } from '@xephang/protocol';

export type HubAuth = HubClientOptions['auth'];

/** The waiting-room TV's handshake: it only reads. */
export const TV_AUTH: HubAuth = { role: 'display' };

/** The handshake of the display above one counter. */
export function counterDisplayAuth(counterId: number): HubAuth {
  return { role: 'display', counterId };
}

/** What a connection reports, to the screen that holds it. */
export interface HubSink {
  onState: (state: Snapshot, event: HubEvent | undefined) => void;
  onEvent: (event: HubEvent, replayed: boolean) => void;
  onOnline: (online: boolean) => void;
  onRefused: (message: string | undefined) => void;
}

/** One connection to the hub, and what it reported while no screen held it yet. */
export interface HubConnection {
  key: string;
  client: HubClient;
  state: Snapshot | undefined;
  lastEvent: HubEvent | undefined;
  online: boolean;
  refused: string | undefined;
  /** Broadcasts applied before a screen took the connection, for its `onEvent`. */
  missed: [HubEvent, boolean][];
  /** The screen that holds it; until one does, reports are only kept. */
  sink: HubSink | undefined;
}

/**
 * A paired device's token: the desktop shell opens the screen as `/kiosk#token=…` (a fragment
 * never leaves the machine); a browser on the hub's own machine needs none.
 */
export function deviceToken(): string | undefined {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? undefined;
}

/** Which connection a screen asks for: the same handshake and token are the same connection. */
export function connectionKey(auth: HubAuth, token: string | undefined): string {
  return JSON.stringify([auth, token ?? null]);
}

/** Connects to the hub that served the page and keeps what it reports until a screen takes it. */
export function openConnection(auth: HubAuth, token: string | undefined): HubConnection {
  const conn: HubConnection = {
    key: connectionKey(auth, token),
    client: undefined as unknown as HubClient,
    state: undefined,
    lastEvent: undefined,
    online: false,
    refused: undefined,
    missed: [],
    sink: undefined,
  };
  conn.client = connectHub({
    url: window.location.origin,
    auth: { ...auth, ...(token ? { token } : {}) },
    onState: (s, e) => {
      conn.state = s;
      if (e) conn.lastEvent = e;
      conn.sink?.onState(s, e);
    },
    onEvent: (e, replayed) => {
      if (conn.sink) conn.sink.onEvent(e, replayed);
      else conn.missed.push([e, replayed]);
    },
    onOnline: (up) => {
      conn.online = up;
      if (up) conn.refused = undefined;
      conn.sink?.onOnline(up);
    },
  });
  conn.client.socket.on('connect_error', (err: Error & { data?: HubError }) => {
    // A refusal by the hub (not a network failure) carries the hub's own message.
    if (!err.data?.message) return;
    conn.refused = err.data.message;
    conn.sink?.onRefused(conn.refused);
  });
  return conn;
}

let early: HubConnection | undefined;

/** The handshake a screen's address alone decides (the two displays), if it does. */
export function addressAuth(route: ScreenRoute): HubAuth | undefined {
  if (route.screen === 'display') return TV_AUTH;
  if (route.screen === 'counter-display') return counterDisplayAuth(route.counterId);
  return undefined;
}

/**
 * Opens a display's connection as the page's script starts, before React and the screen are
 * evaluated: on a TV's slow CPU the handshake and the snapshot then travel while the script
 * runs, instead of after the first render's effects (which also start the TV's audio).
 */
export function connectEarly(auth: HubAuth): void {
  early = openConnection(auth, deviceToken());
}

/**
 * Resolves once the connection opened early has the hub's state, was refused, or after
 * `timeoutMs`; at once when none was opened. The display's first render then draws the call
 * that stands instead of an empty frame followed, a long CPU-bound moment later, by the call.
 */
export function earlyState(timeoutMs: number): Promise<void> {
  const conn = early;
  if (!conn) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(finish, timeoutMs);
    function finish() {
      clearTimeout(timer);
      conn!.client.socket.off('connect_error', refused);
      done();
    }
    function refused(err: Error & { data?: HubError }) {
      if (err.data?.message) finish();
    }
    conn.client.socket.on('connect_error', refused);
    void conn.client.synced().then(finish);
  });
}

/** The connection opened early for this key, still held by nobody (to read what it has). */
export function peekEarly(key: string): HubConnection | undefined {
  return early?.key === key ? early : undefined;
}

/**
 * Hands the connection opened early to the screen that asks for it, once; one opened for
 * another handshake is closed rather than left connected beside the screen's own.
 */
export function takeEarly(key: string): HubConnection | undefined {
  const conn = early;
  early = undefined;
  if (conn && conn.key !== key) {
    conn.client.close();
    return undefined;
  }
  return conn;
}
