import { z } from 'zod';
import { RequestIdSchema } from '../ids';
import { Empty } from './common';

/** What a printer reports before a ticket: `ok` and `paper_near_end` issue, the faults refuse. */
export const PRINTER_STATES = ['ok', 'paper_near_end', 'paper_out', 'cover_open', 'offline', 'error', 'no_status'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];
/** The states in which no number is issued (the ticket would not come out): the hub's printers and the kiosk's own alike. */
export const PRINTER_FAULTS: ReadonlySet<PrinterState> = new Set<PrinterState>(['paper_out', 'cover_open', 'offline', 'error']);
export const PrinterTypeSchema = z.enum(['preview', 'tcp']);
export const PaperWidthSchema = z.union([z.literal(58), z.literal(80)]);
/** A kiosk's device id, or `*`: the printer of every kiosk without its own (and of the hub's own screens). */
export const PrinterKioskSchema = z.string().regex(/^(\*|[A-Za-z0-9_-]{1,64})$/, 'mã ki-ốt (mã thiết bị) hoặc * cho mọi ki-ốt');
export const PrinterStatusQuerySchema = z.strictObject({ kioskId: PrinterKioskSchema.optional() });
export const PrinterSetSchema = z
  .strictObject({
    kioskId: PrinterKioskSchema,
    type: PrinterTypeSchema,
    /** tcp: `host` or `host:port` (9100 by default); preview: a folder (the data folder's `tickets` by default). */
    address: z.string().trim().min(1).max(200).optional(),
    paperWidth: PaperWidthSchema.default(80),
  })
  .refine((p) => p.type !== 'tcp' || (p.address !== undefined && printerAddressProblem(p.address) === undefined), {
    message: 'máy in mạng cần địa chỉ dạng 192.168.1.50 hoặc 192.168.1.50:9100 (cổng từ 1 đến 65535)',
    path: ['address'],
  });
/** A kiosk goes back to the default printer (`*` itself cannot: it is the default). */
export const PrinterUnsetSchema = z.strictObject({
  kioskId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'mã ki-ốt (mã thiết bị); máy in mặc định (*) không bỏ được, chỉ sửa được'),
});
/** Prints a test ticket on a kiosk's printer (`*`: the default one), through the same path as a citizen's ticket. */
export const PrinterTestSchema = z.strictObject({ requestId: RequestIdSchema, kioskId: PrinterKioskSchema });
/**
 * Why a network printer's address cannot be used, in Vietnamese; undefined when it can.
 * `host` or `host:port`, the port 1–65535 (9100 when left out). Shared by the hub and the admin form.
 */
export function printerAddressProblem(address: string): string | undefined {
  const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(address.trim());
  if (!m) return 'Địa chỉ máy in mạng có dạng 192.168.1.50 hoặc 192.168.1.50:9100 (không dấu cách, không http://).';
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return `Cổng ${m[2]} không hợp lệ: cổng từ 1 đến 65535 (máy in thường dùng 9100).`;
  return undefined;
}

export const PrinterTicketTextSchema = z.strictObject({
  /** Printed at the bottom of every ticket; empty for none. */
  footer: z.string().max(300),
  /** QR content; `{number}`, `{day}` and `{ticketId}` are replaced; empty for no QR code. */
  qr: z.string().max(300),
});

/**
 * How a kiosk's own printer is attached to it, as set up in the shell's settings: the operating
 * system's printer by name (a Windows printer with its vendor driver, a CUPS queue), USB through
 * libusb, a serial or virtual COM port, or the network (TCP 9100).
 */
export const KIOSK_PRINTER_CONNECTIONS = ['system', 'usb', 'serial', 'tcp'] as const;
export type KioskPrinterConnection = (typeof KIOSK_PRINTER_CONNECTIONS)[number];

/**
 * The `kioskId` under which the admin's printer list and `printer:status` show the own printer of
 * a kiosk that is not paired (the hub PC's own kiosk screen): its report is kept in memory only,
 * never stored, since nothing names that kiosk across restarts. Never a paired device's id (those
 * are UUIDs).
 */
export const UNPAIRED_KIOSK_ID = 'unpaired';
/** How the admin's page names that kiosk. */
export const UNPAIRED_KIOSK_LABEL = 'Ki-ốt trên máy chủ (chưa ghép nối)';

/** The longest printer message a kiosk sends (`printer:report`, `ticket:printed`): the kiosk page cuts to it. */
export const PRINTER_MESSAGE_MAX = 300;

/** What a kiosk tells the hub of its own printer: how it is attached, its paper, how it is now. */
export const PrinterReportSchema = z.strictObject({
  connection: z.enum(KIOSK_PRINTER_CONNECTIONS),
  /**
   * "CUPS: xephang-kiosk", "COM3", "192.168.1.50:9100": for the admin's page and the hub's log,
   * one line (no printer, queue or port name holds a control character; a forged one would write
   * lines of its own into the technician's log).
   */
  name: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .regex(/^\P{Cc}+$/u, 'tên máy in không được chứa ký tự điều khiển (xuống dòng, tab…)'),
  paperWidth: PaperWidthSchema,
  state: z.enum(PRINTER_STATES),
  /** The shell's words for the state, in Vietnamese. */
  message: z.string().max(PRINTER_MESSAGE_MAX),
});
export type PrinterReport = z.infer<typeof PrinterReportSchema>;

/**
 * A kiosk's printer as the hub knows it. `preview` and `tcp` are printers the hub prints on;
 * `kiosk` is a printer attached to the kiosk itself, set up at the kiosk (the shell's settings)
 * and reported by it (`printer:report`): the hub draws the job and the kiosk prints it.
 */
export interface PrinterConfigView {
  kioskId: string;
  type: 'preview' | 'tcp' | 'kiosk';
  /** tcp: host:port; preview: a folder or null; kiosk: the name the kiosk reported. */
  address: string | null;
  paperWidth: 58 | 80;
  /** kiosk only: how the printer is attached to the kiosk. */
  connection?: KioskPrinterConnection;
}

export interface PrinterStatusView extends PrinterConfigView {
  state: PrinterState;
  /** Vietnamese, for the kiosk or the admin screen. */
  message: string;
  checkedAt: number;
}

/** How a test print went: the printer's state afterwards, and the preview's PNG when it is one. */
export interface PrinterTestReply extends PrinterStatusView {
  printed: boolean;
  /** The preview printer's file. */
  file?: string;
}

/** The hub's ticket printers: per kiosk or the default one, their state, the ticket's own text. */
export interface PrinterReplies {
  'printer:status': PrinterStatusView;
  'printer:list': { printers: PrinterConfigView[]; footer: string; qr: string };
  'printer:set': PrinterConfigView;
  'printer:setTicketText': { footer: string; qr: string };
  'printer:unset': { kioskId: string; removed: boolean };
  'printer:test': PrinterTestReply;
  'printer:report': PrinterStatusView;
  'printer:none': { kioskId: string; removed: boolean };
}

export const PRINTER_COMMANDS = {
  'printer:status': PrinterStatusQuerySchema,
  'printer:list': Empty,
  'printer:set': PrinterSetSchema,
  'printer:setTicketText': PrinterTicketTextSchema,
  /** Admin: a kiosk drops its own printer and uses the default one again. */
  'printer:unset': PrinterUnsetSchema,
  /** Admin: a test ticket on a kiosk's printer; answers whether it came out and the printer's state. */
  'printer:test': PrinterTestSchema,
  /** Kiosk: how its own printer is (on connecting, on every change, before a ticket when it changed). */
  'printer:report': PrinterReportSchema,
  /**
   * Kiosk: its shell has no printer of its own (set to "the hub prints" at the kiosk): the hub
   * forgets the kiosk printer it reported before, and prints its tickets on the default printer.
   */
  'printer:none': Empty,
} as const satisfies { [C in keyof PrinterReplies]: z.ZodType };
