import { parentPort } from 'node:worker_threads';
import { runRenderJob } from './render-job';
import type { RenderJob } from './renderer';

// The thread `workerRenderer` starts: draws tickets so the hub's own thread stays free.
parentPort?.on('message', (message: { id: number; job: RenderJob }) => {
  try {
    const result = runRenderJob(message.job);
    parentPort!.postMessage({ id: message.id, bytes: result.bytes, renderMs: result.renderMs }, [result.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
