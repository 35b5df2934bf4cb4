import { useEffect, useRef, useState } from 'react';
import type { HubClient } from '@xephang/client';
import type { DESKTOP_BRIDGE_GLOBAL, DesktopBridge, HubEvent, Snapshot } from '@xephang/protocol';
import { connectionKey, deviceToken, openConnection, peekEarly, takeEarly, type HubAuth } from './hub-connection';

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
 * Connects this screen to the hub that served it and keeps its state in sync. A display takes
 * the connection the entry opened for its address (`connectEarly`), with what it already holds.
 */
export function useHub(auth: HubAuth, onEvent?: (e: HubEvent, replayed: boolean) => void): HubView {
  const authKey = JSON.stringify(auth);
  const [token] = useState(deviceToken);
  const key = connectionKey(auth, token);
  const [state, setState] = useState<Snapshot | undefined>(() => peekEarly(key)?.state);
  const [online, setOnline] = useState(() => peekEarly(key)?.online ?? false);
  const [lastEvent, setLastEvent] = useState<HubEvent | undefined>(() => peekEarly(key)?.lastEvent);
  const [refused, setRefused] = useState<string | undefined>(() => peekEarly(key)?.refused);
  const [client, setClient] = useState<HubClient | undefined>(() => peekEarly(key)?.client);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;

  useEffect(() => {
    const conn = takeEarly(key) ?? openConnection(JSON.parse(authKey) as HubAuth, token);
    conn.sink = {
      onState: (s, e) => {
        setState(s);
        if (e) setLastEvent(e);
      },
      onEvent: (e, replayed) => onEventRef.current?.(e, replayed),
      onOnline: (up) => {
        setOnline(up);
        if (up) setRefused(undefined);
      },
      onRefused: setRefused,
    };
    // What it reported before this screen held it (all of it when it was just opened: nothing).
    setState(conn.state);
    setLastEvent(conn.lastEvent);
    setOnline(conn.online);
    setRefused(conn.refused);
    for (const [e, replayed] of conn.missed.splice(0)) onEventRef.current?.(e, replayed);
    setClient(conn.client);
    return () => {
      conn.sink = undefined;
      conn.client.close();
    };
  }, [key, authKey, token]);

  return { client, state, online, lastEvent, refused };
}

/** A request id made with getRandomValues, which (unlike randomUUID) works on plain http. */
export function requestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
