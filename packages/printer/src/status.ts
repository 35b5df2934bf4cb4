import type { PrinterState } from '@xephang/protocol';

// The printer's real-time status, as ESC/POS asks and answers it: no drawing, no encoder, so the
// kiosk shell and the hub's status questions load none of them.

/** DLE EOT n: real-time status requests, answered at once even while the printer is busy. */
export const DLE_EOT = { printer: [0x10, 0x04, 1], offlineCause: [0x10, 0x04, 2], errorCause: [0x10, 0x04, 3], paper: [0x10, 0x04, 4] } as const;
/** The three questions asked before a ticket: printer, offline cause, roll paper sensor. */
export const STATUS_QUERY = Uint8Array.from([...DLE_EOT.printer, ...DLE_EOT.offlineCause, ...DLE_EOT.paper]);

/** What the three status bytes (answers to DLE EOT 1, 2 and 4) say. */
export interface PrinterStatusBits {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
}

/** Every DLE EOT answer has bit 1 and bit 4 set, bits 0 and 7 clear. */
export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

/**
 * Reads the answers to DLE EOT 1 (printer), 2 (offline cause) and 4 (roll paper sensor).
 * @throws Error when a byte is not a status answer (something else is listening on the port).
 */
export function decodeStatus(printer: number, offlineCause: number, paper: number): PrinterStatusBits {
  for (const b of [printer, offlineCause, paper]) {
    if (!isStatusByte(b)) throw new Error(`câu trả lời trạng thái không hợp lệ: 0x${b.toString(16).padStart(2, '0')}`);
  }
  return {
    offline: (printer & 0x08) !== 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (offlineCause & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offlineCause & 0x40) !== 0,
  };
}

/** The one state that matters most for issuing a ticket. */
export function stateOf(bits: PrinterStatusBits): PrinterState {
  if (bits.paperOut) return 'paper_out';
  if (bits.coverOpen) return 'cover_open';
  if (bits.error) return 'error';
  if (bits.offline) return 'offline';
  if (bits.paperNearEnd) return 'paper_near_end';
  return 'ok';
}
