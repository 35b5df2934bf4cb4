/** A call whose announcement may be asked for soon: a waiting ticket and a counter that may call it. */
export interface LikelyCall {
  number: number;
  counter: number;
  serviceId: string;
}

export interface PrerenderDeps {
  /** Changes whenever the hub broadcasts anything (the last broadcast's sequence number). */
  activity(): number;
  /** The calls the counters could make next, most likely first. Read only while idle. */
  likely(): LikelyCall[];
  /** Whether the call's WAV is already on disk (as the TV would ask for it). */
  cached(call: LikelyCall): boolean;
  /** Renders the call's WAV into the cache. */
  render(call: LikelyCall): Promise<void>;
  now(): number;
  log?: (line: string) => void;
}

/** When pre-rendering may run and how much CPU it may take. */
export interface PrerenderPolicy {
  /** Idle means no broadcast for this long: a burst of calls (or tickets) keeps it from starting. */
  quietMs: number;
  /** Share of one core the synthesis may take over time: after a render of t ms, the next waits t × (1 − share) / share. */
  cpuShare: number;
  /** The least wait between two renders. */
  minGapMs: number;
  /** How often the hub looks at its activity (one indexed read of the broadcast log). */
  pollMs: number;
}

/**
 * 3 s without a broadcast, a quarter of one core: a synthesis is ~0.2–0.4 s of one core in the
 * espeak worker, so at most one every ~1 s, and the main thread (which answers the calls) never
 * runs the synthesis itself.
 */
export const DEFAULT_PRERENDER_POLICY: PrerenderPolicy = { quietMs: 3000, cpuShare: 0.25, minGapMs: 250, pollMs: 500 };

export interface PrerenderStats {
  /** Renders finished (audio put in the cache). */
  rendered: number;
  /** Renders that failed (the call will be rendered when asked for, as before). */
  failed: number;
  /** Wall-clock milliseconds spent in renders. */
  busyMs: number;
  /** Ticks that found the hub busy (a broadcast within `quietMs`). */
  deferred: number;
}

export interface Prerender {
  /** Looks at the hub once: renders the next likely call if the hub is idle and the budget allows. */
  tick(): void;
  /** Ticks every `pollMs` until `stop()` (the timer does not keep the process alive). */
  start(): void;
  /** Stops ticking and waits for the render under way, if any. */
  stop(): Promise<void>;
  stats(): PrerenderStats;
}

/**
 * Renders the announcements of likely next calls while the hub is idle, so the first time a
 * number is said its WAV is already on disk: the TV then gets it in a file read instead of a
 * synthesis. Never while broadcasts come in (a burst of calls), one render at a time, within a
 * CPU share. Pure scheduling: the clock, the hub's state and the renderer are passed in.
 */
export function createPrerender(deps: PrerenderDeps, policy: PrerenderPolicy = DEFAULT_PRERENDER_POLICY): Prerender {
  const log = deps.log ?? (() => {});
  const stats: PrerenderStats = { rendered: 0, failed: 0, busyMs: 0, deferred: 0 };
  let seen = deps.activity();
  let lastActivityAt = deps.now();
  let nextAllowedAt = -Infinity;
  /** The calls still to render for the state last seen; recomputed after any broadcast. */
  let todo: LikelyCall[] | undefined;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const tick = (): void => {
    const now = deps.now();
    const activity = deps.activity();
    if (activity !== seen) {
      seen = activity;
      lastActivityAt = now;
      todo = undefined;
    }
    if (running) return;
    if (now - lastActivityAt < policy.quietMs) {
      stats.deferred++;
      return;
    }
    if (now < nextAllowedAt) return;
    todo ??= deps.likely();
    let call: LikelyCall | undefined;
    while ((call = todo.shift()) && deps.cached(call));
    if (!call) return;
    const started = deps.now();
    const done = (ok: boolean) => {
      const ms = Math.max(0, deps.now() - started);
      stats.busyMs += ms;
      if (ok) stats.rendered++;
      else stats.failed++;
      nextAllowedAt = deps.now() + Math.max(policy.minGapMs, (ms * (1 - policy.cpuShare)) / policy.cpuShare);
      running = undefined;
    };
    const target = call;
    running = deps.render(target).then(
      () => done(true),
      (error: unknown) => {
        log(`không tạo trước được âm thanh gọi số ${target.number} đến quầy ${target.counter}: ${(error as Error).message}`);
        done(false);
      },
    );
  };

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        try {
          tick();
        } catch (error) {
          log(`lỗi khi chuẩn bị trước âm thanh gọi số: ${(error as Error).message}`);
        }
      }, policy.pollMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    stats: () => ({ ...stats }),
  };
}
