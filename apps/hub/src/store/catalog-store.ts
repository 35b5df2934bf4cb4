import type { Database } from 'better-sqlite3';
import { STARTER_CATALOG } from '@xephang/catalog';
import type { CatalogReply, ProcedureView } from '@xephang/protocol';

interface ProcedureRow {
  code: string;
  name: string;
  service_id: string;
  papers: string;
  keywords: string;
}

/**
 * The center's catalog of procedures in SQLite: the starter catalog on first start, the
 * admin's imports after that. `version` grows with every change so kiosks fetch it only then.
 */
export function catalogStore(db: Database) {
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const all = db.prepare<[], ProcedureRow>('SELECT code, name, service_id, papers, keywords FROM procedures ORDER BY position, code');
  const one = db.prepare<[string], ProcedureRow>('SELECT code, name, service_id, papers, keywords FROM procedures WHERE code = ?');
  const serviceIds = db.prepare<[], { id: string }>('SELECT id FROM services');
  const maxPosition = db.prepare<[], { p: number | null }>('SELECT max(position) AS p FROM procedures');
  const upsert = db.prepare(
    `INSERT INTO procedures (code, name, service_id, papers, keywords, position, updated_at)
     VALUES (@code, @name, @serviceId, @papers, @keywords, @position, @at)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, service_id = excluded.service_id,
       papers = excluded.papers, keywords = excluded.keywords, updated_at = excluded.updated_at`,
  );
  const removeAll = db.prepare('DELETE FROM procedures');
  const setTicket = db.prepare('UPDATE tickets SET procedure_code = ? WHERE id = ?');
  const ofTicket = db.prepare<[string], ProcedureRow>(
    `SELECT p.code, p.name, p.service_id, p.papers, p.keywords FROM tickets t JOIN procedures p ON p.code = t.procedure_code WHERE t.id = ?`,
  );

  const version = (): number => Number(getMeta.get('catalog_version')?.value ?? 0);
  const bump = () => setMeta.run('catalog_version', String(version() + 1));

  const write = (procedures: readonly ProcedureView[], at: number, from: number) =>
    procedures.forEach((p, i) =>
      upsert.run({
        code: p.code,
        name: p.name,
        serviceId: p.serviceId,
        papers: JSON.stringify(p.papers),
        keywords: JSON.stringify(p.keywords ?? []),
        position: from + i,
        at,
      }),
    );

  /** Writes the starter catalog once, on the first start with this table (for the fields that exist). */
  const seed = db.transaction((at: number): boolean => {
    if (getMeta.get('catalog_version')) return false;
    const ids = new Set(serviceIds.all().map((s) => s.id));
    write(
      STARTER_CATALOG.filter((p) => ids.has(p.serviceId)),
      at,
      1,
    );
    bump();
    return true;
  });

  const apply = db.transaction((procedures: readonly ProcedureView[], mode: 'merge' | 'replace', at: number) => {
    const before = new Map(all.all().map((r) => [r.code, r]));
    // A file has no keywords column: a procedure it updates keeps the ones it had.
    const rows = procedures.map((p) => (p.keywords || !before.has(p.code) ? p : { ...p, keywords: JSON.parse(before.get(p.code)!.keywords) as string[] }));
    if (mode === 'replace') removeAll.run();
    // New codes go after the existing ones (an update keeps its place); a replace takes the file's order.
    const from = mode === 'replace' ? 1 : (maxPosition.get()!.p ?? 0) + 1;
    write(mode === 'replace' ? rows : rows.filter((p) => !before.has(p.code)), at, from);
    if (mode === 'merge') write(rows.filter((p) => before.has(p.code)), at, 0);
    const added = procedures.filter((p) => !before.has(p.code)).length;
    const kept = new Set(procedures.map((p) => p.code));
    const removed = mode === 'replace' ? [...before.keys()].filter((c) => !kept.has(c)).length : 0;
    bump();
    return { added, updated: procedures.length - added, removed, total: all.all().length };
  });

  return {
    version,
    list: (): ProcedureView[] => all.all().map(toView),
    get: (code: string): ProcedureView | undefined => {
      const row = one.get(code);
      return row && toView(row);
    },
    /** What a client holding `since` needs. */
    reply: (since: number | undefined): CatalogReply => {
      const v = version();
      return since === v ? { version: v } : { version: v, procedures: all.all().map(toView) };
    },
    seedStarter: (at: number): boolean => seed.immediate(at),
    /** Call inside the issuing transaction. */
    setTicketProcedure: (ticketId: string, code: string) => void setTicket.run(code, ticketId),
    /** The procedure a ticket was taken for, if it is still in the catalog. */
    ticketProcedure: (ticketId: string): ProcedureView | undefined => {
      const row = ofTicket.get(ticketId);
      return row && toView(row);
    },
    apply: (procedures: readonly ProcedureView[], mode: 'merge' | 'replace', at: number) => apply.immediate(procedures, mode, at),
  };
}

export type CatalogStore = ReturnType<typeof catalogStore>;

function toView(row: ProcedureRow): ProcedureView {
  const keywords = JSON.parse(row.keywords) as string[];
  return { code: row.code, name: row.name, serviceId: row.service_id, papers: JSON.parse(row.papers) as string[], ...(keywords.length ? { keywords } : {}) };
}
