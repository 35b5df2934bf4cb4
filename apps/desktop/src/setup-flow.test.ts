import { describe, expect, it } from '@jest/globals';
import type { DeviceConfig } from './config';
import type { FinishSetupRequest } from './ipc';
import { configAfterSetup, localPageState, planSetup } from './setup-flow';

const HASH = `scrypt$${'a'.repeat(32)}$${'b'.repeat(64)}`;
const SAVED: DeviceConfig = {
  version: 1,
  role: 'counter',
  counterId: 3,
  hubUrl: 'http://192.168.1.10:8080',
  hubId: 'hub-1',
  deviceName: 'Máy quầy 3',
  device: { deviceId: 'dev-3', token: 'token-3' },
  adminPinHash: HASH,
  printer: { type: 'none' },
};
const request = (r: Partial<FinishSetupRequest> = {}): FinishSetupRequest => ({
  role: 'counter',
  counterId: 3,
  hubUrl: '192.168.1.10',
  hubId: 'hub-1',
  deviceName: 'Máy quầy 3',
  pairingCode: '',
  adminPin: '',
  printer: { type: 'none' },
  ...r,
});

describe('finishing setup', () => {
  it('keeps the pairing when the hub, the role and the counter are unchanged', () => {
    expect(planSetup(request(), SAVED)).toEqual({ ok: true, data: { hubUrl: 'http://192.168.1.10:8080', device: SAVED.device, pair: false } });
  });

  it.each([
    ['another counter', { counterId: 4 }],
    ['another role', { role: 'counter-display' as const }],
    ['another hub', { hubUrl: '192.168.1.11:8080' }],
  ])('drops the pairing for %s, and then needs a pairing code', (_what, change) => {
    const refused = planSetup(request(change), SAVED);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/mã ghép nối 8 chữ số/);
    expect(planSetup(request({ ...change, pairingCode: '12345678' }), SAVED)).toMatchObject({ ok: true, data: { device: null, pair: true } });
  });

  it('needs no pairing for the hub on this machine', () => {
    expect(planSetup(request({ hubUrl: 'localhost', adminPin: '2468' }), undefined)).toEqual({ ok: true, data: { hubUrl: 'http://localhost:8080', device: null, pair: false } });
  });

  it('asks for an admin PIN on a first setup', () => {
    const refused = planSetup(request({ hubUrl: 'localhost' }), undefined);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/mã PIN quản trị/);
  });

  it('refuses an address that is no hub, in Vietnamese', () => {
    expect(planSetup(request({ hubUrl: 'ftp://192.168.1.10' }), SAVED)).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/http:\/\//) } });
  });

  it('saves no counter but for a counter\'s roles, and no printer but the kiosk\'s', () => {
    const printer = { type: 'tcp' as const, host: '192.168.1.50', port: 9100, paperWidth: 80 as const };
    const kiosk = configAfterSetup(request({ role: 'kiosk', counterId: 2, printer }), { hubUrl: 'http://192.168.1.10:8080', device: null }, HASH);
    expect(kiosk).toMatchObject({ role: 'kiosk', counterId: null, printer });
    const display = configAfterSetup(request({ role: 'display', counterId: 2, printer }), { hubUrl: 'http://192.168.1.10:8080', device: null }, HASH);
    expect(display).toMatchObject({ role: 'display', counterId: null, printer: { type: 'none' } });
    const counter = configAfterSetup(request(), { hubUrl: SAVED.hubUrl, device: SAVED.device }, HASH);
    expect(counter).toEqual(SAVED);
  });
});

describe("what the shell's own pages are told", () => {
  it('prefills setup with the saved choice, never its token or PIN hash', () => {
    const state = localPageState('admin', SAVED, null, 'may-quay-3');
    expect(state).toEqual({
      page: 'admin',
      current: { role: 'counter', counterId: 3, hubUrl: SAVED.hubUrl, hubId: 'hub-1', deviceName: 'Máy quầy 3', paired: true, printer: { type: 'none' } },
      problem: null,
      hostName: 'may-quay-3',
    });
    expect(JSON.stringify(state)).not.toMatch(/token-3|scrypt/);
  });

  it('says why setup opened again, and cuts a long host name', () => {
    const state = localPageState('setup', undefined, 'Không đọc được tệp cấu hình', 'h'.repeat(200));
    expect(state.current).toBeNull();
    expect(state.problem).toBe('Không đọc được tệp cấu hình');
    expect(state.hostName).toHaveLength(80);
  });
});
