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
import type { ClerkSummary, CounterView, Snapshot, TicketView } from './views';

const Empty = z.strictObject({});
const PinSchema = z.string().regex(/^\d{4,8}$/, 'mã PIN gồm 4 đến 8 chữ số');
const ReasonSchema = z.string().trim().min(1).max(120);

export const IssueTicketSchema = z.strictObject({
  requestId: RequestIdSchema,
  serviceId: ServiceIdSchema,
  priority: PriorityClassSchema.default('normal'),
});
export type IssueTicket = z.input<typeof IssueTicketSchema>;

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
  role: z.enum(['display', 'kiosk', 'counter']),
  counterId: CounterIdSchema.optional(),
});
export const DeviceRevokeSchema = z.strictObject({ deviceId: z.string().min(1).max(64) });
export const ClockSetSchema = z.strictObject({ at: z.number().int().min(0) });

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
  'clock:set': ClockSetSchema,
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export const COMMAND_NAMES = Object.keys(COMMAND_SCHEMAS) as CommandName[];

export interface IssuedTicket {
  ticket: TicketView;
  /** Tickets of the same service that will be called before this one. */
  peopleAhead: number;
  estimatedWaitMinutes: number;
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
  role: 'display' | 'kiosk' | 'counter';
  counterId: number | null;
  name: string;
  pairedAt: number;
  lastSeenAt: number | null;
  revoked: boolean;
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
  'clock:set': { now: number };
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
