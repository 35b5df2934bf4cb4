import { hostname, networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * The names a request may carry in its `Host` header. A page on any web site can point its own
 * name at 127.0.0.1 (DNS rebinding) and then talk to the hub as a same-origin page on the hub
 * PC, which the hub trusts; a Host check refuses it before any trust is granted.
 */
export interface HostNames {
  /** Whether a `Host` header names this hub. */
  allows: (host: string | undefined) => boolean;
  /** Every name accepted right now, for the startup banner and the refusal. */
  list: () => string[];
}

/** How long the LAN addresses are kept: DHCP changes them, but not every millisecond. */
const ADDRESS_CACHE_MS = 5_000;

/**
 * Accepts localhost, 127.0.0.0/8, [::1], the machine's current addresses (read again every few
 * seconds), its host name and NAME.local, and the names the technician added (`--host-name`).
 */
export function hostNames(extra: readonly string[], read: { addresses?: () => string[]; hostName?: () => string; clock?: () => number } = {}): HostNames {
  const addresses = read.addresses ?? machineAddresses;
  const ownName = read.hostName ?? hostname;
  // A monotonic clock: the hub's own clock may be a test's frozen one.
  const clock = read.clock ?? (() => performance.now());
  const added = extra.map(normalise).filter(Boolean);
  let cached: { at: number; names: Set<string> } | undefined;
  const current = (): Set<string> => {
    const at = clock();
    if (!cached || at - cached.at > ADDRESS_CACHE_MS) {
      const name = normalise(ownName());
      cached = { at, names: new Set(['localhost', '::1', ...addresses().map(normalise), ...(name ? [name, `${name}.local`] : []), ...added]) };
    }
    return cached.names;
  };
  return {
    allows(host) {
      if (host === undefined) return false;
      const name = nameOf(host);
      if (name === undefined) return false;
      return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || current().has(name);
    },
    list: () => [...current()],
  };
}

/** The name in a Host header without its port, lower case; undefined when it is not one. */
export function nameOf(host: string): string | undefined {
  const m = /^(?:\[([0-9a-f:.%a-z]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(host.trim());
  if (!m) return undefined;
  return normalise(m[1] ?? m[2]!);
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** Every address of every interface (IPv4 and IPv6), as a browser writes them in Host. */
function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined)
    .map((a) => a!.address.replace(/%.*$/, ''));
}
