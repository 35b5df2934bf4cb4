import type { PaperWidth, TicketData } from './layout';

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

type RenderJobModule = typeof import('./render-job');
let renderJobModule: RenderJobModule | undefined;

/**
 * Renders on the calling thread (tests, scripts, the desktop's build). The drawing code, and with
 * it the canvas and the font (tens of MB), loads at the first ticket: a process that only hands
 * tickets to a worker (the hub) or sends jobs drawn elsewhere never pays for it.
 */
export const inProcessRenderer: Renderer = async (job) => {
  renderJobModule ??= require('./render-job') as RenderJobModule;
  return renderJobModule.runRenderJob(job);
};
