import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { escposPrinter } from './printer';
import { serialOpenError, serialTransport } from './serial-line';

describe('why a serial port did not open, in Vietnamese', () => {
  // The texts each system really gives: errno codes from Node, strerror texts from serialport's
  // binding on Linux, and its "Opening COMn: …" on Windows.
  const cases: [path: string, text: string, code: string | undefined, expected: RegExp][] = [
    ['/dev/ttyUSB0', 'Error: No such file or directory, cannot open /dev/ttyUSB0', undefined, /Không tìm thấy cổng \/dev\/ttyUSB0/],
    ['COM3', 'Opening COM3: File not found', undefined, /Không tìm thấy cổng COM3.*Device Manager/],
    ['/dev/ttyUSB0', 'Error: Permission denied, cannot open /dev/ttyUSB0', undefined, /thêm người dùng vào nhóm dialout/],
    ['/dev/usb/lp0', "EACCES: permission denied, open '/dev/usb/lp0'", 'EACCES', /thêm người dùng vào nhóm lp/],
    ['/dev/ttyUSB0', 'Error Resource temporarily unavailable Cannot lock port', undefined, /đang bị chương trình khác dùng/],
    ['COM3', 'Opening COM3: Access denied', undefined, /Cổng COM3 đang bị chương trình khác dùng/],
    ['/dev/ttyS0', 'Error: Input/output error setting custom baud rate of 9600', undefined, /Không mở được cổng \/dev\/ttyS0 \(Error: Input\/output error/],
  ];
  it.each(cases)('%s: %s', (path, text, code, expected) => {
    const failure = serialOpenError(path, Object.assign(new Error(text), code ? { code } : {}));
    expect(failure.failure).toBe('unreachable');
    expect(failure.message).toMatch(expected);
  });
});

describe('serialport, as the kiosk installs it', () => {
  it('ships its binding prebuilt for Windows and Linux (x64): the packaging never compiles', () => {
    const binding = dirname(require.resolve('@serialport/bindings-cpp/package.json'));
    for (const platform of ['win32-x64', 'linux-x64']) {
      expect(readdirSync(join(binding, 'prebuilds', platform)).some((f) => f.endsWith('.node'))).toBe(true);
    }
  });

  it('is not loaded by importing the printer package (the hub never opens a port)', () => {
    expect(Object.keys(require.cache).some((file) => file.includes(`${sep}serialport${sep}`))).toBe(false);
  });
});

describe('a port that is not there (no socat needed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xephang-serial-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a serial port path that does not exist is offline, with where to look for the port', async () => {
    const status = await escposPrinter(serialTransport({ path: join(dir, 'ttyUSB9') }), { statusTimeoutMs: 500 }).status();
    expect(status.state).toBe('offline');
    expect(status.message).toContain('Không tìm thấy cổng');
  });

  it('a printer-class device file is never created by a print: a wrong path fails the job', async () => {
    const printer = escposPrinter(serialTransport({ path: join(dir, 'lp0'), answers: false }));
    expect((await printer.status()).state).toBe('no_status');
    const ticket = { centerName: 'Trung tâm', number: 1001, serviceNameVi: 'Đất đai', issuedAt: Date.parse('2025-07-10T08:00:00+07:00'), peopleAhead: 0, estimatedWaitMinutes: 0, footer: 'Cảm ơn' };
    await expect(printer.print(ticket)).rejects.toMatchObject({ state: 'failed', message: expect.stringContaining('Không tìm thấy cổng') });
    expect(existsSync(join(dir, 'lp0'))).toBe(false);
  });

  it('reads /dev/usb/lpN and /dev/lpN as write-only printer-class files, anything else as a serial port', () => {
    expect(serialTransport({ path: '/dev/usb/lp0' }).answers).toBe(false);
    expect(serialTransport({ path: '/dev/lp1' }).answers).toBe(false);
    expect(serialTransport({ path: '/dev/ttyUSB0' }).answers).not.toBe(false);
    expect(serialTransport({ path: 'COM3' }).description).toBe('serial:COM3@9600');
    expect(serialTransport({ path: 'COM3', baudRate: 115200 }).description).toBe('serial:COM3@115200');
  });
});
