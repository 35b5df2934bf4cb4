import type { Database } from 'better-sqlite3';
import type { PaperWidth } from '@xephang/printer';
import type { KioskPrinterConnection, PrinterConfigView, PrinterReport, PrinterState } from '@xephang/protocol';

interface PrinterRow {
  kiosk_id: string;
  type: PrinterConfigView['type'];
  address: string | null;
  paper_width: PaperWidth;
  connection: KioskPrinterConnection | null;
  state: PrinterState | null;
  state_message: string | null;
  state_at: number | null;
}

/** A kiosk's own printer as it last reported it; `at` is when that report was stored (a change). */
export interface KioskPrinterRecord extends PrinterReport {
  kioskId: string;
  at: number;
}

const toView = (r: PrinterRow): PrinterConfigView => ({
  kioskId: r.kiosk_id,
  type: r.type,
  address: r.address,
  paperWidth: r.paper_width,
  ...(r.connection ? { connection: r.connection } : {}),
});

const COLUMNS = 'kiosk_id, type, address, paper_width, connection, state, state_message, state_at';

/**
 * The kiosks' printers: those the admin configured (`*`: every kiosk without its own), and the
 * kiosks' own, as they reported them (`kiosk`).
 */
export function printerStore(db: Database) {
  const one = db.prepare<[string], PrinterRow>(`SELECT ${COLUMNS} FROM printers WHERE kiosk_id = ?`);
  const all = db.prepare<[], PrinterRow>(`SELECT ${COLUMNS} FROM printers ORDER BY kiosk_id`);
  const upsert = db.prepare(
    `INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kiosk_id) DO UPDATE SET type = excluded.type, address = excluded.address,
       paper_width = excluded.paper_width, updated_at = excluded.updated_at,
       connection = NULL, state = NULL, state_message = NULL, state_at = NULL`,
  );
  const report = db.prepare(
    `INSERT INTO printers (kiosk_id, type, address, paper_width, updated_at, connection, state, state_message, state_at)
     VALUES (@kioskId, 'kiosk', @name, @paperWidth, @at, @connection, @state, @message, @at)
     ON CONFLICT (kiosk_id) DO UPDATE SET type = 'kiosk', address = excluded.address, paper_width = excluded.paper_width,
       updated_at = excluded.updated_at, connection = excluded.connection, state = excluded.state,
       state_message = excluded.state_message, state_at = excluded.state_at`,
  );
  const remove = db.prepare("DELETE FROM printers WHERE kiosk_id = ? AND kiosk_id <> '*'");
  return {
    get: (kioskId: string): PrinterConfigView | undefined => {
      const row = one.get(kioskId);
      return row && toView(row);
    },
    list: (): PrinterConfigView[] => all.all().map(toView),
    /** The admin's printer for a kiosk (`preview` or `tcp`): a kiosk's own printer reported before is replaced. */
    set: (c: PrinterConfigView, at: number) => void upsert.run(c.kioskId, c.type, c.address, c.paperWidth, at),
    /** A paired kiosk's own printer, as it last reported it; undefined when its row is not `kiosk`. */
    kiosk: (kioskId: string): KioskPrinterRecord | undefined => {
      const r = one.get(kioskId);
      if (!r || r.type !== 'kiosk') return undefined;
      return { kioskId, connection: r.connection!, name: r.address!, paperWidth: r.paper_width, state: r.state!, message: r.state_message ?? '', at: r.state_at! };
    },
    /** Stores a kiosk's report: its row becomes (or stays) its own printer. The caller writes only a change. */
    report: (r: KioskPrinterRecord) => void report.run(r),
    /** Drops a kiosk's own printer (never the `*` row); whether there was one. */
    remove: (kioskId: string): boolean => remove.run(kioskId).changes > 0,
  };
}

export type PrinterStore = ReturnType<typeof printerStore>;
