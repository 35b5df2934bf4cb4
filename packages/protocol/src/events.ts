import type { CitizenIdRules } from './citizen-id';
import type { ClerkSummary, CounterView, KioskTexts, LoadByService, Opening, ServiceView, TicketView } from './views';
import type { DossierSettings } from './dossier';

/** The number every broadcast carries; a client keeps the highest it has applied. */
interface EventBase {
  seq: number;
  /** When the hub committed it, epoch ms. */
  at: number;
  /** Waiting counts and estimates after this event, so a display never counts by itself. */
  load: LoadByService;
  /** Whether the kiosk issues, after this event. */
  opening: Opening;
}

export type TicketIssued = EventBase & { type: 'ticket:issued'; ticket: TicketView };
export type TicketCalled = EventBase & {
  type: 'ticket:called';
  ticket: TicketView;
  counter: CounterView;
  /** True when the clerk called the same ticket again. */
  recall: boolean;
};
export type TicketStarted = EventBase & { type: 'ticket:started'; ticket: TicketView; counter: CounterView };
export type TicketFinished = EventBase & { type: 'ticket:finished'; ticket: TicketView; counter: CounterView };
export type TicketMissed = EventBase & { type: 'ticket:missed'; ticket: TicketView; counter: CounterView };
export type TicketTransferred = EventBase & {
  type: 'ticket:transferred';
  ticket: TicketView;
  counter: CounterView;
  fromServiceId: string;
};
/** Opened, closed, paused, resumed, a clerk logged in or out. */
export type CounterUpdated = EventBase & { type: 'counter:updated'; counter: CounterView };
/** Numbering restarted; tickets still waiting from earlier days were expired. */
export type DayStarted = EventBase & {
  type: 'day:started';
  day: string;
  expired: number;
  /** The counters as the new day starts (each clerk's count of visits starts again). */
  counters: CounterView[];
};
export type ConfigUpdated = EventBase & {
  type: 'config:updated';
  centerName: string;
  notice: string;
  kiosk: KioskTexts;
  services: ServiceView[];
  counters: CounterView[];
  clerks: ClerkSummary[];
  /** The dossier settings (see Snapshot). */
  dossier?: DossierSettings;
  /** As in the snapshot: the fields whose citizen ID rule is not off. */
  citizenIdRules?: CitizenIdRules;
};
/** The kiosk's state by the hours changed with the hub's clock (a session opened or closed, the early window began). */
export type OpeningChanged = EventBase & { type: 'opening:changed' };

export type HubEvent =
  | TicketIssued
  | TicketCalled
  | TicketStarted
  | TicketFinished
  | TicketMissed
  | TicketTransferred
  | CounterUpdated
  | DayStarted
  | ConfigUpdated
  | OpeningChanged;

export type HubEventType = HubEvent['type'];

export const HUB_EVENT_TYPES = [
  'ticket:issued',
  'ticket:called',
  'ticket:started',
  'ticket:finished',
  'ticket:missed',
  'ticket:transferred',
  'counter:updated',
  'day:started',
  'config:updated',
  'opening:changed',
] as const satisfies readonly HubEventType[];
