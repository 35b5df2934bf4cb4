import { performance } from 'node:perf_hooks';
import { encodeTicket } from './escpos';
import type { PaperWidth, TicketData } from './layout';
import { bitmapToPng, renderTicket } from './render';

/** One ticket to draw: as ESC/POS bytes for a printer, or as a PNG for the preview. */
export interface RenderJob {
  ticket: TicketData;
  paperWidth: PaperWidth;
  output: 'escpos' | 'png';
  /** ESC/POS only: the QR symbol in the raster rather than Epson's command. */
  qrInRaster?: boolean;
}

export interface RenderResult {
  bytes: Uint8Array;
  renderMs: number;
}

/** Draws (and encodes) a ticket; the CPU-heavy part of printing. */
export type Renderer = (job: RenderJob) => Promise<RenderResult>;

/** Lays out, renders and encodes one ticket, here and now. */
export function runRenderJob(job: RenderJob): RenderResult {
  const t0 = performance.now();
  const png = job.output === 'png';
  const rendered = renderTicket(job.ticket, job.paperWidth, { qrInRaster: png || (job.qrInRaster ?? false) });
  const bytes = png ? new Uint8Array(bitmapToPng(rendered.bitmap)) : encodeTicket(rendered, { qrInRaster: job.qrInRaster ?? false });
  return { bytes, renderMs: performance.now() - t0 };
}

/** Renders on the calling thread (tests, scripts, the desktop shell). */
export const inProcessRenderer: Renderer = async (job) => runRenderJob(job);
