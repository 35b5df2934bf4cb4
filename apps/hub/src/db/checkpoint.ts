import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * How soon the checkpoint thread looks again: soon while commits come (a WAL copied in small
 * steps is done between two commits, so the next commit starts it over instead of growing
 * it), once a second when the hub is quiet.
 */
const BUSY_MS = 50;
const QUIET_MS = 1000;
/** Quiet this long with the WAL all copied, the thread ends until the next commit. */
const END_AFTER_MS = 10_000;
/**
 * Past this many WAL pages (64 MiB) a checkpoint waits for the writer to pause and starts the
 * WAL over (RESTART): a hub busy without a pause for minutes must not grow its WAL forever.
 */
const BOUND_PAGES = 16_384;
/**
 * The WAL file is kept up to this size when it starts over (SQLite cuts it back to the limit):
 * a commit that writes over frames already in the file syncs less than one that makes the file
 * longer (measured: command p50 0.44 ms with the WAL kept at 4 MiB, 0.66 ms when it grew).
 */
const WAL_SIZE_LIMIT = BOUND_PAGES * 4096;

/** One checkpoint's outcome, as `PRAGMA wal_checkpoint` gives it. */
export interface CheckpointResult {
  mode: 'PASSIVE' | 'RESTART';
  /** Pages in the WAL, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export interface CheckpointOptions {
  /** See BUSY_MS and QUIET_MS. */
  busyMs?: number;
  quietMs?: number;
  /** See END_AFTER_MS. */
  endAfterMs?: number;
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
let timer;
let last = '';
let quietSince = Date.now();
const end = () => {
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
};
const once = () => {
  if (stopped) return;
  let busy = false;
  try {
    let [row] = db.pragma('wal_checkpoint(PASSIVE)');
    let mode = 'PASSIVE';
    if (row.log >= workerData.boundPages) {
      [row] = db.pragma('wal_checkpoint(RESTART)');
      mode = 'RESTART';
    }
    const seen = row.log + '/' + row.checkpointed;
    busy = seen !== last;
    last = seen;
    if (busy && (row.checkpointed > 0 || mode === 'RESTART')) parentPort.postMessage({ mode, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
  if (busy) quietSince = Date.now();
  // Quiet, and everything copied: the thread ends (a V8 isolate and a connection less for an
  // idle hub) and the next commit starts another.
  else if (Date.now() - quietSince >= workerData.endAfterMs && last.split('/')[0] === last.split('/')[1]) {
    parentPort.postMessage({ ended: true });
    return end();
  }
  timer = setTimeout(once, busy ? workerData.busyMs : workerData.quietMs);
};
timer = setTimeout(once, workerData.busyMs);
parentPort.on('message', (m) => {
  if (m === 'stop' && !stopped) end();
});
`;

/**
 * Takes the WAL's checkpoints off the commit path. SQLite's default (`wal_autocheckpoint`,
 * 1000 pages) makes the command whose commit crosses 1000 pages copy them all to the database
 * file and fsync it before its broadcast: with 17–21 pages a command, one command in about
 * fifty paid several milliseconds on the hub's only thread. Here the hub's connection never
 * checkpoints; a thread of its own, on its own connection, copies the WAL without stopping the
 * writer (PASSIVE): every 50 ms while commits come, every second when quiet; past its bound it
 * waits for a pause in the writes and has the WAL start over (RESTART). After 10 s of quiet with
 * everything copied the thread ends, and the next commit (`committed()`) starts it again: an
 * idle hub keeps no second isolate (bench:memory's idle goal).
 * Off unless `XEPHANG_WAL_CHECKPOINT=thread` (hub.ts): on the development VM's disk it measured no
 * better than SQLite's own checkpoints (README, bench:hub). Durability does
 * not change: a commit is durable once its WAL frames are synced (synchronous=FULL), and a crash
 * before a checkpoint only leaves more WAL for the next start to read.
 * `stop()` must run before the hub's connection closes (which then checkpoints what is left and
 * removes the WAL, as the last connection).
 */
export function startCheckpoints(db: Database.Database, options: CheckpointOptions = {}): Checkpoints {
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  let thread: { worker: Worker; exited: Promise<void> } | undefined;
  // The hub's timer commits every few seconds with nothing to write: only a commit that changed
  // rows starts the thread.
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  let changesSeen = totalChanges.get();
  let failed = false;
  let stopping = false;
  const fallBack = (why: string) => {
    if (failed) return;
    failed = true;
    // Without the thread the hub's own connection checkpoints again, as SQLite does by default.
    options.log?.(`luồng checkpoint dừng (${why}): cơ sở dữ liệu tự checkpoint như mặc định`);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  const spawn = () => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        file: db.name,
        sqlite: require.resolve('better-sqlite3'),
        busyMs: options.busyMs ?? BUSY_MS,
        quietMs: options.quietMs ?? QUIET_MS,
        endAfterMs: options.endAfterMs ?? END_AFTER_MS,
        boundPages: options.boundPages ?? BOUND_PAGES,
      },
    });
    worker.unref();
    const t = {
      worker,
      exited: new Promise<void>((resolve) =>
        worker.once('exit', (code) => {
          if (thread === t) thread = undefined;
          // 0: it ended itself when quiet, or was stopped; anything else is a failure.
          if (code !== 0) fallBack(`mã thoát ${code}`);
          resolve();
        }),
      ),
    };
    worker.on('message', (m: CheckpointResult | { error: string } | { ended: true }) => {
      if ('error' in m) options.log?.(`checkpoint không chạy được: ${m.error}`);
      else if (!('ended' in m)) options.onCheckpoint?.(m);
    });
    worker.on('error', (error) => fallBack(error.message));
    thread = t;
  };
  return {
    committed: () => {
      if (thread !== undefined || failed || stopping) return;
      const changes = totalChanges.get();
      if (changes === changesSeen) return;
      changesSeen = changes;
      spawn();
    },
    running: () => thread !== undefined,
    stop: async () => {
      stopping = true;
      const t = thread;
      if (!t) return;
      // Held while it closes: an unref'd thread would let a hub stopping with nothing else left
      // to wait for exit before its own code decides how (a refused start exits with 1).
      t.worker.ref();
      t.worker.postMessage('stop');
      await t.exited;
    },
  };
}

export interface Checkpoints {
  /** After each commit: starts the thread if it is not running (cheap when it is). */
  committed: () => void;
  running: () => boolean;
  /** Ends the thread; before the hub's connection closes. */
  stop: () => Promise<void>;
}
