import { z } from 'zod';
import { PROTOCOL_VERSION } from './handshake';

/**
 * LAN discovery: a device being set up broadcasts a small JSON probe to this UDP port and every
 * hub that hears it answers the sender, unicast, with where its screens are. The datagrams are
 * written and read only here: the hub (apps/hub/src/transport/discovery.ts) and the desktop
 * shell (apps/desktop/src/discovery.ts) only move them over UDP.
 */
export const DISCOVERY_PORT = 41234;
/** The datagram format, separate from PROTOCOL_VERSION: a newer shell can still find an older hub. */
export const DISCOVERY_VERSION = 1;
/** A probe is tiny; anything bigger is not ours and is dropped unread. */
export const MAX_PROBE_BYTES = 512;
/**
 * The largest answer read. A real one is far smaller (200 characters of name at most 6 bytes
 * each once escaped): a bigger datagram is not a hub's, and is not parsed.
 */
export const MAX_REPLY_BYTES = 4096;

/** What a device sends: `{"xephang":"probe","v":1}`, exactly the two keys. */
export const DiscoveryProbeSchema = z.strictObject({
  xephang: z.literal('probe'),
  /** Any version from 1 up: a newer shell's probe still gets the answer this hub knows. */
  v: z.number().int().min(1),
});
export type DiscoveryProbe = z.infer<typeof DiscoveryProbeSchema>;

/** What a hub answers. */
export const DiscoveryReplySchema = z.strictObject({
  xephang: z.literal('hub'),
  v: z.literal(DISCOVERY_VERSION),
  protocolVersion: z.number().int(),
  hubId: z.string().max(64),
  name: z.string().max(200),
  /** The hub's HTTP port; the address is the one the reply came from. */
  port: z.number().int().min(1).max(65535),
});
export type DiscoveryReply = z.infer<typeof DiscoveryReplySchema>;

/** What a hub puts in its answer, read at each probe (the center's name can change). */
export interface DiscoveryHubInfo {
  hubId: string;
  name: string;
  httpPort: number;
}

/** The probe datagram a device broadcasts. */
export function encodeProbe(): string {
  const probe: DiscoveryProbe = { xephang: 'probe', v: DISCOVERY_VERSION };
  return JSON.stringify(probe);
}

/** The probe in a datagram, or undefined when it is anything else (too big, not JSON, a key more or less). */
export function parseProbe(datagram: Uint8Array): DiscoveryProbe | undefined {
  return parseDatagram(datagram, MAX_PROBE_BYTES, DiscoveryProbeSchema);
}

/** A hub's answer; the id and the name are cut to what a device accepts. */
export function encodeReply(info: DiscoveryHubInfo): string {
  const reply: DiscoveryReply = {
    xephang: 'hub',
    v: DISCOVERY_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    hubId: info.hubId.slice(0, 64),
    name: info.name.slice(0, 200),
    port: info.httpPort,
  };
  return JSON.stringify(reply);
}

/** A hub's answer in a datagram, or undefined when it is not one. */
export function parseReply(datagram: Uint8Array): DiscoveryReply | undefined {
  return parseDatagram(datagram, MAX_REPLY_BYTES, DiscoveryReplySchema);
}

/** Never throws: whatever arrives on a UDP port may be garbage or hostile. */
function parseDatagram<T>(datagram: Uint8Array, maxBytes: number, schema: z.ZodType<T>): T | undefined {
  if (datagram.length > maxBytes) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(datagram));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
