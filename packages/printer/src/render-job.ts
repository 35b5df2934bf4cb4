import { performance } from 'node:perf_hooks';
import { encodeTicket } from './escpos';
import { bitmapToPng, renderTicket } from './render';
import type { RenderJob, RenderResult } from './renderer';

/** Lays out, renders and encodes one ticket, here and now. */
export function runRenderJob(job: RenderJob): RenderResult {
  const t0 = performance.now();
  const png = job.output === 'png';
  const rendered = renderTicket(job.ticket, job.paperWidth, { qrInRaster: png || (job.qrInRaster ?? false) });
  const bytes = png ? new Uint8Array(bitmapToPng(rendered.bitmap)) : encodeTicket(rendered, { qrInRaster: job.qrInRaster ?? false });
  return { bytes, renderMs: performance.now() - t0 };
}
