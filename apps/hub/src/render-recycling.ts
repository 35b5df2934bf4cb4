import type { RenderJob, Renderer } from '@xephang/printer/printers';

/** A drawing thread as the recycling needs it (`workerRenderer()` of @xephang/printer). */
export interface DrawingThread {
  render: Renderer;
  close: () => Promise<void>;
}

export interface RecyclingOptions {
  /** Starts a fresh drawing thread (cold: its first ticket loads the canvas and the font). */
  start: () => DrawingThread;
  /** Drawn off the clock to warm a thread at start, `warmDraws` times; a recycled thread warms on the last ticket drawn. */
  warmJob: RenderJob;
  /**
   * Tickets drawn to warm a thread: the first loads the canvas and the font, the next ones let
   * V8 compile the layout and the ESC/POS encoding (one draw left a fresh thread's first real
   * ticket half again as slow as a warm one's).
   */
  warmDraws: number;
  /** Quiet time after which a thread that drew tickets is replaced by a fresh, warmed one. */
  idleMs: number;
  log: (line: string) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface RecyclingRenderer {
  render: Renderer;
  /** Warms the thread in use; resolves when it is warm (false when it cannot draw: the font?). Warming twice warms once. */
  warmUp: () => Promise<boolean>;
  close: () => Promise<void>;
}

/**
 * The drawing thread, kept warm and kept small. Drawing tickets (previews most: a PNG each) grows
 * the thread's heap and the canvas's caches by tens of MB, which it keeps; after a quiet time a
 * fresh thread is started and warmed, and only once it is warm does it replace the old one, so
 * a ticket never waits for a cold start (the first citizen of the day stays fast). A ticket that
 * comes while a thread warms is drawn by that same thread after its warm-up, never by a second
 * cold one; a ticket that comes while a fresh thread warms is drawn by the old, warm one.
 */
export function recyclingRenderer(options: RecyclingOptions): RecyclingRenderer {
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref());
  const clearTimer = options.clearTimer ?? ((t: unknown) => clearTimeout(t as NodeJS.Timeout));
  let current = options.start();
  let currentWarm: Promise<boolean> | undefined;
  let busy = 0;
  let timer: unknown;
  let closed = false;

  /** The last ticket drawn: a fresh thread warms on it (the same printer's output, the same fields' glyphs). */
  let lastJob: RenderJob | undefined;

  const warm = async (thread: DrawingThread): Promise<boolean> => {
    const job = lastJob ?? options.warmJob;
    try {
      for (let i = 0; i < options.warmDraws; i++) {
        // Stopped meanwhile (a refused start, the hub closing): a draw now would start the thread again.
        if (closed) return false;
        await thread.render(job);
      }
      return true;
    } catch (error) {
      if (!closed) options.log(`không vẽ được phiếu (phông chữ?): ${String(error)}`);
      return false;
    }
  };

  const schedule = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = setTimer(() => void recycle(), options.idleMs);
  };

  const recycle = async () => {
    timer = undefined;
    const fresh = options.start();
    const ok = await warm(fresh);
    // A ticket came meanwhile and is still being drawn by the old thread, or the hub is
    // stopping: keep the old one, try again after the next quiet time.
    if (!ok || closed || busy > 0) {
      await fresh.close();
      if (ok && !closed && timer === undefined && busy === 0) schedule();
      return;
    }
    const old = current;
    current = fresh;
    currentWarm = Promise.resolve(true);
    await old.close();
  };

  return {
    render: async (job) => {
      busy++;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      lastJob = job;
      try {
        return await current.render(job);
      } finally {
        busy--;
        if (busy === 0 && !closed) schedule();
      }
    },
    warmUp: () => (currentWarm ??= warm(current)),
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      await current.close();
    },
  };
}
