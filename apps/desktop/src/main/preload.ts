// The hub screens' preload. Sandboxed: it may require only 'electron', so the channel names and
// the bridge's name are repeated here and tied by their types to ../ipc and @xephang/protocol.
import { contextBridge, ipcRenderer } from 'electron';
import type { DESKTOP_BRIDGE_GLOBAL, DesktopBridge } from '@xephang/protocol';
import type { CHANNELS } from '../ipc';

const PRINT_TICKET: (typeof CHANNELS)['printTicket'] = 'xephang:print-ticket';
const ADMIN_GESTURE: (typeof CHANNELS)['adminGesture'] = 'xephang:admin-gesture';
/** ../gesture.ts GESTURE_CORNER_PX: the main process counts the taps. */
const CORNER_PX = 80;
const BRIDGE: typeof DESKTOP_BRIDGE_GLOBAL = 'xephang';

contextBridge.exposeInMainWorld(BRIDGE, {
  printTicket: (ticketId: string) => ipcRenderer.invoke(PRINT_TICKET, { ticketId }),
} satisfies DesktopBridge);

// Only the fact of a tap in the corner leaves the page; the main process decides what it means.
window.addEventListener(
  'pointerdown',
  (e) => {
    if (e.clientX < CORNER_PX && e.clientY < CORNER_PX) ipcRenderer.send(ADMIN_GESTURE, {});
  },
  { capture: true, passive: true },
);
