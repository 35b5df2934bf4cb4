import { QueueError } from '@xephang/core';
import type { ParsedCommand, PrinterConfigView, PrinterStatusView, PrinterTestReply } from '@xephang/protocol';
import type { Result } from '../commit';
import type { Printing } from '../printing';
import type { Stores } from '../store';
import type { Changes } from './changes';

/** "máy in mạng 192.168.1.50:9100, khổ 80 mm", for the admin log. */
export function describePrinter(c: Pick<PrinterConfigView, 'type' | 'address' | 'paperWidth'>): string {
  return c.type === 'tcp' ? `máy in mạng ${c.address}, khổ ${c.paperWidth} mm` : `xem trước (ảnh PNG${c.address ? ` trong ${c.address}` : ''}), khổ ${c.paperWidth} mm`;
}

/** The admin's printer commands: which printer each kiosk uses, the ticket's texts, a test print. */
export function createPrinterCommands(deps: {
  stores: Pick<Stores, 'config' | 'printers'>;
  printing: Pick<Printing, 'list' | 'status' | 'test' | 'forgetConfigs'>;
  changes: Pick<Changes, 'adminChange'>;
}) {
  const { config, printers } = deps.stores;
  const { printing } = deps;
  const current = (kioskId: string) => printing.list().printers.find((p) => p.kioskId === kioskId);

  return {
    list: () => printing.list(),

    /** A kiosk asks about its own printer; the admin about any kiosk's (`*`: the default). */
    status: (cmd: ParsedCommand<'printer:status'>, role: 'kiosk' | 'admin', deviceId: string | null): Promise<PrinterStatusView> =>
      printing.status(role === 'kiosk' ? deviceId : (cmd.kioskId ?? null)),

    test: (cmd: ParsedCommand<'printer:test'>, by: string): Promise<PrinterTestReply> => printing.test(cmd, by),

    set(cmd: ParsedCommand<'printer:set'>, by: string): Result<PrinterConfigView> {
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
        const removed = printers.remove(cmd.kioskId);
        printing.forgetConfigs();
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
