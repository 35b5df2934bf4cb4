import type { HubEvent, ParsedCommand, Snapshot, SyncReply } from '@xephang/protocol';
import type { Emit, Pending, Result, Run } from '../commit';
import type { Day } from '../day';
import type { Load } from '../load';
import type { Stores } from '../store';
import { centerState } from './changes';

/** A screen that missed more than this many broadcasts gets a snapshot instead. */
const MAX_REPLAY = 1000;

export interface SyncDeps {
  stores: Pick<Stores, 'config' | 'tickets' | 'broadcasts' | 'citizen'>;
  commit: { run: Run; emit: Emit };
  day: Pick<Day, 'dayAt'>;
  load: Pick<Load, 'openingOf' | 'loadOf' | 'openingChanged'>;
}

/** What a screen starts from and catches up with: the snapshot, the replay of missed broadcasts, and the hub's tick. */
export function createSyncCommands(deps: SyncDeps) {
  const { config, tickets, broadcasts, citizen } = deps.stores;
  const { run, emit } = deps.commit;

  const snapshot = (now: number): Snapshot => {
    const day = deps.day.dayAt(now);
    const opening = deps.load.openingOf(now);
    return {
      hubId: config.meta('hub_id')!,
      seq: broadcasts.lastSeq(),
      day,
      ...centerState(config, citizen),
      load: deps.load.loadOf(day, opening),
      opening,
      tickets: tickets.forSnapshot(day),
      recentCalls: tickets.recentCalls(10),
    };
  };

  return {
    /** The state a screen starts from; may carry a day:started event to broadcast. */
    snapshot: (): Result<Snapshot> => run('snapshot', undefined, snapshot),

    /** The broadcasts a screen missed since `lastSeq`, or a snapshot when they cannot all be replayed. */
    sync(cmd: ParsedCommand<'sync'>): Result<SyncReply> {
      return run('sync', undefined, (now): SyncReply => {
        const hubId = config.meta('hub_id')!;
        const last = broadcasts.lastSeq();
        const first = broadcasts.firstSeq() ?? last + 1;
        const replayable = cmd.hubId === hubId && cmd.lastSeq <= last && cmd.lastSeq >= first - 1 && last - cmd.lastSeq <= MAX_REPLAY;
        if (!replayable) return { mode: 'snapshot', snapshot: snapshot(now) };
        // The log keeps events without their load and opening: a replay carries today's, as a snapshot would.
        const opening = deps.load.openingOf(now);
        const load = deps.load.loadOf(deps.day.dayAt(now), opening);
        const events = broadcasts.after(cmd.lastSeq, MAX_REPLAY).map((b) => ({ ...(JSON.parse(b.payload) as Pending), seq: b.seq, load, opening }) as HubEvent);
        return { mode: 'events', hubId, events };
      });
    },

    /** Advances the day if it turned; called by a timer so a quiet night still rolls over. */
    tick: (): HubEvent[] =>
      run('tick', undefined, (now) => {
        // Sessions open and close with the clock alone: tell the kiosks when that changes what they do.
        if (deps.load.openingChanged(now)) emit({ type: 'opening:changed', at: now });
        return null;
      }).events,
  };
}

export type SyncCommands = ReturnType<typeof createSyncCommands>;
