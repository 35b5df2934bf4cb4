import { PRIORITY_NAMES, type PriorityClass } from '@xephang/protocol';
import type { TicketData } from './layout';

/** The footer a ticket carries until the admin sets another. */
export const DEFAULT_FOOTER = 'Xin vui lòng chú ý màn hình và loa gọi số. Xin cảm ơn!';

/** What the center says on every ticket: the admin's settings. */
export interface TicketSettings {
  centerName: string;
  /** The admin's footer; empty for none. */
  footer: string;
  /** The admin's QR text; `{number}`, `{day}` and `{ticketId}` are replaced; empty for no QR code. */
  qrTemplate: string;
  /** The center's offset from UTC; core's VIETNAM_UTC_OFFSET_MINUTES when not given. */
  utcOffsetMinutes?: number;
}

/** What the hub knows of one issued ticket when it prints it. */
export interface TicketFacts {
  ticket: { id: string; number: number; serviceId: string; priority: PriorityClass; issuedAt: number; day: string };
  /** The field's names; undefined when the field was deleted since (its id is printed). */
  service: { nameVi: string; nameEn?: string } | undefined;
  /** Every counter whose list has the field, open or not: the ticket is read later in the day. */
  counterIds: number[];
  /** The procedure the citizen chose at the kiosk, with the papers to bring. */
  procedure?: { name: string; papers: readonly string[] };
  peopleAhead: number;
  /** The one wait estimate (the hub's load.ts); null while no counter serving the field is open. */
  estimatedWaitMinutes: number | null;
  /** Set on a reprint: the ticket says when it was printed again. */
  reprintedAt?: number;
}

/**
 * The one composition of a ticket: what goes on the paper, for every printer (the preview, a
 * network printer, the kiosk's own). The hub calls it once per print; the printers only draw it.
 */
export function composeTicket(facts: TicketFacts, settings: TicketSettings): TicketData {
  const { ticket, service, procedure } = facts;
  const qr = settings.qrTemplate.replaceAll('{number}', String(ticket.number)).replaceAll('{day}', ticket.day).replaceAll('{ticketId}', ticket.id);
  return {
    centerName: settings.centerName,
    number: ticket.number,
    serviceNameVi: service?.nameVi ?? ticket.serviceId,
    ...(service?.nameEn ? { serviceNameEn: service.nameEn } : {}),
    issuedAt: ticket.issuedAt,
    day: ticket.day,
    ...(settings.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: settings.utcOffsetMinutes }),
    peopleAhead: facts.peopleAhead,
    estimatedWaitMinutes: facts.estimatedWaitMinutes,
    counterIds: facts.counterIds,
    ...(ticket.priority === 'normal' ? {} : { priorityLabel: `ƯU TIÊN – ${PRIORITY_NAMES[ticket.priority].vi}` }),
    ...(qr ? { qr } : {}),
    ...(settings.footer ? { footer: settings.footer } : {}),
    ...(facts.reprintedAt === undefined ? {} : { reprintedAt: facts.reprintedAt }),
    ...(procedure ? { procedureName: procedure.name, ...(procedure.papers.length ? { papers: [...procedure.papers] } : {}) } : {}),
  };
}
