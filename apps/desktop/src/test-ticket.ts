import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// The settings screen's test ticket. The shell draws nothing (no canvas, no font: the hub draws
// every ticket), so this one was drawn when the shell was built (build/draw-test-tickets.ts, by
// the same renderer as every ticket) and ships with it as ESC/POS bytes, one file per paper width.

/** Where the build writes the test tickets and the shell reads them: apps/desktop/dist/test-tickets. */
export const TEST_TICKET_DIR = join(__dirname, '..', 'test-tickets');

/** The file of the test ticket for a paper width. */
export const testTicketFile = (paperWidth: 58 | 80, dir = TEST_TICKET_DIR): string => join(dir, `test-ticket-${paperWidth}mm.escpos`);

/**
 * Reads the test ticket drawn for `paperWidth`.
 * @throws Error when the file is missing (the shell was not built with `npm run build`) or is not an ESC/POS job.
 */
export async function loadTestTicket(paperWidth: 58 | 80, dir = TEST_TICKET_DIR): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(testTicketFile(paperWidth, dir)));
  if (bytes[0] !== 0x1b || bytes[1] !== 0x40) throw new Error(`${testTicketFile(paperWidth, dir)} không phải lệnh in ESC/POS`);
  return bytes;
}
