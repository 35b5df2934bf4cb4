import { describe, expect, it, beforeEach, afterEach } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE, hashPin, loadConfig, loadConfigSync, parseConfig, pinGuard, saveConfig, verifyPin, type DeviceConfig } from './config';

const HASH = `scrypt$${'a'.repeat(32)}$${'b'.repeat(64)}`;
const KIOSK: DeviceConfig = {
  version: 1,
  role: 'kiosk',
  counterId: null,
  hubUrl: 'http://192.168.1.10:8080',
  hubId: '9f1c2d3e',
  deviceName: 'Ki-ốt cửa chính',
  device: { deviceId: 'd-1', token: 'tok-123' },
  adminPinHash: HASH,
  printer: { type: 'usb', paperWidth: 80 },
};

describe('the saved configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xephang-desktop-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is missing on first run', async () => {
    expect(await loadConfig(dir)).toEqual({ state: 'missing' });
    expect(loadConfigSync(dir)).toEqual({ state: 'missing' });
  });

  it('round-trips through the folder, readable by this user only, with no temporary file left', async () => {
    await saveConfig(dir, KIOSK);
    expect(await loadConfig(dir)).toEqual({ state: 'ok', config: KIOSK });
    expect(loadConfigSync(dir)).toEqual({ state: 'ok', config: KIOSK });
    expect(readdirSync(dir)).toEqual([CONFIG_FILE]);
    if (process.platform !== 'win32') expect(statSync(join(dir, CONFIG_FILE)).mode & 0o777).toBe(0o600);
  });

  it('replaces an earlier choice', async () => {
    await saveConfig(dir, KIOSK);
    const tv: DeviceConfig = { ...KIOSK, role: 'display', printer: { type: 'none' }, deviceName: 'TV phòng chờ' };
    await saveConfig(dir, tv);
    expect(await loadConfig(dir)).toEqual({ state: 'ok', config: tv });
  });

  it('reports a broken file instead of throwing, and keeps it', async () => {
    writeFileSync(join(dir, CONFIG_FILE), '{"version": 1, "role": "kio');
    expect(await loadConfig(dir)).toEqual({ state: 'invalid', message: 'Tệp cấu hình không phải JSON hợp lệ.' });
    expect(readFileSync(join(dir, CONFIG_FILE), 'utf8')).toContain('kio');
  });

  it('reports every invalid field in Vietnamese', async () => {
    writeFileSync(join(dir, CONFIG_FILE), JSON.stringify({ ...KIOSK, role: 'tv', hubUrl: 'ftp://x', extra: 1 }));
    const loaded = await loadConfig(dir);
    expect(loaded.state).toBe('invalid');
    if (loaded.state !== 'invalid') return;
    expect(loaded.message).toMatch(/^Tệp cấu hình không hợp lệ \(/);
    expect(loaded.message).toContain('role: giá trị không hợp lệ');
    expect(loaded.message).toContain('hubUrl: địa chỉ máy chủ dạng http://192.168.1.10:8080');
    expect(loaded.message).toContain('trường không được phép: extra');
  });

  it('refuses to save an invalid configuration', async () => {
    await expect(saveConfig(dir, { ...KIOSK, deviceName: '' })).rejects.toThrow(/deviceName/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['a counter without its number', { role: 'counter', counterId: null, printer: { type: 'none' } }, 'counterId: vai trò này cần số quầy'],
    ['a counter display without its number', { role: 'counter-display', counterId: null, printer: { type: 'none' } }, 'counterId'],
    ['a TV with a counter number', { role: 'display', counterId: 3, printer: { type: 'none' } }, 'counterId: vai trò này không có số quầy'],
    ['a TV with a printer', { role: 'display', printer: { type: 'tcp', host: '10.0.0.5', port: 9100, paperWidth: 80 } }, 'printer: chỉ ki-ốt mới in phiếu'],
    ['counter 0', { role: 'counter', counterId: 0, printer: { type: 'none' } }, 'counterId: quá nhỏ (tối thiểu 1)'],
    ['a hub address with a path', { hubUrl: 'http://192.168.1.10:8080/kiosk' }, 'hubUrl'],
    ['a printer host with a space', { printer: { type: 'tcp', host: 'máy in', port: 9100, paperWidth: 80 } }, 'printer.host'],
    ['an odd paper width', { printer: { type: 'usb', paperWidth: 76 } }, 'printer.paperWidth'],
    ['a PIN hash of another kind', { adminPinHash: 'plain:1234' }, 'adminPinHash'],
  ])('refuses %s', (_what, change, message) => {
    const parsed = parseConfig({ ...KIOSK, ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(message);
  });

  it('fills in the defaults: no printer, port 9100, 80 mm paper', () => {
    const { printer: _p, ...withoutPrinter } = KIOSK;
    expect(parseConfig(withoutPrinter)).toEqual({ ok: true, data: { ...KIOSK, printer: { type: 'none' } } });
    const tcp = parseConfig({ ...KIOSK, printer: { type: 'tcp', host: '192.168.1.50' } });
    expect(tcp.ok && tcp.data.printer).toEqual({ type: 'tcp', host: '192.168.1.50', port: 9100, paperWidth: 80 });
  });
});

describe('the kiosk\'s own printer, every connection', () => {
  const printerOf = (printer: unknown) => parseConfig({ ...KIOSK, printer });

  it.each([
    ['a Windows printer by its name, spaces and all', { type: 'system', name: 'EPSON TM-T82III Receipt' }, { type: 'system', name: 'EPSON TM-T82III Receipt', paperWidth: 80 }],
    ['a CUPS queue, on 58 mm paper', { type: 'system', name: 'xephang-kiosk', paperWidth: 58 }, { type: 'system', name: 'xephang-kiosk', paperWidth: 58 }],
    ['a name with a Vietnamese word, trimmed', { type: 'system', name: ' Máy in ki-ốt ' }, { type: 'system', name: 'Máy in ki-ốt', paperWidth: 80 }],
    ['COM3 at the factory 9600 baud', { type: 'serial', path: 'COM3' }, { type: 'serial', path: 'COM3', baudRate: 9600, paperWidth: 80 }],
    ['a USB-serial adapter at 115200 baud', { type: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 }, { type: 'serial', path: '/dev/ttyUSB0', baudRate: 115200, paperWidth: 80 }],
    ['a stable by-id path', { type: 'serial', path: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0' }, { type: 'serial', path: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0', baudRate: 9600, paperWidth: 80 }],
    ['a printer-class device file', { type: 'serial', path: '/dev/usb/lp0', paperWidth: 58 }, { type: 'serial', path: '/dev/usb/lp0', baudRate: 9600, paperWidth: 58 }],
    ['a particular USB printer', { type: 'usb', vendorId: 0x04b8, productId: 0x0e28 }, { type: 'usb', vendorId: 0x04b8, productId: 0x0e28, paperWidth: 80 }],
    ['a network printer on another port', { type: 'tcp', host: 'printer.local', port: 9101 }, { type: 'tcp', host: 'printer.local', port: 9101, paperWidth: 80 }],
  ])('takes %s, filling in the defaults', (_what, printer, expected) => {
    const parsed = printerOf(printer);
    expect(parsed.ok && parsed.data.printer).toEqual(expected);
  });

  it.each([
    ['a system printer with no name', { type: 'system', name: '  ' }, 'printer.name'],
    ['a name longer than any printer\'s', { type: 'system', name: 'x'.repeat(201) }, 'printer.name'],
    ['a serial path outside /dev', { type: 'serial', path: '/etc/passwd' }, 'printer.path: cổng COM (COM3) hoặc đường dẫn /dev/ttyUSB0'],
    ['a path climbing out of /dev', { type: 'serial', path: '/dev/../etc/shadow' }, 'printer.path'],
    ['a COM port with a command after it', { type: 'serial', path: 'COM3 & calc' }, 'printer.path'],
    ['a baud rate no printer uses', { type: 'serial', path: 'COM3', baudRate: 300 }, 'printer.baudRate'],
    ['a baud rate as text', { type: 'serial', path: 'COM3', baudRate: '9600' }, 'printer.baudRate'],
    ['port 0', { type: 'tcp', host: '10.0.0.5', port: 0 }, 'printer.port'],
    ['an unknown connection', { type: 'bluetooth', address: '00:11:22:33:44:55' }, 'printer.type'],
    ['a field of another connection', { type: 'system', name: 'EPSON', host: '10.0.0.5' }, 'trường không được phép: host'],
  ])('refuses %s, naming the field', (_what, printer, message) => {
    const parsed = printerOf(printer);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(message);
  });
});

describe('the admin PIN', () => {
  it('is stored as a salted scrypt hash and checked against it', async () => {
    const a = await hashPin('4321');
    const b = await hashPin('4321');
    expect(a).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    // No field is the PIN itself (a random hex hash may contain the digits 4321 by chance: 1 run in 700).
    expect(a.split('$')).not.toContain('4321');
    expect(await verifyPin('4321', a)).toBe(true);
    expect(await verifyPin('4322', a)).toBe(false);
    expect(await verifyPin('43', a)).toBe(false);
    expect(await verifyPin('4321', 'garbage')).toBe(false);
  });

  it('locks for five minutes after five wrong PINs, then accepts the right one', async () => {
    const hash = await hashPin('2468');
    let now = 1_000_000;
    const guard = pinGuard(() => hash, () => now);
    expect(await guard.check('1111')).toEqual({ ok: false, message: 'Sai mã PIN. Còn 4 lần thử.' });
    for (let i = 0; i < 3; i++) await guard.check('1111');
    expect(await guard.check('1111')).toEqual({ ok: false, message: 'Sai mã PIN. Đã khoá 5 phút.' });
    // Locked: even the right PIN waits.
    expect(await guard.check('2468')).toEqual({ ok: false, message: 'Nhập sai quá nhiều lần. Hãy thử lại sau 5 phút.' });
    now += 5 * 60_000;
    expect(await guard.check('2468')).toEqual({ ok: true });
  });

  it('forgets earlier failures after a right PIN', async () => {
    const hash = await hashPin('2468');
    const guard = pinGuard(() => hash, () => 0);
    for (let i = 0; i < 4; i++) await guard.check('0000');
    expect(await guard.check('2468')).toEqual({ ok: true });
    expect(await guard.check('0000')).toEqual({ ok: false, message: 'Sai mã PIN. Còn 4 lần thử.' });
  });
});
