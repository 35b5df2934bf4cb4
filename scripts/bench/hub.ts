#!/usr/bin/env node
/**
 * Benchmark (not a test) of the real hub, run as a child process on 127.0.0.1, against its
 * limit: the same clients and messages through a relay that makes one synchronous=FULL commit
 * before it broadcasts (`relay-server.ts --durable`), and through a bare socket.io relay.
 * Each round starts every system afresh, in an order that turns from round to round, and the
 * figures are medians of the rounds, so a machine busier in one minute than the next weighs
 * on every system alike.
 *
 * Default workload (a center's morning): 9 open counters and 30 displays connected;
 *   1. tickets issued by 4 kiosks, each waiting for its ack before the next: tickets/s, ack;
 *   2. "next" → display latency: from just before a counter emits `counter:next` to each
 *      display receiving the matching `ticket:called` (each counter then starts and finishes
 *      the visit, and pauses THINK_MS ± 50 % before its next call).
 * `--single`: one kiosk issuing 2,000 tickets one at a time with acks, then 1,000 calls at one
 * counter (6, which serves the four commune fields the kiosk issued), back to back, timed to
 * one display: a workload any queue system can run, to compare with another one.
 *
 * Goals (the hub against the durable relay, medians of the rounds): next → display p50 ≤ 1.3×,
 * p99 ≤ 1.5×; issue ack p50 ≤ 1.5×. The run exits non-zero when one is missed.
 *
 *   npm run bench:hub [-- --single] [-- --rounds 3 --tickets 1000 --kiosks 4 --displays 30
 *     --calls 10 --think-ms 300 --base-hub ../other-tree --hub-cpu-prof DIR]
 *
 * `--base-hub` adds another built tree's hub (its folder, or its apps/hub/dist/src/cli.js) to
 * the rounds: before and after, alternated in one run. Clients are plain socket.io-client
 * sockets, all in this process, so a receipt's time is `performance.now()` on the same clock as
 * the send. The displays only record what they are timed on: `@xephang/client` would also apply
 * every event to its copy of the queue, and with 30 of them in one process that client-side work
 * would be counted as hub latency.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Socket } from 'socket.io-client';
import type { TicketCalled } from '@xephang/protocol';
import { cpuMsOf, startServerProcess, type ServerProcess } from '../lib/child';
import { connect, hubAuth, send, type HubSocket } from '../lib/hub-socket';
import { summarize, type Summary } from '../lib/stats';

/** The relays' acks (the hub's commands wait as long in `send`). */
const ACK_TIMEOUT_MS = 10_000;
const RECEIPT_TIMEOUT_MS = 10_000;
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
/** `--single`: counter 6 serves the four commune fields, so one counter can call every ticket. */
const SINGLE_COUNTER = 6;
const SINGLE_WEIGHTS: readonly [string, number][] = [
  ['civil', 1],
  ['land', 1],
  ['business', 1],
  ['culture', 1],
];
const BLOCK_CAPACITY = 999;
/** The goals, as ratios of the hub's medians to the durable relay's. */
const GOALS = { nextP50: 1.3, nextP99: 1.5, issueAckP50: 1.5 } as const;

const { values: args } = parseArgs({
  options: {
    /** One kiosk, one counter, one display, back to back (the workload to compare systems with). */
    single: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    tickets: { type: 'string' },
    kiosks: { type: 'string' },
    displays: { type: 'string' },
    /** Measured calls per counter per round (`--single`: of its one counter). */
    calls: { type: 'string' },
    warmup: { type: 'string', default: '3' },
    /** Mean pause of each counter (and relay sender) between two calls; 0 runs them back to back. */
    'think-ms': { type: 'string' },
    /** Another built tree's hub to alternate with this one: its folder or its cli.js. */
    'base-hub': { type: 'string' },
    /** Write V8 CPU profiles of this tree's hub into this folder (open them in Chrome DevTools). */
    'hub-cpu-prof': { type: 'string' },
    /**
     * This tree's hub again with environment variables set, alternated in the same rounds:
     * `--variant LABEL:NAME=VALUE[,NAME=VALUE]`, repeatable (to measure one switch alone).
     */
    variant: { type: 'string', multiple: true, default: [] },
    /** A guard against a run that hangs, not a goal. */
    'deadline-s': { type: 'string', default: '900' },
  },
  strict: true,
});
const SINGLE = args.single;
const ROUNDS = positiveInt('rounds', args.rounds);
const TICKETS = positiveInt('tickets', args.tickets ?? (SINGLE ? '2000' : '1000'));
const KIOSKS = positiveInt('kiosks', args.kiosks ?? (SINGLE ? '1' : '4'));
const DISPLAYS = positiveInt('displays', args.displays ?? (SINGLE ? '1' : '30'));
const COUNTER_IDS: readonly number[] = SINGLE ? [SINGLE_COUNTER] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
const WEIGHTS = SINGLE ? SINGLE_WEIGHTS : SERVICE_WEIGHTS;
/** Measured "next" per counter and round; counters 1, 2 and 6 all call civil status. */
const CALLS = positiveInt('calls', args.calls ?? (SINGLE ? '1000' : '10'));
const WARMUP_CALLS = positiveInt('warmup', args.warmup);
const WARMUP_TICKETS = Math.max(50, Math.round(TICKETS / 20));
const THINK_MS = nonNegativeInt('think-ms', args['think-ms'] ?? (SINGLE ? '0' : '300'));
const DEADLINE_MS = positiveInt('deadline-s', args['deadline-s']) * 1000;

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
 * counters do not move in lockstep. Paced, the figure is a latency; back to back
 * (`--think-ms 0`) the counters saturate the server and it measures queueing.
 */
const think = (): Promise<void> =>
  THINK_MS === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));

/** Service ids in issue order for `count` tickets, following SERVICE_WEIGHTS. */
function serviceSequence(count: number): string[] {
  const wheel = WEIGHTS.flatMap(([id, w]) => Array<string>(w).fill(id));
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

/** Relays `total` messages from the senders back to back, each waiting for its ack (a kiosk's pattern). */
async function relayIssues(senders: readonly Socket[], total: number, sample: object, tag: string): Promise<number[]> {
  const acks: number[] = [];
  let next = 0;
  await Promise.all(
    senders.map(async (sender) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        await sender.timeout(ACK_TIMEOUT_MS).emitWithAck('relay', { ...sample, id: `${tag}-${i}` });
        acks.push(performance.now() - t0);
      }
    }),
  );
  return acks;
}

/**
 * Each sender in turn of its own: relay one call (timed), then two more messages as the
 * counter's start and finish (the hub commits and broadcasts those too), until every receiver
 * got the call. The durable relay thus commits once per hub command: the limit of the same work.
 */
async function relayCalls(
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
        for (const step of ['start', 'finish']) await sender.timeout(ACK_TIMEOUT_MS).emitWithAck('relay', { ...sample, ticket: { ...sample.ticket, id: `${id}-${step}` } });
        await receipts.waitFor(id, receivers);
      }
    }),
  );
  return acks;
}

/** What one system did in one round. */
interface RoundResult {
  issue: Phase & { ticketsPerSecond: number };
  call: CallPhase;
}

/** The hub's own broadcasts, relayed as they are (with new ids) by the relays. */
interface Samples {
  issued?: object;
  called?: TicketCalled;
}

interface Run {
  sockets: Socket[];
  children: ServerProcess[];
  samples: Samples;
}

function checkReceipts(latencies: readonly number[]): void {
  const expected = CALLS * COUNTER_IDS.length * DISPLAYS;
  if (latencies.length !== expected) throw new Error(`expected ${expected} receipts, got ${latencies.length}`);
}

async function stopAll(run: Run, server: ServerProcess): Promise<void> {
  for (const s of run.sockets.splice(0)) s.close();
  await server.stop();
  run.children.splice(run.children.indexOf(server), 1);
}

/** One round of the workload on a hub (`cli`, in a fresh data folder). */
async function benchHub(cli: string, dataDir: string, cpuProf: string | undefined, env: Record<string, string>, run: Run): Promise<RoundResult & { errors: string[] }> {
  const hub = await startServerProcess({
    name: 'hub',
    args: [
      ...(cpuProf === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProf]),
      cli,
      ...['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--demo', '--kiosk-burst', '0', '--any-hours', '--no-discovery'],
    ],
    env: { ...env, XEPHANG_ADMIN_PASSWORD: `bench-${randomUUID()}` },
    ready: /xephang hub ready on port (\d+)/,
    // A machine shared with other work can take far longer than the default 15 s to start it.
    timeoutMs: 90_000,
  });
  run.children.push(hub);
  const track = <S extends Socket>(s: S): S => {
    run.sockets.push(s);
    return s;
  };

  const receipts = new Receipts();
  for (let d = 0; d < DISPLAYS; d++) {
    const display = track(await connect<HubSocket>(hub.url, hubAuth({ role: 'display' })));
    display.on('ticket:called', (event) => {
      const at = performance.now();
      receipts.record(event.ticket.id, at);
      run.samples.called ??= event;
    });
    if (d === 0) display.on('ticket:issued', (event) => void (run.samples.issued ??= event));
  }
  const counters: HubSocket[] = [];
  for (const id of COUNTER_IDS) {
    const counter = track(await connect<HubSocket>(hub.url, hubAuth({ role: 'counter', counterId: id })));
    await send(counter, 'clerk:login', { clerkId: id, pin: String(id).repeat(4) });
    await send(counter, 'counter:open', {});
    counters.push(counter);
  }
  const kiosks: HubSocket[] = [];
  for (let k = 0; k < KIOSKS; k++) kiosks.push(track(await connect<HubSocket>(hub.url, hubAuth({ role: 'kiosk' }))));

  const services = serviceSequence(WARMUP_TICKETS + TICKETS);
  await issueTickets(kiosks, services.slice(0, WARMUP_TICKETS));
  const issued = await timed(hub, () => issueTickets(kiosks, services.slice(WARMUP_TICKETS)));

  await serveRounds(counters, WARMUP_CALLS, DISPLAYS, receipts, new Map());
  receipts.clear();
  const sentAt = new Map<string, number>();
  const served = await timed(hub, () => serveRounds(counters, CALLS, DISPLAYS, receipts, sentAt));
  const latencies = receipts.latencies(sentAt);
  checkReceipts(latencies);

  await stopAll(run, hub);
  const errors = hub
    .output()
    .split('\n')
    .filter((line) => /lỗi|error/i.test(line));
  return { issue: { ...issued, ticketsPerSecond: TICKETS / (issued.elapsedMs / 1000) }, call: { ...served, latency: summarize(latencies) }, errors };
}

/** One round of the same workload through a relay: durable (one FULL commit per message, in `dataDir`) or bare. */
async function benchRelay(durable: boolean, dataDir: string, run: Run): Promise<RoundResult> {
  const { issued: issuedSample, called: calledSample } = run.samples;
  if (!issuedSample || !calledSample) throw new Error('the hub sent no ticket:issued or ticket:called to relay');
  const relay = await startServerProcess({
    name: durable ? 'durable relay' : 'relay',
    args: [join(__dirname, 'relay-server.js'), ...(durable ? ['--durable', join(dataDir, 'relay.sqlite')] : [])],
    ready: /relay ready on port (\d+)/,
    timeoutMs: 90_000,
  });
  run.children.push(relay);
  const receipts = new Receipts();
  for (let d = 0; d < DISPLAYS; d++) {
    const receiver = await connect<Socket>(relay.url, {});
    run.sockets.push(receiver);
    receiver.on('relayed', (message: { ticket?: { id: string } }) => {
      const at = performance.now();
      if (message.ticket) receipts.record(message.ticket.id, at);
    });
  }
  const connectAll = async (n: number): Promise<Socket[]> => {
    const out: Socket[] = [];
    for (let i = 0; i < n; i++) out.push(await connect<Socket>(relay.url, {}));
    run.sockets.push(...out);
    return out;
  };
  const senders = await connectAll(COUNTER_IDS.length);
  const kiosks = await connectAll(KIOSKS);
  // The kiosk's pattern with the hub's ticket:issued, then the counters' with its ticket:called.
  await relayIssues(kiosks, WARMUP_TICKETS, issuedSample, 'warmup');
  const issued = await timed(relay, () => relayIssues(kiosks, TICKETS, issuedSample, 'issue'));
  await relayCalls(senders, WARMUP_CALLS, DISPLAYS, calledSample, 'warmup', receipts, new Map());
  receipts.clear();
  const sentAt = new Map<string, number>();
  const relayed = await timed(relay, () => relayCalls(senders, CALLS, DISPLAYS, calledSample, 'call', receipts, sentAt));
  const latencies = receipts.latencies(sentAt);
  checkReceipts(latencies);
  await stopAll(run, relay);
  return { issue: { ...issued, ticketsPerSecond: TICKETS / (issued.elapsedMs / 1000) }, call: { ...relayed, latency: summarize(latencies) } };
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
const median = (values: readonly number[]): number => summarize(values).p50;
const perOp = (cpu: readonly (number | undefined)[], ops: number): string =>
  cpu.some((c) => c === undefined) ? 'n/a' : `${(median(cpu as number[]) / ops).toFixed(2)} ms`;

interface System {
  label: string;
  bench: (dataDir: string, run: Run) => Promise<RoundResult>;
}

/** The medians over rounds of one system's figures. */
interface Medians {
  ticketsPerSecond: number;
  issueAckP50: number;
  issueAckP99: number;
  nextP50: number;
  nextP99: number;
  nextAckP50: number;
  cpuPerIssue: string;
  cpuPerCall: string;
}

function mediansOf(results: readonly RoundResult[]): Medians {
  return {
    ticketsPerSecond: median(results.map((r) => r.issue.ticketsPerSecond)),
    issueAckP50: median(results.map((r) => r.issue.ack.p50)),
    issueAckP99: median(results.map((r) => r.issue.ack.p99)),
    nextP50: median(results.map((r) => r.call.latency.p50)),
    nextP99: median(results.map((r) => r.call.latency.p99)),
    nextAckP50: median(results.map((r) => r.call.ack.p50)),
    cpuPerIssue: perOp(results.map((r) => r.issue.serverCpuMs), TICKETS),
    cpuPerCall: perOp(results.map((r) => r.call.serverCpuMs), CALLS * COUNTER_IDS.length),
  };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const roundLine = (r: RoundResult) =>
  `${r.issue.ticketsPerSecond.toFixed(0)}/s ${r.issue.ack.p50.toFixed(2)}/${r.issue.ack.p99.toFixed(1)} ${r.call.latency.p50.toFixed(2)}/${r.call.latency.p99.toFixed(1)}`;

/** Prints the rounds and their medians, and returns the goals the hub missed. */
function report(systems: readonly System[], results: ReadonlyMap<string, RoundResult[]>, setting: { commitsPerSecond: number; loads: string[] }): string[] {
  const calls = CALLS * COUNTER_IDS.length;
  const lines = [
    '',
    `${SINGLE ? 'single: ' : ''}${COUNTER_IDS.length} counter${COUNTER_IDS.length > 1 ? 's' : ''}, ${DISPLAYS} display${DISPLAYS > 1 ? 's' : ''}, ` +
      `${TICKETS} tickets (${KIOSKS} kiosk${KIOSKS > 1 ? 's' : ''}, each waiting for its ack), ${calls} calls per round` +
      (THINK_MS ? ` (each counter pauses ${THINK_MS} ms ± 50 % between calls)` : ' (back to back)') +
      `; ${ROUNDS} rounds, the systems' order turning each round`,
    `node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), load average ${setting.loads.join(' → ')}`,
    `disk: ${setting.commitsPerSecond.toFixed(0)} single-row commits/s with synchronous=FULL in ${tmpdir()} (the hub and the durable relay make one per command)`,
    '',
    'each round: tickets/s, issue ack p50/p99, next → display p50/p99',
  ];
  for (const sys of systems) {
    const rounds = results.get(sys.label)!;
    lines.push(`  ${sys.label.padEnd(14)} ${rounds.map(roundLine).join('   ')}`);
  }
  lines.push(
    '',
    `medians of the rounds   tickets/s  issue ack p50       p99   next→display p50       p99   (next ack p50)   CPU per ticket, per call`,
  );
  const medians = new Map(systems.map((sys) => [sys.label, mediansOf(results.get(sys.label)!)]));
  for (const sys of systems) {
    const m = medians.get(sys.label)!;
    lines.push(
      `  ${sys.label.padEnd(20)} ${m.ticketsPerSecond.toFixed(0).padStart(9)} ${ms(m.issueAckP50).padStart(14)} ${ms(m.issueAckP99).padStart(9)} ` +
        `${ms(m.nextP50).padStart(17)} ${ms(m.nextP99).padStart(9)}   (${ms(m.nextAckP50)})   ${m.cpuPerIssue}, ${m.cpuPerCall}`,
    );
  }
  const limit = medians.get('durable relay')!;
  const bare = medians.get('bare relay')!;
  const missed: string[] = [];
  lines.push('', 'ratios of the medians      next→display p50       p99   issue ack p50   tickets/s');
  for (const sys of systems.filter((s) => !s.label.endsWith('relay'))) {
    const m = medians.get(sys.label)!;
    for (const [base, name] of [
      [limit, 'durable relay'],
      [bare, 'bare relay'],
    ] as const) {
      lines.push(
        `  ${`${sys.label} / ${name}`.padEnd(24)} ${ratio(m.nextP50, base.nextP50).padStart(18)} ${ratio(m.nextP99, base.nextP99).padStart(9)} ${ratio(m.issueAckP50, base.issueAckP50).padStart(15)} ${ratio(m.ticketsPerSecond, base.ticketsPerSecond).padStart(11)}`,
      );
    }
  }
  const hub = medians.get('hub')!;
  const base = medians.get('base');
  const against = (label: string, m: Medians, other: Medians) =>
    lines.push(
      `  ${label.padEnd(24)} ${ratio(m.nextP50, other.nextP50).padStart(18)} ${ratio(m.nextP99, other.nextP99).padStart(9)} ${ratio(m.issueAckP50, other.issueAckP50).padStart(15)} ${ratio(m.ticketsPerSecond, other.ticketsPerSecond).padStart(11)}`,
    );
  if (base) against('hub / base', hub, base);
  for (const sys of systems.filter((s) => s.label !== 'hub' && s.label !== 'base' && !s.label.endsWith('relay'))) {
    against(`${sys.label} / hub`, medians.get(sys.label)!, hub);
  }
  const check = (what: string, value: number, goal: number) => {
    const ok = value <= goal;
    lines.push(`  ${ok ? 'met   ' : 'MISSED'} ${what}: ${value.toFixed(2)}× (goal ≤ ${goal}×)`);
    if (!ok) missed.push(what);
  };
  lines.push('', 'goals (the hub against the durable relay):');
  check('next → display p50', hub.nextP50 / limit.nextP50, GOALS.nextP50);
  check('next → display p99', hub.nextP99 / limit.nextP99, GOALS.nextP99);
  check('issue ack p50', hub.issueAckP50 / limit.issueAckP50, GOALS.issueAckP50);
  lines.push(`payload: ticket:called ${Buffer.byteLength(JSON.stringify(samplesSeen.called))} bytes of JSON, relayed as is with a new ticket id`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return missed;
}

const samplesSeen: Samples = {};

/** `LABEL:NAME=VALUE[,NAME=VALUE]` → the label and the environment it adds. */
function parseVariant(text: string): { label: string; env: Record<string, string> } {
  const match = /^([\w.-]+):(.+)$/.exec(text);
  const pairs = match?.[2]!.split(',').map((pair) => /^([A-Za-z_]\w*)=(.*)$/.exec(pair));
  if (!match || !pairs || pairs.some((p) => !p) || ['hub', 'base'].includes(match[1]!) || match[1]!.endsWith('relay')) {
    throw new Error(`--variant needs LABEL:NAME=VALUE[,NAME=VALUE] (LABEL not hub, base or …relay), got ${text}`);
  }
  return { label: match[1]!, env: Object.fromEntries(pairs.map((p) => [p![1]!, p![2]!])) };
}

/** The other tree's hub: its cli.js as given, or inside the folder given. */
function baseCli(path: string): string {
  return path.endsWith('.js') ? resolve(path) : resolve(path, 'apps/hub/dist/src/cli.js');
}

async function main(): Promise<void> {
  const totalWeight = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const civil = WEIGHTS.find(([id]) => id === 'civil')![1];
  if (Math.ceil(((WARMUP_TICKETS + TICKETS) * civil) / totalWeight) > BLOCK_CAPACITY) {
    throw new Error(`--tickets ${TICKETS} would exhaust the civil status block (${BLOCK_CAPACITY} numbers a day)`);
  }
  // Every counter must find someone waiting: in the default mix civil feeds three counters, every other field one.
  const needed = WARMUP_CALLS + CALLS;
  const perWeight = Math.floor(TICKETS / totalWeight);
  if (SINGLE ? needed > TICKETS : perWeight < needed || perWeight * civil < 3 * needed) {
    throw new Error(`--calls ${CALLS} needs more tickets: raise --tickets to at least ${SINGLE ? needed : totalWeight * needed}`);
  }
  if (args['base-hub'] !== undefined && !existsSync(baseCli(args['base-hub']))) throw new Error(`no built hub at ${baseCli(args['base-hub'])}`);

  const root = mkdtempSync(join(tmpdir(), 'xephang-bench-'));
  const run: Run = { sockets: [], children: [], samples: samplesSeen };
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
    for (const s of run.sockets.splice(0)) s.close();
    await Promise.all(run.children.map((c) => c.stop(3000)));
    rmSync(root, { recursive: true, force: true });
  }

  const hubErrors: string[] = [];
  const hubSystem = (label: string, cli: string, cpuProf: string | undefined, env: Record<string, string> = {}): System => ({
    label,
    bench: async (dataDir, r) => {
      const result = await benchHub(cli, dataDir, cpuProf, env, r);
      hubErrors.push(...result.errors.map((e) => `${label}: ${e}`));
      return result;
    },
  });
  // The hub first: the relays send its own broadcasts, taken from its first round.
  const systems: System[] = [
    hubSystem('hub', require.resolve('@xephang/hub/cli'), args['hub-cpu-prof']),
    ...(args['base-hub'] === undefined ? [] : [hubSystem('base', baseCli(args['base-hub']), undefined)]),
    ...args.variant.map((v) => {
      const { label, env } = parseVariant(v);
      return hubSystem(label, require.resolve('@xephang/hub/cli'), undefined, env);
    }),
    { label: 'durable relay', bench: (dataDir, r) => benchRelay(true, dataDir, r) },
    { label: 'bare relay', bench: (dataDir, r) => benchRelay(false, dataDir, r) },
  ];
  const results = new Map<string, RoundResult[]>(systems.map((s) => [s.label, []]));

  try {
    process.stdout.write(`bench:hub${SINGLE ? ' --single' : ''} — ${dirname(require.resolve('@xephang/hub/package.json'))}, data ${root}\n`);
    const loads = [loadavg()[0]!.toFixed(1)];
    const commits = commitsPerSecond(root);
    for (let round = 0; round < ROUNDS; round++) {
      const order = systems.map((_, i) => systems[(i + round) % systems.length]!);
      for (const sys of order) {
        process.stdout.write(`round ${round + 1}/${ROUNDS}: ${sys.label}…\n`);
        const dataDir = mkdtempSync(join(root, 'round-'));
        const result = await sys.bench(dataDir, run);
        results.get(sys.label)!.push(result);
        rmSync(dataDir, { recursive: true, force: true });
        process.stdout.write(`  ${roundLine(result)}\n`);
      }
      loads.push(loadavg()[0]!.toFixed(1));
    }
    const missed = report(systems, results, { commitsPerSecond: commits, loads });
    if (hubErrors.length) process.stdout.write(`\nthe hubs logged:\n${hubErrors.map((l) => `  ${l}`).join('\n')}\n`);
    if (missed.length) {
      process.stdout.write(`\ngoals missed: ${missed.join(', ')} (a busy machine misses them too: see the load average above)\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    for (const c of run.children) {
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
