#!/usr/bin/env node
/**
 * A week of a commune center, compressed (issue 17): the real built hub as a child process with
 * `--fake-clock` and `--demo` clerks on a fresh data folder, played Monday to Sunday through its
 * socket protocol by the clients a center has: two kiosks issuing (each ticket drawn for the
 * kiosk's own printer and answered with `ticket:printed`), the nine counters calling, recalling,
 * marking no-shows and calling them back, starting, transferring now and then and finishing with
 * an outcome, the rating tablets rating four visits in ten, and 50 displays (9 above counters)
 * that drop off at random and catch up with `sync`. The clock moves by `clock:set` in steps of
 * `--step-min` minutes through the default opening hours, so a day takes seconds; each night the
 * day turns.
 *
 * Every ack the clients receive is kept (scripts/lib/ack-ledger.ts) and, once the hub stopped
 * cleanly, checked against its SQLite file. Each simulated evening, after `--settle-ms` of quiet:
 * the hub's VmRSS, its event-loop delay p99 (the hub reports it on SIGUSR2 with
 * XEPHANG_LOOP_DELAY=signal, apps/hub/src/loop-delay.ts), the sizes of the database, its WAL and
 * the logs, and the backups in the data folder. Exits 1 when an acked fact is missing from the
 * database, a display did not catch up, a command was refused or unanswered other than an empty
 * queue, the hub died, or its memory grew faster than `--max-slope-mb` a day over days 2… (7).
 *
 *   npm run soak [-- --volume 5] [-- --days 7 --volume 1 --displays 50 --step-min 2 --settle-ms 8000 --recycle-ms 4000
 *     --start 2026-12-07 --seed 17 --keep DIR --json FILE --hub OTHER/cli.js --max-slope-mb 5]
 *   npm run soak -- --check DIR     (checks a kept folder's acks.json against its xephang.sqlite again)
 *
 * The volume is the seed's (DESIGN.md): week 2's 312 civil status, 28 land, 2 business and 6
 * culture visits, plus 200 at the partner agencies for its "hundreds of citizens helped"
 * (80 police, 60 land registration, 60 post office): 548 a week over its eleven half-days,
 * 50 each half-day (100 a weekday, 50 on Saturday morning, none on Sunday). `--volume 5` plays
 * five times that.
 *
 * The night is compressed too: the hub replaces its ticket-drawing thread after a quiet
 * `--recycle-ms` (4 s here, a minute in a center), so the evening's memory read sees the hub as
 * it spends a real night, not the drawing thread of the afternoon's last ticket.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { localMidnight, mondayIndex } from '@xephang/core';
import { DEFAULT_HOURS } from '@xephang/hub/default-center';
import type { HubEvent, Outcome, SyncReply, TicketView } from '@xephang/protocol';
import { startServerProcess, type ServerProcess } from '../lib/child';
import { checkLedger, loadLedger, newLedger, noteRatingAck, noteTicketAck, saveLedger, type LedgerCheck } from '../lib/ack-ledger';
import { connect, hubAuth, send, type HubSocket } from '../lib/hub-socket';
import { percentile } from '../lib/stats';

const MIN = 60_000;
const MB = 1024 * 1024;
/** The backups a hub keeps by default (days: backups/backups.ts's DEFAULT_KEEP_DAYS). */
const KEPT_BACKUPS = 14;
const KIOSKS = 2;
const COUNTERS = 9;
/** The seed's week (see the header), visits per service: the daily mix follows it. */
const WEEK_MIX: readonly [string, number][] = [
  ['civil', 312],
  ['land', 28],
  ['business', 2],
  ['culture', 6],
  ['police', 80],
  ['landreg', 60],
  ['post', 60],
];
const WEEK_VISITS = WEEK_MIX.reduce((sum, [, n]) => sum + n, 0);
/** The half-days the center opens in a week (eleven): each gets an equal share of the visits. */
const HALF_DAYS = DEFAULT_HOURS.week.reduce((sum, sessions) => sum + sessions.length, 0);
/** Chances per call or visit: how often a clerk does the rarer things. */
const P = { priority: 0.06, recall: 0.05, noShow: 0.03, callBack: 0.5, transfer: 0.03, rating: 0.4, displayDrop: 0.003 };
const OUTCOMES: readonly Outcome[] = ['received', 'received', 'guidance', 'guidance', 'guidance', 'returned', 'other'];
/** How long a visit takes at the counter, in steps of the clock (inclusive range). */
const VISIT_STEPS = [1, 4] as const;

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '7' },
    volume: { type: 'string', default: '1' },
    displays: { type: 'string', default: '50' },
    'step-min': { type: 'string', default: '2' },
    'settle-ms': { type: 'string', default: '8000' },
    'recycle-ms': { type: 'string', default: '4000' },
    start: { type: 'string', default: '2026-12-07' },
    seed: { type: 'string', default: '17' },
    // Measured (README, "A week compressed"): weeks read −8.8 to +3.7 MB/day on RSS that moves
    // ±15 MB from one evening to the next; 5 a day is 1.8 GB a year, what a 4 GB PC cannot carry.
    'max-slope-mb': { type: 'string', default: '5' },
    keep: { type: 'string' },
    json: { type: 'string' },
    hub: { type: 'string' },
    check: { type: 'string' },
  },
});

function numberArg(name: keyof typeof args, min: number, integer = true): number {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} cần một số${integer ? ' nguyên' : ''} ≥ ${min} (needs a number ≥ ${min}), không phải "${String(args[name])}"`);
  }
  return value;
}

/** A small seeded generator (splitmix32): two runs with one seed play the same week. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
/** The refusal's code in an error `send` threw ("counter:next: queue_empty: …"), or "no_reply". */
const codeOf = (error: unknown) => /^\S+: (\w+): /.exec(error instanceof Error ? error.message : '')?.[1] ?? 'no_reply';
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The resident set of a process (bytes), from /proc: this soak runs on Linux. */
function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/**
 * The database's size as SQLite sees it (pages × page size), read-only beside the running hub:
 * what it holds, the part still in the WAL included, which the file's size lags behind until a
 * checkpoint copies it over.
 */
function databaseBytes(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  } finally {
    db.close();
  }
}

/** Bytes of the files under `dir` whose name `match`es (a log rotated into a folder counts). */
function bytesUnder(dir: string, match: (name: string) => boolean): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { files, bytes };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !match(entry.name)) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

interface DayRow {
  day: string;
  weekday: number;
  tickets: number;
  commands: number;
  wallMs: number;
  rssMb: number;
  eldP99Ms: number | null;
  /** The V8 heap in use, as the hub reported it with its event-loop delay. */
  heapMb: number | null;
  dbBytes: number;
  walBytes: number;
  logBytes: number;
  backups: number;
  displayResyncs: number;
}

/** What the run counts besides the acks: refusals by code, display catch-ups, anomalies. */
interface Tally {
  refusals: Record<string, number>;
  unexpected: string[];
  resyncs: { events: number; snapshot: number };
  displaysBehind: number;
  commands: number;
  /** The code of each refusal a kiosk got on a closed day (expected: the center is closed). */
  closedDayRefusals: string[];
}

interface Display {
  counterId: number | undefined;
  socket: HubSocket | undefined;
  lastSeq: number;
  hubId: string | undefined;
  /** The step at which a dropped display comes back. */
  backAt: number;
}

interface CounterSim {
  id: number;
  socket: HubSocket;
  tablet: HubSocket;
  services: readonly string[];
  state: 'idle' | 'called' | 'serving';
  finishAt: number;
  recallNext: boolean;
  noShowNext: boolean;
  /** Tickets marked no-show this counter will call back, at a step. */
  callBacks: { ticketId: string; at: number }[];
}

class Soak {
  readonly ledger = newLedger();
  readonly tally: Tally = { refusals: {}, unexpected: [], resyncs: { events: 0, snapshot: 0 }, displaysBehind: 0, commands: 0, closedDayRefusals: [] };
  readonly waiting = new Map<string, number>();
  readonly sockets: HubSocket[] = [];
  counters: CounterSim[] = [];
  kiosks: HubSocket[] = [];
  displays: Display[] = [];
  step = 0;

  constructor(
    readonly hub: ServerProcess,
    readonly admin: HubSocket,
    readonly rnd: () => number,
    readonly services: readonly string[],
  ) {}

  private track(socket: HubSocket): HubSocket {
    this.sockets.push(socket);
    return socket;
  }

  /** Sends a command; a refusal is counted (an empty queue is expected, anything else is not). */
  async run<T>(what: string, body: () => Promise<T>): Promise<T | undefined> {
    this.tally.commands++;
    try {
      return await body();
    } catch (error) {
      const code = codeOf(error);
      this.tally.refusals[code] = (this.tally.refusals[code] ?? 0) + 1;
      if (code !== 'queue_empty' && this.tally.unexpected.length < 20) this.tally.unexpected.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async setClock(at: number): Promise<void> {
    await send(this.admin, 'clock:set', { at });
  }

  async connectDisplay(d: Display): Promise<void> {
    const socket = this.track(await connect(this.hub.url, hubAuth({ role: 'display', ...(d.counterId === undefined ? {} : { counterId: d.counterId }) })));
    // Every broadcast carries its sequence number: the display keeps the highest, as a screen does.
    socket.onAny((_name: string, event: Partial<HubEvent> | undefined) => {
      if (typeof event?.seq === 'number' && event.seq > d.lastSeq) d.lastSeq = event.seq;
    });
    const reply: SyncReply = await send(socket, 'sync', { lastSeq: d.lastSeq, ...(d.hubId === undefined ? {} : { hubId: d.hubId }) });
    if (reply.mode === 'snapshot') {
      this.tally.resyncs.snapshot++;
      d.hubId = reply.snapshot.hubId;
      d.lastSeq = Math.max(d.lastSeq, reply.snapshot.seq);
    } else {
      this.tally.resyncs.events++;
      let previous = d.lastSeq;
      for (const event of reply.events) {
        if (event.seq <= previous && this.tally.unexpected.length < 20) this.tally.unexpected.push(`sync: event ${event.seq} after ${previous}`);
        previous = event.seq;
      }
      d.lastSeq = Math.max(d.lastSeq, previous);
    }
    d.socket = socket;
  }

  async connectAll(displays: number): Promise<void> {
    for (let k = 0; k < KIOSKS; k++) this.kiosks.push(this.track(await connect(this.hub.url, hubAuth({ role: 'kiosk' }))));
    for (let id = 1; id <= COUNTERS; id++) {
      const socket = this.track(await connect(this.hub.url, hubAuth({ role: 'counter', counterId: id })));
      const tablet = this.track(await connect(this.hub.url, hubAuth({ role: 'rating', counterId: id })));
      const services = (await send(socket, 'clerk:login', { clerkId: id, pin: String(id).repeat(4) })).counter.serviceIds;
      this.counters.push({ id, socket, tablet, services, state: 'idle', finishAt: 0, recallNext: false, noShowNext: false, callBacks: [] });
    }
    this.displays = Array.from({ length: displays }, (_, i) => ({ counterId: i < COUNTERS ? i + 1 : undefined, socket: undefined, lastSeq: 0, hubId: undefined, backAt: 0 }));
    for (const d of this.displays) await this.connectDisplay(d);
  }

  /** The morning: the demo clerk of the counter logs in with its PIN (closing logs out) and opens it. */
  async openCounter(c: CounterSim): Promise<void> {
    await this.run('clerk:login', () => send(c.socket, 'clerk:login', { clerkId: c.id, pin: String(c.id).repeat(4) }));
    await this.run('counter:open', () => send(c.socket, 'counter:open', {}));
  }

  /** A kiosk issues a ticket for its own printer and says it printed. */
  async issue(kiosk: HubSocket, serviceId: string): Promise<void> {
    const priority = this.rnd() < P.priority ? 'elderly' : 'normal';
    const issued = await this.run('ticket:issue', () => send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId, priority, printHere: { paperWidth: 80 } }));
    if (!issued) return;
    noteTicketAck(this.ledger, 'ticket:issue', issued.ticket);
    this.waiting.set(serviceId, (this.waiting.get(serviceId) ?? 0) + 1);
    if (issued.kioskJob) {
      const { printId } = issued.kioskJob;
      await this.run('ticket:printed', () => send(kiosk, 'ticket:printed', { printId, printed: true, state: 'ok', message: '' }));
    }
  }

  private noted(command: string, view: TicketView | undefined): TicketView | undefined {
    if (view) noteTicketAck(this.ledger, command, view);
    return view;
  }

  /** One thing a counter does in a step: the next step of its current visit, or a new call. */
  async act(c: CounterSim): Promise<void> {
    const rid = () => ({ requestId: randomUUID() });
    if (c.state === 'called') {
      if (c.noShowNext) {
        c.noShowNext = false;
        const missed = this.noted('counter:noShow', await this.run('counter:noShow', () => send(c.socket, 'counter:noShow', rid())));
        c.state = 'idle';
        if (missed && this.rnd() < P.callBack) c.callBacks.push({ ticketId: missed.id, at: this.step + 3 });
      } else if (c.recallNext) {
        c.recallNext = false;
        this.noted('counter:recall', await this.run('counter:recall', () => send(c.socket, 'counter:recall', rid())));
      } else if (this.noted('counter:start', await this.run('counter:start', () => send(c.socket, 'counter:start', rid())))) {
        c.state = 'serving';
        c.finishAt = this.step + VISIT_STEPS[0] + Math.floor(this.rnd() * (VISIT_STEPS[1] - VISIT_STEPS[0] + 1));
      }
      return;
    }
    if (c.state === 'serving') {
      if (this.step < c.finishAt) return;
      await this.endVisit(c, this.rnd() < P.transfer);
      return;
    }
    const due = c.callBacks.findIndex((b) => b.at <= this.step);
    if (due >= 0) {
      const { ticketId } = c.callBacks.splice(due, 1)[0]!;
      if (this.noted('counter:recall', await this.run('counter:recall', () => send(c.socket, 'counter:recall', { ...rid(), ticketId })))) c.state = 'called';
      return;
    }
    if (!c.services.some((s) => (this.waiting.get(s) ?? 0) > 0)) return;
    const called = this.noted('counter:next', await this.run('counter:next', () => send(c.socket, 'counter:next', rid())));
    if (!called) {
      // The hub says nothing waits: believe it over this count.
      for (const s of c.services) this.waiting.set(s, 0);
      return;
    }
    this.waiting.set(called.serviceId, Math.max(0, (this.waiting.get(called.serviceId) ?? 0) - 1));
    c.state = 'called';
    c.recallNext = this.rnd() < P.recall;
    c.noShowNext = !c.recallNext && this.rnd() < P.noShow;
  }

  /** Finishes the visit (and maybe has it rated), or transfers it to another field. */
  async endVisit(c: CounterSim, transfer: boolean): Promise<void> {
    if (transfer) {
      const others = this.services.filter((s) => !c.services.includes(s));
      const toServiceId = others[Math.floor(this.rnd() * others.length)]!;
      const moved = this.noted('counter:transfer', await this.run('counter:transfer', () => send(c.socket, 'counter:transfer', { requestId: randomUUID(), toServiceId })));
      if (moved) this.waiting.set(moved.serviceId, (this.waiting.get(moved.serviceId) ?? 0) + 1);
      c.state = 'idle';
      return;
    }
    const outcome = OUTCOMES[Math.floor(this.rnd() * OUTCOMES.length)]!;
    const done = this.noted('counter:finish', await this.run('counter:finish', () => send(c.socket, 'counter:finish', { requestId: randomUUID(), outcome })));
    c.state = 'idle';
    if (!done || this.rnd() >= P.rating) return;
    const score = (1 + Math.floor(this.rnd() * 4)) as 1 | 2 | 3 | 4;
    const rated = await this.run('rating:submit', () => send(c.tablet, 'rating:submit', { requestId: randomUUID(), ticketId: done.id, score }));
    if (rated) noteRatingAck(this.ledger, done.id, score);
  }

  /** Before a pause or the evening: the visit under way is finished (a clerk does not leave one). */
  async drain(c: CounterSim): Promise<void> {
    if (c.state === 'called') {
      c.noShowNext = false;
      c.recallNext = false;
      await this.act(c);
    }
    if (c.state === 'serving') await this.endVisit(c, false);
  }

  /** Displays drop off at random and come back a few steps later with `sync`. */
  async churnDisplays(): Promise<void> {
    for (const d of this.displays) {
      if (d.socket && this.rnd() < P.displayDrop) {
        d.socket.close();
        d.socket = undefined;
        d.backAt = this.step + 2 + Math.floor(this.rnd() * 8);
      } else if (!d.socket && this.step >= d.backAt) {
        await this.connectDisplay(d);
      }
    }
  }

  /** Every display connected now, after the quiet, has the hub's latest sequence number. */
  async displaysInStep(): Promise<void> {
    for (const d of this.displays) if (!d.socket) await this.connectDisplay(d);
    const probe = this.track(await connect(this.hub.url, hubAuth({ role: 'display' })));
    const reply = await send(probe, 'sync', { lastSeq: 0 });
    probe.close();
    const seq = reply.mode === 'snapshot' ? reply.snapshot.seq : (reply.events.at(-1)?.seq ?? 0);
    const behind = this.displays.filter((d) => d.lastSeq < seq).length;
    this.tally.displaysBehind += behind;
    if (behind > 0 && this.tally.unexpected.length < 20) this.tally.unexpected.push(`${behind} màn hình chưa nhận tới sự kiện ${seq} (displays behind)`);
  }

  /** Plays one day on the hub's clock: its sessions, arrivals, calls, pauses. */
  async playDay(day: string, volume: number, stepMin: number): Promise<void> {
    const midnight = localMidnight(day)!;
    const weekday = mondayIndex(day);
    const sessions = DEFAULT_HOURS.week[weekday] ?? [];
    // The night: the day turns on the first clock:set of the morning.
    await this.setClock(midnight + 6 * 60 * MIN);
    for (const s of this.services) this.waiting.set(s, 0);
    for (const c of this.counters) c.callBacks = [];
    if (sessions.length === 0) {
      // A closed day: the kiosk must refuse, and nothing is issued.
      await this.setClock(midnight + 9 * 60 * MIN);
      try {
        const issued = await send(this.kiosks[0]!, 'ticket:issue', { requestId: randomUUID(), serviceId: 'civil', priority: 'normal' });
        this.tally.unexpected.push(`ticket:issue ngày nghỉ ${day}: được cấp số ${issued.ticket.number} (issued on a closed day)`);
      } catch (error) {
        this.tally.closedDayRefusals.push(codeOf(error));
      }
      return;
    }
    const early = DEFAULT_HOURS.earlyIssueMinutes;
    // The kiosk issues from `early` minutes before the morning and through the lunch break: the
    // afternoon's citizens arrive from half an hour before it opens.
    const windows = sessions.map(({ open, close }, i) => ({ open: minutesOf(open), close: minutesOf(close), from: minutesOf(open) - (i === 0 ? early : 30) }));
    const perSession = (WEEK_VISITS / HALF_DAYS) * volume;
    // Arrivals: each session's share of the day's visits, at random minutes while it issues.
    const arrivals: { at: number; serviceId: string }[] = [];
    for (const w of windows) {
      const n = Math.round(perSession);
      for (let i = 0; i < n; i++) arrivals.push({ at: w.from + this.rnd() * (w.close - 10 - w.from), serviceId: this.pickService() });
    }
    arrivals.sort((a, b) => a.at - b.at);
    let next = 0;
    for (const [i, w] of windows.entries()) {
      for (let minute = w.from; minute < w.close; minute += stepMin) {
        this.step++;
        await this.setClock(midnight + minute * MIN);
        if (minute >= w.open && minute - stepMin < w.open) await Promise.all(this.counters.map((c) => (i === 0 ? this.openCounter(c) : this.run('counter:resume', () => send(c.socket, 'counter:resume', {})))));
        const now: string[] = [];
        while (next < arrivals.length && arrivals[next]!.at < minute + stepMin) now.push(arrivals[next++]!.serviceId);
        // Two kiosks, each one tap after another, as citizens queue at them.
        await Promise.all(this.kiosks.map(async (kiosk, k) => {
          for (let j = k; j < now.length; j += KIOSKS) await this.issue(kiosk, now[j]!);
        }));
        if (minute >= w.open) await Promise.all(this.counters.map((c) => this.act(c)));
        await this.churnDisplays();
      }
      await this.setClock(midnight + w.close * MIN);
      await Promise.all(this.counters.map((c) => this.drain(c)));
      const last = i === windows.length - 1;
      await Promise.all(this.counters.map((c) => (last ? this.run('counter:close', () => send(c.socket, 'counter:close', {})) : this.run('counter:pause', () => send(c.socket, 'counter:pause', { reason: 'Nghỉ trưa' })))));
    }
  }

  private pickService(): string {
    let r = this.rnd() * WEEK_VISITS;
    for (const [id, n] of WEEK_MIX) if ((r -= n) < 0) return id;
    return WEEK_MIX[0]![0];
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}

/** Asks the hub for its event-loop delay since the last ask and its V8 heap (SIGUSR2), and reads its line. */
async function loopDelayAndHeap(hub: ServerProcess): Promise<{ eldP99Ms: number | null; heapMb: number | null }> {
  const before = hub.output().length;
  hub.child.kill('SIGUSR2');
  for (let waited = 0; waited < 3000; waited += 50) {
    await sleep(50);
    const line = /event-loop delay\): (?:p50 [\d.]+ ms, p99 ([\d.]+) ms.*?|chưa có mẫu nào); heap V8 .*?([\d.]+) MB/.exec(hub.output().slice(before));
    if (line) return { eldP99Ms: line[1] === undefined ? null : Number(line[1]), heapMb: Number(line[2]) };
  }
  return { eldP99Ms: null, heapMb: null };
}

/** Waits until `dir` holds `n` backups, at most `withinMs` (the report then says which day has too few). */
async function backupsAtLeast(dir: string, n: number, withinMs: number): Promise<void> {
  const until = performance.now() + withinMs;
  while (bytesUnder(dir, (f) => f.endsWith('.sqlite')).files < n && performance.now() < until) await sleep(200);
}

/** The median of five reads of the hub's VmRSS after `settleMs` of quiet (MB). */
async function settledRssMb(pid: number, settleMs: number): Promise<number> {
  await sleep(settleMs);
  const reads: number[] = [];
  for (let i = 0; i < 5; i++) {
    if (i > 0) await sleep(200);
    reads.push(rssOf(pid));
  }
  return percentile(reads, 50) / MB;
}

/** Least-squares slope of `ys` against their index (per day). */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

const mb = (bytes: number) => (bytes / MB).toFixed(2);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const WEEKDAY_VI = ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'];

function printCheck(check: LedgerCheck): void {
  process.stdout.write(
    `Đối chiếu (ack check): ${check.acks} phản hồi cho ${check.tickets} phiếu đã đối chiếu với cơ sở dữ liệu; thiếu hoặc sai: ${check.missing.length}` +
      `${check.unacked > 0 ? `; ${check.unacked} phiếu trong cơ sở dữ liệu không có phản hồi nào (ack lost)` : ''}\n`,
  );
  for (const line of check.missing.slice(0, 20)) process.stdout.write(`  THIẾU (missing): ${line}\n`);
}

/** `--check DIR`: a kept folder's ledger against its database again. */
function checkOnly(dir: string): number {
  const check = checkLedger(join(dir, 'xephang.sqlite'), loadLedger(join(dir, 'acks.json')));
  printCheck(check);
  return check.missing.length === 0 && check.acks > 0 ? 0 : 1;
}

async function main(): Promise<number> {
  if (args.check !== undefined) return checkOnly(resolve(args.check));
  if (process.platform !== 'linux') throw new Error('npm run soak đọc /proc/PID/status và gửi SIGUSR2: hãy chạy trên Linux (Linux only)');
  const days = numberArg('days', 1);
  const volume = numberArg('volume', 0.01, false);
  const displays = numberArg('displays', 0);
  const stepMin = numberArg('step-min', 1);
  const settleMs = numberArg('settle-ms', 0);
  const maxSlope = numberArg('max-slope-mb', 0, false);
  const start = args.start!;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || localMidnight(start) === undefined) throw new Error(`--start cần một ngày YYYY-MM-DD, không phải "${start}"`);
  const cli = args.hub === undefined ? require.resolve('@xephang/hub/cli') : resolve(args.hub);
  const dataDir = args.keep === undefined ? mkdtempSync(join(tmpdir(), 'xephang-soak-')) : resolve(args.keep);
  if (args.keep !== undefined) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) throw new Error(`--keep ${dataDir}: thư mục phải trống hoặc chưa có (must be empty)`);
    mkdirSync(dataDir, { recursive: true });
  }
  const dbFile = join(dataDir, 'xephang.sqlite');
  const password = `soak-${randomUUID()}`;
  const rows: DayRow[] = [];
  const began = performance.now();
  let hub: ServerProcess | undefined;
  let soak: Soak | undefined;
  let hubExit: number | null = null;
  try {
    hub = await startServerProcess({
      name: 'hub',
      args: [
        ...[cli, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--demo', '--no-discovery'],
        ...['--fake-clock', `${start}T06:00:00+07:00`, '--timeout-ms', `renderRecycle=${numberArg('recycle-ms', 1000)}`],
      ],
      env: { XEPHANG_ADMIN_PASSWORD: password, XEPHANG_LOOP_DELAY: 'signal' },
      ready: /xephang hub ready on port (\d+)/,
      timeoutMs: 60_000,
    });
    const pid = hub.child.pid!;
    const admin = await connect(hub.url, hubAuth({ role: 'admin', password }));
    soak = new Soak(hub, admin, random(numberArg('seed', 0)), WEEK_MIX.map(([id]) => id));
    await soak.connectAll(displays);
    const startDb = databaseBytes(dbFile);
    process.stderr.write(`soak: ${days} ngày, khối lượng ×${volume}, ${displays} màn hình, bước ${stepMin} phút; hub ${cli}; dữ liệu ${dataDir}\n`);
    for (let d = 0; d < days; d++) {
      const day = addDays(start, d);
      const wall = performance.now();
      const commandsBefore = soak.tally.commands;
      const resyncsBefore = soak.tally.resyncs.events + soak.tally.resyncs.snapshot;
      const issuedBefore = soak.ledger.acks['ticket:issue'] ?? 0;
      await soak.playDay(day, volume, stepMin);
      const tickets = (soak.ledger.acks['ticket:issue'] ?? 0) - issuedBefore;
      // The evening: nothing moves until the next morning.
      await soak.setClock(localMidnight(day)! + 18 * 60 * MIN);
      const wallMs = performance.now() - wall;
      // The hub backs the day up once it has been quiet a moment: the evening is (backups/backups.ts).
      await backupsAtLeast(join(dataDir, 'backups'), Math.min(rows.length + 1, KEPT_BACKUPS), 30_000);
      const rssMb = await settledRssMb(pid, settleMs);
      await soak.displaysInStep();
      if (hub.exitedEarly()) throw new Error(`máy chủ đã dừng giữa chừng (the hub exited):\n${hub.output().slice(-4000)}`);
      const row: DayRow = {
        day,
        weekday: mondayIndex(day),
        tickets,
        commands: soak.tally.commands - commandsBefore,
        wallMs,
        rssMb,
        ...(await loopDelayAndHeap(hub)),
        dbBytes: databaseBytes(dbFile),
        walBytes: sizeOf(`${dbFile}-wal`),
        // The hub's own log file (if it writes one) and what it printed, which a service logs.
        logBytes: bytesUnder(dataDir, (n) => /\.log(\.\d+)?$/.test(n)).bytes + Buffer.byteLength(hub.output()),
        backups: bytesUnder(join(dataDir, 'backups'), (n) => n.endsWith('.sqlite')).files,
        displayResyncs: soak.tally.resyncs.events + soak.tally.resyncs.snapshot - resyncsBefore,
      };
      rows.push(row);
      process.stderr.write(
        `  ${row.day} ${WEEKDAY_VI[row.weekday]}: ${row.tickets} phiếu, ${row.commands} lệnh trong ${(row.wallMs / 1000).toFixed(1)} s; ` +
          `RSS ${row.rssMb.toFixed(1)} MB, heap ${row.heapMb ?? '–'} MB, ELD p99 ${row.eldP99Ms ?? '–'} ms, DB ${mb(row.dbBytes)} MB, WAL ${mb(row.walBytes)} MB, sao lưu ${row.backups}\n`,
      );
    }
    soak.close();
    await hub.stop(15_000);
    hubExit = hub.child.exitCode;
    // Kept beside the database, so `--check DIR` can look again at a kept folder.
    saveLedger(join(dataDir, 'acks.json'), soak.ledger);
    const check = checkLedger(dbFile, soak.ledger);
    return report({ rows, check, tally: soak.tally, hubExit, startDb, maxSlope, volume, elapsedMs: performance.now() - began });
  } finally {
    soak?.close();
    await hub?.stop();
    if (args.keep === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Result {
  rows: DayRow[];
  check: LedgerCheck;
  tally: Tally;
  hubExit: number | null;
  startDb: number;
  maxSlope: number;
  volume: number;
  elapsedMs: number;
}

/** Prints the table, the year's disk and the verdicts; writes `--json`; returns the exit code. */
function report(o: Result): number {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const failures: string[] = [];
  out(`| ngày (day) | phiếu (tickets) | RSS (MB) | heap (MB) | ELD p99 (ms) | DB (MB) | WAL (MB) | log (KB) | sao lưu (backups) |`);
  out('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of o.rows) {
    out(`| ${r.day} ${WEEKDAY_VI[r.weekday]} | ${r.tickets} | ${r.rssMb.toFixed(1)} | ${r.heapMb ?? '–'} | ${r.eldP99Ms ?? '–'} | ${mb(r.dbBytes)} | ${mb(r.walBytes)} | ${(r.logBytes / 1024).toFixed(0)} | ${r.backups} |`);
  }
  out();
  // Memory after the first day: a hub that keeps something per ticket or per reconnect grows every day.
  const after = o.rows.slice(1).map((r) => r.rssMb);
  const growth = after.length >= 3 ? slope(after) : undefined;
  if (growth === undefined) out('Bộ nhớ (memory): cần ít nhất 4 ngày để tính độ dốc (slope not judged under 4 days).');
  else {
    out(`Bộ nhớ (memory) từ ngày 2: ${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB/ngày (slope over days 2…${o.rows.length}; ngưỡng ${o.maxSlope} MB/ngày)`);
    const heaps = o.rows.slice(1).flatMap((r) => (r.heapMb === null ? [] : [r.heapMb]));
    if (heaps.length === after.length) out(`Heap V8 từ ngày 2 (V8 heap in use, to tell JavaScript from native memory): ${slope(heaps) >= 0 ? '+' : ''}${slope(heaps).toFixed(2)} MB/ngày`);
    if (growth > o.maxSlope) failures.push(`bộ nhớ tăng ${growth.toFixed(2)} MB/ngày > ${o.maxSlope} (memory keeps growing)`);
  }
  const last = o.rows.at(-1)!;
  const weeks = o.rows.length / 7;
  const dbGrowthWeek = (last.dbBytes - o.startDb) / weeks;
  const dbYear = o.startDb + dbGrowthWeek * (365 / 7);
  const walMax = Math.max(...o.rows.map((r) => r.walBytes));
  const logYear = (last.logBytes / weeks) * (365 / 7);
  out(
    `Một năm ở khối lượng ×${o.volume} (a year at this volume): cơ sở dữ liệu ≈ ${mb(dbYear)} MB (+${mb(dbGrowthWeek)} MB/tuần), ` +
      `${KEPT_BACKUPS} bản sao lưu giữ lại ≤ ${mb(dbYear * KEPT_BACKUPS)} MB, WAL ≤ ${mb(walMax)} MB: tổng ≤ ${mb(dbYear * (KEPT_BACKUPS + 1) + walMax)} MB` +
      ` (nhật ký nếu không xoay vòng: ${mb(logYear)} MB)`,
  );
  out(
    `Màn hình (displays): ${o.tally.resyncs.events} lần nối lại nhận sự kiện bị lỡ, ${o.tally.resyncs.snapshot} lần nhận toàn bộ trạng thái (resyncs: events / snapshot)` +
      `; lệnh (commands) ${o.tally.commands}; từ chối (refusals): ${JSON.stringify(o.tally.refusals)}` +
      `${o.tally.closedDayRefusals.length > 0 ? `; ngày nghỉ ki-ốt từ chối: ${o.tally.closedDayRefusals.join(', ')}` : ''}`,
  );
  out(`Thời gian chạy (wall time): ${(o.elapsedMs / 1000).toFixed(0)} s`);
  printCheck(o.check);
  if (o.check.missing.length > 0) failures.push(`${o.check.missing.length} điều đã báo nhận không có trong cơ sở dữ liệu (acked but missing)`);
  if (o.check.acks === 0) failures.push('không đối chiếu được phản hồi nào (no ack checked)');
  if (o.hubExit !== 0) failures.push(`máy chủ dừng với mã ${String(o.hubExit)} (the hub did not stop cleanly)`);
  failures.push(...o.tally.unexpected);
  // A backup at the first moment of each day (at the start, then at each turn), the newest KEPT_BACKUPS days kept.
  for (const [i, r] of o.rows.entries()) {
    const expected = Math.min(i + 1, KEPT_BACKUPS);
    if (r.backups < expected) failures.push(`${r.day}: ${r.backups} bản sao lưu, cần ${expected} (a backup at the first moment of every day)`);
  }
  if (args.json !== undefined) {
    writeFileSync(
      resolve(args.json),
      JSON.stringify({ rows: o.rows, acksChecked: o.check.acks, ticketsChecked: o.check.tickets, missing: o.check.missing, slopeMbPerDay: growth ?? null, dbYearBytes: dbYear, failures, tally: o.tally }, null, 2),
    );
  }
  if (failures.length === 0) return 0;
  out();
  out('KHÔNG ĐẠT (failed):');
  for (const f of failures) out(`  ${f}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
