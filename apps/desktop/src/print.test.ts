import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { renderTicket, STATE_MESSAGES } from '@xephang/printer';
import { EscPosDecoder, FakePrinter, pixelDiff, type DecodedTicket } from '@xephang/printer/testing';
import { admin, client, disposeHub, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';
import type { HubClient } from '@xephang/client';
import { pairWithHub } from './pairing';
import { handlePrintTicket, hubTicketSource, kioskPrinter, ticketDataFromSnapshot, type TicketSource } from './print';
import type { UsbDeviceLike, UsbInEndpointLike, UsbInterfaceLike, UsbOutEndpointLike } from './usb-transport';

const noUsb = () => undefined;

/**
 * A USB thermal printer as libusb shows it: the one thing mocked. Bytes sent to its OUT endpoint
 * go through the same ESC/POS decoder as the fake network printer; status answers come back on IN.
 */
function fakeUsbPrinter() {
  const tickets: DecodedTicket[] = [];
  const replies: number[] = [];
  const counts = { open: 0, close: 0, claim: 0, release: 0 };
  const state = { paperOut: false };
  const decoder = new EscPosDecoder(
    576,
    (n) => (n === 4 && state.paperOut ? 0x12 | 0x0c | 0x60 : n === 1 && state.paperOut ? 0x12 | 0x08 : n === 2 && state.paperOut ? 0x12 | 0x20 : 0x12),
    (t) => tickets.push(t),
  );
  const out: UsbOutEndpointLike = {
    direction: 'out',
    timeout: 0,
    transferAsync: async (buffer) => {
      replies.push(...decoder.push(Buffer.from(buffer)));
      return buffer.length;
    },
  };
  const input: UsbInEndpointLike = {
    direction: 'in',
    timeout: 0,
    transferAsync: async (length) => {
      if (!replies.length) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(input.timeout, 50)));
        throw Object.assign(new Error('LIBUSB_ERROR_TIMEOUT'), { errno: -7 });
      }
      return Buffer.from(replies.splice(0, length));
    },
  };
  const iface: UsbInterfaceLike = {
    descriptor: { bInterfaceClass: 7 },
    endpoints: [input, out],
    claim: () => void counts.claim++,
    releaseAsync: async () => void counts.release++,
    isKernelDriverActive: () => false,
    detachKernelDriver: () => undefined,
    attachKernelDriver: () => undefined,
  };
  const device: UsbDeviceLike = {
    deviceDescriptor: { idVendor: 0x0416, idProduct: 0x5011 },
    interfaces: [iface],
    open: () => void counts.open++,
    close: () => void counts.close++,
  };
  return { device, tickets, counts, state };
}

describe('kiosk printing: the page asks, the main process fetches the ticket from the hub and prints it', () => {
  let hub: HubProcess;
  let token: string;
  let kiosk: HubClient;
  let fake: FakePrinter;
  let source: TicketSource;

  beforeAll(async () => {
    // A paired kiosk elsewhere on the LAN: its token both issues the tickets and reads them back.
    hub = await startHubProcess({ args: ['--no-trust-loopback', '--kiosk-burst', '0'] });
    const a = await admin(hub);
    const { code } = unwrap(await a.send('pairing:create', { role: 'kiosk' }));
    a.close();
    const paired = await pairWithHub(hub.url, { code, name: 'Ki-ốt thử', role: 'kiosk', counterId: null });
    if (!paired.ok) throw new Error(paired.error.message);
    token = paired.data.token;
    kiosk = await client(hub, { role: 'kiosk', token });
    fake = new FakePrinter();
    await fake.start();
    source = hubTicketSource({ url: hub.url, token });
  });
  afterAll(async () => {
    kiosk.close();
    await fake.stop();
    await disposeHub(hub);
  });

  const issue = async (serviceId: string, priority: 'normal' | 'elderly' = 'normal') =>
    unwrap(await kiosk.send('ticket:issue', { requestId: rid(), serviceId, priority })).ticket;

  it('prints the ticket on the network printer exactly as the layout draws it', async () => {
    const ticket = await issue('land');
    const printer = kioskPrinter({ type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 }, noUsb);
    const reply = await handlePrintTicket({ ticketId: ticket.id }, { source, printer });
    expect(reply).toEqual({ ok: true, data: { printed: true, state: 'ok', message: '' } });
    await fake.waitForTickets(1);
    expect(fake.tickets).toHaveLength(1);
    expect(fake.unknownCommands).toEqual([]);
    const expected = await source.ticketData(ticket.id);
    expect(expected).toMatchObject({ number: 1001, serviceNameVi: 'Nông nghiệp – Môi trường – Đất đai', peopleAhead: 0 });
    expect(pixelDiff(fake.tickets[0]!.image, renderTicket(expected, 80).bitmap)).toBe(0);
  });

  it('puts the people ahead and the priority on the paper', async () => {
    await issue('civil');
    await issue('civil');
    const third = await issue('civil', 'elderly');
    const reader = await client(hub, { role: 'kiosk', token });
    const data = ticketDataFromSnapshot(await reader.synced(), third.id)!;
    reader.close();
    expect(data).toMatchObject({ number: 2003, peopleAhead: 2, priorityLabel: 'ƯU TIÊN – Người cao tuổi', centerName: expect.stringContaining('Trung tâm') });
    expect(data.footer).toBe('Xin vui lòng chú ý màn hình và loa gọi số. Xin cảm ơn!');
  });

  it('reports an empty printer to the page and prints nothing', async () => {
    const before = fake.tickets.length;
    fake.set({ paperOut: true });
    try {
      const ticket = await issue('culture');
      const printer = kioskPrinter({ type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 }, noUsb);
      expect(await handlePrintTicket({ ticketId: ticket.id }, { source, printer })).toEqual({
        ok: true,
        data: { printed: false, state: 'paper_out', message: STATE_MESSAGES.paper_out },
      });
      expect(fake.tickets).toHaveLength(before);
    } finally {
      fake.set({ paperOut: false });
    }
  });

  it('refuses a bad payload before touching the printer or the hub', async () => {
    const connections = fake.connections;
    const printer = kioskPrinter({ type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 }, noUsb);
    const reply = await handlePrintTicket({ ticketId: '<script>' }, { source, printer });
    expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_payload', fields: { ticketId: 'mã phiếu không hợp lệ' } }) });
    expect((await handlePrintTicket('2025-07-10-1001', { source, printer })).ok).toBe(false);
    expect(fake.connections).toBe(connections);
  });

  it('says when the hub does not know the ticket', async () => {
    const before = fake.tickets.length;
    const printer = kioskPrinter({ type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 }, noUsb);
    const reply = await handlePrintTicket({ ticketId: '2000-01-01-1001' }, { source, printer });
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringContaining('không có phiếu 2000-01-01-1001') } });
    expect(fake.tickets).toHaveLength(before);
  });

  it('says when this machine has no printer', async () => {
    const ticket = await issue('business');
    expect(kioskPrinter({ type: 'none' }, noUsb)).toBeUndefined();
    expect(await handlePrintTicket({ ticketId: ticket.id }, { source, printer: undefined })).toEqual({
      ok: false,
      error: { code: 'printer_error', message: 'Máy này không được cài đặt máy in phiếu.' },
    });
  });

  it('prints on the USB printer (only the USB device is a fake), and releases it after each job', async () => {
    const usb = fakeUsbPrinter();
    const find = (vendorId?: number, productId?: number) =>
      vendorId === usb.device.deviceDescriptor.idVendor && productId === usb.device.deviceDescriptor.idProduct ? usb.device : undefined;
    const printer = kioskPrinter({ type: 'usb', vendorId: 0x0416, productId: 0x5011, paperWidth: 80 }, find);
    const ticket = await issue('police');
    expect(await handlePrintTicket({ ticketId: ticket.id }, { source, printer })).toEqual({ ok: true, data: { printed: true, state: 'ok', message: '' } });
    expect(usb.tickets).toHaveLength(1);
    expect(pixelDiff(usb.tickets[0]!.image, renderTicket(await source.ticketData(ticket.id), 80).bitmap)).toBe(0);
    // One status question, one job: each opened, claimed, released and closed.
    expect(usb.counts).toEqual({ open: 2, close: 2, claim: 2, release: 2 });

    usb.state.paperOut = true;
    const second = await issue('police');
    expect(await handlePrintTicket({ ticketId: second.id }, { source, printer })).toEqual({
      ok: true,
      data: { printed: false, state: 'paper_out', message: STATE_MESSAGES.paper_out },
    });
    expect(usb.tickets).toHaveLength(1);
  });

  it('reports an unplugged USB printer as offline', async () => {
    const printer = kioskPrinter({ type: 'usb', paperWidth: 80 }, noUsb);
    const ticket = await issue('post');
    const reply = await handlePrintTicket({ ticketId: ticket.id }, { source, printer });
    expect(reply.ok && reply.data).toEqual({ printed: false, state: 'offline', message: expect.stringContaining('Không thấy máy in USB') });
  });

  it('gives up on a hub that does not answer, with a message', async () => {
    const gone = hubTicketSource({ url: 'http://127.0.0.1:9', token, timeoutMs: 800 });
    const printer = kioskPrinter({ type: 'tcp', host: '127.0.0.1', port: fake.port, paperWidth: 80 }, noUsb);
    const reply = await handlePrintTicket({ ticketId: '2025-07-10-1001' }, { source: gone, printer });
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringContaining('Không hỏi được máy chủ') } });
  });
});
