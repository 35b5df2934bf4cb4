import { connect, type Socket } from 'node:net';

/** A byte pipe to a printer: send bytes, then wait for `replyBytes` bytes that answer them. */
export interface Transport {
  /** "tcp://192.168.1.50:9100", for messages and logs. */
  readonly description: string;
  /** False when nothing comes back (a printer-class device file): no status, a job is out once written. */
  readonly answers?: boolean;
  /**
   * Sends `bytes` and resolves with the first `replyBytes` bytes the printer sends back after
   * all of them were written.
   * @throws TransportError when the printer cannot be reached, drops the connection, or is silent past the timeout.
   */
  exchange(bytes: Uint8Array, replyBytes: number, timeoutMs: number): Promise<Uint8Array>;
}

export type TransportFailure = 'unreachable' | 'dropped' | 'timeout';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TcpOptions {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
}

/**
 * Raw TCP to a network printer (port 9100, "JetDirect"). One connection per exchange: printers
 * serve one client at a time, and a short-lived connection never goes stale between tickets.
 */
export function tcpTransport(opts: TcpOptions): Transport {
  const port = opts.port ?? 9100;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  const description = `tcp://${opts.host}:${port}`;
  return {
    description,
    exchange: (bytes, replyBytes, timeoutMs) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const socket: Socket = connect({ host: opts.host, port });
        socket.setNoDelay(true);
        const chunks: Buffer[] = [];
        let received = 0;
        let connected = false;
        let written = false;
        let done = false;
        const finish = (error: TransportError | undefined) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          socket.removeAllListeners('data');
          if (error) {
            socket.destroy();
            reject(error);
            return;
          }
          // The answer to the last question is the last bytes received.
          const all = Buffer.concat(chunks);
          const reply = new Uint8Array(all.subarray(all.length - replyBytes));
          // Wait (briefly) for the printer to close its side too: many take one client at a
          // time, and the next job must not find this connection still open.
          const closed = setTimeout(() => socket.destroy(), 300);
          socket.once('close', () => {
            clearTimeout(closed);
            resolve(reply);
          });
          socket.end();
        };
        const silent = () => new TransportError('timeout', `Máy in ${description} không trả lời sau ${timeoutMs} ms.`);
        let timer = setTimeout(
          () => finish(new TransportError('unreachable', `Không kết nối được máy in ${description} (quá ${connectTimeoutMs} ms).`)),
          connectTimeoutMs,
        );
        const maybeDone = () => {
          if (written && received >= replyBytes) finish(undefined);
        };
        socket.once('connect', () => {
          connected = true;
          clearTimeout(timer);
          timer = setTimeout(() => finish(silent()), timeoutMs);
          socket.write(bytes, () => {
            written = true;
            maybeDone();
          });
        });
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          maybeDone();
        });
        socket.once('error', (error: NodeJS.ErrnoException) => {
          const why = error.code ?? error.message;
          finish(
            connected
              ? new TransportError('dropped', `Máy in ${description} ngắt kết nối giữa chừng (${why}).`)
              : new TransportError('unreachable', `Không kết nối được máy in ${description} (${why}).`),
          );
        });
        socket.once('close', () => finish(new TransportError('dropped', `Máy in ${description} đóng kết nối trước khi nhận xong phiếu.`)));
      }),
  };
}
