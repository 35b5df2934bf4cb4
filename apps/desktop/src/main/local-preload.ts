// The preload of the shell's own pages (setup, PIN prompt). Sandboxed like the hub
// screens' one; the main process also checks that these calls come from those pages.
import { contextBridge, ipcRenderer } from 'electron';
import type { LocalBridge } from '../bridge';
import type { CHANNELS } from '../ipc';

const C: { [K in keyof typeof CHANNELS]: (typeof CHANNELS)[K] } = {
  printerInfo: 'xephang:printer-info',
  printerStatus: 'xephang:printer-status',
  printJob: 'xephang:print-job',
  adminGesture: 'xephang:admin-gesture',
  setupState: 'xephang:setup-state',
  discover: 'xephang:discover',
  checkHub: 'xephang:check-hub',
  listUsbPrinters: 'xephang:list-usb-printers',
  listSystemPrinters: 'xephang:list-system-printers',
  listSerialPorts: 'xephang:list-serial-ports',
  testPrint: 'xephang:test-print',
  finishSetup: 'xephang:finish-setup',
  adminUnlock: 'xephang:admin-unlock',
};

contextBridge.exposeInMainWorld('xephangLocal', {
  state: () => ipcRenderer.invoke(C.setupState, {}),
  discover: () => ipcRenderer.invoke(C.discover, {}),
  checkHub: (address) => ipcRenderer.invoke(C.checkHub, { address }),
  listUsbPrinters: () => ipcRenderer.invoke(C.listUsbPrinters, {}),
  listSystemPrinters: () => ipcRenderer.invoke(C.listSystemPrinters, {}),
  listSerialPorts: () => ipcRenderer.invoke(C.listSerialPorts, {}),
  testPrint: (printer) => ipcRenderer.invoke(C.testPrint, { printer }),
  finishSetup: (request) => ipcRenderer.invoke(C.finishSetup, request),
  adminUnlock: (request) => ipcRenderer.invoke(C.adminUnlock, request),
} satisfies LocalBridge);
