import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { isatty, ReadStream } from 'node:tty';
import { PNG } from 'pngjs';
import type { Bitmap } from '../bitmap';
import { EscPosDecoder, type DecodedTicket } from './escpos-decoder';

/** What the fake printer reports to DLE EOT. */
export interface FakePrinterState {
  paperOut: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  offline: boolean;
  /** Ignore status requests entirely, like a printer that does not implement them. */
  silent: boolean;
}

export interface FakeTicket extends DecodedTicket {
  /** `performance.now()` when the cut arrived: the last byte of the ticket. */
  receivedAt: number;
  /** Bytes of the connection the ticket came on, up to its cut. */
  bytes: number;
}

/**
 * An ESC/POS printer on 127.0.0.1 for tests: it decodes what it receives (GS v 0 rasters into
 * images, QR commands into their content, cuts into tickets), answers DLE EOT from its state,
 * and can be told to drop the connection in the middle of the next job. Besides TCP it serves
 * one end of a serial line (`servePath`).
 */
export class FakePrinter {
  readonly tickets: FakeTicket[] = [];
  readonly unknownCommands: string[] = [];
  state: FakePrinterState = { paperOut: false, coverOpen: false, paperNearEnd: false, offline: false, silent: false };
  /** Connections accepted so far (status questions and jobs each open one). */
  connections = 0;
  statusRequests = 0;
  /** The most connections open at once: 1 when the client serialises its jobs. */
  maxConcurrent = 0;
  /** Jobs cut short by `dropNextJob` so far. */
  drops = 0;
  private server: Server | undefined;
  private dropAfter: number | undefined;
  private open = 0;
  private readonly sockets = new Set<Socket>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly paperDots = 576) {}

  /** Starts listening on 127.0.0.1 at a free port; resolves with the port. */
  async start(): Promise<number> {
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.port;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** Changes what the next status requests report. */
  set(state: Partial<FakePrinterState>): void {
    this.state = { ...this.state, ...state };
  }

  /** The next connection that carries a raster is closed after `afterBytes` bytes of it. */
  dropNextJob(afterBytes = 4096): void {
    this.dropAfter = afterBytes;
  }

  /** Resolves once `count` tickets were cut in total. */
  waitForTickets(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.tickets.length >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake printer: ${this.tickets.length} of ${count} tickets after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The answer to DLE EOT n, or nothing when silent. */
  private status(n: number): number | undefined {
    this.statusRequests++;
    const s = this.state;
    if (s.silent) return undefined;
    const offline = s.offline || s.coverOpen || s.paperOut;
    switch (n) {
      case 1:
        return 0x12 | (offline ? 0x08 : 0);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0);
      case 4:
        return 0x12 | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
      default:
        return 0x12;
    }
  }

  /**
   * Serves one end of a serial line or a device file instead of a TCP connection: a
   * pseudo-terminal's side (replies go back on it) or a FIFO standing for a write-only
   * printer-class device file (nothing goes back). Resolves with a function that stops serving.
   */
  async servePath(path: string): Promise<() => Promise<void>> {
    // Read and write, so that opening a FIFO does not wait for a writer, and a tty can answer.
    const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    const tty = isatty(fd);
    // libuv's own handles, not fs streams: a read left pending on a silent line would hold a
    // thread of the pool (and the test's exit) until the next byte.
    const stream: Duplex = tty ? new ReadStream(fd) : new Socket({ fd, readable: true, writable: false });
    if (tty) {
      (stream as ReadStream).setRawMode(true);
      // libuv reads a tty through a descriptor of its own and leaves this one open: close it
      // with the stream, or the line stays held (socat would not see the printer go).
      stream.once('close', () => closeSync(fd));
    }
    // A line whose far side is gone (socat stopped) cannot take the answer: the printer is off.
    const answer = (reply: Buffer) => {
      try {
        writeSync(fd, reply);
      } catch {
        stream.destroy();
      }
    };
    this.serve(stream, tty ? answer : undefined);
    return async () => {
      if (stream.closed) return;
      await new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.destroy();
      });
    };
  }

  private accept(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    this.open++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.open);
    let counted = true;
    const closed = () => {
      if (counted) this.open--;
      counted = false;
    };
    // The client is done once it sent its FIN.
    socket.once('end', closed);
    socket.once('close', () => {
      closed();
      this.sockets.delete(socket);
    });
    this.serve(socket, (reply) => socket.write(reply));
  }

  /** Decodes what comes in on `input`, answering status requests through `reply` when the line has a way back. */
  private serve(input: Duplex, reply: ((bytes: Buffer) => void) | undefined): void {
    input.on('error', () => undefined);
    let bytes = 0;
    let dropAt: number | undefined;
    const decoder = new EscPosDecoder(
      this.paperDots,
      (n) => (reply ? this.status(n) : undefined),
      (t) => {
        this.tickets.push({ ...t, receivedAt: performance.now(), bytes });
        for (const w of this.waiters.splice(0)) {
          if (this.tickets.length >= w.count) w.resolve();
          else this.waiters.push(w);
        }
      },
    );
    input.on('data', (chunk: Buffer) => {
      if (dropAt === undefined && this.dropAfter !== undefined && chunk.includes(Buffer.from([0x1d, 0x76, 0x30]))) {
        dropAt = bytes + this.dropAfter;
        this.dropAfter = undefined;
      }
      if (dropAt !== undefined && bytes + chunk.length >= dropAt) {
        // The job is lost with the connection: decode nothing more, like a printer reset.
        bytes += chunk.length;
        this.drops++;
        input.destroy();
        return;
      }
      bytes += chunk.length;
      const replies = decoder.push(chunk);
      for (const u of decoder.unknown.splice(0)) this.unknownCommands.push(u);
      if (replies.length && reply) reply(Buffer.from(replies));
    });
  }
}

/** A bitmap as PNG bytes (black dots black). */
export function bitmapToPngSync(bitmap: Bitmap): Buffer {
  const png = new PNG({ width: bitmap.width, height: bitmap.height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  for (let i = 0; i < bitmap.data.length; i++) png.data[i] = bitmap.data[i] ? 0 : 255;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Reads a PNG (any colour type) into a 1-bit bitmap, dark pixels black. */
export function pngToBitmap(png: Buffer): Bitmap {
  const decoded = PNG.sync.read(png);
  const data = new Uint8Array(decoded.width * decoded.height);
  for (let i = 0; i < data.length; i++) data[i] = decoded.data[i * 4]! < 128 ? 1 : 0;
  return { width: decoded.width, height: decoded.height, data };
}

/** The share of dots that differ between two bitmaps of one size (1 when the sizes differ). */
export function pixelDiff(a: Bitmap, b: Bitmap): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let diff = 0;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) diff++;
  return diff / a.data.length;
}
