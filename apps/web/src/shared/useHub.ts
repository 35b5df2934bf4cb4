import { useEffect, useRef, useState } from 'react';
import { connectHub, type HubClient, type HubClientOptions } from '@xephang/client';
import type { DESKTOP_BRIDGE_GLOBAL, DesktopBridge, HubError, HubEvent, Snapshot } from '@xephang/protocol';

export interface HubView {
  client: HubClient | undefined;
  state: Snapshot | undefined;
  online: boolean;
  /** The last broadcast applied (a call, for the TV to flash). */
  lastEvent: HubEvent | undefined;
  /** Why the hub refused this screen, if it did (not paired, wrong counter…). */
  refused: string | undefined;
}

declare global {
  interface Window {
    /** Present only inside the desktop shell (apps/desktop's preload): the kiosk prints through it. */
    [DESKTOP_BRIDGE_GLOBAL]?: DesktopBridge;
  }
}

/**
 * A paired device's token: the desktop shell opens the screen as `/kiosk#token=…` (a fragment
 * never leaves the machine); a browser on the hub's own machine needs none.
 */
function deviceToken(): string | undefined {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? undefined;
}

/** Connects this screen to the hub that served it and keeps its state in sync. */
export function useHub(auth: HubClientOptions['auth'], onEvent?: (e: HubEvent, replayed: boolean) => void): HubView {
  const [state, setState] = useState<Snapshot>();
  const [online, setOnline] = useState(false);
  const [lastEvent, setLastEvent] = useState<HubEvent>();
  const [refused, setRefused] = useState<string>();
  const [client, setClient] = useState<HubClient>();
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const key = JSON.stringify(auth);
  const [token] = useState(deviceToken);

  useEffect(() => {
    const c = connectHub({
      url: window.location.origin,
      auth: { ...(JSON.parse(key) as HubClientOptions['auth']), ...(token ? { token } : {}) },
      onState: (s, e) => {
        setState(s);
        if (e) setLastEvent(e);
      },
      onEvent: (e, replayed) => onEventRef.current?.(e, replayed),
      onOnline: (up) => {
        setOnline(up);
        if (up) setRefused(undefined);
      },
    });
    c.socket.on('connect_error', (err: Error & { data?: HubError }) => {
      // A refusal by the hub (not a network failure) carries the hub's own message.
      if (err.data?.message) setRefused(err.data.message);
    });
    setClient(c);
    return () => c.close();
  }, [key, token]);

  return { client, state, online, lastEvent, refused };
}

/** A request id made with getRandomValues, which (unlike randomUUID) works on plain http. */
export function requestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
