import { z } from 'zod';
import { PairingCodeSchema, parsePayload, routeOf, type Ack } from '@xephang/protocol';
import { CounterNumberSchema, DesktopRoleSchema, PinSchema, PrinterSettingSchema } from './config';
import { isAllowedNavigation, isLocalPage } from './screens';

/**
 * The IPC channels between the shell's pages and its main process. Sandboxed preloads cannot
 * import this file at run time, so they repeat the names and `satisfies` ties them to these.
 */
export const CHANNELS = {
  /** Hub kiosk page → main: the kiosk's own printer, as set up here (or null). */
  printerInfo: 'xephang:printer-info',
  /** Hub kiosk page → main: how the kiosk's own printer is, before a number is issued. */
  printerStatus: 'xephang:printer-status',
  /** Hub kiosk page → main: print a job the hub drew on the kiosk's own printer. */
  printJob: 'xephang:print-job',
  /** Hub page → main: the hidden gesture was made (five taps in the top-left corner). */
  adminGesture: 'xephang:admin-gesture',
  /** Local pages → main. */
  setupState: 'xephang:setup-state',
  discover: 'xephang:discover',
  checkHub: 'xephang:check-hub',
  listUsbPrinters: 'xephang:list-usb-printers',
  listSystemPrinters: 'xephang:list-system-printers',
  listSerialPorts: 'xephang:list-serial-ports',
  testPrint: 'xephang:test-print',
  finishSetup: 'xephang:finish-setup',
  adminUnlock: 'xephang:admin-unlock',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Ticket ids as the hub makes them (`2025-07-10-2001`), with room for other shapes. */
export const TicketIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'mã phiếu không hợp lệ');

/** The largest job taken: a ticket drawn at 80 mm with a long procedure and its papers is ~100 KB. */
export const MAX_JOB_BYTES = 1024 * 1024;

/**
 * A drawn job from the kiosk page: the bytes as IPC carries them (a Uint8Array, or the
 * ArrayBuffer socket.io gave the page), starting with ESC @ (initialise) as every job the hub
 * draws does, so a page cannot send the printer arbitrary commands without them.
 */
export const PrintJobRequestSchema = z.strictObject({
  ticketId: TicketIdSchema,
  title: z.string().min(1).max(120),
  bytes: z
    .custom<Uint8Array | ArrayBuffer>((v) => v instanceof Uint8Array || v instanceof ArrayBuffer, 'lệnh in phải là dữ liệu nhị phân')
    .transform((v) => (v instanceof Uint8Array ? v : new Uint8Array(v)))
    .refine((b) => b.length >= 2 && b.length <= MAX_JOB_BYTES, `lệnh in từ 2 byte đến ${MAX_JOB_BYTES} byte`)
    .refine((b) => b[0] === 0x1b && b[1] === 0x40, 'lệnh in phải bắt đầu bằng ESC @ (khởi tạo máy in)'),
});
export type PrintJobRequest = z.infer<typeof PrintJobRequestSchema>;

/** The settings screen's test print: the printer as chosen on screen, not saved yet. */
export const TestPrintRequestSchema = z.strictObject({ printer: PrinterSettingSchema });
export type TestPrintRequest = z.infer<typeof TestPrintRequestSchema>;

export const CheckHubRequestSchema = z.strictObject({ address: z.string().trim().min(1).max(200) });

export const FinishSetupRequestSchema = z
  .strictObject({
    role: DesktopRoleSchema,
    counterId: CounterNumberSchema.nullable(),
    hubUrl: z.string().trim().min(1).max(200),
    hubId: z.string().max(64).nullable(),
    deviceName: z.string().trim().min(1, 'hãy đặt tên cho máy này').max(80),
    /** Empty when the hub runs on this machine, or when keeping the pairing made earlier. */
    pairingCode: z.union([z.literal(''), PairingCodeSchema]),
    /** Empty when reopening setup keeps the PIN set earlier. */
    adminPin: z.union([z.literal(''), PinSchema]),
    printer: PrinterSettingSchema,
  })
  .superRefine((r, ctx) => {
    const needsCounter = r.role === 'counter' || r.role === 'counter-display';
    if (needsCounter && r.counterId === null) ctx.addIssue({ code: 'custom', path: ['counterId'], message: 'hãy chọn số quầy' });
    if (r.role !== 'kiosk' && r.printer.type !== 'none') ctx.addIssue({ code: 'custom', path: ['printer'], message: 'chỉ ki-ốt mới in phiếu' });
  });
export type FinishSetupRequest = z.infer<typeof FinishSetupRequestSchema>;
/** What the setup page sends (defaults not yet filled in). */
export type FinishSetupInput = z.input<typeof FinishSetupRequestSchema>;

export const AdminUnlockRequestSchema = z.strictObject({ pin: PinSchema, action: z.enum(['setup', 'quit', 'reload']) });
export type AdminUnlockRequest = z.infer<typeof AdminUnlockRequestSchema>;

const EmptySchema = z.strictObject({});

/** Payload schema per channel; a channel with no schema takes no payload. */
export const CHANNEL_SCHEMAS = {
  [CHANNELS.printerInfo]: EmptySchema,
  [CHANNELS.printerStatus]: EmptySchema,
  [CHANNELS.printJob]: PrintJobRequestSchema,
  [CHANNELS.adminGesture]: EmptySchema,
  [CHANNELS.setupState]: EmptySchema,
  [CHANNELS.discover]: EmptySchema,
  [CHANNELS.checkHub]: CheckHubRequestSchema,
  [CHANNELS.listUsbPrinters]: EmptySchema,
  [CHANNELS.listSystemPrinters]: EmptySchema,
  [CHANNELS.listSerialPorts]: EmptySchema,
  [CHANNELS.testPrint]: TestPrintRequestSchema,
  [CHANNELS.finishSetup]: FinishSetupRequestSchema,
  [CHANNELS.adminUnlock]: AdminUnlockRequestSchema,
} satisfies Record<Channel, z.ZodType>;

/** Validates what a page sent on `channel`; the error names every bad field in Vietnamese. */
export function parseIpc<C extends Channel>(channel: C, payload: unknown): Ack<z.output<(typeof CHANNEL_SCHEMAS)[C]>> {
  // TypeScript cannot follow a schema picked by a generic key to its output type; the table ties them.
  return parsePayload(CHANNEL_SCHEMAS[channel] as z.ZodType, payload) as Ack<z.output<(typeof CHANNEL_SCHEMAS)[C]>>;
}

/** Where each channel may be called from: the hub's kiosk page, any hub page, or the shell's own pages. */
const CHANNEL_SENDERS: Record<Channel, 'kiosk-page' | 'hub-page' | 'local-page'> = {
  [CHANNELS.printerInfo]: 'kiosk-page',
  [CHANNELS.printerStatus]: 'kiosk-page',
  [CHANNELS.printJob]: 'kiosk-page',
  [CHANNELS.adminGesture]: 'hub-page',
  [CHANNELS.setupState]: 'local-page',
  [CHANNELS.discover]: 'local-page',
  [CHANNELS.checkHub]: 'local-page',
  [CHANNELS.listUsbPrinters]: 'local-page',
  [CHANNELS.listSystemPrinters]: 'local-page',
  [CHANNELS.listSerialPorts]: 'local-page',
  [CHANNELS.testPrint]: 'local-page',
  [CHANNELS.finishSetup]: 'local-page',
  [CHANNELS.adminUnlock]: 'local-page',
};

export interface SenderContext {
  /** The hub's origin, once set up. */
  hubOrigin: string | undefined;
  /** Whether this machine is a kiosk (only a kiosk prints). */
  isKiosk: boolean;
  /** The shell's own pages, as file URLs. */
  localPages: readonly string[];
}

/**
 * Whether a message on `channel` from a frame at `frameUrl` is accepted: a page elsewhere (an
 * iframe, a page the guard let through by mistake) gets nothing from the main process.
 */
export function senderAllowed(channel: Channel, frameUrl: string | undefined, ctx: SenderContext): boolean {
  if (!frameUrl) return false;
  switch (CHANNEL_SENDERS[channel]) {
    case 'kiosk-page':
      return ctx.isKiosk && ctx.hubOrigin !== undefined && isAllowedNavigation(frameUrl, ctx.hubOrigin) && routeOf(new URL(frameUrl).pathname).screen === 'kiosk';
    case 'hub-page':
      return ctx.hubOrigin !== undefined && isAllowedNavigation(frameUrl, ctx.hubOrigin);
    case 'local-page':
      return isLocalPage(frameUrl, ctx.localPages);
  }
}
