import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP_BRIDGE_GLOBAL } from '@xephang/protocol';
import { CHANNELS, MAX_JOB_BYTES, parseIpc, senderAllowed, type SenderContext } from './ipc';
import { tapCounter } from './gesture';

const HUB = 'http://192.168.1.10:8080';
const SETUP = 'file:///opt/xephang/resources/app/static/setup.html';
const KIOSK: SenderContext = { hubOrigin: HUB, isKiosk: true, localPages: [SETUP] };

const JOB = Uint8Array.from([0x1b, 0x40, 0x1d, 0x76, 0x30, 0x00, 0x1d, 0x56, 0x41, 0x00]);
const job = (change: Record<string, unknown> = {}) => ({ ticketId: '2025-07-10-2001', title: 'xephang: phiếu 2001', bytes: JOB, ...change });

describe('printJob payloads (the kiosk page hands the shell a job the hub drew)', () => {
  it('accepts the bytes as a Uint8Array, or as the ArrayBuffer socket.io gave the page', () => {
    expect(parseIpc(CHANNELS.printJob, job())).toEqual({ ok: true, data: job() });
    const reply = parseIpc(CHANNELS.printJob, job({ bytes: JOB.buffer.slice(0) }));
    expect(reply.ok && Array.from(reply.data.bytes)).toEqual(Array.from(JOB));
  });

  const big = new Uint8Array(MAX_JOB_BYTES + 1);
  big.set([0x1b, 0x40]);
  it.each([
    ['nothing', undefined, { '(toàn bộ)': 'cần kiểu object' }],
    ['a bare ticket id (the old printTicket call)', { ticketId: '2025-07-10-2001' }, { title: 'cần kiểu string', bytes: 'lệnh in phải là dữ liệu nhị phân' }],
    ['bytes as a string', job({ bytes: '\x1b@' }), { bytes: 'lệnh in phải là dữ liệu nhị phân' }],
    ['bytes as an array of numbers', job({ bytes: [0x1b, 0x40] }), { bytes: 'lệnh in phải là dữ liệu nhị phân' }],
    ['a job over the size cap', job({ bytes: big }), { bytes: `lệnh in từ 2 byte đến ${MAX_JOB_BYTES} byte` }],
    ['a job that does not start with ESC @', job({ bytes: Uint8Array.from([0x10, 0x14, 0x01, 0x00, 0x05]) }), { bytes: 'lệnh in phải bắt đầu bằng ESC @ (khởi tạo máy in)' }],
    ['a path for a ticket id', job({ ticketId: '../../etc/passwd' }), { ticketId: 'mã phiếu không hợp lệ' }],
    ['an empty title', job({ title: '' }), { title: expect.any(String) }],
    ['a printer of its own choosing', job({ printer: 'tcp://10.0.0.1' }), { '(toàn bộ)': 'trường không được phép: printer' }],
  ])('refuses %s, naming the field', (_what, payload, fields) => {
    const reply = parseIpc(CHANNELS.printJob, payload);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_payload');
      expect(reply.error.fields).toEqual(fields);
    }
  });

  it('printerInfo and printerStatus take nothing', () => {
    expect(parseIpc(CHANNELS.printerInfo, {}).ok).toBe(true);
    expect(parseIpc(CHANNELS.printerStatus, { printer: 'COM1' })).toMatchObject({ ok: false, error: { fields: { '(toàn bộ)': 'trường không được phép: printer' } } });
  });

  it('a test print takes a printer setting from the settings page, defaults filled in', () => {
    expect(parseIpc(CHANNELS.testPrint, { printer: { type: 'serial', path: 'COM3' } })).toEqual({
      ok: true,
      data: { printer: { type: 'serial', path: 'COM3', baudRate: 9600, paperWidth: 80 } },
    });
    expect(parseIpc(CHANNELS.testPrint, { printer: { type: 'tcp', host: '10.0.0.5; rm -rf /' } })).toMatchObject({ ok: false, error: { fields: { 'printer.host': 'địa chỉ IP hoặc tên máy in' } } });
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
  it.each([CHANNELS.printerInfo, CHANNELS.printerStatus, CHANNELS.printJob])('lets only the hub\'s kiosk page, on a kiosk, call %s', (channel) => {
    expect(senderAllowed(channel, `${HUB}/kiosk`, KIOSK)).toBe(true);
    expect(senderAllowed(channel, `${HUB}/kiosk/#token=x`, KIOSK)).toBe(true);
    expect(senderAllowed(channel, `${HUB}/display`, KIOSK)).toBe(false);
    expect(senderAllowed(channel, `${HUB}/admin`, KIOSK)).toBe(false);
    expect(senderAllowed(channel, 'http://10.0.0.66:8080/kiosk', KIOSK)).toBe(false);
    expect(senderAllowed(channel, `${HUB}/kiosk`, { ...KIOSK, isKiosk: false })).toBe(false);
    expect(senderAllowed(channel, `${HUB}/kiosk`, { ...KIOSK, hubOrigin: undefined })).toBe(false);
    expect(senderAllowed(channel, SETUP, KIOSK)).toBe(false);
    expect(senderAllowed(channel, undefined, KIOSK)).toBe(false);
  });

  it.each([CHANNELS.listSystemPrinters, CHANNELS.listSerialPorts, CHANNELS.testPrint, CHANNELS.listUsbPrinters])('takes %s from the settings page only', (channel) => {
    expect(senderAllowed(channel, SETUP, KIOSK)).toBe(true);
    expect(senderAllowed(channel, `${HUB}/kiosk`, KIOSK)).toBe(false);
    expect(senderAllowed(channel, 'file:///tmp/evil.html', KIOSK)).toBe(false);
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
    for (const key of ['printerInfo', 'printerStatus', 'printJob'] as const) expect(read('preload.ts')).toContain(`'${CHANNELS[key]}'`);
    expect(read('preload.ts')).toContain(`'${CHANNELS.adminGesture}'`);
  });

  it('exposes only the kiosk printer\'s three calls to the hub pages, as window.xephang (the bridge in @xephang/protocol)', () => {
    const source = read('preload.ts');
    // Everything exposed, up to the `satisfies` that ties it to the bridge's type.
    const exposed = [...source.matchAll(/exposeInMainWorld\((\w+), \{\n([\s\S]*?)\n\} satisfies DesktopBridge\);/g)];
    expect(exposed.map((m) => m[1])).toEqual(['BRIDGE']);
    expect(source.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(source).toContain(`const BRIDGE: typeof DESKTOP_BRIDGE_GLOBAL = '${DESKTOP_BRIDGE_GLOBAL}';`);
    expect(DESKTOP_BRIDGE_GLOBAL).toBe('xephang');
    expect([...exposed[0]![2]!.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1])).toEqual(['printer', 'printerStatus', 'printJob']);
    // The old path (a ticket id, the shell fetching the ticket over a socket of its own) is gone.
    expect(source).not.toMatch(/printTicket|print-ticket/);
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
