import { QueueError } from '@xephang/core';
import type { DeviceView, ParsedCommand } from '@xephang/protocol';
import type { Stores } from '../store';
import type { Connections } from './connections';

/** The admin's paired devices: the list, and revoking one or every one long unseen. */
export function createDeviceCommands(deps: { stores: Pick<Stores, 'access'>; now: () => number; log: (line: string) => void }) {
  const { access } = deps.stores;
  return {
    list: (): DeviceView[] => access.devices(),

    /** Revokes a device; its sockets are dropped at once. */
    revoke(cmd: ParsedCommand<'device:revoke'>, connections: Pick<Connections, 'disconnectDevice'>): DeviceView {
      const device = access.device(cmd.deviceId);
      if (!device) throw new QueueError('not_found', 'Không có thiết bị này.');
      access.revokeDevice(device.id, deps.now());
      connections.disconnectDevice(device.id);
      return access.device(device.id)!;
    },

    /** Revokes the devices not connected for `days` days (a connected one is never stale). */
    revokeStale(cmd: ParsedCommand<'device:revokeStale'>, connections: Pick<Connections, 'connectedDevices'>): DeviceView[] {
      const now = deps.now();
      const connected = connections.connectedDevices();
      const stale = access.staleDevices(now - cmd.days * 86_400_000).filter((d) => !connected.has(d.id));
      for (const d of stale) access.revokeDevice(d.id, now);
      deps.log(`quản trị thu hồi ${stale.length} thiết bị không kết nối từ ${cmd.days} ngày: ${stale.map((d) => d.name).join(', ') || 'không có'}`);
      return stale.map((d) => access.device(d.id)!);
    },
  };
}

export type DeviceCommands = ReturnType<typeof createDeviceCommands>;
