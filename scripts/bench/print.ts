#!/usr/bin/env node
/**
 * Benchmark (not a test): a kiosk's tap → the last byte of its ticket at the printer, for every
 * way a ticket reaches paper, in one run, taken in turn tap by tap so that the machine's load
 * falls on each path alike. Every printer is the fake ESC/POS printer in this process, so both
 * ends read one clock; the hub is the real one, a child process.
 *
 * - The hub's network printer: the kiosk issues; the hub asks its TCP printer (DLE EOT), commits,
 *   draws the ticket on its render worker and sends it.
 * - The kiosk's own printer (issue 15), through the shell's real print module
 *   (`@xephang/desktop/print`): the kiosk page asks its shell how the printer is (DLE EOT; for
 *   CUPS, lpstat), issues with `printHere`, the hub composes and draws the job for that paper and
 *   answers it, and the shell sends the job: over TCP 9100, over a serial line (socat's
 *   pseudo-terminal pair, the fake printer on its far side), and through a CUPS raw queue (a
 *   private cupsd from @xephang/testing, its socket:// device the fake printer).
 *
 * Drawing one ticket (layout, picture, ESC/POS) is timed apart, in this process, on the shared
 * sample ticket.
 *
 *   npm run bench:print [-- --tickets 100 --paper 80 --qr --no-cups]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { handlePrinterStatus, handlePrintJob, kioskPrinter } from '@xephang/desktop/print';
import { encodeTicket, layoutTicket, renderLayout, type JobPrinter } from '@xephang/printer';
import { FakePrinter, SAMPLE_TICKET } from '@xephang/printer/testing';
import { PRINTER_FAULTS } from '@xephang/protocol';
// The rigs by their own entries: the package's front door is for jest's tests.
import { startCups, type CupsRig } from '@xephang/testing/cups';
import { ptyPair, type PtyPair } from '@xephang/testing/pty';
import { startServerProcess } from '../lib/child';
import { connect, send, type HubSocket } from '../lib/hub-socket';
import { percentile } from '../lib/stats';

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100' },
    paper: { type: 'string', default: '80' },
    qr: { type: 'boolean', default: false },
    cups: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const TICKETS = Number(args.tickets);
const PAPER = args.paper === '58' ? 58 : 80;
const DOTS = PAPER === 80 ? 576 : 384;
/** Taps per path before the timed ones: the hub's worker loads the font, connections open. */
const WARM_UP = 5;

const FOOTER = 'Xin vui lòng chú ý màn hình và loa gọi số.';
const SERVICES = ['civil', 'land', 'business', 'culture'];

/** One way a ticket reaches paper, and what one tap through it measured. */
interface Path {
  label: string;
  note: string;
  printer: FakePrinter;
  /** Taps once; resolves when the ticket's last byte is at the printer, with when the hub answered. */
  tap: (serviceId: string) => Promise<{ ackedAt: number; jobBytes?: number }>;
  tapToPaper: number[];
  /** The hub's ack after the tap. */
  tapToAck: number[];
  /** Jobs the hub drew for the kiosk. */
  jobBytes: number[];
}

/** The hub's own network printer: the kiosk only issues. */
function hubPath(kiosk: HubSocket, printer: FakePrinter): Path {
  const path: Path = {
    label: 'hub → network printer (TCP)',
    note: 'status, issue, draw on the hub, send',
    printer,
    tapToPaper: [],
    tapToAck: [],
    jobBytes: [],
    async tap(serviceId) {
      const count = printer.tickets.length;
      const issued = await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId });
      const ackedAt = performance.now();
      if (!issued.printed) throw new Error(`ticket ${issued.ticket.number} not printed: ${issued.printMessage}`);
      await printer.waitForTickets(count + 1);
      return { ackedAt };
    },
  };
  return path;
}

/**
 * A kiosk printing itself through the shell's module: what the kiosk page does with the bridge
 * (printerStatus, then the issue with printHere, then printJob with the hub's job), and
 * `ticket:printed` once the ticket is out (not timed: the citizen already has the paper).
 */
function kioskPath(label: string, note: string, kiosk: HubSocket, own: JobPrinter, printer: FakePrinter): Path {
  const path: Path = {
    label,
    note,
    printer,
    tapToPaper: [],
    tapToAck: [],
    jobBytes: [],
    async tap(serviceId) {
      const count = printer.tickets.length;
      const status = await handlePrinterStatus(own);
      if (!status.ok) throw new Error(status.error.message);
      if (PRINTER_FAULTS.has(status.data.state)) throw new Error(`${label}: ${status.data.message}`);
      const issued = await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId, printHere: { paperWidth: PAPER } });
      const ackedAt = performance.now();
      const job = issued.kioskJob;
      if (!job) throw new Error(`${label}: the hub answered no job for the kiosk's printer`);
      const result = await handlePrintJob({ ticketId: job.ticketId, title: job.title, bytes: job.bytes }, own);
      if (!result.ok || !result.data.printed) throw new Error(`${label}: ${result.ok ? result.data.message : result.error.message}`);
      await printer.waitForTickets(count + 1, 20_000);
      await send(kiosk, 'ticket:printed', { printId: job.printId, printed: true, state: result.data.state, message: result.data.message });
      return { ackedAt, jobBytes: job.bytes.byteLength };
    },
  };
  return path;
}

const fmt = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;

async function main(): Promise<void> {
  const printers = { hub: new FakePrinter(DOTS), tcp: new FakePrinter(DOTS), serial: new FakePrinter(DOTS), cups: new FakePrinter(DOTS) };
  await Promise.all([printers.hub.start(), printers.tcp.start(), printers.cups.start()]);
  let pair: PtyPair | undefined;
  let unserve: (() => Promise<void>) | undefined;
  let cups: CupsRig | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-bench-print-'));
  const password = `bench-${randomUUID()}`;
  const hub = await startServerProcess({
    name: 'hub',
    args: [require.resolve('@xephang/hub/cli'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--kiosk-burst', '0', '--any-hours'],
    env: { XEPHANG_ADMIN_PASSWORD: password },
    ready: /xephang hub ready on port (\d+)/,
  });
  const sockets: HubSocket[] = [];
  try {
    pair = await ptyPair();
    unserve = await printers.serial.servePath(pair.printer);
    if (args.cups) {
      cups = await startCups();
      await cups.addRawQueue('xephang-bench', `socket://127.0.0.1:${printers.cups.port}`);
    }
    const admin = await connect(hub.url, { role: 'admin', password });
    sockets.push(admin);
    await send(admin, 'printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${printers.hub.port}`, paperWidth: PAPER });
    await send(admin, 'printer:setTicketText', { footer: FOOTER, qr: args.qr ? 'https://xephang.invalid/t/{ticketId}' : '' });
    const kiosk = await connect(hub.url, { role: 'kiosk' });
    sockets.push(kiosk);

    const own = (setting: Parameters<typeof kioskPrinter>[0]) => kioskPrinter(setting, { platform: 'linux', ...(cups ? { cupsServer: cups.server } : {}) })!;
    const paths: Path[] = [
      hubPath(kiosk, printers.hub),
      kioskPath('kiosk → its TCP printer', 'status, issue, hub draws, shell sends', kiosk, own({ type: 'tcp', host: '127.0.0.1', port: printers.tcp.port, paperWidth: PAPER }), printers.tcp),
      kioskPath('kiosk → its serial line (pty)', 'the same, on a serial line', kiosk, own({ type: 'serial', path: pair.kiosk, baudRate: 115200, paperWidth: PAPER }), printers.serial),
    ];
    if (cups) paths.push(kioskPath('kiosk → its CUPS raw queue', 'lpstat, issue, hub draws, lp, cupsd', kiosk, own({ type: 'system', name: 'xephang-bench', paperWidth: PAPER }), printers.cups));

    // In turn, tap by tap: a burst of load (the other helpers' builds) falls on every path alike.
    for (let i = -WARM_UP; i < TICKETS; i++) {
      for (const [n, path] of paths.entries()) {
        const count = path.printer.tickets.length;
        const tap = performance.now();
        const { ackedAt, jobBytes } = await path.tap(SERVICES[(i + WARM_UP + n) % SERVICES.length]!);
        if (i < 0) continue;
        path.tapToPaper.push(path.printer.tickets[count]!.receivedAt - tap);
        path.tapToAck.push(ackedAt - tap);
        if (jobBytes !== undefined) path.jobBytes.push(jobBytes);
      }
    }

    const layoutMs: number[] = [];
    const renderMs: number[] = [];
    const encodeMs: number[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const t = { ...SAMPLE_TICKET, number: 2001 + i, ...(args.qr ? {} : { qr: undefined }) };
      const t0 = performance.now();
      const layout = layoutTicket(t, PAPER);
      const t1 = performance.now();
      const rendered = renderLayout(layout);
      const t2 = performance.now();
      encodeTicket(rendered);
      const t3 = performance.now();
      layoutMs.push(t1 - t0);
      renderMs.push(t2 - t1);
      encodeMs.push(t3 - t2);
    }
    const jobs = paths.flatMap((p) => p.jobBytes);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`xephang print benchmark: ${TICKETS} tickets per path, ${PAPER} mm${args.qr ? ', with QR' : ''}, the paths taken in turn, one tap after each ticket is out`);
    out(`machine: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
    out('tap → last byte at the printer');
    for (const p of paths) out(`  ${p.label.padEnd(32)}${fmt(p.tapToPaper)}  (${p.note})`);
    out('tap → the hub\'s ack');
    for (const p of paths) out(`  ${p.label.padEnd(32)}${fmt(p.tapToAck)}`);
    out('drawing one ticket (the sample ticket, in this process)');
    out(`  layout (text fitting)          ${fmt(layoutMs)}`);
    out(`  render (canvas → 1-bit)        ${fmt(renderMs)}`);
    out(`  encode (ESC/POS, GS v 0)       ${fmt(encodeMs)}`);
    if (jobs.length) out(`job size: ${Math.round(percentile(jobs, 50) / 1024)} KB (median of the jobs the hub drew for the kiosk)`);
  } finally {
    for (const s of sockets) s.close();
    await hub.stop();
    await cups?.stop();
    await unserve?.();
    await pair?.stop();
    await Promise.all(Object.values(printers).map((p) => p.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
