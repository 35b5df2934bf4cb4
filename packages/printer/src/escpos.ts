import type Encoder from '@point-of-sale/receipt-printer-encoder' with { 'resolution-mode': 'import' };
import { bitmapToRgba, type Bitmap } from './bitmap';
import { rasterParts, type RenderedTicket } from './render';

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
