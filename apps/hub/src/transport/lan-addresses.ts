import { networkInterfaces } from 'node:os';

// The screens themselves (their addresses and names) are listed once in @xephang/protocol
// (screens.ts); this only finds where on the LAN the hub can be reached.

/** The hub's IPv4 addresses on the LAN, for the screens on other machines. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}
