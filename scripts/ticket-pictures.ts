#!/usr/bin/env node
/**
 * The README's ticket pictures, docs/ticket-civil.png (80 mm) and docs/ticket-civil-58.png,
 * as the hub prints them: `npm run ticket-pictures`. Starts the real hub (test clock on a July
 * morning, the preview printer), issues civil-status tickets through the protocol and copies
 * the PNGs its preview printer wrote. Nothing here draws a ticket by itself.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectHub } from '@xephang/client';
import type { Ack, IssuedTicket } from '@xephang/protocol';
import { startServerProcess } from './lib/child';

const MORNING = Date.parse('2025-07-10T08:05:00+07:00');
const DOCS = resolve(__dirname, '../../docs');
const PASSWORD = 'ticket-pictures';
const CENTER = 'Trung tâm Phục vụ hành chính công xã Hà Trung, tỉnh Thanh Hoá (Bộ phận một cửa liên thông)';

let n = 0;
const rid = () => `pictures-${Date.now()}-${n++}`;

function ok<T>(reply: Ack<T>): T {
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.data;
}

async function waitFor(file: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the preview printer wrote no ${file}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-tickets-'));
  const hub = await startServerProcess({
    name: 'hub',
    args: [require.resolve('@xephang/hub/cli'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--no-discovery', '--kiosk-burst', '0', '--fake-clock', new Date(MORNING).toISOString()],
    env: { XEPHANG_ADMIN_PASSWORD: PASSWORD },
    ready: /xephang hub ready on port (\d+)/,
  });
  const admin = connectHub({ url: hub.url, auth: { role: 'admin', password: PASSWORD, adminName: 'ticket-pictures' } });
  try {
    const state = await admin.synced();
    ok(await admin.send('config:setTexts', { centerName: CENTER, notice: state.notice, kioskTitleVi: state.kiosk.titleVi, kioskTitleEn: state.kiosk.titleEn, kioskNote: state.kiosk.note }));
    // The default footer, and a QR code to follow the ticket online.
    const { footer } = ok(await admin.send('printer:list', {}));
    ok(await admin.send('printer:setTicketText', { footer, qr: 'https://xephang.invalid/t/{ticketId}' }));
    // 58 mm: the first citizen of the day, nobody ahead. 80 mm: an elderly citizen, three ahead.
    const shots = [
      { paperWidth: 58, name: 'ticket-civil-58.png', before: 0, priority: 'normal' },
      { paperWidth: 80, name: 'ticket-civil.png', before: 2, priority: 'elderly' },
    ] as const;
    for (const shot of shots) {
      ok(await admin.send('printer:set', { kioskId: '*', type: 'preview', paperWidth: shot.paperWidth }));
      for (let i = 0; i < shot.before; i++) ok(await admin.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
      const issued: IssuedTicket = ok(await admin.send('ticket:issue', { requestId: rid(), serviceId: 'civil', priority: shot.priority }));
      const file = join(dataDir, 'tickets', `${issued.ticket.day}-${issued.ticket.number}.png`);
      await waitFor(file);
      copyFileSync(file, join(DOCS, shot.name));
      process.stdout.write(`  docs/${shot.name}: số ${issued.ticket.number}, ${shot.paperWidth} mm, ${issued.peopleAhead} người chờ trước\n`);
    }
  } finally {
    admin.close();
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
