import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { encodeReply, parseProbe, type DiscoveryHubInfo } from '@xephang/protocol';

// The hub's side of LAN discovery: a UDP socket that answers probes. What a probe and an answer
// are is written once in @xephang/protocol (discovery.ts), which the desktop shell reads too.

/** Answers per second, all senders together: a hub must not become a UDP amplifier on the LAN. */
const MAX_REPLIES_PER_SECOND = 50;

export interface DiscoveryOptions {
  /** UDP port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Address to bind: 0.0.0.0 hears broadcasts; a hub bound to one address listens on it only. */
  host: string;
  /** What to answer with, read at each probe (the center's name can change). */
  info: () => DiscoveryHubInfo;
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
      if (!parseProbe(msg)) return;
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        repliesInWindow = 0;
      }
      if (++repliesInWindow > MAX_REPLIES_PER_SECOND) return;
      const reply = encodeReply(options.info());
      socket?.send(reply, from.port, from.address, (error) => {
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
