// What the main process answers the pages: each channel checks who asks and what they sent,
// then acts. The decisions are plain modules (../ipc, ../setup-flow, ../print…).
import { hostname } from 'node:os';
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { fail, ok, type Ack } from '@xephang/protocol';
import type { LocalPageState } from '../bridge';
import { hashPin, pinGuard, saveConfig, type DeviceConfig } from '../config';
import { discoverHubs } from '../discovery';
import { tapCounter } from '../gesture';
import { CHANNELS, parseIpc, senderAllowed, type Channel, type SenderContext } from '../ipc';
import { checkHub, pairWithHub } from '../pairing';
import { handlePrinterStatus, handlePrintJob, handleTestPrint, kioskPrinter, printerInfo } from '../print';
import { listSerialPorts, listSystemPrinters } from '../printer-lists';
import { normalizeHubUrl } from '../screens';
import { configAfterSetup, localPageState, planSetup } from '../setup-flow';
import { loadTestTicket } from '../test-ticket';
import { findUsbPrinter, listUsbPrinters } from '../usb-devices';

/** What the handlers read of the running shell and ask of it. */
export interface Shell {
  userData: string;
  localPages: readonly string[];
  config(): DeviceConfig | undefined;
  /** Why the saved configuration could not be read, if it could not. */
  configProblem(): string | null;
  localPage(): LocalPageState['page'];
  openLocal(page: LocalPageState['page']): void;
  closeLocal(): void;
  /** The PIN was given to reload the screen: a fresh start of its crash count, then the hub's page. */
  reloadScreen(): void;
  quit(): void;
  /** Applies a saved setup, the sound switch included, by starting again. */
  relaunch(): void;
}

/** Registers every channel. */
export function installIpc(shell: Shell): void {
  const senderContext = (): SenderContext => {
    const config = shell.config();
    return { hubOrigin: config ? new URL(config.hubUrl).origin : undefined, isKiosk: config?.role === 'kiosk', localPages: shell.localPages };
  };
  /** Registers a channel: checks who is asking and what they sent before running `run`. */
  const handle = <C extends Channel>(channel: C, run: (payload: unknown, event: IpcMainInvokeEvent) => Promise<Ack<unknown>> | Ack<unknown>): void => {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!senderAllowed(channel, event.senderFrame?.url, senderContext())) return fail('forbidden', 'Trang này không được phép gọi chức năng của ứng dụng.');
      try {
        return await run(payload, event);
      } catch (error) {
        return fail('internal', `Lỗi trong ứng dụng: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  };
  const taps = tapCounter();
  const pins = pinGuard(() => shell.config()?.adminPinHash ?? '', Date.now);

  // One printer per saved setting: its queue keeps a status question and a job from crossing
  // on the same port. A new setting only comes with a relaunch; compared by value all the same.
  let printer: ReturnType<typeof kioskPrinter>;
  let printerFor: string | undefined;
  const savedPrinter = () => {
    const setting = shell.config()?.printer ?? { type: 'none' as const };
    const key = JSON.stringify(setting);
    if (key !== printerFor) {
      printerFor = key;
      try {
        printer = kioskPrinter(setting, { usb: findUsbPrinter });
      } catch {
        // A CUPS queue name CUPS refuses: no printer; the kiosk page says the kiosk cannot print.
        printer = undefined;
      }
    }
    return printer;
  };
  handle(CHANNELS.printerInfo, (payload) => {
    const parsed = parseIpc(CHANNELS.printerInfo, payload);
    return parsed.ok ? ok(printerInfo(shell.config()?.printer ?? { type: 'none' })) : parsed;
  });
  handle(CHANNELS.printerStatus, (payload) => {
    const parsed = parseIpc(CHANNELS.printerStatus, payload);
    return parsed.ok ? handlePrinterStatus(savedPrinter()) : parsed;
  });
  handle(CHANNELS.printJob, (payload) => handlePrintJob(payload, savedPrinter()));

  ipcMain.on(CHANNELS.adminGesture, (event) => {
    if (!senderAllowed(CHANNELS.adminGesture, event.senderFrame?.url, senderContext())) return;
    if (taps.tap(Date.now())) shell.openLocal('admin');
  });

  handle(CHANNELS.setupState, (payload) => {
    const parsed = parseIpc(CHANNELS.setupState, payload);
    if (!parsed.ok) return parsed;
    return ok(localPageState(shell.localPage(), shell.config(), shell.configProblem(), hostname()));
  });

  handle(CHANNELS.discover, async (payload) => {
    const parsed = parseIpc(CHANNELS.discover, payload);
    if (!parsed.ok) return parsed;
    return ok(await discoverHubs());
  });

  handle(CHANNELS.checkHub, async (payload) => {
    const parsed = parseIpc(CHANNELS.checkHub, payload);
    if (!parsed.ok) return parsed;
    let url: string;
    try {
      url = normalizeHubUrl(parsed.data.address);
    } catch (error) {
      return fail('invalid_payload', (error as Error).message);
    }
    return checkHub(url);
  });

  handle(CHANNELS.listUsbPrinters, (payload) => {
    const parsed = parseIpc(CHANNELS.listUsbPrinters, payload);
    return parsed.ok ? ok(listUsbPrinters()) : parsed;
  });

  handle(CHANNELS.listSystemPrinters, (payload) => {
    const parsed = parseIpc(CHANNELS.listSystemPrinters, payload);
    return parsed.ok ? listSystemPrinters() : parsed;
  });

  handle(CHANNELS.listSerialPorts, (payload) => {
    const parsed = parseIpc(CHANNELS.listSerialPorts, payload);
    return parsed.ok ? listSerialPorts() : parsed;
  });

  handle(CHANNELS.testPrint, (payload) => handleTestPrint(payload, { usb: findUsbPrinter, testTicket: (paperWidth) => loadTestTicket(paperWidth) }));

  handle(CHANNELS.finishSetup, async (payload) => {
    const parsed = parseIpc(CHANNELS.finishSetup, payload);
    if (!parsed.ok) return parsed;
    const r = parsed.data;
    const current = shell.config();
    const plan = planSetup(r, current);
    if (!plan.ok) return plan;
    let device = plan.data.device;
    if (plan.data.pair) {
      const paired = await pairWithHub(plan.data.hubUrl, { code: r.pairingCode, name: r.deviceName, role: r.role, counterId: r.counterId });
      if (!paired.ok) return paired;
      device = { deviceId: paired.data.deviceId, token: paired.data.token };
    }
    // planSetup refused an empty PIN unless a configuration (and so its PIN) exists.
    const adminPinHash = r.adminPin ? await hashPin(r.adminPin) : current!.adminPinHash;
    await saveConfig(shell.userData, configAfterSetup(r, { hubUrl: plan.data.hubUrl, device }, adminPinHash));
    setTimeout(() => shell.relaunch(), 300);
    return ok({ restarting: true as const });
  });

  handle(CHANNELS.adminUnlock, async (payload) => {
    const parsed = parseIpc(CHANNELS.adminUnlock, payload);
    if (!parsed.ok) return parsed;
    const checked = await pins.check(parsed.data.pin);
    if (!checked.ok) return fail('unauthorized', checked.message);
    shell.closeLocal();
    if (parsed.data.action === 'quit') shell.quit();
    else if (parsed.data.action === 'reload') shell.reloadScreen();
    else setTimeout(() => shell.openLocal('setup'), 100);
    return ok({ done: true as const });
  });
}
