#!/usr/bin/env node
/**
 * Benchmark (not a test) of the hub's memory: `VmRSS` of the real built hub, run as a child
 * process on 127.0.0.1 with a fresh data folder, read from /proc/PID/status at three moments:
 *   1. idle, once it is ready and its start-up work (the render worker's warm-up) has settled;
 *   2. after call WAVs for all nine counters: tickets issued at a kiosk, each counter calls
 *      (`counter:next`) and, as the TV does on `ticket:called`, the call's WAV is fetched, so the
 *      hub renders the voice of every counter (fresh data folder: nothing cached on disk);
 *   3. with 2,000 sockets connected (displays, the cheapest role, so the figure is the hub's
 *      per-connection cost and not its work).
 * Each figure is the median of a few reads of one round, and the table the median of the rounds
 * (a fresh hub each). Exits non-zero when a median is above its goal (issue 16).
 *
 *   npm run bench:memory [-- --rounds 3 --sockets 2000 --calls 2 --settle-ms 20000 --compare OTHER/cli.js]
 *
 * Each moment is read after `--settle-ms` of quiet (20 s): a hub sits idle for hours between
 * bursts, and V8 gives back the garbage of its start (and of a burst) only once it has been idle
 * for several seconds (its memory reducer), so a read 3 s after the work measures that garbage
 * (about 15 MB more at idle), not what the hub keeps.
 *
 * `--compare` runs another built hub (a worktree of an earlier commit) in alternated rounds, so
 * before and after come from one run on one machine; only this tree's hub is held to the goals.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { callWavUrl } from '@xephang/voice/browser';
import { startServerProcess, type ServerProcess } from '../lib/child';
import { connect, hubAuth, send, type HubSocket } from '../lib/hub-socket';
import { percentile } from '../lib/stats';

const COUNTERS = 9;
/** Each counter's first field in the default center (DESIGN.md): a ticket there is one it calls. */
const FIRST_SERVICE: readonly string[] = ['civil', 'civil', 'land', 'business', 'culture', 'civil', 'police', 'landreg', 'post'];
const MB = 1024 * 1024;

/** The issue's table: what each row is, and its goal in MB. */
const ROWS = [
  { key: 'idle', label: 'hub idle, fresh data folder', goalMb: 100 },
  { key: 'wavs', label: 'after call WAVs for all nine counters', goalMb: 150 },
  { key: 'sockets', label: '', goalMb: 250 },
] as const;
type RowKey = (typeof ROWS)[number]['key'];

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    sockets: { type: 'string', default: '2000' },
    calls: { type: 'string', default: '2' },
    'settle-ms': { type: 'string', default: '20000' },
    reads: { type: 'string', default: '5' },
    hub: { type: 'string' },
    compare: { type: 'string' },
  },
});
const ROUNDS = positive('rounds');
const SOCKETS = positive('sockets');
const CALLS = positive('calls');
const SETTLE_MS = positive('settle-ms');
const READS = positive('reads');
const HUB_CLI = args.hub === undefined ? require.resolve('@xephang/hub/cli') : resolve(args.hub);
const COMPARE_CLI = args.compare === undefined ? undefined : resolve(args.compare);

function positive(name: keyof typeof args): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number ≥ 1, got ${String(args[name])}`);
  return value;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The resident set of a process in bytes, from /proc (Linux only: this benchmark needs it). */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** The median of `READS` reads a quarter of a second apart, after `SETTLE_MS` of quiet. */
async function settledRss(pid: number): Promise<number> {
  await sleep(SETTLE_MS);
  const reads: number[] = [];
  for (let i = 0; i < READS; i++) {
    if (i > 0) await sleep(250);
    reads.push(rssOf(pid));
  }
  return percentile(reads, 50);
}

/** Every counter calls `CALLS` times and each call's WAV is fetched, as the TV does on `ticket:called`. */
async function callEveryCounter(url: string, sockets: HubSocket[]): Promise<void> {
  const kiosk = await connect(url, hubAuth({ role: 'kiosk' }));
  sockets.push(kiosk);
  for (let round = 0; round < CALLS; round++) {
    for (const serviceId of FIRST_SERVICE) await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId, priority: 'normal' });
  }
  const counters: HubSocket[] = [];
  for (let id = 1; id <= COUNTERS; id++) {
    const counter = await connect(url, hubAuth({ role: 'counter', counterId: id }));
    sockets.push(counter);
    await send(counter, 'clerk:login', { clerkId: id, pin: String(id).repeat(4) });
    await send(counter, 'counter:open', {});
    counters.push(counter);
  }
  for (let round = 0; round < CALLS; round++) {
    for (const [i, counter] of counters.entries()) {
      const ticket = await send(counter, 'counter:next', { requestId: randomUUID() });
      const res = await fetch(`${url}${callWavUrl({ number: ticket.number, counter: i + 1, service: ticket.serviceId })}`);
      if (res.status !== 200) throw new Error(`call.wav for ${ticket.number} at counter ${i + 1}: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
    // Each counter finishes the visit it called, so its next `counter:next` calls another.
    if (round + 1 < CALLS) for (const counter of counters) await finishCurrent(counter);
  }
}

/** Starts serving and finishes the counter's current ticket, so `counter:next` calls another. */
async function finishCurrent(counter: HubSocket): Promise<void> {
  await send(counter, 'counter:start', { requestId: randomUUID() });
  await send(counter, 'counter:finish', { requestId: randomUUID(), outcome: 'guidance' });
}

/** Opens `n` display sockets, a hundred at a time (a TV wall reconnecting after a blip, not a flood). */
async function connectDisplays(url: string, n: number, sockets: HubSocket[]): Promise<void> {
  for (let opened = 0; opened < n; opened += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, n - opened) }, () => connect(url, hubAuth({ role: 'display' }))));
    sockets.push(...batch);
  }
}

type Round = Record<RowKey, number>;

/** One fresh hub from `cli`: its three figures, in bytes. */
async function measure(cli: string): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-bench-memory-'));
  const sockets: HubSocket[] = [];
  let hub: ServerProcess | undefined;
  try {
    hub = await startServerProcess({
      name: 'hub',
      args: [cli, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--demo', '--kiosk-burst', '0', '--any-hours', '--no-discovery'],
      env: { XEPHANG_ADMIN_PASSWORD: `bench-${randomUUID()}` },
      ready: /xephang hub ready on port (\d+)/,
    });
    const pid = hub.child.pid!;
    const idle = await settledRss(pid);
    await callEveryCounter(hub.url, sockets);
    const wavs = await settledRss(pid);
    await connectDisplays(hub.url, SOCKETS, sockets);
    const withSockets = await settledRss(pid);
    if (hub.exitedEarly()) throw new Error(`the hub exited:\n${hub.output()}`);
    return { idle, wavs, sockets: withSockets };
  } finally {
    for (const s of sockets) s.close();
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const labelOf = (key: RowKey) => (key === 'sockets' ? `${SOCKETS.toLocaleString('en-US')} sockets connected` : ROWS.find((r) => r.key === key)!.label);

async function main(): Promise<void> {
  if (process.platform !== 'linux') throw new Error('bench:memory reads /proc/PID/status: run it on Linux');
  const mine: Round[] = [];
  const theirs: Round[] = [];
  process.stderr.write(`hub: ${HUB_CLI}${COMPARE_CLI ? `\nbefore: ${COMPARE_CLI}` : ''}\n`);
  for (let r = 0; r < ROUNDS; r++) {
    // Alternated, the earlier hub first in odd rounds, so a slow spell of the machine hits both.
    const order: [string, Round[]][] = [[HUB_CLI, mine]];
    if (COMPARE_CLI) order[r % 2 === 0 ? 'unshift' : 'push']([COMPARE_CLI, theirs]);
    for (const [cli, into] of order) {
      const round = await measure(cli);
      into.push(round);
      process.stderr.write(`round ${r + 1} ${cli === HUB_CLI ? 'now' : 'before'}: ${ROWS.map((row) => `${row.key} ${mb(round[row.key])}`).join(', ')}\n`);
    }
  }
  const median = (rounds: Round[], key: RowKey) => percentile(rounds.map((x) => x[key]), 50);
  const lines = [
    `VmRSS of the hub process (medians of ${ROUNDS} rounds, each the median of ${READS} reads after ${SETTLE_MS} ms; ${CALLS} calls per counter)`,
    '',
    COMPARE_CLI ? '| | before | now | goal |' : '| | now | goal |',
    COMPARE_CLI ? '| --- | --- | --- | --- |' : '| --- | --- | --- |',
  ];
  const over: string[] = [];
  for (const row of ROWS) {
    const now = median(mine, row.key);
    if (now >= row.goalMb * MB) over.push(`${labelOf(row.key)}: ${mb(now)} ≥ ${row.goalMb} MB`);
    const before = COMPARE_CLI ? ` ${mb(median(theirs, row.key))} |` : '';
    lines.push(`| ${labelOf(row.key)} |${before} ${mb(now)} | < ${row.goalMb} MB |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (over.length > 0) {
    process.stdout.write(`\nAbove the goal:\n${over.map((o) => `  ${o}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:memory failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
