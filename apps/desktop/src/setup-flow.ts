import { fail, ok, PAIRING_CODE_DIGITS, type Ack } from '@xephang/protocol';
import type { LocalPageState } from './bridge';
import type { DeviceConfig } from './config';
import type { FinishSetupRequest } from './ipc';
import { isLoopbackUrl } from './pairing';
import { normalizeHubUrl } from './screens';

// What the setup page's calls decide, apart from Electron: the main process only pairs, hashes
// the PIN, saves and restarts around these.

/** What the shell's own pages are told (`state()`): why they show and the saved choice to prefill. Pure. */
export function localPageState(page: LocalPageState['page'], config: DeviceConfig | undefined, problem: string | null, hostName: string): LocalPageState {
  return {
    page,
    current: config
      ? {
          role: config.role,
          counterId: config.counterId,
          hubUrl: config.hubUrl,
          hubId: config.hubId,
          deviceName: config.deviceName,
          paired: config.device !== null,
          printer: config.printer,
        }
      : null,
    problem,
    hostName: hostName.slice(0, 80),
  };
}

/** What finishing setup does before it saves: the hub's origin, the pairing kept, and whether to pair now. */
export interface SetupPlan {
  hubUrl: string;
  /** The earlier pairing, kept only when the hub, the role and the counter are unchanged. */
  device: DeviceConfig['device'];
  /** Whether the pairing code is to be sent to the hub (`POST /api/pair`). */
  pair: boolean;
}

/** Checks a finished setup against the saved one; a refusal is a Vietnamese ack for the setup page. Pure. */
export function planSetup(r: FinishSetupRequest, current: DeviceConfig | undefined): Ack<SetupPlan> {
  let hubUrl: string;
  try {
    hubUrl = normalizeHubUrl(r.hubUrl);
  } catch (error) {
    return fail('invalid_payload', (error as Error).message);
  }
  if (!r.adminPin && !current) return fail('invalid_payload', 'Hãy đặt mã PIN quản trị cho máy này.');
  const same = current !== undefined && current.hubUrl === hubUrl && current.role === r.role && current.counterId === r.counterId;
  const device = same ? current.device : null;
  if (r.pairingCode) return ok({ hubUrl, device, pair: true });
  // The hub trusts the screens of its own machine without pairing; any other needs a code.
  if (!device && !isLoopbackUrl(hubUrl)) return fail('invalid_payload', `Hãy nhập mã ghép nối ${PAIRING_CODE_DIGITS} chữ số tạo trên trang quản trị của máy chủ.`);
  return ok({ hubUrl, device, pair: false });
}

/** The configuration a finished setup saves: no counter but for a counter's roles, no printer but the kiosk's. Pure. */
export function configAfterSetup(r: FinishSetupRequest, plan: Pick<SetupPlan, 'hubUrl' | 'device'>, adminPinHash: string): DeviceConfig {
  return {
    version: 1,
    role: r.role,
    counterId: r.role === 'counter' || r.role === 'counter-display' ? r.counterId : null,
    hubUrl: plan.hubUrl,
    hubId: r.hubId,
    deviceName: r.deviceName,
    device: plan.device,
    adminPinHash,
    printer: r.role === 'kiosk' ? r.printer : { type: 'none' },
  };
}
