import type { Database } from 'better-sqlite3';
import type { PaperWidth } from '@xephang/printer';
import type { PrinterConfigView } from '@xephang/protocol';

interface PrinterRow {
  kiosk_id: string;
  type: 'preview' | 'tcp';
  address: string | null;
  paper_width: PaperWidth;
}

const toView = (r: PrinterRow): PrinterConfigView => ({ kioskId: r.kiosk_id, type: r.type, address: r.address, paperWidth: r.paper_width });

/** The kiosks' printers as the admin configured them (`*`: every kiosk without its own). */
export function printerStore(db: Database) {
  const one = db.prepare<[string], PrinterRow>('SELECT kiosk_id, type, address, paper_width FROM printers WHERE kiosk_id = ?');
  const all = db.prepare<[], PrinterRow>('SELECT kiosk_id, type, address, paper_width FROM printers ORDER BY kiosk_id');
  const upsert = db.prepare(
    `INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kiosk_id) DO UPDATE SET type = excluded.type, address = excluded.address,
       paper_width = excluded.paper_width, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare("DELETE FROM printers WHERE kiosk_id = ? AND kiosk_id <> '*'");
  return {
    get: (kioskId: string): PrinterConfigView | undefined => {
      const row = one.get(kioskId);
      return row && toView(row);
    },
    list: (): PrinterConfigView[] => all.all().map(toView),
    set: (c: PrinterConfigView, at: number) => void upsert.run(c.kioskId, c.type, c.address, c.paperWidth, at),
    /** Drops a kiosk's own printer (never the `*` row); whether there was one. */
    remove: (kioskId: string): boolean => remove.run(kioskId).changes > 0,
  };
}

export type PrinterStore = ReturnType<typeof printerStore>;
