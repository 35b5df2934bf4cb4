#!/usr/bin/env node
/**
 * Benchmark (not a test) of the real hub, run as a child process on 127.0.0.1, with 9 open
 * counters and 30 displays connected:
 *   1. tickets issued per second by a few kiosks, and their ack latency;
 *   2. "next" → display latency: from just before a counter emits `counter:next` to each
 *      display receiving the matching `ticket:called`;
 *   3. the same latency through a bare socket.io relay (also a child process, same clients,
 *      same message count, the hub's own `ticket:called` payload), and the ratio hub/relay.
 *
 *   npm run bench:hub [-- --tickets 2000 --kiosks 4 --displays 30 --rounds 20 --think-ms 1000 --hub-cpu-prof DIR]
 *
 * Clients are plain socket.io-client sockets, all in this process, so a receipt's time is
 * `performance.now()` on the same clock as the send. The displays only record `ticket:called`:
 * `@xephang/client` would also apply every event to its copy of the queue, and with 30 of
 * them in one process that client-side work would be counted as hub latency.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type CommandReplies,
  type Handshake,
  type ServerToClientEvents,
  type TicketCalled,
} from '@xephang/protocol';
import { cpuMsOf, startServerProcess, type ServerProcess } from '../lib/child';
import { summarize, type Summary } from '../lib/stats';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const COUNTERS = 9;
const ACK_TIMEOUT_MS = 10_000;
const RECEIPT_TIMEOUT_MS = 10_000;
/** The whole run, setup and clean-up included, must stay well under two minutes. */
const DEADLINE_MS = 110_000;
/** Issue weights per service: civil status is the busiest field and three counters call it. */
const SERVICE_WEIGHTS: readonly [string, number][] = [
  ['civil', 4],
  ['land', 1],
  ['business', 1],
  ['culture', 1],
  ['police', 1],
  ['landreg', 1],
  ['post', 1],
];
const BLOCK_CAPACITY = 999;

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '2000' },
    kiosks: { type: 'string', default: '4' },
    displays: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    /** Mean pause of each counter (and relay sender) between two calls; 0 runs them back to back. */
    'think-ms': { type: 'string', default: '1000' },
    /** Write a V8 CPU profile of the hub into this folder (open it in Chrome DevTools). */
    'hub-cpu-prof': { type: 'string' },
  },
  strict: true,
});
const TICKETS = positiveInt('tickets', args.tickets);
const KIOSKS = positiveInt('kiosks', args.kiosks);
const DISPLAYS = positiveInt('displays', args.displays);
/** Measured "next" per counter; counters 1, 2 and 6 all call civil status. */
const ROUNDS = positiveInt('rounds', args.rounds);
const WARMUP_ROUNDS = positiveInt('warmup', args.warmup);
const WARMUP_TICKETS = Math.max(50, Math.round(TICKETS / 20));
const THINK_MS = nonNegativeInt('think-ms', args['think-ms']);

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer, got ${text}`);
  return n;
}

function nonNegativeInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number ≥ 0, got ${text}`);
  return n;
}

/**
 * A clerk's pause between two calls, compressed from minutes to THINK_MS ± 50 % so that the
 * nine counters do not move in lockstep. Paced, the figure is a latency; back to back
 * (`--think-ms 0`) the counters saturate the server and it measures queueing.
 */
const think = (): Promise<void> =>
  THINK_MS === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));

/** Service ids in issue order for `count` tickets, following SERVICE_WEIGHTS. */
function serviceSequence(count: number): string[] {
  const wheel = SERVICE_WEIGHTS.flatMap(([id, w]) => Array<string>(w).fill(id));
  return Array.from({ length: count }, (_, i) => wheel[i % wheel.length]!);
}

/** Receipt times per message id, and waits for a message to have reached every receiver. */
class Receipts {
  private readonly times = new Map<string, number[]>();
  private readonly waiters = new Map<string, { need: number; done: () => void }>();

  record(id: string, at: number): void {
    let list = this.times.get(id);
    if (!list) this.times.set(id, (list = []));
    list.push(at);
    const w = this.waiters.get(id);
    if (w && list.length >= w.need) {
      this.waiters.delete(id);
      w.done();
    }
  }

  /** @throws Error when fewer than `need` receipts arrived within `timeoutMs`. */
  async waitFor(id: string, need: number, timeoutMs = RECEIPT_TIMEOUT_MS): Promise<void> {
    if ((this.times.get(id)?.length ?? 0) >= need) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new Error(`${id}: ${this.times.get(id)?.length ?? 0} of ${need} receivers got it after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(id, {
        need,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Receipt minus send time for every receipt of every message sent. */
  latencies(sentAt: ReadonlyMap<string, number>): number[] {
    const out: number[] = [];
    for (const [id, t0] of sentAt) for (const t of this.times.get(id) ?? []) out.push(t - t0);
    return out;
  }

  clear(): void {
    this.times.clear();
  }
}

/** Connects one socket.io client (its own connection, no reconnection) and waits for `connect`. */
async function connect<S extends Socket>(url: string, auth: Record<string, unknown>): Promise<S> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true }) as S;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(`could not connect to ${url} as ${JSON.stringify(auth)}: ${error.message}`)));
  });
  return socket;
}

const hubAuth = (auth: Omit<Handshake, 'protocolVersion'>) => ({ ...auth, protocolVersion: PROTOCOL_VERSION });

/**
 * Sends a hub command and returns its data.
 * @throws Error on an error ack or a timeout.
 */
async function send<C extends CommandName>(socket: HubSocket, name: C, payload: CommandPayload<C>): Promise<CommandReplies[C]> {
  // The typed emitWithAck cannot resolve a generic command name; the reply type comes from the table.
  // Called as a method: emitWithAck needs its `this`.
  const untyped = socket.timeout(ACK_TIMEOUT_MS) as unknown as Socket;
  let reply: Ack<CommandReplies[C]>;
  try {
    reply = (await untyped.emitWithAck(name, payload)) as Ack<CommandReplies[C]>;
  } catch (error) {
    throw new Error(`${name}: no reply (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

const requestId = () => randomUUID();

/** One measured phase: ack latencies, how long it took, and the CPU it cost. */
interface Phase {
  ack: Summary;
  elapsedMs: number;
  /** CPU time of the server process during the phase; undefined without /proc. */
  serverCpuMs: number | undefined;
  /** CPU time of this process (all the clients) during the phase. */
  benchCpuMs: number;
}

/** A phase of calls, with the send → display latency of every receipt. */
interface CallPhase extends Phase {
  latency: Summary;
}

/** Runs `body` (which returns ack latencies) and measures the CPU the server and this process used. */
async function timed(server: ServerProcess, body: () => Promise<number[]>): Promise<Phase> {
  const cpu0 = cpuMsOf(server.child.pid);
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const acks = await body();
  const elapsedMs = performance.now() - t0;
  const cpu1 = cpuMsOf(server.child.pid);
  const self = process.cpuUsage(self0);
  return {
    ack: summarize(acks),
    elapsedMs,
    serverCpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0,
    benchCpuMs: (self.user + self.system) / 1000,
  };
}

/** Issues `total` tickets from the kiosks, each kiosk waiting for its ack before the next. */
async function issueTickets(kiosks: readonly HubSocket[], services: readonly string[]): Promise<number[]> {
  const acks: number[] = [];
  let next = 0;
  await Promise.all(
    kiosks.map(async (kiosk) => {
      for (let i = next++; i < services.length; i = next++) {
        const t0 = performance.now();
        await send(kiosk, 'ticket:issue', { requestId: requestId(), serviceId: services[i]! });
        acks.push(performance.now() - t0);
      }
    }),
  );
  return acks;
}

/** Each counter in turn of its own: next (timed), start, finish, until every display saw the call. */
async function serveRounds(counters: readonly HubSocket[], rounds: number, displays: number, receipts: Receipts, sentAt: Map<string, number>): Promise<number[]> {
  const acks: number[] = [];
  await Promise.all(
    counters.map(async (counter) => {
      for (let r = 0; r < rounds; r++) {
        await think();
        const t0 = performance.now();
        const ticket = await send(counter, 'counter:next', { requestId: requestId() });
        acks.push(performance.now() - t0);
        sentAt.set(ticket.id, t0);
        await send(counter, 'counter:start', { requestId: requestId() });
        await send(counter, 'counter:finish', { requestId: requestId(), outcome: 'guidance' });
        await receipts.waitFor(ticket.id, displays);
      }
    }),
  );
  return acks;
}

/** Each sender in turn of its own: relay one message (timed), until every receiver got it. */
async function relayRounds(
  senders: readonly Socket[],
  rounds: number,
  receivers: number,
  sample: TicketCalled,
  tag: string,
  receipts: Receipts,
  sentAt: Map<string, number>,
): Promise<number[]> {
  const acks: number[] = [];
  await Promise.all(
    senders.map(async (sender, s) => {
      for (let r = 0; r < rounds; r++) {
        const id = `${tag}-${s}-${r}`;
        const message: TicketCalled = { ...sample, ticket: { ...sample.ticket, id } };
        await think();
        const t0 = performance.now();
        sentAt.set(id, t0);
        await sender.timeout(ACK_TIMEOUT_MS).emitWithAck('relay', message);
        acks.push(performance.now() - t0);
        await receipts.waitFor(id, receivers);
      }
    }),
  );
  return acks;
}

interface HubResult {
  issue: Phase & { ticketsPerSecond: number };
  next: CallPhase;
  sample: TicketCalled;
  hubErrors: string[];
}

async function benchHub(dataDir: string, sockets: Socket[], children: ServerProcess[]): Promise<HubResult> {
  const hub = await startServerProcess({
    name: 'hub',
    args: [
      ...(args['hub-cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', args['hub-cpu-prof']]),
      require.resolve('@xephang/hub/cli'),
      ...['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--demo', '--kiosk-burst', '0', '--any-hours'],
    ],
    env: { XEPHANG_ADMIN_PASSWORD: `bench-${randomUUID()}` },
    ready: /xephang hub ready on port (\d+)/,
  });
  children.push(hub);
  const track = <S extends Socket>(s: S): S => {
    sockets.push(s);
    return s;
  };

  const receipts = new Receipts();
  let sample: TicketCalled | undefined;
  for (let d = 0; d < DISPLAYS; d++) {
    const display = track(await connect<HubSocket>(hub.url, hubAuth({ role: 'display' })));
    display.on('ticket:called', (event) => {
      const at = performance.now();
      receipts.record(event.ticket.id, at);
      sample ??= event;
    });
  }
  const counters: HubSocket[] = [];
  for (let id = 1; id <= COUNTERS; id++) {
    const counter = track(await connect<HubSocket>(hub.url, hubAuth({ role: 'counter', counterId: id })));
    await send(counter, 'clerk:login', { clerkId: id, pin: String(id).repeat(4) });
    await send(counter, 'counter:open', {});
    counters.push(counter);
  }
  const kiosks: HubSocket[] = [];
  for (let k = 0; k < KIOSKS; k++) kiosks.push(track(await connect<HubSocket>(hub.url, hubAuth({ role: 'kiosk' }))));

  // 1. Issuing.
  const services = serviceSequence(WARMUP_TICKETS + TICKETS);
  await issueTickets(kiosks, services.slice(0, WARMUP_TICKETS));
  const issued = await timed(hub, () => issueTickets(kiosks, services.slice(WARMUP_TICKETS)));
  for (const k of kiosks) k.close();

  // 2. Calling.
  await serveRounds(counters, WARMUP_ROUNDS, DISPLAYS, receipts, new Map());
  receipts.clear();
  const sentAt = new Map<string, number>();
  const served = await timed(hub, () => serveRounds(counters, ROUNDS, DISPLAYS, receipts, sentAt));
  const latencies = receipts.latencies(sentAt);
  if (latencies.length !== ROUNDS * COUNTERS * DISPLAYS) {
    throw new Error(`expected ${ROUNDS * COUNTERS * DISPLAYS} receipts, got ${latencies.length}`);
  }

  for (const s of sockets.splice(0)) s.close();
  await hub.stop();
  const hubErrors = hub
    .output()
    .split('\n')
    .filter((line) => /lỗi|error/i.test(line));
  if (!sample) throw new Error('no display received a ticket:called');
  return {
    issue: { ...issued, ticketsPerSecond: TICKETS / (issued.elapsedMs / 1000) },
    next: { ...served, latency: summarize(latencies) },
    sample,
    hubErrors,
  };
}

async function benchRelay(sample: TicketCalled, sockets: Socket[], children: ServerProcess[]): Promise<CallPhase> {
  const relay = await startServerProcess({
    name: 'relay',
    args: [join(__dirname, 'relay-server.js')],
    ready: /relay ready on port (\d+)/,
  });
  children.push(relay);
  const receipts = new Receipts();
  for (let d = 0; d < DISPLAYS; d++) {
    const receiver = await connect<Socket>(relay.url, {});
    sockets.push(receiver);
    receiver.on('relayed', (message: TicketCalled) => {
      const at = performance.now();
      receipts.record(message.ticket.id, at);
    });
  }
  const senders: Socket[] = [];
  for (let s = 0; s < COUNTERS; s++) {
    const sender = await connect<Socket>(relay.url, {});
    sockets.push(sender);
    senders.push(sender);
  }
  await relayRounds(senders, WARMUP_ROUNDS, DISPLAYS, sample, 'warmup', receipts, new Map());
  receipts.clear();
  const sentAt = new Map<string, number>();
  const relayed = await timed(relay, () => relayRounds(senders, ROUNDS, DISPLAYS, sample, 'm', receipts, sentAt));
  const latencies = receipts.latencies(sentAt);
  if (latencies.length !== ROUNDS * COUNTERS * DISPLAYS) {
    throw new Error(`expected ${ROUNDS * COUNTERS * DISPLAYS} receipts, got ${latencies.length}`);
  }
  for (const s of sockets.splice(0)) s.close();
  await relay.stop();
  return { ...relayed, latency: summarize(latencies) };
}

/**
 * Single-row commits per second in `dir` with the hub's settings (WAL, synchronous=FULL): each
 * hub command is one such commit, and better-sqlite3 holds the hub's event loop while it syncs.
 */
function commitsPerSecond(dir: string, count = 100): number {
  const file = join(dir, 'disk-probe.sqlite');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO probe (body) VALUES (?)');
    const commit = db.transaction((body: string) => insert.run(body));
    commit.immediate('warm-up');
    const t0 = performance.now();
    for (let i = 0; i < count; i++) commit.immediate('x'.repeat(200));
    return count / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const perOp = (cpuMs: number | undefined, ops: number) => (cpuMs === undefined ? 'n/a' : `${(cpuMs / ops).toFixed(2)} ms`);

interface Setting {
  commitsPerSecond: number;
  /** 1-minute load average before, between and after the phases. */
  loads: string[];
}

function report(hub: HubResult, relay: CallPhase, setting: Setting): void {
  const { issue, next } = hub;
  const nexts = ROUNDS * COUNTERS;
  const eventBytes = Buffer.byteLength(JSON.stringify(hub.sample));
  const lines = [
    '',
    `hub: ${COUNTERS} counters, ${DISPLAYS} displays, ${TICKETS} tickets (${KIOSKS} kiosks), ${nexts} calls` +
      (THINK_MS ? ` (each counter pauses ${THINK_MS} ms ± 50 % between calls)` : ' (back to back)'),
    `node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), load average ${setting.loads.join(' → ')}`,
    `disk: ${setting.commitsPerSecond.toFixed(0)} single-row commits/s with synchronous=FULL in ${tmpdir()} (the hub makes one per command)`,
    '',
    `issue          tickets/s ${issue.ticketsPerSecond.toFixed(0).padStart(5)}   ack p50 ${ms(issue.ack.p50).padStart(9)}  p99 ${ms(issue.ack.p99).padStart(9)}   (n=${issue.ack.n})`,
    `next→display   p50 ${ms(next.latency.p50).padStart(9)}  p99 ${ms(next.latency.p99).padStart(9)}   (n=${next.latency.n}; next ack p50 ${ms(next.ack.p50)}, p99 ${ms(next.ack.p99)})`,
    `relay→display  p50 ${ms(relay.latency.p50).padStart(9)}  p99 ${ms(relay.latency.p99).padStart(9)}   (n=${relay.latency.n}; relay ack p50 ${ms(relay.ack.p50)}, p99 ${ms(relay.ack.p99)})`,
    `ratio hub/relay  p50 ${(next.latency.p50 / relay.latency.p50).toFixed(1)}×  p99 ${(next.latency.p99 / relay.latency.p99).toFixed(1)}×`,
    '',
    `payload: ticket:called ${eventBytes} bytes of JSON, relayed as is with a new ticket id`,
    'CPU of each phase, divided by its operations (idle time included):',
    `  per ticket issued:                hub ${perOp(issue.serverCpuMs, TICKETS)}, bench clients ${perOp(issue.benchCpuMs, TICKETS)} (phase ${(issue.elapsedMs / 1000).toFixed(1)} s)`,
    `  per call (next + start + finish): hub ${perOp(next.serverCpuMs, nexts)}, bench clients ${perOp(next.benchCpuMs, nexts)} (phase ${(next.elapsedMs / 1000).toFixed(1)} s)`,
    `  per relayed message:              relay ${perOp(relay.serverCpuMs, nexts)}, bench clients ${perOp(relay.benchCpuMs, nexts)} (phase ${(relay.elapsedMs / 1000).toFixed(1)} s)`,
    `max: issue ack ${ms(issue.ack.max)}, next→display ${ms(next.latency.max)}, relay→display ${ms(relay.latency.max)}`,
  ];
  if (hub.hubErrors.length) lines.push('', 'hub logged:', ...hub.hubErrors.map((l) => `  ${l}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const civil = SERVICE_WEIGHTS.find(([id]) => id === 'civil')![1];
  const totalWeight = SERVICE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  if (Math.ceil(((WARMUP_TICKETS + TICKETS) * civil) / totalWeight) > BLOCK_CAPACITY) {
    throw new Error(`--tickets ${TICKETS} would exhaust the civil status block (${BLOCK_CAPACITY} numbers a day)`);
  }
  // Every counter must find someone waiting: civil feeds three counters, every other field one.
  const perWeight = Math.floor(TICKETS / totalWeight);
  if (perWeight < WARMUP_ROUNDS + ROUNDS || perWeight * civil < 3 * (WARMUP_ROUNDS + ROUNDS)) {
    throw new Error(`--rounds ${ROUNDS} needs more tickets: raise --tickets to at least ${totalWeight * (WARMUP_ROUNDS + ROUNDS)}`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-bench-'));
  const sockets: Socket[] = [];
  const children: ServerProcess[] = [];
  const deadline = setTimeout(() => {
    process.stderr.write(`bench:hub took longer than ${DEADLINE_MS / 1000} s; stopping.\n`);
    process.exitCode = 1;
    void cleanUp().then(() => process.exit(1));
  }, DEADLINE_MS);
  const onSignal = (signal: NodeJS.Signals) => void cleanUp().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let cleaned = false;
  async function cleanUp(): Promise<void> {
    if (cleaned) return;
    cleaned = true;
    for (const s of sockets.splice(0)) s.close();
    await Promise.all(children.map((c) => c.stop(3000)));
    rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    process.stdout.write(`bench:hub — ${dirname(require.resolve('@xephang/hub/package.json'))}, data ${dataDir}\n`);
    const loads = [loadavg()[0]!.toFixed(1)];
    const commits = commitsPerSecond(dataDir);
    process.stdout.write('hub: issuing and calling…\n');
    const hub = await benchHub(dataDir, sockets, children);
    loads.push(loadavg()[0]!.toFixed(1));
    process.stdout.write('relay: relaying…\n');
    const relay = await benchRelay(hub.sample, sockets, children);
    loads.push(loadavg()[0]!.toFixed(1));
    report(hub, relay, { commitsPerSecond: commits, loads });
  } catch (error) {
    for (const c of children) {
      if (!c.exitedEarly()) continue;
      const tail = c.output().trimEnd().split('\n').slice(-10).join('\n  ');
      process.stderr.write(`${c.name} exited early (${c.child.exitCode ?? c.child.signalCode}); its last lines:\n  ${tail}\n`);
    }
    throw error;
  } finally {
    clearTimeout(deadline);
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:hub failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
