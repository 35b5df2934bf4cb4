// The hub screens' preload. Sandboxed: it may require only 'electron', so the channel names and
// the bridge's name are repeated here and tied by their types to ../ipc and @xephang/protocol.
import { contextBridge, ipcRenderer } from 'electron';
import type { DESKTOP_BRIDGE_GLOBAL, DesktopBridge } from '@xephang/protocol';
import type { CHANNELS } from '../ipc';

const PRINTER_INFO: (typeof CHANNELS)['printerInfo'] = 'xephang:printer-info';
const PRINTER_STATUS: (typeof CHANNELS)['printerStatus'] = 'xephang:printer-status';
const PRINT_JOB: (typeof CHANNELS)['printJob'] = 'xephang:print-job';
const ADMIN_GESTURE: (typeof CHANNELS)['adminGesture'] = 'xephang:admin-gesture';
/** ../gesture.ts GESTURE_CORNER_PX: the main process counts the taps. */
const CORNER_PX = 80;
const BRIDGE: typeof DESKTOP_BRIDGE_GLOBAL = 'xephang';

// The kiosk's own printer, nothing else; the main process answers only the hub's kiosk page. The
// job's bytes cross as they are (IPC clones a Uint8Array or an ArrayBuffer); the main process checks them.
contextBridge.exposeInMainWorld(BRIDGE, {
  printer: () => ipcRenderer.invoke(PRINTER_INFO, {}),
  printerStatus: () => ipcRenderer.invoke(PRINTER_STATUS, {}),
  printJob: (job) => ipcRenderer.invoke(PRINT_JOB, { ticketId: job.ticketId, title: job.title, bytes: job.bytes }),
} satisfies DesktopBridge);

// Only the fact of a tap in the corner leaves the page; the main process decides what it means.
window.addEventListener(
  'pointerdown',
  (e) => {
    if (e.clientX < CORNER_PX && e.clientY < CORNER_PX) ipcRenderer.send(ADMIN_GESTURE, {});
  },
  { capture: true, passive: true },
);
