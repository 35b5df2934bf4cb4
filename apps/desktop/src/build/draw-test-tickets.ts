import { mkdirSync, writeFileSync } from 'node:fs';
import { runRenderJob, selfTestTicket } from '@xephang/printer';
import { TEST_TICKET_DIR, testTicketFile } from '../test-ticket';

// Run by the desktop's build (`npm run build`): draws the settings screen's test ticket with the
// renderer every ticket goes through, for both paper widths, so the shell ships the ESC/POS bytes
// and never loads the canvas or the font itself. The one module of the shell that draws; it is
// not packaged (electron-builder.yml).

/** Draws the test tickets into `dir`; returns the files written. */
export function drawTestTickets(dir = TEST_TICKET_DIR, now = Date.now()): string[] {
  mkdirSync(dir, { recursive: true });
  return ([58, 80] as const).map((paperWidth) => {
    const ticket = selfTestTicket(now, 'máy in của ki-ốt (in thử từ màn hình cài đặt)');
    const file = testTicketFile(paperWidth, dir);
    writeFileSync(file, runRenderJob({ ticket, paperWidth, output: 'escpos' }).bytes);
    return file;
  });
}

/** electron-builder's `beforePack` hook (electron-builder.yml): a package always carries fresh test tickets. */
export default function beforePack(): void {
  drawTestTickets();
}

if (require.main === module) for (const file of drawTestTickets()) console.log(`test ticket: ${file}`);
