#!/usr/bin/env node
/**
 * Benchmark (not a test): a kiosk's tap → the last byte of its ticket at the printer, through
 * the real hub (a child process) and the real TCP transport, to the fake ESC/POS printer in
 * this process (so both ends read one clock). Rendering and encoding, which the hub does for
 * each ticket, is timed separately here with the same code and the same ticket.
 *
 * In the same run, the kiosk's own printer on a serial line: socat's pseudo-terminal pair, the
 * fake printer on its far side. The kiosk asks the printer's status (DLE EOT), has the hub issue
 * the number, then draws and sends the ticket itself, as the shell does; the hub's own printer
 * is a preview meanwhile (until the kiosk's printer is a type the hub knows, issue 15).
 *
 * And the kiosk's own printer as a CUPS raw queue (a private cupsd from
 * @xephang/testing, its device the fake printer over TCP): after the hub's ack the kiosk prints
 * the ticket through `lp -o raw`. Until the hub stops printing for a kiosk that prints itself
 * (issue 15's next step), that tap → paper includes the hub's own print before its ack; the
 * kiosk's leg alone (status through lpstat, drawing, lp, CUPS, the socket backend) is shown too.
 *
 *   npm run bench:print [-- --tickets 100 --paper 80 --qr]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { cupsSpooler, encodeTicket, escposPrinter, layoutTicket, renderLayout, serialTransport, spoolerPrinter, type TicketData } from '@xephang/printer';
import { FakePrinter } from '@xephang/printer/testing';
import type { Ack, ClientToServerEvents, CommandName, CommandPayload, CommandReplies, ServerToClientEvents } from '@xephang/protocol';
// The rigs by their own entries: the package's front door is for jest's tests.
import { startCups, type CupsRig } from '@xephang/testing/cups';
import { ptyPair } from '@xephang/testing/pty';
import { startServerProcess } from '../lib/child';
import { percentile } from '../lib/stats';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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

async function connect(url: string, auth: Record<string, unknown>): Promise<HubSocket> {
  const s: HubSocket = io(url, { auth, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

function send<C extends CommandName>(s: HubSocket, name: C, payload: CommandPayload<C>): Promise<CommandReplies[C]> {
  return new Promise((resolve, reject) => {
    const emit = s.emit as unknown as (n: string, p: unknown, ack: (a: Ack<CommandReplies[C]>) => void) => void;
    emit.call(s, name, payload, (a) => (a.ok ? resolve(a.data) : reject(new Error(`${a.error.code}: ${a.error.message}`))));
  });
}

const FOOTER = 'Xin vui lòng chú ý màn hình và loa gọi số.';

/** What the kiosk prints for an issued ticket (the content the hub will send it, issue 15). */
function ticketData(issued: CommandReplies['ticket:issue']): TicketData {
  return {
    centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
    number: issued.ticket.number,
    serviceNameVi: 'Tư pháp – Hộ tịch',
    serviceNameEn: 'Justice – Civil status',
    issuedAt: issued.ticket.issuedAt,
    peopleAhead: issued.peopleAhead,
    estimatedWaitMinutes: issued.estimatedWaitMinutes,
    footer: FOOTER,
    ...(args.qr ? { qr: `https://xephang.invalid/t/${issued.ticket.id}` } : {}),
  };
}

/**
 * The kiosk printing itself on a serial line: status, issue, draw, send; tap → the last byte at
 * the fake printer on the far side of a socat pseudo-terminal pair.
 */
async function serialLine(kiosk: HubSocket, services: string[]): Promise<number[]> {
  const pair = await ptyPair();
  const printer = new FakePrinter(PAPER === 80 ? 576 : 384);
  const unserve = await printer.servePath(pair.printer);
  const own = escposPrinter(serialTransport({ path: pair.kiosk, baudRate: 115200 }), { paperWidth: PAPER });
  try {
    const tapToPaper: number[] = [];
    for (let i = -5; i < TICKETS; i++) {
      const count = printer.tickets.length;
      const tap = performance.now();
      const status = await own.status();
      if (status.state !== 'ok') throw new Error(`serial printer: ${status.message}`);
      const issued = await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId: services[(i + 5) % 4]! });
      await own.print(ticketData(issued));
      await printer.waitForTickets(count + 1);
      // The first five warm up the port and the kiosk's renderer.
      if (i >= 0) tapToPaper.push(printer.tickets[count]!.receivedAt - tap);
    }
    return tapToPaper;
  } finally {
    await unserve();
    await pair.stop();
  }
}

const fmt = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;

async function main(): Promise<void> {
  const printer = new FakePrinter(PAPER === 80 ? 576 : 384);
  await printer.start();
  const cupsFake = new FakePrinter(PAPER === 80 ? 576 : 384);
  await cupsFake.start();
  const cups: CupsRig | undefined = args.cups ? await startCups() : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-bench-print-'));
  const password = `bench-${randomUUID()}`;
  const hub = await startServerProcess({
    name: 'hub',
    args: [require.resolve('@xephang/hub/cli'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--kiosk-burst', '0', '--any-hours'],
    env: { XEPHANG_ADMIN_PASSWORD: password },
    ready: /xephang hub ready on port (\d+)/,
  });
  try {
    await cups?.addRawQueue('xephang-bench', `socket://127.0.0.1:${cupsFake.port}`);
    const admin = await connect(hub.url, { role: 'admin', password });
    await send(admin, 'printer:set', { kioskId: '*', type: 'tcp', address: `127.0.0.1:${printer.port}`, paperWidth: PAPER });
    await send(admin, 'printer:setTicketText', { footer: FOOTER, qr: args.qr ? 'https://xephang.invalid/t/{ticketId}' : '' });
    const kiosk = await connect(hub.url, { role: 'kiosk' });
    const services = ['civil', 'land', 'business', 'culture'];
    // Warm-up: the hub loads the font and the first connection.
    for (let i = 0; i < 5; i++) await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId: services[i % 4]! });

    const tapToPaper: number[] = [];
    const tapToAck: number[] = [];
    const samples: TicketData[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const count = printer.tickets.length;
      const tap = performance.now();
      const issued = await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId: services[i % 4]! });
      const acked = performance.now();
      await printer.waitForTickets(count + 1);
      if (!issued.printed) throw new Error(`ticket ${issued.ticket.number} not printed: ${issued.printMessage}`);
      tapToPaper.push(printer.tickets[count]!.receivedAt - tap);
      tapToAck.push(acked - tap);
      samples.push(ticketData(issued));
    }

    // The kiosk's own printer through CUPS, same hub, same kind of ticket.
    const cupsTapToPaper: number[] = [];
    const cupsLeg: number[] = [];
    if (cups) {
      const kioskPrinter = spoolerPrinter(cupsSpooler({ queue: 'xephang-bench', server: cups.server }), { paperWidth: PAPER });
      await kioskPrinter.print(samples[0]!);
      await cupsFake.waitForTickets(1);
      for (let i = 0; i < TICKETS; i++) {
        const count = cupsFake.tickets.length;
        const tap = performance.now();
        const issued = await send(kiosk, 'ticket:issue', { requestId: randomUUID(), serviceId: services[i % 4]! });
        const start = performance.now();
        await kioskPrinter.print({ ...samples[i]!, number: issued.ticket.number, issuedAt: issued.ticket.issuedAt, peopleAhead: issued.peopleAhead });
        await cupsFake.waitForTickets(count + 1);
        const paper = cupsFake.tickets[count]!.receivedAt;
        cupsTapToPaper.push(paper - tap);
        cupsLeg.push(paper - start);
      }
    }

    await send(admin, 'printer:set', { kioskId: '*', type: 'preview', address: join(dataDir, 'preview'), paperWidth: PAPER });
    const serialTapToPaper = await serialLine(kiosk, services);
    admin.close();
    kiosk.close();

    const layoutMs: number[] = [];
    const renderMs: number[] = [];
    const encodeMs: number[] = [];
    for (const t of samples) {
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
    const bytes = printer.tickets.slice(-TICKETS).map((t) => t.bytes);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`xephang print benchmark: ${TICKETS} tickets, ${PAPER} mm${args.qr ? ', with QR' : ''}, one kiosk tapping after each ticket is out`);
    out(`machine: ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
    out(`tap → last byte at the printer`);
    out(`  hub → network printer (TCP)    ${fmt(tapToPaper)}`);
    out(`  kiosk → its serial line (pty)  ${fmt(serialTapToPaper)}  (status, issue, draw, send)`);
    out(`tap → kiosk ack (printed: true)  ${fmt(tapToAck)}`);
    if (cups) {
      out(`CUPS raw queue (kiosk's own printer, lp -o raw → cupsd → socket backend):`);
      out(`  tap → last byte at the printer ${fmt(cupsTapToPaper)}  (hub's ack, then the kiosk prints)`);
      out(`  kiosk's leg: print → last byte ${fmt(cupsLeg)}  (lpstat, drawing, lp, cupsd)`);
    }
    out(`  layout (text fitting)          ${fmt(layoutMs)}`);
    out(`  render (canvas → 1-bit)        ${fmt(renderMs)}`);
    out(`  encode (ESC/POS, GS v 0)       ${fmt(encodeMs)}`);
    out(`job size: ${Math.round(percentile(bytes, 50) / 1024)} KB (median)`);
  } finally {
    await hub.stop();
    await printer.stop();
    await cups?.stop();
    await cupsFake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
