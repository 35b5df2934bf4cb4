import type { Database } from 'better-sqlite3';
import { createCitizenIds } from '../citizen-ids';
import { createCommit } from '../commit';
import { createDay } from '../day';
import { createLoad } from '../load';
import type { Stores } from '../store';
import { createChanges } from './changes';
import { createClerkCommands } from './clerks';
import { createCounterCommands } from './counters';
import { createDeviceCommands } from './devices';
import { createRatingCommands } from './ratings';
import { createSyncCommands } from './sync';
import { createTicketCommands } from './tickets';
import { createVisitCommands } from './visits';

export interface CommandsOptions {
  now: () => number;
  utcOffsetMinutes?: number;
  /** Issue at any hour, the kiosk always open (`--any-hours`, for tests). */
  anyHours?: boolean;
  /** Where a technician reads what went wrong (the hub's log). */
  log?: (line: string) => void;
  /** After every command's commit (see CommitOptions.committed). */
  committed?: () => void;
}

/**
 * The queue's rooms wired together: the commit runner, the day and the load it checks and
 * attaches around every command, and the commands that need nothing but the stores. The
 * composition root (hub.ts) adds those that need the transport, the printers or secrets;
 * tests and benchmarks drive these directly on a database.
 */
export function createCommands(db: Database, stores: Stores, options: CommandsOptions) {
  const log = options.log ?? (() => undefined);
  const offset = options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes };
  const commit = createCommit(db, stores, {
    now: options.now,
    log,
    committed: () => {
      // The WAL truncated after a day turn deleted the citizen IDs' marks (citizen-ids.ts).
      citizenIds.committed();
      options.committed?.();
    },
    hooks: {
      begin(now) {
        day.rollover(now);
        counters.expireSessions(now);
      },
      end(now, actor) {
        // A reset time moved earlier than now turns the day at once, in the same transaction.
        day.rollover(now);
        counters.touchSession(now, actor);
      },
      attach(now, withLoad) {
        const opening = load.openingOf(now);
        return { opening, load: withLoad ? load.loadOf(day.dayAt(now), opening) : {} };
      },
      sent: (opening) => load.sent(opening),
      reset() {
        stores.config.forgetCache();
        load.forget();
        day.reload();
      },
    },
  });
  const citizenIds = createCitizenIds({ db, citizen: stores.citizen, log });
  const day = createDay(stores, { ...offset, log, emit: commit.emit, turned: citizenIds.dayTurned });
  const load = createLoad(stores, { ...offset, anyHours: options.anyHours ?? false });
  const changes = createChanges(stores, commit);
  const counters = createCounterCommands({ stores, commit, day, load, changes, ...offset });

  return {
    commit,
    day,
    load,
    changes,
    counters,
    citizenIds,
    tickets: createTicketCommands({ stores, commit, day, load, citizenIds, ...offset }),
    sync: createSyncCommands({ stores, commit, day, load }),
    clerks: createClerkCommands({ stores, commit, changes }),
    devices: createDeviceCommands({ stores, now: options.now, log }),
    ratings: createRatingCommands({ stores, commit, changes }),
    visits: createVisitCommands({ stores, commit, day, changes, now: options.now }),

    /** Writes the default center (and the starter catalog) on first start; returns whether the database was new. */
    seed(hubId: string): boolean {
      const fresh = stores.config.seedDefaults(hubId);
      stores.catalog.seedStarter(options.now());
      return fresh;
    },
    /** The day a command now would be on, for a reader outside a command (the queue turns to it on its next command or tick). */
    today: (): string => day.dayAt(options.now()),
    /** The wait a (re)printed ticket states for `ahead` tickets of its field now: the kiosk's and the ticket's one rule. */
    waitNow: (serviceId: string, ahead: number): number | null => load.estimate(serviceId, ahead, load.openingOf(options.now())),
  };
}

export type Commands = ReturnType<typeof createCommands>;
