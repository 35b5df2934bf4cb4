import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { inProcessRenderer, type Renderer, type RenderResult } from './renderer';

type Reply = { id: number; bytes: Uint8Array; renderMs: number } | { id: number; error: string };

/**
 * A renderer on its own thread: drawing a ticket takes tens of milliseconds of CPU, which a
 * hub serving displays and clerks should not spend on its event loop. Falls back to drawing
 * in-process when the compiled worker is not there (running from TypeScript sources).
 */
export function workerRenderer(): { render: Renderer; close: () => Promise<void> } {
  const file = join(__dirname, 'render-worker.js');
  if (!existsSync(file)) return { render: inProcessRenderer, close: async () => undefined };
  let worker: Worker | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: RenderResult) => void; reject: (e: Error) => void }>();

  const start = (): Worker => {
    // Tickets are drawn with the font registered from assets (fonts.ts) only: the canvas would
    // otherwise scan and load every font of the system at start (about 30 MB with Noto's).
    const w = new Worker(file, { env: { ...process.env, DISABLE_SYSTEM_FONTS_LOAD: '1' } });
    w.unref();
    w.on('message', (reply: Reply) => {
      const job = waiting.get(reply.id);
      if (!job) return;
      waiting.delete(reply.id);
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve({ bytes: reply.bytes, renderMs: reply.renderMs });
    });
    // A crashed worker fails its jobs; the next job starts a new one.
    const fail = (error: Error) => {
      if (worker === w) worker = undefined;
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`luồng vẽ phiếu dừng (mã ${code})`)));
    return w;
  };

  return {
    render: (job) =>
      new Promise<RenderResult>((resolve, reject) => {
        worker ??= start();
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, job });
      }),
    close: async () => {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
