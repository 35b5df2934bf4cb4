import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { connectHub, type HubClient, type HubClientOptions } from '@xephang/client';
import type { Ack, Report, ReportRange } from '@xephang/protocol';
import { computeReport, resolveRange } from '@xephang/hub/reports';

/**
 * The built hub's command line (npm test runs `tsc -b` first), found through the hub's declared
 * `./cli` entry: the same file wherever the workspaces sit, no folder counted up from here.
 */
export const HUB_CLI = builtHubCli();

function builtHubCli(): string {
  try {
    return require.resolve('@xephang/hub/cli');
  } catch (error) {
    throw new Error(`The hub is not built (${error instanceof Error ? error.message : String(error)}): run npm run build, or npx tsc -b, first.`);
  }
}
/** The center's name a hub writes on its first start (what a fresh hub prints on its tickets). */
export { DEFAULT_CENTER_NAME } from '@xephang/hub/default-center';
export const ADMIN_PASSWORD = 'test-admin-password';

export interface HubProcess {
  url: string;
  port: number;
  dataDir: string;
  dbFile: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output: () => string;
  /** SIGKILL: the power cut. */
  kill: () => Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>;
  /** Starts the hub again on the same data folder and port. */
  restart: (extraArgs?: string[]) => Promise<HubProcess>;
}

/**
 * Starts the real hub as a process on 127.0.0.1 with a temporary data folder (or `dataDir`),
 * and resolves once it printed its port.
 */
export async function startHubProcess(
  opts: { args?: string[]; dataDir?: string; port?: number; env?: Record<string, string>; hours?: boolean } = {},
): Promise<HubProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'xephang-test-'));
  // Discovery answers on one fixed UDP port per machine: only its own test turns it on.
  // Tests issue whatever the hour they run at, unless they test the opening hours (`hours: true`).
  const extra = [...(opts.hours ? [] : ['--any-hours']), ...(opts.args ?? [])];
  const discovery = extra.some((a) => a.startsWith('--discovery-port')) ? [] : ['--no-discovery'];
  const args = [HUB_CLI, '--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--data-dir', dataDir, ...discovery, ...extra];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, XEPHANG_ADMIN_PASSWORD: ADMIN_PASSWORD, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /ready on port (\d+)/.exec(output);
      if (m) done(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`hub exited (${code}) before it was ready:\n${output}`)));
    setTimeout(() => fail(new Error(`hub not ready after 45 s:\n${output}`)), 45_000).unref();
  });
  const hub: HubProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    dbFile: join(dataDir, 'xephang.sqlite'),
    child,
    output: () => output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    restart: async (extraArgs) => {
      await hub.stop();
      return startHubProcess({ ...opts, dataDir, port, args: extraArgs ?? opts.args ?? [] });
    },
  };
  return hub;
}

/**
 * A hub process whose Date.now() never moves, so its fake clock (starting at `startIso`)
 * moves only by `clock:set`: every time in the visit log is the one a test wrote. `--demo`,
 * no kiosk rate limit.
 */
export async function frozenHub(startIso: string, args: string[] = [], opts: { hours?: boolean } = {}): Promise<HubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-test-'));
  // In the data folder, so a restart finds it and disposeHub removes it.
  const preload = join(dataDir, 'freeze.js');
  writeFileSync(preload, 'const frozen = Date.now();\nDate.now = () => frozen;\n');
  return startHubProcess({
    dataDir,
    args: ['--demo', '--kiosk-burst', '0', '--fake-clock', startIso, ...args],
    ...opts,
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() },
  });
}

/**
 * A hub whose database holds a ticket later than the PC's clock: started with its clock `aheadMs`
 * ahead, it issues one, then starts again on the PC's own clock (issue 17's clock warning).
 */
export async function hubAfterClockRanAhead(aheadMs: number): Promise<HubProcess> {
  const ahead = await startHubProcess({ args: ['--fake-clock', new Date(Date.now() + aheadMs).toISOString()] });
  try {
    const k = await kiosk(ahead);
    try {
      unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    } finally {
      k.close();
    }
  } catch (error) {
    await disposeHub(ahead);
    throw error;
  }
  return ahead.restart([]);
}

/** Removes a hub's temporary data folder once it stopped. */
export async function disposeHub(hub: HubProcess | undefined): Promise<void> {
  if (!hub) return;
  await hub.stop();
  rmSync(hub.dataDir, { recursive: true, force: true });
}

/** A connected, synced client of the given role. */
export async function client(hub: Pick<HubProcess, 'url'>, auth: HubClientOptions['auth'], extra: Partial<HubClientOptions> = {}): Promise<HubClient> {
  const c = connectHub({ url: hub.url, auth, ...extra });
  await c.synced();
  return c;
}

export const kiosk = (hub: Pick<HubProcess, 'url'>, extra: Partial<HubClientOptions> = {}) => client(hub, { role: 'kiosk' }, extra);
export const display = (hub: Pick<HubProcess, 'url'>, extra: Partial<HubClientOptions> = {}) => client(hub, { role: 'display' }, extra);
export const admin = (hub: Pick<HubProcess, 'url'>) => client(hub, { role: 'admin', password: ADMIN_PASSWORD });

/**
 * A counter client with the demo clerk of that counter logged in and the counter open
 * (the hub must run with `--demo`: counter N's clerk has id N and PIN NNNN).
 */
export async function openCounter(hub: Pick<HubProcess, 'url'>, counterId: number): Promise<HubClient> {
  const c = await client(hub, { role: 'counter', counterId });
  const login = unwrap(await c.send('clerk:login', { clerkId: counterId, pin: String(counterId).repeat(4) }));
  c.setSession(login.sessionToken);
  unwrap(await c.send('counter:open', {}));
  return c;
}

/** Connects a raw socket with `auth` and resolves with the hub's refusal message, or 'connected'. */
export async function tryConnect(hub: Pick<HubProcess, 'url'>, auth: object): Promise<string> {
  const s = io(hub.url, { auth, transports: ['websocket'], reconnection: false });
  try {
    return await new Promise<string>((done) => {
      s.once('connect', () => done('connected'));
      s.once('connect_error', (e) => done(e.message));
    });
  } finally {
    s.close();
  }
}

/** The data of an ok ack; throws with the hub's message otherwise. */
export function unwrap<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export const rid = (): string => randomUUID();

/** Opens the hub's SQLite file read-only, for checks of what was really stored. */
export function readDb(hub: Pick<HubProcess, 'dbFile'>): Database.Database {
  return new Database(hub.dbFile, { readonly: true, fileMustExist: true });
}

/** How many tickets the hub's database holds, read from the file itself. */
export function ticketCount(hub: Pick<HubProcess, 'dbFile'>): number {
  const db = readDb(hub);
  try {
    return (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The report the hub's visit log gives when every day is read from the log itself (no kept
 * day tallies), at the same `now`: what a report from the hub must equal.
 */
export function reportFromLog(hub: Pick<HubProcess, 'dbFile'>, range: ReportRange, now: number): Report {
  const db = readDb(hub);
  try {
    return computeReport(db, resolveRange(range), { now, cache: false });
  } finally {
    db.close();
  }
}

/**
 * Resolves when the hub's output matches `pattern`. A log line is written by the hub before what a test
 * observes next (a reply, a file), but it reaches the test through a pipe of its own, so it may arrive
 * a moment later: wait for it rather than read the output once. Rejects with the output after `timeoutMs`.
 */
export async function logged(hub: Pick<HubProcess, 'output'>, pattern: RegExp, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(hub.output())) {
    if (Date.now() > deadline) throw new Error(`the hub did not log ${pattern} within ${timeoutMs} ms; it printed:\n${hub.output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves when `predicate` holds, polling; rejects with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
