import { connectHub, type HubClient, type HubClientOptions } from '@xephang/client';
import {
  DEFAULT_FOOTER,
  escposPrinter,
  PrintError,
  STATE_MESSAGES,
  tcpTransport,
  type TicketData,
  type TicketPrinter,
  type Transport,
} from '@xephang/printer';
import { fail, PRIORITY_NAMES, type Ack, type DesktopPrintResult, type Snapshot } from '@xephang/protocol';
import type { PrinterSetting } from './config';
import { parseIpc, CHANNELS } from './ipc';
import { usbTransport, type UsbDeviceLike } from './usb-transport';



/** A ticket the kiosk could not find on the hub, or could not ask about. */
export class TicketLookupError extends Error {
  override readonly name = 'TicketLookupError';
}

/**
 * What goes on the paper for `ticketId`, from the hub's state: the service's names, the people
 * ahead of it, and its share of the service's estimated wait. Pure.
 */
export function ticketDataFromSnapshot(s: Snapshot, ticketId: string): TicketData | undefined {
  const ticket = s.tickets.find((t) => t.id === ticketId);
  if (!ticket) return undefined;
  const service = s.services.find((v) => v.id === ticket.serviceId);
  const waiting = s.tickets.filter((t) => t.state === 'waiting' && t.serviceId === ticket.serviceId);
  const peopleAhead = ticket.state === 'waiting' ? waiting.filter((t) => t.issuedAt < ticket.issuedAt || (t.issuedAt === ticket.issuedAt && t.number < ticket.number)).length : 0;
  // The hub's estimate is for a newcomer behind everyone waiting; this ticket waits for its share.
  const load = s.load[ticket.serviceId];
  const estimatedWaitMinutes =
    load?.estimatedWaitMinutes === null ? null : load && waiting.length > 0 ? Math.ceil((load.estimatedWaitMinutes * peopleAhead) / waiting.length) : 0;
  return {
    centerName: s.centerName,
    number: ticket.number,
    serviceNameVi: service?.nameVi ?? ticket.serviceId,
    ...(service?.nameEn ? { serviceNameEn: service.nameEn } : {}),
    issuedAt: ticket.issuedAt,
    peopleAhead,
    estimatedWaitMinutes,
    ...(ticket.priority === 'normal' ? {} : { priorityLabel: `ƯU TIÊN – ${PRIORITY_NAMES[ticket.priority].vi}` }),
    footer: DEFAULT_FOOTER,
  };
}

/** Where the print path gets a ticket's content. */
export interface TicketSource {
  /** @throws TicketLookupError when the hub cannot be asked or does not know the ticket. */
  ticketData(ticketId: string): Promise<TicketData>;
}

/**
 * Asks the hub for a ticket over its own socket, as the paired kiosk: one short connection per
 * ticket, so a hub restart between two citizens costs nothing.
 */
export function hubTicketSource(options: { url: string; token: string | null; timeoutMs?: number; connect?: (o: HubClientOptions) => HubClient }): TicketSource {
  const connect = options.connect ?? connectHub;
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    async ticketData(ticketId) {
      const client = connect({ url: options.url, auth: { role: 'kiosk', ...(options.token ? { token: options.token } : {}) } });
      let timer: NodeJS.Timeout | undefined;
      try {
        const state = await Promise.race([
          client.synced(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new TicketLookupError(`Không hỏi được máy chủ về phiếu ${ticketId} (quá ${timeoutMs} ms).`)), timeoutMs);
          }),
        ]);
        const data = ticketDataFromSnapshot(state, ticketId);
        if (!data) throw new TicketLookupError(`Máy chủ không có phiếu ${ticketId} trong hôm nay.`);
        return data;
      } finally {
        clearTimeout(timer);
        client.close();
      }
    },
  };
}

/** The kiosk's printer from its setting; undefined when the kiosk does not print itself. */
export function kioskPrinter(setting: PrinterSetting, usb: (vendorId?: number, productId?: number) => UsbDeviceLike | undefined): TicketPrinter | undefined {
  let transport: Transport;
  switch (setting.type) {
    case 'none':
      return undefined;
    case 'tcp':
      transport = tcpTransport({ host: setting.host, port: setting.port });
      break;
    case 'usb': {
      const id = setting.vendorId === undefined ? 'máy in USB đầu tiên' : `${hex(setting.vendorId)}:${hex(setting.productId ?? 0)}`;
      transport = usbTransport(() => usb(setting.vendorId, setting.productId), `usb:${id}`);
      break;
    }
  }
  return escposPrinter(transport, { paperWidth: setting.paperWidth });
}

const hex = (n: number) => n.toString(16).padStart(4, '0');

const FAULTS = new Set(['paper_out', 'cover_open', 'offline', 'error']);

/**
 * The kiosk page's `printTicket(ticketId)`, in the main process: validates the payload, asks the
 * printer how it is, fetches the ticket from the hub, prints it, and says how it went. Never
 * throws: every failure is an ack the kiosk page can show.
 */
export async function handlePrintTicket(payload: unknown, deps: { source: TicketSource; printer: TicketPrinter | undefined }): Promise<Ack<DesktopPrintResult>> {
  const parsed = parseIpc(CHANNELS.printTicket, payload);
  if (!parsed.ok) return parsed;
  if (!deps.printer) return fail('printer_error', 'Máy này không được cài đặt máy in phiếu.');
  try {
    const status = await deps.printer.status();
    if (FAULTS.has(status.state)) return { ok: true, data: { printed: false, state: status.state, message: status.message } };
    let data: TicketData;
    try {
      data = await deps.source.ticketData(parsed.data.ticketId);
    } catch (error) {
      if (error instanceof TicketLookupError) return fail('not_found', `${error.message} Phiếu chưa được in.`);
      throw error;
    }
    const report = await deps.printer.print(data);
    const after = report.after ?? 'ok';
    return { ok: true, data: { printed: true, state: after, message: after === 'ok' ? '' : STATE_MESSAGES[after] } };
  } catch (error) {
    if (error instanceof PrintError) return { ok: true, data: { printed: false, state: error.state, message: error.state === 'failed' ? `Phiếu chưa in được: ${error.message}` : STATE_MESSAGES[error.state] } };
    return fail('internal', `Lỗi khi in phiếu: ${error instanceof Error ? error.message : String(error)}`);
  }
}
