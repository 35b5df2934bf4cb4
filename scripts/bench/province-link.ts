#!/usr/bin/env node
/**
 * Benchmark (not a test): does the province link slow a kiosk? The kiosk's `ticket:issue` ack
 * latency on the real built hub, with the link
 * - `none`: the hub not enrolled (the baseline, run in the same rounds);
 * - `up`: enrolled with a real province server (on an embedded PostgreSQL), reached at once;
 * - `down`: enrolled, then the province's address refuses every connection (the sender fails,
 *   backs off, tries again);
 * - `slow`: enrolled, every chunk each way held `--slow-ms` (2 s) by a TCP proxy in this
 *   process (a congested WAN: each push takes seconds).
 * Every hub starts from a copy of one data folder holding `--history-days` weekdays of visits
 * (gen-visits.ts) with their day tallies kept, so an enrolment queues that many days and the
 * sender has real batches to send (tallies read, encoded, posted) while the kiosk issues; the
 * sender's waits are shortened (`--today-ms`, `--retry-ms`) so it works harder than in a center.
 * Each round runs the four links in an order that turns from round to round; the figures are the
 * medians of the rounds' p50 and p99, and their ratios to the baseline's.
 *
 *   npm run bench:province-link [-- --rounds 3 --tickets 300 --gap-ms 20 --slow-ms 2000
 *     --history-days 120 --per-day 200 --today-ms 2000 --retry-ms 1000]
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { ProvinceLinkView } from '@xephang/protocol';
import { startTcpProxy, type TcpProxy } from '@xephang/testing';
import { addCommune, createDatabase, startPostgres, startProvinceProcess } from '@xephang/testing/province';
import { startServerProcess, type ServerProcess } from '../lib/child';
import { connect, hubAuth, send, type HubSocket } from '../lib/hub-socket';
import { summarize, type Summary } from '../lib/stats';
import { generate } from './gen-visits';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    tickets: { type: 'string', default: '300' },
    /** A kiosk's pause between two tickets (a citizen takes longer; a burst is this). */
    'gap-ms': { type: 'string', default: '20' },
    'slow-ms': { type: 'string', default: '2000' },
    'history-days': { type: 'string', default: '120' },
    'per-day': { type: 'string', default: '200' },
    'today-ms': { type: 'string', default: '2000' },
    'retry-ms': { type: 'string', default: '1000' },
  },
  strict: true,
});
const positive = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer, got ${text}`);
  return n;
};
const ROUNDS = positive('rounds', args.rounds);
const TICKETS = positive('tickets', args.tickets);
const GAP_MS = positive('gap-ms', args['gap-ms']);
const SLOW_MS = positive('slow-ms', args['slow-ms']);
const HISTORY_DAYS = positive('history-days', args['history-days']);
const PER_DAY = positive('per-day', args['per-day']);
const LINK_ARGS = ['--province-today-ms', String(positive('today-ms', args['today-ms'])), '--province-retry-ms', String(positive('retry-ms', args['retry-ms']))];
const WARMUP = 20;
const HUB = require.resolve('@xephang/hub/cli');
const SERVICES = ['civil', 'land', 'business', 'culture'];
const LINKS = ['none', 'up', 'down', 'slow'] as const;
type Link = (typeof LINKS)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (line: string) => process.stdout.write(`${line}\n`);

function startHub(dataDir: string, password: string): Promise<ServerProcess> {
  return startServerProcess({
    name: 'hub',
    args: [HUB, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--kiosk-burst', '0', '--any-hours', '--no-discovery', ...LINK_ARGS],
    env: { XEPHANG_ADMIN_PASSWORD: password },
    ready: /xephang hub ready on port (\d+)/,
    timeoutMs: 60_000,
  });
}

/** The template: weeks of visits ending yesterday, every past day's tally kept (a hub that ran for months). */
async function makeTemplate(password: string): Promise<{ dir: string; days: number; kept: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-bench-link-'));
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const { days } = generate(dir, HISTORY_DAYS * PER_DAY, PER_DAY, yesterday, 7);
  const hub = await startHub(dir, password);
  const kept = () => {
    const db = new Database(join(dir, 'xephang.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM report_days').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  try {
    // The background filling keeps every day from the first ticket's to yesterday.
    const deadline = Date.now() + 120_000;
    let last = -1;
    while (Date.now() < deadline) {
      await sleep(1000);
      const n = kept();
      if (n > 0 && n === last) break;
      last = n;
    }
  } finally {
    await hub.stop();
  }
  return { dir, days, kept: kept() };
}

interface Run {
  acks: Summary;
  view: ProvinceLinkView | undefined;
}

async function main(): Promise<void> {
  const password = `bench-${randomUUID()}`;
  out(`xephang province link bench: ${ROUNDS} rounds × ${LINKS.join('/')}, ${TICKETS} tickets each ${GAP_MS} ms apart, machine ${availableParallelism()} cores, Node ${process.version}`);
  const t0 = performance.now();
  const template = await makeTemplate(password);
  out(`template: ${HISTORY_DAYS * PER_DAY} visits over ${template.days} weekdays, ${template.kept} day tallies kept (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const pg = await startPostgres();
  const database = await createDatabase(pg.url);
  const province = await startProvinceProcess({ databaseUrl: database.url });
  const proxies: TcpProxy[] = [];
  let communes = 0;
  const runs = new Map<Link, Run[]>(LINKS.map((l) => [l, []]));
  try {
    const token = await province.admin();
    /** A new commune at the province, for one run: its code and one-time key. */
    const newCommune = async (): Promise<{ code: string; key: string }> => {
      const code = String(20_000 + ++communes);
      return { code, key: await addCommune(province, token, code, `Xã thử ${communes}`) };
    };

    const runOnce = async (link: Link): Promise<Run> => {
      const dataDir = mkdtempSync(join(tmpdir(), 'xephang-bench-link-'));
      cpSync(template.dir, dataDir, { recursive: true });
      let hub: ServerProcess | undefined;
      const sockets: HubSocket[] = [];
      try {
        hub = await startHub(dataDir, password);
        const admin = await connect(hub.url, hubAuth({ role: 'admin', password }));
        sockets.push(admin);
        if (link !== 'none') {
          // Through a proxy even when up, so the three links differ only in what it does.
          const proxy = await startTcpProxy({ port: province.port });
          proxies.push(proxy);
          const { code, key } = await newCommune();
          await send(admin, 'province:enrol', { url: proxy.url, communeCode: code, key, proxy: null });
          if (link === 'down') proxy.setMode('refuse');
          if (link === 'slow') proxy.setDelay(SLOW_MS);
        }
        const kiosk = await connect(hub.url, hubAuth({ role: 'kiosk' }));
        sockets.push(kiosk);
        const acks: number[] = [];
        for (let i = 0; i < WARMUP + TICKETS; i++) {
          const started = performance.now();
          await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId: SERVICES[i % SERVICES.length]! });
          if (i >= WARMUP) acks.push(performance.now() - started);
          await sleep(GAP_MS);
        }
        const view = link === 'none' ? undefined : await send(admin, 'province:status', {});
        return { acks: summarize(acks), view };
      } finally {
        for (const s of sockets) s.close();
        await hub?.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    };

    for (let r = 0; r < ROUNDS; r++) {
      const order = LINKS.map((_, i) => LINKS[(i + r) % LINKS.length]!);
      for (const link of order) {
        const run = await runOnce(link);
        runs.get(link)!.push(run);
        const v = run.view;
        const linkState = v ? `; link ${v.state}, ${v.ackedSeq} acked, ${v.pending} pending${v.lastError ? ` (${v.lastError.slice(0, 60)}…)` : ''}` : '';
        out(`round ${r + 1} ${link.padEnd(4)}: ack p50 ${run.acks.p50.toFixed(2)} ms  p99 ${run.acks.p99.toFixed(2)} ms  max ${run.acks.max.toFixed(1)} ms${linkState} (load ${loadavg()[0]!.toFixed(1)})`);
      }
    }
  } finally {
    for (const p of proxies) await p.close();
    await province.stop();
    await database.drop();
    await pg.stop();
    rmSync(template.dir, { recursive: true, force: true });
  }

  const median = (values: number[]) => summarize(values).p50;
  const base = runs.get('none')!;
  const baseP50 = median(base.map((x) => x.acks.p50));
  const baseP99 = median(base.map((x) => x.acks.p99));
  const baseMax = median(base.map((x) => x.acks.max));
  out('kiosk ticket:issue ack, medians of the rounds (ratio to no link)');
  for (const link of LINKS) {
    const [p50, p99, max] = (['p50', 'p99', 'max'] as const).map((k) => median(runs.get(link)!.map((x) => x.acks[k])));
    out(
      `  ${link.padEnd(4)}  p50 ${p50!.toFixed(2).padStart(6)} ms (${(p50! / baseP50).toFixed(2)}×)  p99 ${p99!.toFixed(2).padStart(6)} ms (${(p99! / baseP99).toFixed(2)}×)  max ${max!.toFixed(1).padStart(6)} ms (${(max! / baseMax).toFixed(2)}×)`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
