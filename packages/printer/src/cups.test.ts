import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cupsQueueStatus, cupsSpooler, lpFailure, parseLpstat, parseLpstatDevices } from './cups';

/**
 * `lpstat -l -p Q -o Q -a Q` as Debian's CUPS 2.4 printed it (C locale) for the private cupsd of
 * @xephang/testing's CUPS rig: a raw queue idle, stopped with `cupsdisable -r`, rejecting with
 * `cupsreject -r`, and printing to a socket:// printer that is down. The rig's own test
 * (packages/testing/src/cups.test.ts) runs the same states against the live cupsd.
 */
const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__/lpstat', `${name}.txt`), 'utf8');
const STUCK_MS = 30_000;

describe('listing the queues (lpstat -v, C locale)', () => {
  it('reads each queue and its device URI, and nothing else', () => {
    const text = 'device for xephang-kiosk: usb://EPSON/TM-T82III?serial=X5N1234567\ndevice for office: socket://192.168.1.60:9100\nlpstat: No destinations added.\n';
    expect(parseLpstatDevices(text)).toEqual([
      { name: 'xephang-kiosk', device: 'usb://EPSON/TM-T82III?serial=X5N1234567' },
      { name: 'office', device: 'socket://192.168.1.60:9100' },
    ]);
    expect(parseLpstatDevices('')).toEqual([]);
  });
});

describe('reading lpstat', () => {
  it('reads an idle raw queue that accepts jobs: no reasons, no jobs, paper unknown', () => {
    const report = parseLpstat(fixture('idle'));
    expect(report).toEqual({ printer: { state: 'idle', reasons: [] }, accepting: true, jobs: [] });
    const status = cupsQueueStatus(report, 'kiosk', Date.now(), STUCK_MS);
    expect(status.state).toBe('no_status');
    expect(status.message).toContain('CUPS không biết giấy còn hay hết: máy in chỉ báo qua trình điều khiển');
  });

  it('reads a queue stopped by cupsdisable -r, with its reason', () => {
    const report = parseLpstat(fixture('disabled'));
    expect(report.printer).toEqual({ state: 'disabled', message: 'thay cuộn giấy', reasons: ['paused'] });
    const status = cupsQueueStatus(report, 'kiosk', Date.now(), STUCK_MS);
    expect(status).toEqual({ state: 'offline', message: expect.stringContaining('Hàng đợi in "kiosk" đang dừng (thay cuộn giấy)') });
    expect(status.message).toContain('cupsenable kiosk');
  });

  it('reads a queue that rejects jobs (cupsreject -r), with its reason', () => {
    const report = parseLpstat(fixture('rejecting'));
    expect(report.accepting).toBe(false);
    expect(report.rejectReason).toBe('bảo trì');
    const status = cupsQueueStatus(report, 'kiosk', Date.now(), STUCK_MS);
    expect(status.state).toBe('offline');
    expect(status.message).toContain('không nhận phiếu mới (bảo trì)');
    expect(status.message).toContain('cupsaccept kiosk');
  });

  it('reads a job the socket backend cannot deliver: the printer is unreachable', () => {
    const report = parseLpstat(fixture('printer-down'));
    expect(report.printer).toEqual({ state: 'printing', message: 'The printer may not exist or is unavailable at this time.', reasons: [] });
    expect(report.jobs).toEqual([{ id: 'down-1', queuedAt: Date.parse('Sun Dec  6 06:03:42 2026'), status: 'The printer may not exist or is unavailable at this time.' }]);
    const status = cupsQueueStatus(report, 'down', report.jobs[0]!.queuedAt + 2000, STUCK_MS);
    expect(status.state).toBe('offline');
    expect(status.message).toContain('CUPS chưa gửi được phiếu tới máy in');
  });

  it('counts a job stuck past the threshold even when the backend said nothing', () => {
    const report = parseLpstat(fixture('printer-down').replace(/\tThe printer may not exist[^\n]*\n/g, ''));
    expect(report.printer?.message).toBeUndefined();
    const queuedAt = report.jobs[0]!.queuedAt;
    expect(cupsQueueStatus(report, 'down', queuedAt + 5000, STUCK_MS).state).toBe('no_status');
    const stuck = cupsQueueStatus(report, 'down', queuedAt + 45_000, STUCK_MS);
    expect(stuck.state).toBe('offline');
    expect(stuck.message).toContain('1 phiếu kẹt trong Hàng đợi in "down" từ 45 giây trước');
  });

  // No backend here reports paper or cover (a raw socket queue never does); these are the IPP
  // printer-state-reasons a driver or an IPP printer would set, on the captured idle queue.
  it.each([
    ['media-empty-error', 'paper_out'],
    ['media-needed', 'paper_out'],
    ['cover-open-report', 'cover_open'],
    ['offline-report', 'offline'],
    ['media-low-report', 'paper_near_end'],
  ])('maps the printer-state-reason %s to %s', (reason, state) => {
    const report = parseLpstat(fixture('idle').replace('Alerts: none', `Alerts: ${reason}`));
    expect(report.printer?.reasons).toEqual([reason]);
    expect(cupsQueueStatus(report, 'kiosk', Date.now(), STUCK_MS).state).toBe(state);
  });

  it('reads nothing (lpstat on a missing queue prints only to stderr) as a missing queue', () => {
    const status = cupsQueueStatus(parseLpstat(''), 'khong-co', Date.now(), STUCK_MS);
    expect(status.state).toBe('error');
    expect(status.message).toContain('Hàng đợi in "khong-co" không có trong CUPS');
  });

  it('reads why lp or lpstat failed', () => {
    expect(lpFailure('lpstat: Invalid destination name in list "nope".')).toBe('missing');
    expect(lpFailure('lp: Error - The printer or class does not exist.')).toBe('missing');
    expect(lpFailure('lp: Destination "kiosk" is not accepting jobs.')).toBe('refused');
    expect(lpFailure('lp: Bad file descriptor')).toBe('unreachable');
  });
});

describe('cupsSpooler', () => {
  it('refuses a queue name CUPS would not take, or that would read as an option', () => {
    expect(() => cupsSpooler({ queue: 'máy in; rm -rf' })).toThrow('Tên hàng đợi CUPS không hợp lệ');
    expect(() => cupsSpooler({ queue: '-h' })).toThrow('không bắt đầu bằng "-"');
    expect(cupsSpooler({ queue: 'xephang-kiosk', server: '127.0.0.1:631' }).description).toBe('cups://127.0.0.1:631/xephang-kiosk');
  });
});
