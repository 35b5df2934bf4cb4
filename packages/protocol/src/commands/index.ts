import type { z } from 'zod';
import type { AckCallback, HubError } from '../ack';
import type { HubEvent, HubEventType } from '../events';
import { ADMIN_COMMANDS, type AdminReplies } from './admin';
import { CATALOG_COMMANDS, type CatalogReplies } from './catalog';
import { CITIZEN_COMMANDS, type CitizenReplies } from './citizen';
import { CLERK_COMMANDS, type ClerkReplies } from './clerks';
import { CONFIG_COMMANDS, type ConfigReplies } from './config';
import { COUNTER_COMMANDS, type CounterReplies } from './counters';
import { DEVICE_COMMANDS, type DeviceReplies } from './devices';
import { PRINTER_COMMANDS, type PrinterReplies } from './printers';
import { PROVINCE_COMMANDS, type ProvinceReplies } from './province';
import { RATING_COMMANDS, type RatingReplies } from './ratings';
import { REPORT_COMMANDS, type ReportReplies } from './reports';
import { SYNC_COMMANDS, type SyncReplies } from './sync';
import { SYSTEM_COMMANDS, type SystemReplies } from './system';
import { TICKET_COMMANDS, type KioskPrintJob, type TicketReplies } from './tickets';
import { VISIT_COMMANDS, type VisitReplies } from './visits';

export * from './admin';
export * from './catalog';
export * from './citizen';
export * from './clerks';
export * from './config';
export * from './counters';
export * from './devices';
export * from './printers';
export * from './province';
export * from './ratings';
export * from './reports';
export * from './sync';
export * from './system';
export * from './tickets';
export * from './visits';

/**
 * Each domain's commands, one table per file beside this one; a command name appears in one of
 * them only (commands.test.ts counts them).
 */
export const COMMAND_DOMAINS = {
  tickets: TICKET_COMMANDS,
  counters: COUNTER_COMMANDS,
  clerks: CLERK_COMMANDS,
  sync: SYNC_COMMANDS,
  devices: DEVICE_COMMANDS,
  admin: ADMIN_COMMANDS,
  reports: REPORT_COMMANDS,
  printers: PRINTER_COMMANDS,
  config: CONFIG_COMMANDS,
  ratings: RATING_COMMANDS,
  catalog: CATALOG_COMMANDS,
  system: SYSTEM_COMMANDS,
  province: PROVINCE_COMMANDS,
  visits: VISIT_COMMANDS,
  citizen: CITIZEN_COMMANDS,
} as const;

/** Every command, its payload schema. The hub validates each payload against this table. */
export const COMMAND_SCHEMAS = {
  ...TICKET_COMMANDS,
  ...COUNTER_COMMANDS,
  ...CLERK_COMMANDS,
  ...SYNC_COMMANDS,
  ...DEVICE_COMMANDS,
  ...ADMIN_COMMANDS,
  ...REPORT_COMMANDS,
  ...PRINTER_COMMANDS,
  ...CONFIG_COMMANDS,
  ...RATING_COMMANDS,
  ...CATALOG_COMMANDS,
  ...SYSTEM_COMMANDS,
  ...PROVINCE_COMMANDS,
  ...VISIT_COMMANDS,
  ...CITIZEN_COMMANDS,
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export const COMMAND_NAMES = Object.keys(COMMAND_SCHEMAS) as CommandName[];

/** What each command answers with when it succeeds. */
export interface CommandReplies
  extends TicketReplies,
    CounterReplies,
    ClerkReplies,
    SyncReplies,
    DeviceReplies,
    AdminReplies,
    ReportReplies,
    PrinterReplies,
    ConfigReplies,
    RatingReplies,
    CatalogReplies,
    SystemReplies,
    ProvinceReplies,
    VisitReplies,
    CitizenReplies {}

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
  /**
   * Sent to one kiosk whose shell prints itself: a job it did not ask for (the admin's reprint of
   * a ticket it issued, the admin's test print). It answers with `ticket:printed`.
   */
  'kiosk:print': (job: KioskPrintJob) => void;
};
