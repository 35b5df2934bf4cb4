import { QueueError } from '@xephang/core';
import type { ClerkSummary, ParsedCommand } from '@xephang/protocol';
import type { Result, Run } from '../commit';
import { hashSecret } from '../secrets';
import type { Stores } from '../store';
import type { Changes } from './changes';
import type { Connections } from './connections';

export interface ClerkDeps {
  stores: Pick<Stores, 'config' | 'tickets' | 'access'>;
  commit: { run: Run };
  changes: Pick<Changes, 'counterChanged' | 'configChanged'>;
}

/** The admin's clerk accounts: PIN hashing, ending sessions, the counters' login lists, the log line. */
export function createClerkCommands(deps: ClerkDeps) {
  const { config, tickets, access } = deps.stores;
  const { counterChanged, configChanged } = deps.changes;

  function requireCounters(ids: readonly number[]): void {
    const missing = ids.filter((id) => !access.counterExists(id));
    if (missing.length) throw new QueueError('not_found', `Không có quầy số ${missing.join(', ')}.`);
  }

  /** Inside the commit: logs the change and sends the counters' login lists; `logOut` sends the clerk away from every counter. */
  function changed(now: number, clerkId: number, what: string, by: string, logOut: boolean): ClerkSummary {
    if (logOut) {
      // A new PIN or a locked account: the clerk leaves every counter with nothing in hand.
      for (const c of config.counters()) {
        if (c.clerkId !== clerkId || tickets.activeAt(c.id)) continue;
        config.setCounterClerk(c.id, null);
        config.setCounterStatus(c.id, 'closed');
        counterChanged(c, { deviceId: null, counterId: c.id, clerkId }, now, 'clerk:loggedOut', { by });
      }
    }
    configChanged(now, 'clerk:changed', { clerkId, what, by });
    const summary = config.clerks().find((c) => c.id === clerkId);
    if (summary) return summary;
    const row = access.clerk(clerkId)!;
    return { id: row.id, name: row.name, counterIds: access.clerkCounters(clerkId) };
  }

  return {
    async create(cmd: ParsedCommand<'clerk:create'>, by: string): Promise<Result<ClerkSummary>> {
      requireCounters(cmd.counterIds);
      const pinHash = await hashSecret(cmd.pin);
      return deps.commit.run('clerk:changed', undefined, (now) => {
        const id = access.createClerk(cmd.name, pinHash, cmd.counterIds, now);
        return changed(now, id, `Thêm cán bộ ${cmd.name} (mã ${id}), quầy ${cmd.counterIds.join(', ') || 'chưa có'}`, by, false);
      });
    },

    /** A new PIN or a locked account ends the clerk's sessions: they log in again. */
    async update(cmd: ParsedCommand<'clerk:update'>, by: string, connections: Pick<Connections, 'forgetClerk'>): Promise<Result<ClerkSummary>> {
      const before = access.clerk(cmd.id);
      if (!before) throw new QueueError('not_found', `Không có cán bộ mã ${cmd.id}.`);
      if (cmd.counterIds) requireCounters(cmd.counterIds);
      const pinHash = cmd.pin === undefined ? undefined : await hashSecret(cmd.pin);
      const logOut = Boolean(pinHash) || cmd.active === false;
      const changes = [
        ...(cmd.name !== undefined && cmd.name !== before.name ? [`tên "${cmd.name}"`] : []),
        ...(cmd.pin !== undefined ? ['đặt lại mã PIN'] : []),
        ...(cmd.counterIds ? [`quầy ${cmd.counterIds.join(', ') || 'không'}`] : []),
        ...(cmd.active === undefined ? [] : [cmd.active ? 'mở khoá' : 'khoá tài khoản']),
      ];
      const result = deps.commit.run('clerk:changed', undefined, (now) => {
        access.updateClerk({ ...cmd, ...(pinHash ? { pinHash } : {}) });
        if (logOut) access.endClerkSessions(cmd.id, now);
        return changed(now, cmd.id, `Sửa cán bộ ${before.name} (mã ${cmd.id}): ${changes.join('; ') || 'không đổi gì'}`, by, logOut);
      });
      if (logOut) connections.forgetClerk(cmd.id);
      return result;
    },
  };
}

export type ClerkCommands = ReturnType<typeof createClerkCommands>;
