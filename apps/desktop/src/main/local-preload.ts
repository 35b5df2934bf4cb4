// The preload of the shell's own pages (setup, PIN prompt). Sandboxed like the hub
// screens' one; the main process also checks that these calls come from those pages.
import { contextBridge, ipcRenderer } from 'electron';
import type { LocalBridge } from '../bridge';
import type { CHANNELS } from '../ipc';

const C: { [K in keyof typeof CHANNELS]: (typeof CHANNELS)[K] } = {
  printTicket: 'xephang:print-ticket',
  adminGesture: 'xephang:admin-gesture',
  setupState: 'xephang:setup-state',
  discover: 'xephang:discover',
  checkHub: 'xephang:check-hub',
  listUsbPrinters: 'xephang:list-usb-printers',
  finishSetup: 'xephang:finish-setup',
  adminUnlock: 'xephang:admin-unlock',
};

contextBridge.exposeInMainWorld('xephangLocal', {
  state: () => ipcRenderer.invoke(C.setupState, {}),
  discover: () => ipcRenderer.invoke(C.discover, {}),
  checkHub: (address) => ipcRenderer.invoke(C.checkHub, { address }),
  listUsbPrinters: () => ipcRenderer.invoke(C.listUsbPrinters, {}),
  finishSetup: (request) => ipcRenderer.invoke(C.finishSetup, request),
  adminUnlock: (request) => ipcRenderer.invoke(C.adminUnlock, request),
} satisfies LocalBridge);
