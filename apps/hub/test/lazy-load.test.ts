import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_PASSWORD, disposeHub, kiosk, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

/**
 * Loaded into the hub with NODE_OPTIONS=--require, so into its main thread and each worker
 * thread: every 100 ms each thread writes the files its module cache holds, so the test reads
 * what the hub really loaded, thread by thread, while it runs.
 */
const PROBE = `
const { writeFileSync, renameSync } = require('node:fs');
const { join } = require('node:path');
const { isMainThread, threadId } = require('node:worker_threads');
const file = join(process.env.XEPHANG_PROBE_DIR, isMainThread ? 'main.json' : 'worker-' + threadId + '.json');
setInterval(() => {
  writeFileSync(file + '.tmp', JSON.stringify(Object.keys(require.cache)));
  renameSync(file + '.tmp', file);
}, 100).unref();
`;

const CANVAS = /[/\\]@napi-rs[/\\]canvas/;
const EXCELJS = /[/\\]exceljs[/\\]/;

let hub: HubProcess;
let probeDir: string;

/** The module files a thread of the hub had loaded at its last write. */
function loaded(thread: 'main' | 'workers'): string[] {
  if (thread === 'main') return JSON.parse(readFileSync(join(probeDir, 'main.json'), 'utf8')) as string[];
  return readdirSync(probeDir)
    .filter((f) => f.startsWith('worker-') && f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(probeDir, f), 'utf8')) as string[]);
}

/** The probe writes every 100 ms: a result read after 300 ms includes what happened before it. */
const nextWrites = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  probeDir = mkdtempSync(join(tmpdir(), 'xephang-probe-'));
  writeFileSync(join(probeDir, 'probe.js'), PROBE);
  hub = await startHubProcess({
    env: { NODE_OPTIONS: `--require ${join(probeDir, 'probe.js')}`, XEPHANG_PROBE_DIR: probeDir },
  });
});

afterAll(async () => {
  await disposeHub(hub);
  rmSync(probeDir, { recursive: true, force: true });
});

describe("the hub's main thread loads the heavy parts only when they are needed", () => {
  it('draws tickets with the canvas in its render worker only; exceljs waits for an XLSX export', async () => {
    // The render worker is warmed at start: the canvas is loaded there, and only there.
    await until(() => existsSync(join(probeDir, 'main.json')) && loaded('workers').some((f) => CANVAS.test(f)), 'the render worker drew its warm-up ticket');
    const k = await kiosk(hub);
    try {
      const issued = unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
      // The default (preview) printer writes the ticket's picture, drawn in the worker.
      await until(() => existsSync(join(hub.dataDir, 'tickets')) && readdirSync(join(hub.dataDir, 'tickets')).some((f) => f.endsWith(`-${issued.ticket.number}.png`)), 'the preview picture');
    } finally {
      k.close();
    }
    await nextWrites();
    const main = loaded('main');
    expect(main.some((f) => /[/\\]apps[/\\]hub[/\\]dist[/\\]src[/\\]printing\.js$/.test(f))).toBe(true);
    expect(main.filter((f) => CANVAS.test(f) || /receipt-printer-encoder|[/\\]printer[/\\]dist[/\\]src[/\\](layout|render|fonts|escpos)\.js$/.test(f))).toEqual([]);
    expect(main.filter((f) => EXCELJS.test(f))).toEqual([]);

    // An XLSX export is when exceljs loads, in the export's own thread (never the main one): the
    // probe sees it there, so its absence above means something.
    const res = await fetch(`${hub.url}/api/reports/export.xlsx?day=2025-07-10`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
    await nextWrites();
    expect(loaded('workers').some((f) => EXCELJS.test(f))).toBe(true);
    expect(loaded('main').filter((f) => EXCELJS.test(f))).toEqual([]);
  });
});
