import { describe, expect, it } from '@jest/globals';
import type { RenderJob, RenderResult } from '@xephang/printer/printers';
import { recyclingRenderer } from './render-recycling';

const WARM: RenderJob = { ticket: { centerName: 'warm', number: 1001, serviceNameVi: 'x', issuedAt: 0, peopleAhead: 0, estimatedWaitMinutes: 0 }, paperWidth: 80, output: 'escpos' };
const ticket = (number: number): RenderJob => ({ ...WARM, ticket: { ...WARM.ticket, centerName: 'real', number } });
const IDLE_MS = 60_000;

/** Drawing threads as a worker runs them: jobs in order, each finished by hand; a fake clock for the quiet time. */
function rig(warmDraws = 3) {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const threads: { id: number; jobs: { job: RenderJob; done: (r: RenderResult) => void }[]; drawn: string[]; closed: boolean }[] = [];
  const r = recyclingRenderer({
    start: () => {
      const t = { id: threads.length + 1, jobs: [] as { job: RenderJob; done: (r: RenderResult) => void }[], drawn: [] as string[], closed: false };
      threads.push(t);
      return {
        render: (job) => new Promise<RenderResult>((done) => t.jobs.push({ job, done })),
        close: async () => void (t.closed = true),
      };
    },
    warmJob: WARM,
    warmDraws,
    idleMs: IDLE_MS,
    log: () => undefined,
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id) => void timers.delete(id as number),
  });
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    r,
    threads,
    /** Thread `id` finishes the job at the head of its queue. */
    async draw(id: number) {
      const t = threads[id - 1]!;
      const head = t.jobs.shift();
      if (!head) throw new Error(`thread ${id} has nothing to draw`);
      t.drawn.push(`${head.job.ticket.centerName} ${head.job.ticket.number}`);
      head.done({ bytes: new Uint8Array(1), renderMs: 1 });
      await settle();
      await settle();
    },
    /** Moves the clock, firing what falls due. */
    async advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
      await settle();
    },
    pendingTimers: () => timers.size,
    settle,
  };
}

describe('the drawing thread kept warm and small', () => {
  it('warms with several draws, once however often asked, and resolves when warm', async () => {
    const x = rig(3);
    let warm: boolean | undefined;
    void x.r.warmUp().then((ok) => (warm = ok));
    void x.r.warmUp();
    await x.settle();
    expect(x.threads).toHaveLength(1);
    await x.draw(1);
    await x.draw(1);
    expect(warm).toBeUndefined();
    await x.draw(1);
    expect(warm).toBe(true);
    expect(x.threads[0]!.drawn).toEqual(['warm 1001', 'warm 1001', 'warm 1001']);
    await expect(x.r.warmUp()).resolves.toBe(true);
    expect(x.threads[0]!.jobs).toHaveLength(0);
  });

  it('draws a ticket that comes during the warm-up on the same thread, after the draw under way, never on a second cold one', async () => {
    const x = rig(3);
    void x.r.warmUp();
    await x.settle();
    const first = x.r.render(ticket(2001));
    await x.draw(1);
    await x.draw(1);
    await expect(first).resolves.toEqual({ bytes: new Uint8Array(1), renderMs: 1 });
    expect(x.threads).toHaveLength(1);
    expect(x.threads[0]!.drawn).toEqual(['warm 1001', 'real 2001']);
  });

  it('after the quiet time, replaces the thread by a fresh one only once that one is warm; tickets meanwhile go to the old one', async () => {
    const x = rig(2);
    void x.r.warmUp();
    await x.settle();
    await x.draw(1);
    await x.draw(1);
    const a = x.r.render(ticket(2001));
    await x.draw(1);
    await a;
    // The quiet time starts once nothing is being drawn.
    await x.advance(IDLE_MS - 1);
    expect(x.threads).toHaveLength(1);
    await x.advance(1);
    expect(x.threads).toHaveLength(2);
    await x.draw(2);
    // The fresh thread is still warming: a ticket now is the old, warm thread's.
    const b = x.r.render(ticket(2002));
    await x.draw(1);
    await b;
    expect(x.threads[0]!.drawn.at(-1)).toBe('real 2002');
    expect(x.threads[0]!.closed).toBe(false);
    await x.draw(2);
    // Warm now, and nothing was being drawn at that moment: it takes over, the old one stops.
    expect(x.threads[0]!.closed).toBe(true);
    const c = x.r.render(ticket(2003));
    await x.draw(2);
    await c;
    // It warmed on the last ticket drawn: the same printer's output and glyphs as the next one.
    expect(x.threads[1]!.drawn).toEqual(['real 2001', 'real 2001', 'real 2003']);
  });

  it('keeps the old thread when a ticket is still being drawn as the fresh one turns warm, and tries again after the next quiet time', async () => {
    const x = rig(1);
    void x.r.warmUp();
    await x.settle();
    await x.draw(1);
    const a = x.r.render(ticket(2001));
    await x.draw(1);
    await a;
    await x.advance(IDLE_MS);
    expect(x.threads).toHaveLength(2);
    const b = x.r.render(ticket(2002));
    await x.draw(2); // fresh thread warm while 2002 is still on the old one
    expect(x.threads[1]!.closed).toBe(true);
    expect(x.threads[0]!.closed).toBe(false);
    await x.draw(1);
    await b;
    await x.advance(IDLE_MS);
    expect(x.threads).toHaveLength(3);
    await x.draw(3);
    expect(x.threads[0]!.closed).toBe(true);
    expect(x.threads[2]!.closed).toBe(false);
  });

  it('a thread that was never asked to draw a ticket is not replaced, and closing stops the warm-up without starting a thread again', async () => {
    const x = rig(3);
    void x.r.warmUp();
    await x.settle();
    await x.advance(IDLE_MS * 5);
    expect(x.threads).toHaveLength(1);
    await x.draw(1);
    await x.r.close();
    await x.draw(1);
    expect(x.threads).toHaveLength(1);
    expect(x.threads[0]!.jobs).toHaveLength(0);
    expect(x.threads[0]!.closed).toBe(true);
    expect(x.pendingTimers()).toBe(0);
  });
});
