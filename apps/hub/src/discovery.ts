import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { PROTOCOL_VERSION } from '@xephang/protocol';

/**
 * LAN discovery: a device being set up broadcasts a small JSON probe to this UDP port and every
 * hub that hears it answers the sender, unicast, with where its screens are. The desktop shell
 * (apps/desktop/src/discovery.ts) speaks the other side; its tests run against this hub.
 */
export const DISCOVERY_PORT = 41234;
/** The datagram format, separate from PROTOCOL_VERSION: a newer shell can still find an older hub. */
export const DISCOVERY_VERSION = 1;
/** A probe is tiny; anything bigger is not ours and is dropped unread. */
const MAX_PROBE_BYTES = 512;
/** Answers per second, all senders together: a hub must not become a UDP amplifier on the LAN. */
const MAX_REPLIES_PER_SECOND = 50;

/** What a device sends: `{"xephang":"probe","v":1}`. */
export interface DiscoveryProbe {
  xephang: 'probe';
  v: number;
}

/** What the hub answers. */
export interface DiscoveryReply {
  xephang: 'hub';
  v: typeof DISCOVERY_VERSION;
  protocolVersion: number;
  hubId: string;
  name: string;
  /** The hub's HTTP port; the address is the one the reply came from. */
  port: number;
}

/** Whether a datagram is a probe: exactly the two keys, nothing else (the hub has no zod of its own). */
export function isProbe(value: unknown): value is DiscoveryProbe {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value).sort();
  const v = (value as Record<string, unknown>).v;
  return keys.length === 2 && keys[0] === 'v' && keys[1] === 'xephang' && (value as Record<string, unknown>).xephang === 'probe' && Number.isInteger(v) && (v as number) >= 1;
}

export interface DiscoveryOptions {
  /** UDP port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Address to bind: 0.0.0.0 hears broadcasts; a hub bound to one address listens on it only. */
  host: string;
  /** What to answer with, read at each probe (the center's name can change). */
  info: () => { hubId: string; name: string; httpPort: number };
  log: (line: string) => void;
}

export interface Discovery {
  /** The bound UDP port, or undefined when discovery could not start (the hub runs anyway). */
  port: number | undefined;
  stop: () => Promise<void>;
}

/**
 * Answers discovery probes. Never throws and never takes the hub down: a port already in use
 * or a socket error is logged, and devices fall back to typing the hub's address.
 */
export async function startDiscovery(options: DiscoveryOptions): Promise<Discovery> {
  let socket: Socket | undefined = createSocket({ type: 'udp4', reuseAddr: false });
  let windowStart = 0;
  let repliesInWindow = 0;

  const answer = (msg: Buffer, from: RemoteInfo) => {
    try {
      if (msg.length > MAX_PROBE_BYTES) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(msg.toString('utf8'));
      } catch {
        return;
      }
      if (!isProbe(parsed)) return;
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        repliesInWindow = 0;
      }
      if (++repliesInWindow > MAX_REPLIES_PER_SECOND) return;
      const info = options.info();
      const reply: DiscoveryReply = {
        xephang: 'hub',
        v: DISCOVERY_VERSION,
        protocolVersion: PROTOCOL_VERSION,
        hubId: info.hubId.slice(0, 64),
        name: info.name.slice(0, 200),
        port: info.httpPort,
      };
      socket?.send(JSON.stringify(reply), from.port, from.address, (error) => {
        if (error) options.log(`tìm máy chủ: không trả lời được ${from.address}:${from.port} (${error.message})`);
      });
    } catch (error) {
      options.log(`tìm máy chủ: lỗi khi trả lời ${from.address}: ${String(error)}`);
    }
  };

  const bound = await new Promise<boolean>((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      options.log(
        `Không mở được cổng UDP ${options.port} để các thiết bị tự tìm máy chủ (${error.code ?? error.message}). ` +
          'Máy chủ vẫn chạy; trên thiết bị hãy nhập địa chỉ máy chủ bằng tay.',
      );
      resolve(false);
    };
    socket!.once('error', onError);
    socket!.bind(options.port, options.host, () => {
      socket!.off('error', onError);
      resolve(true);
    });
  });
  if (!bound) {
    socket.close();
    socket = undefined;
    return { port: undefined, stop: async () => undefined };
  }

  socket.on('message', answer);
  socket.on('error', (error) => {
    // A socket error after binding (an interface going away) ends discovery, not the hub.
    options.log(`tìm máy chủ: lỗi cổng UDP, tắt chức năng tự tìm (${error.message})`);
    const s = socket;
    socket = undefined;
    s?.close();
  });
  const port = socket.address().port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const s = socket;
        socket = undefined;
        if (!s) return resolve();
        s.close(() => resolve());
      }),
  };
}
