import { createCanvas } from '@napi-rs/canvas';
import { crc32, deflateSync } from 'node:zlib';
import { sliceRows, thresholdRgba, type Bitmap } from './bitmap';
import { fontCss, layoutTicket, type PaperWidth, type QrBlock, type TicketData, type TicketLayout } from './layout';
import { drawQr, qrModules } from './qr';

/** A ticket drawn as 1-bit dots. */
export interface RenderedTicket {
  layout: TicketLayout;
  /** The whole ticket; the QR symbol drawn in only when `qrInRaster` was asked for. */
  bitmap: Bitmap;
  qr: QrBlock | undefined;
}

/**
 * Draws a laid-out ticket with the canvas (antialiased text), then thresholds it to 1 bit.
 * With `qrInRaster` the QR symbol is drawn into the dots (the preview, and printers without
 * Epson's QR command); otherwise its place is left white for the printer to fill.
 */
export function renderLayout(layout: TicketLayout, opts: { qrInRaster?: boolean } = {}): RenderedTicket {
  const canvas = createCanvas(layout.width, layout.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  let qr: QrBlock | undefined;
  for (const block of layout.blocks) {
    if (block.kind === 'rule') {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, block.top, layout.width, block.bottom - block.top);
    } else if (block.kind === 'qr') {
      qr = block;
    } else {
      if (block.inverted) {
        ctx.fillStyle = '#000';
        ctx.fillRect(0, block.top, layout.width, block.bottom - block.top);
      }
      ctx.fillStyle = block.inverted ? '#fff' : '#000';
      ctx.font = fontCss(block.size, block.weight);
      for (const line of block.lines) ctx.fillText(line.text, line.x, line.baseline);
    }
  }
  const pixels = ctx.getImageData(0, 0, layout.width, layout.height);
  const bitmap = thresholdRgba(pixels.data, layout.width, layout.height);
  if (qr && opts.qrInRaster) drawQr(bitmap, qrModules(qr.content), qr.x, qr.top, qr.moduleSize);
  return { layout, bitmap, qr };
}

/** Lays out and renders a ticket for the paper width. */
export function renderTicket(ticket: TicketData, paperWidth: PaperWidth = 80, opts: { qrInRaster?: boolean } = {}): RenderedTicket {
  return renderLayout(layoutTicket(ticket, paperWidth), opts);
}

/** The rasters around the QR symbol: above it and below it (the whole ticket when there is none). */
export function rasterParts(r: RenderedTicket): { above: Bitmap; below: Bitmap | undefined } {
  if (!r.qr) return { above: r.bitmap, below: undefined };
  return { above: sliceRows(r.bitmap, 0, r.qr.top), below: sliceRows(r.bitmap, r.qr.bottom, r.bitmap.height) };
}

/**
 * A bitmap as a 1-bit greyscale PNG (black dots black): what the printer prints, dot for dot,
 * in a few kilobytes. Written by hand because it takes a millisecond where the canvas's
 * RGBA encoder takes tens of them.
 */
export function bitmapToPng(bitmap: Bitmap): Buffer {
  const rowBytes = Math.ceil(bitmap.width / 8);
  const raw = Buffer.alloc((rowBytes + 1) * bitmap.height);
  const { data, width } = bitmap;
  for (let y = 0; y < bitmap.height; y++) {
    const row = y * (rowBytes + 1) + 1; // after the filter byte (0: none)
    const start = y * width;
    for (let bx = 0; bx < rowBytes; bx++) {
      // In greyscale 0 is black: a white dot (or padding) is a set bit.
      let byte = 0;
      for (let b = 0, x = bx * 8; b < 8; b++, x++) byte = (byte << 1) | (x >= width || !data[start + x] ? 1 : 0);
      raw[row + bx] = byte;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(bitmap.width, 0);
  ihdr.writeUInt32BE(bitmap.height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
