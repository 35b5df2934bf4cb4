import { blankBitmap, stackBitmaps, type Bitmap } from '../bitmap';
import { drawQr, qrModules, type QrErrorLevel } from '../qr';

/** One ticket as the fake printer saw it: everything between two cuts. */
export interface DecodedTicket {
  /** The rasters and QR symbols stacked as they would come out (line feeds not drawn). */
  image: Bitmap;
  rasters: { width: number; height: number }[];
  /** Contents of the QR symbols printed with `GS ( k`. */
  qr: string[];
  /** Text bytes outside any command, as latin1 (a raster ticket has none). */
  text: string;
  lineFeeds: number;
  cut: 'full' | 'partial';
}

type Element = { kind: 'raster'; bitmap: Bitmap } | { kind: 'qr'; content: string; moduleSize: number; align: number };

/** What the decoder wants done when it meets a real-time status request. */
export type StatusAnswer = (n: number) => number | undefined;

/**
 * A streaming ESC/POS parser for the commands a raster ticket uses (and the common ones it
 * does not), kept to the printer's side: bytes in, tickets at each cut, status answers out.
 * Unknown commands are recorded, not guessed at.
 */
export class EscPosDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private page: Element[] = [];
  private text = '';
  private lineFeeds = 0;
  private align = 0;
  private qrData = '';
  private qrSize = 3;
  private qrLevel: QrErrorLevel = 'l';
  readonly unknown: string[] = [];

  constructor(
    private readonly paperDots: number,
    private readonly answer: StatusAnswer,
    private readonly onTicket: (t: DecodedTicket) => void,
  ) {}

  /** Consumes bytes; returns the status bytes to send back. */
  push(chunk: Buffer): number[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const replies: number[] = [];
    let i = 0;
    for (;;) {
      const used = this.command(this.pending, i, replies);
      if (used === 0) break;
      i += used;
    }
    this.pending = this.pending.subarray(i);
    return replies;
  }

  /** Bytes received but not yet a whole command. */
  get incomplete(): number {
    return this.pending.length;
  }

  /** Parses one command at `i`; returns its length, or 0 when it is not complete yet. */
  private command(b: Buffer, i: number, replies: number[]): number {
    const left = b.length - i;
    if (left <= 0) return 0;
    const c = b[i]!;
    const need = (n: number) => (left >= n ? n : 0);
    if (c === 0x10) {
      if (left < 3) return 0;
      if (b[i + 1] === 0x04) {
        const reply = this.answer(b[i + 2]!);
        if (reply !== undefined) replies.push(reply);
        return 3;
      }
      this.unknown.push(`DLE ${b[i + 1]}`);
      return 3;
    }
    if (c === 0x0a) {
      this.lineFeeds++;
      this.text += '\n';
      return 1;
    }
    if (c === 0x0d || c === 0x09) return 1;
    if (c === 0x1b) {
      if (left < 2) return 0;
      const op = b[i + 1]!;
      if (op === 0x40) {
        this.align = 0;
        return 2;
      }
      if (op === 0x32 || op === 0x69 || op === 0x6d) return 2;
      if (op === 0x61) {
        if (!need(3)) return 0;
        this.align = b[i + 2]! % 48;
        return 3;
      }
      if (op === 0x64) {
        if (!need(3)) return 0;
        this.lineFeeds += b[i + 2]!;
        return 3;
      }
      if ([0x21, 0x45, 0x2d, 0x4d, 0x74, 0x4a, 0x33, 0x47, 0x52, 0x56, 0x7b, 0x72, 0x20, 0x55].includes(op)) return need(3);
      if (op === 0x70) return need(5);
      this.unknown.push(`ESC 0x${op.toString(16)}`);
      return 2;
    }
    if (c === 0x1c) {
      if (left < 2) return 0;
      if (b[i + 1] === 0x2e || b[i + 1] === 0x26) return 2;
      this.unknown.push(`FS 0x${b[i + 1]!.toString(16)}`);
      return 2;
    }
    if (c === 0x1d) {
      if (left < 2) return 0;
      const op = b[i + 1]!;
      if (op === 0x76) {
        if (left < 8) return 0;
        const xBytes = b[i + 4]! + b[i + 5]! * 256;
        const rows = b[i + 6]! + b[i + 7]! * 256;
        const size = 8 + xBytes * rows;
        if (left < size) return 0;
        this.raster(b.subarray(i + 8, i + size), xBytes, rows);
        return size;
      }
      if (op === 0x56) {
        if (left < 3) return 0;
        const m = b[i + 2]!;
        const withFeed = [65, 66, 97, 98, 103, 104].includes(m);
        if (withFeed && left < 4) return 0;
        this.cut(m % 2 === 0 ? 'full' : 'partial');
        return withFeed ? 4 : 3;
      }
      if (op === 0x28) {
        if (left < 5) return 0;
        const len = b[i + 3]! + b[i + 4]! * 256;
        if (left < 5 + len) return 0;
        if (b[i + 2] === 0x6b) this.symbol(b.subarray(i + 5, i + 5 + len));
        return 5 + len;
      }
      if ([0x21, 0x42, 0x48, 0x68, 0x77, 0x66, 0x61, 0x49, 0x72].includes(op)) return need(3);
      if ([0x4c, 0x57, 0x50].includes(op)) return need(4);
      this.unknown.push(`GS 0x${op.toString(16)}`);
      return 2;
    }
    this.text += String.fromCharCode(c);
    return 1;
  }

  private raster(data: Buffer, xBytes: number, rows: number): void {
    const width = xBytes * 8;
    const bitmap = blankBitmap(width, rows);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < width; x++) {
        bitmap.data[y * width + x] = (data[y * xBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
      }
    }
    this.page.push({ kind: 'raster', bitmap });
  }

  /** GS ( k with cn = 49: Epson's QR code functions. */
  private symbol(p: Buffer): void {
    const [cn, fn] = [p[0], p[1]];
    if (cn !== 0x31) {
      this.unknown.push(`GS ( k cn=${cn}`);
      return;
    }
    if (fn === 0x43) this.qrSize = p[2]!;
    else if (fn === 0x45) this.qrLevel = (['l', 'm', 'q', 'h'] as const)[p[2]! - 0x30] ?? 'l';
    else if (fn === 0x50) this.qrData = p.subarray(3).toString('latin1');
    else if (fn === 0x51) this.page.push({ kind: 'qr', content: this.qrData, moduleSize: this.qrSize, align: this.align });
  }

  private cut(kind: 'full' | 'partial'): void {
    const parts: Bitmap[] = [];
    const qr: string[] = [];
    for (const e of this.page) {
      if (e.kind === 'raster') {
        parts.push(widen(e.bitmap, this.paperDots));
      } else {
        qr.push(e.content);
        const modules = qrModules(e.content, this.qrLevel);
        const side = modules.length * e.moduleSize;
        const block = blankBitmap(this.paperDots, side);
        const x = e.align === 1 ? Math.floor((this.paperDots - side) / 2) : e.align === 2 ? this.paperDots - side : 0;
        drawQr(block, modules, x, 0, e.moduleSize);
        parts.push(block);
      }
    }
    this.onTicket({
      image: parts.length ? stackBitmaps(parts) : blankBitmap(this.paperDots, 0),
      rasters: this.page.flatMap((e) => (e.kind === 'raster' ? [{ width: e.bitmap.width, height: e.bitmap.height }] : [])),
      qr,
      text: this.text,
      lineFeeds: this.lineFeeds,
      cut: kind,
    });
    this.page = [];
    this.text = '';
    this.lineFeeds = 0;
  }
}

/** A raster narrower than the paper prints at the left edge (GS v 0 with justification left). */
function widen(b: Bitmap, width: number): Bitmap {
  if (b.width === width) return b;
  const out = blankBitmap(width, b.height);
  const w = Math.min(width, b.width);
  for (let y = 0; y < b.height; y++) out.data.set(b.data.subarray(y * b.width, y * b.width + w), y * width);
  return out;
}
