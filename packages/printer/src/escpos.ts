import type Encoder from '@point-of-sale/receipt-printer-encoder' with { 'resolution-mode': 'import' };
import type { PrinterState } from '@xephang/protocol';
import { bitmapToRgba, type Bitmap } from './bitmap';
import { rasterParts, type RenderedTicket } from './render';

/** DLE EOT n: real-time status requests, answered at once even while the printer is busy. */
export const DLE_EOT = { printer: [0x10, 0x04, 1], offlineCause: [0x10, 0x04, 2], errorCause: [0x10, 0x04, 3], paper: [0x10, 0x04, 4] } as const;
/** The three questions asked before a ticket: printer, offline cause, roll paper sensor. */
export const STATUS_QUERY = Uint8Array.from([...DLE_EOT.printer, ...DLE_EOT.offlineCause, ...DLE_EOT.paper]);

export interface EncodeOptions {
  /** Draw the QR symbol into the raster instead of Epson's `GS ( k` (for clones without it). */
  qrInRaster?: boolean;
  /** Lines fed before the cut, so the last printed row passes the cutter. */
  feedBeforeCut?: number;
}

// The package is an ES module with a CommonJS build (`module.exports = ReceiptPrinterEncoder`);
// this package compiles to CommonJS, so it is required, with the ES module's types.
const ReceiptPrinterEncoder = require('@point-of-sale/receipt-printer-encoder') as typeof Encoder;
type ReceiptPrinterEncoder = Encoder;

/** An encoder for raster tickets: no text, so the code page never matters. */
function encoder(widthDots: number, feedBeforeCut: number): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    imageMode: 'raster',
    columns: widthDots === 576 ? 48 : 32,
    feedBeforeCut,
    // Rasters and the QR symbol move the paper by themselves; a line feed after each would
    // add white the layout did not plan.
    feedAfterBlock: false,
    newline: '\n',
  });
}

function image(e: ReceiptPrinterEncoder, b: Bitmap): void {
  if (b.height === 0) return;
  // A plain object with RGBA data is one of the inputs the encoder takes; it is already 1-bit.
  e.image({ data: bitmapToRgba(b), width: b.width, height: b.height }, b.width, b.height, 'threshold', 128);
}

/**
 * The ESC/POS bytes of a rendered ticket: initialise, raster image (GS v 0) above the QR
 * symbol, the symbol with Epson's QR command (model 2, error level M), the raster below it,
 * a feed, one cut.
 */
export function encodeTicket(r: RenderedTicket, opts: EncodeOptions = {}): Uint8Array {
  const e = encoder(r.layout.width, opts.feedBeforeCut ?? 4);
  e.initialize();
  if (!r.qr || opts.qrInRaster) {
    image(e, r.bitmap);
  } else {
    const { above, below } = rasterParts(r);
    image(e, above);
    e.align('center');
    e.qrcode(r.qr.content, { model: 2, size: r.qr.moduleSize, errorlevel: 'm' });
    e.align('left');
    if (below) image(e, below);
  }
  e.cut('full');
  return e.encode();
}

/** What the three status bytes (answers to DLE EOT 1, 2 and 4) say. */
export interface PrinterStatusBits {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
}

/** Every DLE EOT answer has bit 1 and bit 4 set, bits 0 and 7 clear. */
export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

/**
 * Reads the answers to DLE EOT 1 (printer), 2 (offline cause) and 4 (roll paper sensor).
 * @throws Error when a byte is not a status answer (something else is listening on the port).
 */
export function decodeStatus(printer: number, offlineCause: number, paper: number): PrinterStatusBits {
  for (const b of [printer, offlineCause, paper]) {
    if (!isStatusByte(b)) throw new Error(`câu trả lời trạng thái không hợp lệ: 0x${b.toString(16).padStart(2, '0')}`);
  }
  return {
    offline: (printer & 0x08) !== 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (offlineCause & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offlineCause & 0x40) !== 0,
  };
}

/** The one state that matters most for issuing a ticket. */
export function stateOf(bits: PrinterStatusBits): PrinterState {
  if (bits.paperOut) return 'paper_out';
  if (bits.coverOpen) return 'cover_open';
  if (bits.error) return 'error';
  if (bits.offline) return 'offline';
  if (bits.paperNearEnd) return 'paper_near_end';
  return 'ok';
}
