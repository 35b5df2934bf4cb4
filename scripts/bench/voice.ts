#!/usr/bin/env node
/**
 * Benchmark (not a test) of the first announcement of a number the hub never said, on the real
 * TV page (`/display` in Debian's Chromium) against the real built hub, with and without
 * pre-rendering (XEPHANG_VOICE_PRERENDER=off is the start commit's behaviour: render when the TV
 * asks), the two alternated round by round:
 *   1. key → sound: from just before a counter emits `counter:next` to the TV page starting its
 *      audio (an AudioBufferSourceNode's `start` or an <audio> element's `play`, timed in the page);
 *      one ticket per field was issued and the hub left idle first, so every call is a number the
 *      hub never said (and, with pre-rendering, one it could foresee);
 *   2. next → display while pre-rendering runs: the moment the hub turns idle and starts
 *      rendering, a burst of calls at one counter, timed to a display socket's `ticket:called`.
 *
 *   npm run bench:voice [-- --rounds 2 --burst 100 --goal-ms 300]
 *
 * Exits non-zero when the median key → sound with pre-rendering is above the goal.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { Ack, TicketCalled } from '@xephang/protocol';
import { disposeHub, display, kiosk, launchChromium, openCounter, rid, startHubProcess, until, type HubProcess } from '@xephang/testing';
import { summarize } from '../lib/stats';

/** The default center's fields, and a counter whose first field each is (DESIGN.md). */
const FIELD_COUNTER: readonly [string, number][] = [
  ['civil', 1],
  ['land', 3],
  ['business', 4],
  ['culture', 5],
  ['police', 7],
  ['landreg', 8],
  ['post', 9],
];
/** Calls whose WAV pre-rendering writes for one ticket per field: counters 1, 2 (civil), 3–5, 6 (four fields), 7–9. */
const LIKELY_FILES = 12;
/** The hub's idle threshold (voice-prerender.ts) and a poll of margin. */
const QUIET_MS = 3500;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    burst: { type: 'string', default: '100' },
    'goal-ms': { type: 'string', default: '300' },
  },
});
const ROUNDS = Number(args.rounds);
const BURST = Number(args.burst);
const GOAL_MS = Number(args['goal-ms']);

type Variant = 'before' | 'after';
type HubClient = Awaited<ReturnType<typeof openCounter>>;
/** What the page keeps for us: the probe's sound starts and the TV's own voice log. */
type Probed = { __audioStarts: number[]; __wavFetches: { asked: number; answered: number }[]; xephangVoiceLog?: string[] };
const soundStarts = () => (window as unknown as Probed).__audioStarts;
const voiceEnds = () => ((window as unknown as Probed).xephangVoiceLog ?? []).filter((l) => l.startsWith('end')).length;

/** Records in the page when sound starts, on the page's clock (ms since the epoch, as Date.now here). */
const AUDIO_PROBE = `
window.__audioStarts = [];
const mark = () => window.__audioStarts.push(performance.timeOrigin + performance.now());
const start = AudioBufferSourceNode.prototype.start;
AudioBufferSourceNode.prototype.start = function (...a) { mark(); return start.apply(this, a); };
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function (...a) { mark(); return play.apply(this, a); };
// Where the time goes: when the page asked for the call's WAV and when its answer came.
window.__wavFetches = [];
const get = window.fetch;
window.fetch = function (input, init) {
  const url = String(input && input.url ? input.url : input);
  if (!url.includes('/api/voice/call.wav')) return get.call(this, input, init);
  const f = { asked: performance.timeOrigin + performance.now(), answered: 0 };
  window.__wavFetches.push(f);
  return get.call(this, input, init).then((r) => { f.answered = performance.timeOrigin + performance.now(); return r; });
};
`;

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RoundResult {
  keyToSound: number[];
  /** Key → the page asking for the WAV; the hub answering it; the answer → sound (decoding). */
  keyToAsk: number[];
  ask: number[];
  answerToSound: number[];
  nextToDisplay: number[];
  cachedFiles: number;
}

async function round(browser: Browser, variant: Variant): Promise<RoundResult> {
  let hub: HubProcess | undefined;
  const clients: HubClient[] = [];
  let page: Page | undefined;
  try {
    hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'], env: { XEPHANG_VOICE_PRERENDER: variant === 'after' ? 'on' : 'off' } });
    const counters = new Map<number, HubClient>();
    for (let id = 1; id <= 9; id++) counters.set(id, await openCounter(hub, id));
    clients.push(...counters.values());
    const k = await kiosk(hub);
    const tv = await display(hub);
    clients.push(k, tv);
    const calledAt = new Map<string, number>();
    tv.socket.on('ticket:called', (e: TicketCalled) => void calledAt.set(e.ticket.id, performance.now()));

    page = await browser.newPage();
    await page.addInitScript(AUDIO_PROBE);
    await page.goto(`${hub.url}/display`);
    await page.waitForSelector('[data-testid="connection"][data-online="true"]');

    for (const [serviceId] of FIELD_COUNTER) ok(await k.send('ticket:issue', { requestId: rid(), serviceId }));
    const cacheDir = join(hub.dataDir, 'voice', 'cache');
    const files = () => readdirSync(cacheDir).filter((n) => n.endsWith('.wav')).length;
    if (variant === 'after') await until(() => files() >= LIKELY_FILES, 'the pre-rendered calls', 180_000);
    else await sleep(QUIET_MS);
    const cachedFiles = files();

    // 1. Key → sound, one call at a time (each announcement ends before the next key).
    const keyToSound: number[] = [];
    const keyToAsk: number[] = [];
    const ask: number[] = [];
    const answerToSound: number[] = [];
    const nextToDisplay: number[] = [];
    for (const [, counterId] of FIELD_COUNTER) {
      const before = (await page.evaluate(soundStarts)).length;
      const ends = await page.evaluate(voiceEnds);
      const sentWall = Date.now();
      const sent = performance.now();
      const ticket = ok(await counters.get(counterId)!.send('counter:next', { requestId: rid() }));
      await page.waitForFunction((n) => (window as unknown as Probed).__audioStarts.length > n, before, { timeout: 30_000 });
      const startedWall = (await page.evaluate(soundStarts))[before]!;
      keyToSound.push(startedWall - sentWall);
      const fetched = (await page.evaluate(() => (window as unknown as Probed).__wavFetches)).at(-1)!;
      keyToAsk.push(fetched.asked - sentWall);
      ask.push(fetched.answered - fetched.asked);
      answerToSound.push(startedWall - fetched.answered);
      await until(() => calledAt.has(ticket.id), 'ticket:called', 10_000);
      nextToDisplay.push(calledAt.get(ticket.id)! - sent);
      await page.waitForFunction((n) => ((window as unknown as Probed).xephangVoiceLog ?? []).filter((l) => l.startsWith('end')).length > n, ends, { timeout: 30_000 });
    }

    // 2. Next → display while pre-rendering runs: new likely calls, the hub left idle until it
    //    starts on them, then a burst at counter 2 (civil).
    for (let i = 0; i < BURST; i++) ok(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    for (const [serviceId] of FIELD_COUNTER.slice(1)) ok(await k.send('ticket:issue', { requestId: rid(), serviceId }));
    await page.close();
    page = undefined;
    const filesBefore = files();
    await sleep(QUIET_MS);
    if (variant === 'after') await until(() => files() > filesBefore, 'pre-rendering under way', 30_000).catch(() => undefined);
    const clerk = counters.get(2)!;
    const burst: number[] = [];
    for (let i = 0; i < BURST; i++) {
      const sent = performance.now();
      const ticket = ok(await clerk.send('counter:next', { requestId: rid() }));
      await until(() => calledAt.has(ticket.id), 'ticket:called', 10_000);
      burst.push(calledAt.get(ticket.id)! - sent);
      ok(await clerk.send('counter:start', { requestId: rid() }));
      ok(await clerk.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    }
    return { keyToSound, keyToAsk, ask, answerToSound, nextToDisplay: [...nextToDisplay, ...burst], cachedFiles };
  } finally {
    await page?.close().catch(() => undefined);
    for (const c of clients) c.close();
    await disposeHub(hub);
  }
}

const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 0).padStart(8);

async function main(): Promise<void> {
  const browser = await launchChromium();
  const all: Record<Variant, RoundResult[]> = { before: [], after: [] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Alternated, and the order swapped every round: the machine's load drifts.
      const order: Variant[] = r % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      for (const v of order) {
        const result = await round(browser, v);
        all[v].push(result);
        const k = summarize(result.keyToSound);
        process.stdout.write(`round ${r + 1} ${v.padEnd(6)} key → sound p50 ${k.p50.toFixed(0)} ms max ${k.max.toFixed(0)} ms; cached before the calls: ${result.cachedFiles}\n`);
      }
    }
  } finally {
    await browser.close();
  }
  const table = (label: string, pick: (r: RoundResult) => number[]) => {
    const b = summarize(all.before.flatMap(pick));
    const a = summarize(all.after.flatMap(pick));
    process.stdout.write(`${label.padEnd(42)} ${fmt(b.p50)} ${fmt(b.p99)} ${fmt(a.p50)} ${fmt(a.p99)} ${(a.p50 / b.p50).toFixed(2).padStart(7)}×\n`);
    return { b, a };
  };
  process.stdout.write(`\n${ROUNDS} rounds alternated; before = XEPHANG_VOICE_PRERENDER=off (render when asked), after = pre-rendering on\n`);
  process.stdout.write(`${''.padEnd(42)} ${'before'.padStart(8)} ${''.padStart(8)} ${'after'.padStart(8)}\n`);
  process.stdout.write(`${'ms'.padEnd(42)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} after/before\n`);
  const key = table(`key → TV sound, new number (n=${all.after.flatMap((r) => r.keyToSound).length})`, (r) => r.keyToSound);
  table('  key → TV asks for the WAV', (r) => r.keyToAsk);
  table('  the hub answers the WAV', (r) => r.ask);
  table('  answer → sound starts (decoding)', (r) => r.answerToSound);
  table(`next → display (n=${all.after.flatMap((r) => r.nextToDisplay).length})`, (r) => r.nextToDisplay);
  if (key.a.p50 > GOAL_MS) {
    process.stdout.write(`GOAL MISSED: key → sound p50 ${key.a.p50.toFixed(0)} ms > ${GOAL_MS} ms\n`);
    process.exitCode = 1;
  } else process.stdout.write(`goal met: key → sound p50 ${key.a.p50.toFixed(0)} ms ≤ ${GOAL_MS} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
