import { createSocket, type RemoteInfo } from 'node:dgram';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { DISCOVERY_PORT, encodeProbe, parseReply, PROTOCOL_VERSION } from '@xephang/protocol';

// The device's side of LAN discovery: it sends the probe and collects the answers. Both
// datagrams are written and read by @xephang/protocol (discovery.ts), as the hub's side
// (apps/hub/src/transport/discovery.ts) does; the tests run this against the real hub.

/** A hub that answered. */
export interface FoundHub {
  /** `http://<the address the answer came from>:<its HTTP port>`. */
  url: string;
  hubId: string;
  name: string;
  protocolVersion: number;
  /** False when the hub speaks another protocol version: the screens would be refused. */
  compatible: boolean;
}

export interface DiscoverOptions {
  /** The hubs' UDP port. */
  port?: number;
  /** Where probes go; default: every IPv4 broadcast address of this machine, 255.255.255.255 and loopback. */
  targets?: readonly string[];
  /** How long to listen in all. */
  timeoutMs?: number;
  /** Probes are sent again at this interval (UDP may drop one). */
  repeatMs?: number;
}

/**
 * The broadcast address of each IPv4 network this machine is on (`192.168.1.255` for
 * 192.168.1.23/24). Pure.
 */
export function broadcastAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const out = new Set<string>();
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue;
      const addr = toInt(info.address);
      const mask = toInt(info.netmask);
      if (addr === undefined || mask === undefined) continue;
      out.add(fromInt((addr | ~mask) >>> 0));
    }
  }
  return [...out];
}

function toInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function fromInt(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Every probe target by default: the networks' broadcast addresses, the global one, and this machine. */
export function defaultTargets(): string[] {
  return [...broadcastAddresses(networkInterfaces()), '255.255.255.255', '127.0.0.1'];
}

/**
 * Asks the LAN which hubs are there and collects their answers for `timeoutMs`. Never throws:
 * a network without broadcast just finds nothing, and setup offers the manual address.
 */
export async function discoverHubs(options: DiscoverOptions = {}): Promise<FoundHub[]> {
  const port = options.port ?? DISCOVERY_PORT;
  const targets = options.targets ?? defaultTargets();
  const timeoutMs = options.timeoutMs ?? 2000;
  const repeatMs = options.repeatMs ?? 500;
  const found = new Map<string, FoundHub>();
  const socket = createSocket({ type: 'udp4' });

  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const reply = parseReply(msg);
    if (!reply) return;
    const url = `http://${from.address}:${reply.port}`;
    // One hub heard on several interfaces (or on loopback too) is listed once, by its id.
    const key = reply.hubId || url;
    const hub: FoundHub = {
      url,
      hubId: reply.hubId,
      name: reply.name,
      protocolVersion: reply.protocolVersion,
      compatible: reply.protocolVersion === PROTOCOL_VERSION,
    };
    const earlier = found.get(key);
    // Prefer a LAN address over loopback: the saved address must also work after a reboot.
    if (!earlier || (earlier.url.includes('//127.') && !url.includes('//127.'))) found.set(key, hub);
  });
  socket.on('error', () => undefined);

  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(0, () => resolve(true));
  });
  if (!bound) {
    socket.close();
    return [];
  }
  try {
    socket.setBroadcast(true);
  } catch {
    // Without broadcast, the unicast targets (loopback, a typed address) still work.
  }
  const probe = encodeProbe();
  const send = () => {
    for (const target of targets) socket.send(probe, port, target, () => undefined);
  };
  send();
  const timer = setInterval(send, repeatMs);
  await new Promise((resolve) => setTimeout(resolve, timeoutMs));
  clearInterval(timer);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.url.localeCompare(b.url));
}
