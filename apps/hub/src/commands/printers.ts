import { QueueError } from '@xephang/core';
import { UNPAIRED_KIOSK_ID, type CommandReplies, type KioskPrinterConnection, type ParsedCommand, type PrinterConfigView, type PrinterStatusView, type PrinterTestReply } from '@xephang/protocol';
import type { Actor, Result } from '../commit';
import type { Printing } from '../printing';
import type { Stores } from '../store';
import type { Changes } from './changes';

/** How a kiosk's own printer is attached, as the admin log says it. */
const CONNECTION_VI: Record<KioskPrinterConnection, string> = {
  system: 'máy in của hệ điều hành',
  usb: 'USB',
  serial: 'cổng nối tiếp',
  tcp: 'mạng',
};

/** "máy in mạng 192.168.1.50:9100, khổ 80 mm", for the admin log. */
export function describePrinter(c: Pick<PrinterConfigView, 'type' | 'address' | 'paperWidth' | 'connection'>): string {
  if (c.type === 'kiosk') return `máy in gắn tại ki-ốt (${CONNECTION_VI[c.connection ?? 'system']}: ${c.address ?? ''}), khổ ${c.paperWidth} mm`;
  return c.type === 'tcp' ? `máy in mạng ${c.address}, khổ ${c.paperWidth} mm` : `xem trước (ảnh PNG${c.address ? ` trong ${c.address}` : ''}), khổ ${c.paperWidth} mm`;
}

/** The admin's printer commands: which printer each kiosk uses, the ticket's texts, a test print. */
export function createPrinterCommands(deps: {
  stores: Pick<Stores, 'config' | 'printers'>;
  printing: Pick<Printing, 'list' | 'status' | 'test' | 'forgetConfigs' | 'kioskPrinter' | 'forgetKiosk' | 'report' | 'none' | 'printed'>;
  changes: Pick<Changes, 'adminChange'>;
}) {
  const { config, printers } = deps.stores;
  const { printing } = deps;
  const current = (kioskId: string) => printing.list().printers.find((p) => p.kioskId === kioskId);

  return {
    list: () => printing.list(),

    /** A kiosk asks about its own printer; the admin about any kiosk's (`*`: the default). */
    status: (cmd: ParsedCommand<'printer:status'>, role: 'kiosk' | 'admin', deviceId: string | null): Promise<PrinterStatusView> =>
      printing.status(role === 'kiosk' ? (deviceId ?? UNPAIRED_KIOSK_ID) : (cmd.kioskId ?? '*')),

    test(cmd: ParsedCommand<'printer:test'>, by: string): Promise<PrinterTestReply> {
      if (cmd.kioskId === UNPAIRED_KIOSK_ID) {
        throw new QueueError('not_found', 'Ki-ốt trên máy chủ chưa ghép nối: máy chủ không gửi lệnh in cho nó được. Hãy in thử ngay tại ki-ốt (phần Cài đặt của ứng dụng), hoặc ghép nối ki-ốt.');
      }
      return printing.test(cmd, by);
    },

    /** `printer:report` from a kiosk: its own printer and its state. */
    report: (cmd: ParsedCommand<'printer:report'>, actor: Actor): PrinterStatusView => printing.report(cmd, actor),
    /** `printer:none` from a kiosk: it has no printer of its own (any more). */
    none: (actor: Actor) => printing.none(actor),

    /** `ticket:printed` from a kiosk: how a job the hub handed it came out. */
    printed: (cmd: ParsedCommand<'ticket:printed'>, actor: Actor): CommandReplies['ticket:printed'] => printing.printed(cmd, actor),

    set(cmd: ParsedCommand<'printer:set'>, by: string): Result<PrinterConfigView> {
      const own = cmd.kioskId === '*' ? undefined : printing.kioskPrinter(cmd.kioskId);
      if (own) {
        throw new QueueError(
          'forbidden',
          `Ki-ốt ${cmd.kioskId} in bằng máy in gắn tại ki-ốt (${describePrinter({ type: 'kiosk', address: own.name, paperWidth: own.paperWidth, connection: own.connection })}): ` +
            'máy in ấy được cài đặt tại ki-ốt, trong phần Cài đặt của ứng dụng xephang. Muốn ki-ốt in ra máy in khác, hãy đổi (hoặc bỏ) máy in ở phần Cài đặt tại ki-ốt.',
        );
      }
      if (cmd.kioskId === UNPAIRED_KIOSK_ID) throw new QueueError('invalid_payload', 'Ki-ốt trên máy chủ chưa ghép nối dùng máy in mặc định (*): hãy đặt máy in mặc định.');
      const before = current(cmd.kioskId);
      const who = cmd.kioskId === '*' ? 'mặc định (mọi ki-ốt)' : `của ki-ốt ${cmd.kioskId}`;
      const what = `Máy in ${who}: ${describePrinter({ ...cmd, address: cmd.address ?? null })}${before ? ` (trước: ${describePrinter(before)})` : ''}`;
      return deps.changes.adminChange('admin:printer', { by, what }, (now) => {
        const address = cmd.type === 'tcp' ? cmd.address!.trim() : (cmd.address ?? null);
        const saved: PrinterConfigView = { kioskId: cmd.kioskId, type: cmd.type, address, paperWidth: cmd.paperWidth };
        printers.set(saved, now);
        printing.forgetConfigs();
        return saved;
      });
    },

    /** A kiosk's own printer dropped: it prints on the default one. */
    unset(cmd: ParsedCommand<'printer:unset'>, by: string): Result<{ kioskId: string; removed: boolean }> {
      const before = current(cmd.kioskId);
      if (!before) throw new QueueError('not_found', `Ki-ốt ${cmd.kioskId} không có máy in riêng: nó đang dùng máy in mặc định.`);
      const what = `Máy in của ki-ốt ${cmd.kioskId}: dùng máy in mặc định (trước: ${describePrinter(before)})`;
      return deps.changes.adminChange('admin:printer', { by, what }, () => {
        // The unpaired kiosk's printer lives in memory only (kiosk-printers.ts).
        const removed = printers.remove(cmd.kioskId) || cmd.kioskId === UNPAIRED_KIOSK_ID;
        printing.forgetConfigs();
        printing.forgetKiosk(cmd.kioskId);
        return { kioskId: cmd.kioskId, removed };
      });
    },

    /** The ticket's footer and QR text. */
    setTicketText(cmd: ParsedCommand<'printer:setTicketText'>, by: string): Result<{ footer: string; qr: string }> {
      const what = `Chữ trên phiếu: cuối phiếu "${cmd.footer}"; mã QR ${cmd.qr ? `"${cmd.qr}"` : 'không in'}`;
      return deps.changes.adminChange('admin:ticketText', { by, what }, () => {
        config.setMeta('ticket_footer', cmd.footer);
        config.setMeta('ticket_qr', cmd.qr);
        return { footer: cmd.footer, qr: cmd.qr };
      });
    },
  };
}

export type PrinterCommands = ReturnType<typeof createPrinterCommands>;
