import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the checkpoint thread copies what the WAL holds into the database file. */
const EVERY_MS = 1000;
/**
 * Past this many WAL pages (64 MiB) a checkpoint waits for the writer to pause and starts the
 * WAL over (TRUNCATE): a hub busy without a pause for minutes must not grow its WAL forever.
 */
const BOUND_PAGES = 16_384;
/** What a reset WAL file is cut back to, so one burst does not keep a big file for good. */
const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

/** One checkpoint's outcome, as `PRAGMA wal_checkpoint` gives it. */
export interface CheckpointResult {
  mode: 'PASSIVE' | 'TRUNCATE';
  /** Pages in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export interface CheckpointOptions {
  everyMs?: number;
  boundPages?: number;
  log?: (line: string) => void;
  /** Every checkpoint that copied something (tests, the log). */
  onCheckpoint?: (result: CheckpointResult) => void;
}

/**
 * The thread's code, given as text so that it runs the same from the built tree and from the
 * sources under jest. It opens its own connection with the hub's settings and checkpoints on
 * a timer; `better-sqlite3` is resolved by the hub and passed in.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
let stopped = false;
const once = () => {
  if (stopped) return;
  try {
    let [row] = db.pragma('wal_checkpoint(PASSIVE)');
    let mode = 'PASSIVE';
    if (row.log >= workerData.boundPages) {
      [row] = db.pragma('wal_checkpoint(TRUNCATE)');
      mode = 'TRUNCATE';
    }
    if (row.checkpointed > 0 || mode === 'TRUNCATE') parentPort.postMessage({ mode, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(once, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Takes the WAL's checkpoints off the commit path. SQLite's default (`wal_autocheckpoint`,
 * 1000 pages) makes the command whose commit crosses 1000 pages copy them all to the database
 * file and fsync it before its broadcast: with 17–21 pages a command, one command in about
 * fifty paid several milliseconds on the hub's only thread. Here the hub's connection never
 * checkpoints; a thread of its own, on its own connection, copies the WAL every second without
 * stopping the writer (PASSIVE), and starts it over once it is past its bound. Durability does
 * not change: a commit is durable once its WAL frames are synced (synchronous=FULL), and a crash
 * before a checkpoint only leaves more WAL for the next start to read.
 * `stop()` must run before the hub's connection closes (which then checkpoints what is left and
 * removes the WAL, as the last connection).
 */
export function startCheckpoints(db: Database.Database, options: CheckpointOptions = {}): { stop: () => Promise<void> } {
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      file: db.name,
      sqlite: require.resolve('better-sqlite3'),
      everyMs: options.everyMs ?? EVERY_MS,
      boundPages: options.boundPages ?? BOUND_PAGES,
    },
  });
  worker.unref();
  let failed = false;
  const fallBack = (why: string) => {
    if (failed) return;
    failed = true;
    // Without the thread the hub's own connection checkpoints again, as SQLite does by default.
    options.log?.(`luồng checkpoint dừng (${why}): cơ sở dữ liệu tự checkpoint như mặc định`);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (m: CheckpointResult | { error: string }) => {
    if ('error' in m) options.log?.(`checkpoint không chạy được: ${m.error}`);
    else options.onCheckpoint?.(m);
  });
  worker.on('error', (error) => fallBack(error.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping = false;
  void exited.then(() => {
    if (!stopping) fallBack('luồng đã thoát');
  });
  return {
    stop: async () => {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
