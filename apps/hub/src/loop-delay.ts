import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How often the histogram's timer samples the loop; its cost is one libuv timer, off every command's path. */
const RESOLUTION_MS = 10;

/**
 * Measures the event loop's delay for as long as the hub runs and, on `signal`, writes its
 * median, p99 and maximum since the last report as one line, then starts afresh; the line ends
 * with the V8 heap in use, which tells a leak of JavaScript objects from native memory. For a soak or a
 * technician measuring a running hub (`XEPHANG_LOOP_DELAY=signal`, then `kill -USR2 PID`); it
 * answers no socket and no HTTP request, so it opens nothing to the LAN.
 * Returns a function that stops measuring.
 */
export function reportLoopDelayOn(signal: NodeJS.Signals, write: (line: string) => void): () => void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // Node records the time between two of its timer's runs, the resolution included (an idle hub
  // reads 10.2 ms): the delay is what exceeds it.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(1);
  const report = () => {
    const heap = `; heap V8 đang dùng (heap used) ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)} MB`;
    // Before the first sample the histogram's percentiles are 0 and its minimum is huge: say so.
    write(
      histogram.count === 0
        ? `độ trễ vòng sự kiện (event-loop delay): chưa có mẫu nào${heap}`
        : `độ trễ vòng sự kiện (event-loop delay): p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, ` +
            `tối đa (max) ${ms(histogram.max)} ms, ${histogram.count} mẫu (samples)${heap}`,
    );
    histogram.reset();
  };
  process.on(signal, report);
  return () => {
    process.off(signal, report);
    histogram.disable();
  };
}
