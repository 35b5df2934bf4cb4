import type { LockoutView, ParsedCommand } from '@xephang/protocol';
import type { Access } from '../access';
import type { Result } from '../commit';
import type { Stores } from '../store';
import type { Changes } from './changes';

/** The admin's view of who is locked out, lifting a lock, and how long a clerk's session lasts idle. */
export function createAccessCommands(deps: {
  stores: Pick<Stores, 'config'>;
  access: Pick<Access, 'lockouts' | 'unlock'>;
  changes: Pick<Changes, 'adminChange'>;
  log: (line: string) => void;
}) {
  const { config } = deps.stores;
  const status = (): { lockouts: LockoutView[]; clerkIdleMinutes: number } => ({
    lockouts: deps.access.lockouts(),
    clerkIdleMinutes: Number(config.meta('clerk_idle_minutes') ?? 0),
  });
  return {
    status,

    /** Lifts the locks of a clerk or a device; the technician's log says who did. */
    unlock(cmd: ParsedCommand<'access:unlock'>, by: string) {
      const cleared = deps.access.unlock(cmd);
      deps.log(`${by} mở khoá ${cmd.clerkId === undefined ? `thiết bị ${cmd.device}` : `cán bộ mã ${cmd.clerkId}`} (${cleared} khoá/bộ đếm)`);
      return status();
    },

    setIdle(cmd: ParsedCommand<'access:setIdle'>, by: string): Result<ReturnType<typeof status>> {
      const what = cmd.clerkIdleMinutes ? `Phiên cán bộ hết hạn sau ${cmd.clerkIdleMinutes} phút không thao tác` : 'Phiên cán bộ chỉ hết hạn khi sang ngày mới';
      return deps.changes.adminChange('access:setIdle', { by, what }, () => {
        config.setMeta('clerk_idle_minutes', String(cmd.clerkIdleMinutes));
        return status();
      });
    },
  };
}

export type AccessCommands = ReturnType<typeof createAccessCommands>;
