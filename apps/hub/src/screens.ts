import { networkInterfaces } from 'node:os';

/** The addresses of every screen, as served by the hub. */
export const SCREEN_PATHS = ['/kiosk', '/counter', '/display', '/admin', '/rate'] as const;

export interface ScreenAddress {
  label: string;
  path: string;
}

/** Every screen a center sets up, with a label a technician recognises. */
export function screenAddresses(counterIds: readonly number[]): ScreenAddress[] {
  return [
    { label: 'Ki-ốt lấy số (kiosk)', path: '/kiosk' },
    { label: 'Màn hình phòng chờ (waiting-room TV)', path: '/display' },
    ...counterIds.map((id) => ({ label: `Màn hình trên quầy ${id} (counter display)`, path: `/display/counter/${id}` })),
    ...counterIds.map((id) => ({ label: `Máy tính quầy ${id} (clerk)`, path: `/counter/${id}` })),
    ...counterIds.map((id) => ({ label: `Máy đánh giá quầy ${id} (rating tablet)`, path: `/rate/${id}` })),
    { label: 'Quản trị và báo cáo (admin)', path: '/admin' },
  ];
}

/** The hub's IPv4 addresses on the LAN, for the screens on other machines. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}
