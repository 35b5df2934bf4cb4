import { z } from 'zod';
import type { AckCallback, HubError } from './ack';
import {
  ClerkIdSchema,
  CounterIdSchema,
  OutcomeSchema,
  PriorityClassSchema,
  RequestIdSchema,
  ServiceIdSchema,
} from './ids';
import type { HubEvent, HubEventType } from './events';
import { ReportGetSchema, type Report } from './reports';
import { VoiceSettingsSchema, type VoiceSettings } from './voice';
import {
  AdminPasswordChangeSchema,
  AuditQuerySchema,
  CenterTextsSchema,
  CounterServicesSchema,
  OpeningHoursSchema,
  PriorityRuleSchema,
  RatingSubmitSchema,
  ServiceOrderSchema,
  ServiceSaveSchema,
  type AdminConfig,
  type AuditEntry,
  type CenterTexts,
  type OpeningHours,
  type PendingRating,
  type PriorityRule,
  type RatingReply,
} from './admin';
import type { ClerkSummary, CounterView, ProcedureView, ServiceView, Snapshot, TicketView } from './views';

const Empty = z.strictObject({});
const PinSchema = z.string().regex(/^\d{4,8}$/, 'mã PIN gồm 4 đến 8 chữ số');
const ReasonSchema = z.string().trim().min(1).max(120);

/** A procedure's code (mã thủ tục): the center's own, or the national one such as 1.001193. */
export const ProcedureCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}._/-]+$/u, 'mã thủ tục chỉ gồm chữ, số, dấu chấm, gạch ngang và gạch chéo');

export const IssueTicketSchema = z.strictObject({
  requestId: RequestIdSchema,
  serviceId: ServiceIdSchema,
  priority: PriorityClassSchema.default('normal'),
  /** The procedure the citizen found at the kiosk: it must belong to `serviceId`, and is printed on the ticket. */
  procedureCode: ProcedureCodeSchema.optional(),
});
export type IssueTicket = z.input<typeof IssueTicketSchema>;

/** The catalog of procedures; `since` is the version the client holds (the list is left out when unchanged). */
export const CatalogGetSchema = z.strictObject({ since: z.number().int().min(0).optional() });
/** Largest base64 text per `catalog:import` part: the hub caps socket.io messages at 16 KB. */
export const CATALOG_PART_CHARS = 12_000;
/**
 * One part of a CSV or XLSX file of procedures, base64. The hub reads the file once the last
 * part arrives: `check` only reports, `merge` adds and updates by code, `replace` makes the file
 * the whole catalog (refused while any row is unreadable).
 */
export const CatalogImportSchema = z
  .strictObject({
    uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'mã tải lên gồm 8 đến 64 chữ cái không dấu, số, dấu gạch'),
    fileName: z.string().trim().min(1).max(200),
    part: z.number().int().min(0).max(511),
    parts: z.number().int().min(1).max(512),
    data: z.string().max(CATALOG_PART_CHARS).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'dữ liệu phải là base64'),
    mode: z.enum(['check', 'merge', 'replace']).default('check'),
  })
  .refine((p) => p.part < p.parts, { message: 'số thứ tự phần phải nhỏ hơn tổng số phần', path: ['part'] });

export const ClerkLoginSchema = z.strictObject({ clerkId: ClerkIdSchema, pin: PinSchema });
export const QueueCommandSchema = z.strictObject({ requestId: RequestIdSchema });
export const RecallSchema = z.strictObject({
  requestId: RequestIdSchema,
  /** A ticket marked no-show to call back; without it, the current ticket is announced again. */
  ticketId: z.string().min(1).max(64).optional(),
});
export const FinishSchema = z.strictObject({
  requestId: RequestIdSchema,
  outcome: OutcomeSchema,
  note: z.string().max(500).optional(),
});
export const TransferSchema = z
  .strictObject({
    requestId: RequestIdSchema,
    toServiceId: ServiceIdSchema.optional(),
    toCounterId: CounterIdSchema.optional(),
  })
  .refine((t) => (t.toServiceId === undefined) !== (t.toCounterId === undefined), {
    message: 'chọn đúng một nơi chuyển đến: một lĩnh vực hoặc một quầy',
    path: ['toServiceId'],
  });
export const CallNumberSchema = z.strictObject({
  requestId: RequestIdSchema,
  number: z.number().int().min(1).max(99_999),
});
export const PauseSchema = z.strictObject({ reason: ReasonSchema });
export const SyncSchema = z.strictObject({
  lastSeq: z.number().int().min(0),
  /** The hub id the client's state came from; a different hub (a new database) means a snapshot. */
  hubId: z.string().max(64).optional(),
});

export const ClerkCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  pin: PinSchema,
  counterIds: z.array(CounterIdSchema).max(99),
});
export const ClerkUpdateSchema = z.strictObject({
  id: ClerkIdSchema,
  name: z.string().trim().min(1).max(80).optional(),
  pin: PinSchema.optional(),
  counterIds: z.array(CounterIdSchema).max(99).optional(),
  active: z.boolean().optional(),
});
export const PairingCreateSchema = z.strictObject({
  role: z.enum(['display', 'kiosk', 'counter', 'rating']),
  counterId: CounterIdSchema.optional(),
});
export const DeviceRevokeSchema = z.strictObject({ deviceId: z.string().min(1).max(64) });
export const ClockSetSchema = z.strictObject({ at: z.number().int().min(0) });
/** Admin: revokes every device not heard from for `days` days (and not connected now). */
export const DeviceRevokeStaleSchema = z.strictObject({ days: z.number().int().min(1).max(3650) });
/** Admin: lifts the PIN locks of one clerk, or of one device (a device id, `local:…`, or an address for the admin password). */
export const AccessUnlockSchema = z
  .strictObject({ clerkId: ClerkIdSchema.optional(), device: z.string().min(1).max(80).optional() })
  .refine((u) => (u.clerkId === undefined) !== (u.device === undefined), {
    message: 'chọn đúng một: một cán bộ (clerkId) hoặc một thiết bị (device)',
    path: ['clerkId'],
  });
/** Admin: minutes without a command after which a clerk's session ends (0: only when the day turns). */
export const AccessSetIdleSchema = z.strictObject({ clerkIdleMinutes: z.number().int().min(0).max(24 * 60) });

/** What a printer reports before a ticket: `ok` and `paper_near_end` issue, the faults refuse. */
export const PRINTER_STATES = ['ok', 'paper_near_end', 'paper_out', 'cover_open', 'offline', 'error', 'no_status'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];
export const PrinterTypeSchema = z.enum(['preview', 'tcp']);
export const PaperWidthSchema = z.union([z.literal(58), z.literal(80)]);
/** A kiosk's device id, or `*`: the printer of every kiosk without its own (and of the hub's own screens). */
export const PrinterKioskSchema = z.string().regex(/^(\*|[A-Za-z0-9_-]{1,64})$/, 'mã ki-ốt (mã thiết bị) hoặc * cho mọi ki-ốt');
export const TicketReprintSchema = z.strictObject({ requestId: RequestIdSchema, ticketId: z.string().min(1).max(64) });
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

/** Every command, its payload schema. The hub validates each payload against this table. */
export const COMMAND_SCHEMAS = {
  'ticket:issue': IssueTicketSchema,
  'clerk:login': ClerkLoginSchema,
  'clerk:logout': Empty,
  'counter:open': Empty,
  'counter:close': Empty,
  'counter:pause': PauseSchema,
  'counter:resume': Empty,
  'counter:next': QueueCommandSchema,
  'counter:recall': RecallSchema,
  'counter:noShow': QueueCommandSchema,
  'counter:start': QueueCommandSchema,
  'counter:finish': FinishSchema,
  'counter:transfer': TransferSchema,
  'counter:callNumber': CallNumberSchema,
  sync: SyncSchema,
  'clerk:create': ClerkCreateSchema,
  'clerk:update': ClerkUpdateSchema,
  'pairing:create': PairingCreateSchema,
  'device:list': Empty,
  'device:revoke': DeviceRevokeSchema,
  'device:revokeStale': DeviceRevokeStaleSchema,
  'access:get': Empty,
  'access:unlock': AccessUnlockSchema,
  'access:setIdle': AccessSetIdleSchema,
  'admin:session': Empty,
  'clock:set': ClockSetSchema,
  'report:get': ReportGetSchema,
  'ticket:reprint': TicketReprintSchema,
  'printer:status': PrinterStatusQuerySchema,
  'printer:list': Empty,
  'printer:set': PrinterSetSchema,
  'printer:setTicketText': PrinterTicketTextSchema,
  /** Admin: a kiosk drops its own printer and uses the default one again. */
  'printer:unset': PrinterUnsetSchema,
  /** Admin: a test ticket on a kiosk's printer; answers whether it came out and the printer's state. */
  'printer:test': PrinterTestSchema,
  /** Admin: a new admin password (the current one, the new one twice); other admin screens are logged out. */
  'admin:changePassword': AdminPasswordChangeSchema,
  'config:get': Empty,
  'config:saveService': ServiceSaveSchema,
  'config:orderServices': ServiceOrderSchema,
  'config:counterServices': CounterServicesSchema,
  'config:setTexts': CenterTextsSchema,
  'config:setHours': OpeningHoursSchema,
  /** Admin: how the counters order priority and normal tickets. */
  'config:setPriorityRule': PriorityRuleSchema,
  'config:log': AuditQuerySchema,
  'rating:pending': Empty,
  'rating:submit': RatingSubmitSchema,
  'catalog:get': CatalogGetSchema,
  'catalog:import': CatalogImportSchema,
  /** Admin: how calls sound (templates, volume, repeats, voice); the whole settings, edited. */
  'voice:set': VoiceSettingsSchema,
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export const COMMAND_NAMES = Object.keys(COMMAND_SCHEMAS) as CommandName[];

export interface IssuedTicket {
  ticket: TicketView;
  /** Tickets of the same service that will be called before this one. */
  peopleAhead: number;
  /** Null while no counter serving the service is open, and outside a session (`Opening` not `open`). */
  estimatedWaitMinutes: number | null;
  /**
   * Whether the ticket came out of the kiosk's printer. When false the number is still valid:
   * the kiosk shows it with `printMessage` (note the number, ask for a reprint).
   */
  printed?: boolean;
  printMessage?: string;
  /** The procedure chosen at the kiosk, when the citizen searched for one. */
  procedure?: ProcedureView;
}

/** The catalog; `procedures` is left out when the client already holds `version`. */
export interface CatalogReply {
  version: number;
  procedures?: ProcedureView[];
}

/** A row of an imported file that could not be read: its line (as a spreadsheet numbers it) and why. */
export interface CatalogImportProblem {
  line: number;
  reason: string;
}

export interface CatalogImportReport {
  fileName: string;
  format: 'csv' | 'xlsx';
  mode: 'check' | 'merge' | 'replace';
  /** Rows with something in them, below the header. */
  rows: number;
  /** Rows read correctly. */
  readable: number;
  problems: CatalogImportProblem[];
  /** Whether the catalog was changed. */
  applied: boolean;
  added: number;
  updated: number;
  removed: number;
  /** The catalog's size afterwards. */
  total: number;
  /** One Vietnamese sentence for the admin. */
  message: string;
}

export type CatalogImportReply = { complete: false; received: number; parts: number } | { complete: true; report: CatalogImportReport };

export interface PrinterConfigView {
  kioskId: string;
  type: 'preview' | 'tcp';
  address: string | null;
  paperWidth: 58 | 80;
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

export interface ReprintReply {
  ticketId: string;
  number: number;
  printed: boolean;
  message?: string;
}

export interface LoginReply {
  clerk: ClerkSummary;
  counter: CounterView;
  /** Sent back in the handshake (`auth.session`) so a reconnect keeps the clerk logged in. */
  sessionToken: string;
}

export type SyncReply = { mode: 'events'; hubId: string; events: HubEvent[] } | { mode: 'snapshot'; snapshot: Snapshot };

export interface DeviceView {
  id: string;
  role: 'display' | 'kiosk' | 'counter' | 'rating';
  counterId: number | null;
  name: string;
  pairedAt: number;
  lastSeenAt: number | null;
  revoked: boolean;
}

/** A lock on PIN or admin-password tries, shown on the admin's clerks and devices pages. */
export interface LockoutView {
  key: string;
  /** One clerk everywhere; one device for every clerk; one clerk on one device; an address's admin password. */
  kind: 'clerk' | 'device' | 'clerkAtDevice' | 'adminAddress';
  clerkId: number | null;
  /** A paired device's id, or `local:counter<N>` for an unpaired counter screen on the hub PC. */
  device: string | null;
  address: string | null;
  until: number;
}

export interface AccessStatus {
  lockouts: LockoutView[];
  /** 0: a clerk's session ends only when the day turns. */
  clerkIdleMinutes: number;
}

/** What each command answers with when it succeeds. */
export interface CommandReplies {
  'ticket:issue': IssuedTicket;
  'clerk:login': LoginReply;
  'clerk:logout': CounterView;
  'counter:open': CounterView;
  'counter:close': CounterView;
  'counter:pause': CounterView;
  'counter:resume': CounterView;
  'counter:next': TicketView;
  'counter:recall': TicketView;
  'counter:noShow': TicketView;
  'counter:start': TicketView;
  'counter:finish': TicketView;
  'counter:transfer': TicketView;
  'counter:callNumber': TicketView;
  sync: SyncReply;
  'clerk:create': ClerkSummary;
  'clerk:update': ClerkSummary;
  'pairing:create': { code: string; expiresAt: number };
  'device:list': DeviceView[];
  'device:revoke': DeviceView;
  'device:revokeStale': DeviceView[];
  'access:get': AccessStatus;
  'access:unlock': AccessStatus;
  'access:setIdle': AccessStatus;
  'admin:session': { token: string; expiresAt: number };
  'clock:set': { now: number };
  'report:get': Report;
  'ticket:reprint': ReprintReply;
  'printer:status': PrinterStatusView;
  'printer:list': { printers: PrinterConfigView[]; footer: string; qr: string };
  'printer:set': PrinterConfigView;
  'printer:setTicketText': { footer: string; qr: string };
  'printer:unset': { kioskId: string; removed: boolean };
  'printer:test': PrinterTestReply;
  'admin:changePassword': { changedAt: number; loggedOut: number };
  'config:get': AdminConfig;
  'config:saveService': ServiceView;
  'config:orderServices': ServiceView[];
  'config:counterServices': CounterView;
  'config:setTexts': CenterTexts;
  'config:setHours': OpeningHours;
  'config:setPriorityRule': PriorityRule;
  'config:log': AuditEntry[];
  'rating:pending': PendingRating | null;
  'rating:submit': RatingReply;
  'catalog:get': CatalogReply;
  'catalog:import': CatalogImportReply;
  'voice:set': VoiceSettings;
}

export type CommandPayload<C extends CommandName> = z.input<(typeof COMMAND_SCHEMAS)[C]>;
export type ParsedCommand<C extends CommandName> = z.output<(typeof COMMAND_SCHEMAS)[C]>;

export type ClientToServerEvents = {
  [C in CommandName]: (payload: CommandPayload<C>, ack: AckCallback<CommandReplies[C]>) => void;
};

export type ServerToClientEvents = {
  [T in HubEventType]: (event: Extract<HubEvent, { type: T }>) => void;
} & {
  /** Sent to one socket when it did something the hub cannot answer with an ack. */
  'hub:error': (error: HubError & { event?: string }) => void;
};
