/**
 * What a command may ask of the connected screens, implemented by the transport: commands
 * decide, the transport knows the sockets.
 */
export interface Connections {
  /** Paired devices connected now. */
  connectedDevices(): Set<string>;
  /** Drops every socket of a device (revoked). */
  disconnectDevice(deviceId: string): void;
  /** Counter sockets logged in as this clerk log out (a new PIN, a locked account). */
  forgetClerk(clerkId: number): void;
}
