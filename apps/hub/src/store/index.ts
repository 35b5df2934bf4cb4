import type { Database } from 'better-sqlite3';
import { catalogStore } from './catalog-store';
import { citizenStore } from './citizen-store';
import { accessStore } from './access-store';
import { adminStore } from './admin-store';
import { broadcastStore } from './broadcast-store';
import { configStore } from './config-store';
import { printerStore } from './printer-store';
import { replyStore } from './reply-store';
import { ticketStore } from './ticket-store';
import { visitLog } from './visit-log';
import { visitStore } from './visit-store';

/**
 * Every table's one module, built once by the composition root (hub.ts) and handed to each
 * service as the few stores it uses: no service reaches a table through another.
 */
export function createStores(db: Database) {
  const config = configStore(db);
  return {
    config,
    tickets: ticketStore(db),
    broadcasts: broadcastStore(db),
    replies: replyStore(db),
    visitLog: visitLog(db),
    access: accessStore(db),
    // The fields are written here and read (and kept) by the config store.
    admin: adminStore(db, { servicesChanged: config.forgetCache }),
    catalog: catalogStore(db),
    printers: printerStore(db),
    visits: visitStore(db),
    citizen: citizenStore(db),
  };
}

export type Stores = ReturnType<typeof createStores>;
