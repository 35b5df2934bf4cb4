import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP_BRIDGE_GLOBAL } from '@xephang/protocol';
import { CHANNELS, parseIpc, senderAllowed, type SenderContext } from './ipc';
import { tapCounter } from './gesture';

const HUB = 'http://192.168.1.10:8080';
const SETUP = 'file:///opt/xephang/resources/app/static/setup.html';
const KIOSK: SenderContext = { hubOrigin: HUB, isKiosk: true, localPages: [SETUP] };

describe('printTicket payloads', () => {
  it('accepts a ticket id', () => {
    expect(parseIpc(CHANNELS.printJob, { ticketId: '2025-07-10-2001' })).toEqual({ ok: true, data: { ticketId: '2025-07-10-2001' } });
  });

  it.each([
    ['nothing', undefined, { '(toàn bộ)': 'cần kiểu object' }],
    ['a bare string', '2025-07-10-2001', { '(toàn bộ)': 'cần kiểu object' }],
    ['a number', { ticketId: 2001 }, { ticketId: 'cần kiểu string' }],
    ['an empty id', { ticketId: '' }, { ticketId: 'mã phiếu không hợp lệ' }],
    ['a path', { ticketId: '../../etc/passwd' }, { ticketId: 'mã phiếu không hợp lệ' }],
    ['a huge id', { ticketId: 'x'.repeat(65) }, { ticketId: 'mã phiếu không hợp lệ' }],
    ['an extra key', { ticketId: '2025-07-10-2001', printer: 'tcp://10.0.0.1' }, { '(toàn bộ)': 'trường không được phép: printer' }],
  ])('refuses %s, naming the field', (_what, payload, fields) => {
    const reply = parseIpc(CHANNELS.printJob, payload);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_payload');
      expect(reply.error.fields).toEqual(fields);
    }
  });
});

describe('setup payloads', () => {
  const good = {
    role: 'counter-display',
    counterId: 4,
    hubUrl: '192.168.1.10',
    hubId: null,
    deviceName: ' Màn hình quầy 4 ',
    pairingCode: '39550172',
    adminPin: '2468',
    printer: { type: 'none' },
  };

  it('accepts a complete request, trimming the name', () => {
    const reply = parseIpc(CHANNELS.finishSetup, good);
    expect(reply.ok && reply.data.deviceName).toBe('Màn hình quầy 4');
  });

  it.each([
    ['a 6-digit code (the old length)', { pairingCode: '395501' }, 'pairingCode'],
    ['a PIN with letters', { adminPin: '12ab' }, 'adminPin'],
    ['a counter display without a counter', { counterId: null }, 'counterId'],
    ['a TV with a printer', { role: 'display', counterId: null, printer: { type: 'usb' } }, 'printer'],
    ['no name', { deviceName: '   ' }, 'deviceName'],
    ['an unknown role', { role: 'admin' }, 'role'],
  ])('refuses %s', (_what, change, field) => {
    const reply = parseIpc(CHANNELS.finishSetup, { ...good, ...change });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(Object.keys(reply.error.fields ?? {})).toContain(field);
  });

  it('takes an empty code and PIN when reopening setup keeps them', () => {
    expect(parseIpc(CHANNELS.finishSetup, { ...good, pairingCode: '', adminPin: '' }).ok).toBe(true);
  });

  it('checks the admin prompt', () => {
    expect(parseIpc(CHANNELS.adminUnlock, { pin: '2468', action: 'quit' }).ok).toBe(true);
    expect(parseIpc(CHANNELS.adminUnlock, { pin: '2468', action: 'shell' }).ok).toBe(false);
    expect(parseIpc(CHANNELS.adminUnlock, { pin: '24', action: 'quit' }).ok).toBe(false);
    expect(parseIpc(CHANNELS.discover, { please: true }).ok).toBe(false);
  });
});

describe('who may call what', () => {
  it('lets only the hub\'s kiosk page print, on a kiosk', () => {
    expect(senderAllowed(CHANNELS.printJob, `${HUB}/kiosk`, KIOSK)).toBe(true);
    expect(senderAllowed(CHANNELS.printJob, `${HUB}/kiosk/#token=x`, KIOSK)).toBe(true);
    expect(senderAllowed(CHANNELS.printJob, `${HUB}/display`, KIOSK)).toBe(false);
    expect(senderAllowed(CHANNELS.printJob, 'http://10.0.0.66:8080/kiosk', KIOSK)).toBe(false);
    expect(senderAllowed(CHANNELS.printJob, `${HUB}/kiosk`, { ...KIOSK, isKiosk: false })).toBe(false);
    expect(senderAllowed(CHANNELS.printJob, SETUP, KIOSK)).toBe(false);
    expect(senderAllowed(CHANNELS.printJob, undefined, KIOSK)).toBe(false);
  });

  it('takes the gesture from any hub page, and setup only from the local pages', () => {
    expect(senderAllowed(CHANNELS.adminGesture, `${HUB}/display`, KIOSK)).toBe(true);
    expect(senderAllowed(CHANNELS.adminGesture, 'https://example.com/', KIOSK)).toBe(false);
    expect(senderAllowed(CHANNELS.finishSetup, SETUP, KIOSK)).toBe(true);
    expect(senderAllowed(CHANNELS.finishSetup, `${HUB}/kiosk`, KIOSK)).toBe(false);
    expect(senderAllowed(CHANNELS.adminUnlock, 'file:///tmp/evil.html', KIOSK)).toBe(false);
    expect(senderAllowed(CHANNELS.adminGesture, `${HUB}/display`, { ...KIOSK, hubOrigin: undefined })).toBe(false);
  });
});

describe('the preloads', () => {
  const read = (name: string) => readFileSync(join(__dirname, 'main', name), 'utf8');

  it.each(['preload.ts', 'local-preload.ts'])('%s loads nothing but electron at run time (a sandboxed preload cannot)', (name) => {
    const imports = [...read(name).matchAll(/^import\s+(type\s+)?.*from\s+'([^']+)';$/gm)].map((m) => ({ type: Boolean(m[1]), from: m[2] }));
    expect(imports.filter((i) => !i.type).map((i) => i.from)).toEqual(['electron']);
    expect(read(name)).not.toMatch(/\brequire\(/);
  });

  it('repeats the channel names exactly', () => {
    const local = read('local-preload.ts');
    for (const [key, channel] of Object.entries(CHANNELS)) expect(local).toContain(`${key}: '${channel}'`);
    expect(read('preload.ts')).toContain(`'${CHANNELS.printJob}'`);
    expect(read('preload.ts')).toContain(`'${CHANNELS.adminGesture}'`);
  });

  it('exposes only printTicket to the hub pages, as window.xephang (the bridge the web declares)', () => {
    const source = read('preload.ts');
    const exposed = [...source.matchAll(/exposeInMainWorld\((\w+), \{([^}]*)\}/g)];
    expect(exposed.map((m) => m[1])).toEqual(['BRIDGE']);
    expect(source).toContain(`const BRIDGE: typeof DESKTOP_BRIDGE_GLOBAL = '${DESKTOP_BRIDGE_GLOBAL}';`);
    expect(DESKTOP_BRIDGE_GLOBAL).toBe('xephang');
    expect([...exposed[0]![2]!.matchAll(/^\s*(\w+):/gm)].map((m) => m[1])).toEqual(['printTicket']);
  });
});

describe('the hidden gesture', () => {
  it('is five corner taps within three seconds', () => {
    const g = tapCounter();
    expect([0, 400, 800, 1200].map((t) => g.tap(t))).toEqual([false, false, false, false]);
    expect(g.tap(1600)).toBe(true);
    // It starts over.
    expect(g.tap(1700)).toBe(false);
  });

  it('is not completed by taps spread over a longer time', () => {
    const g = tapCounter();
    expect([0, 1000, 2000, 3000, 4000, 5000, 6000].some((t) => g.tap(t))).toBe(false);
  });
});
