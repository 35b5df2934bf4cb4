import { describe, expect, it } from '@jest/globals';
import type { TicketData } from './layout';
import type { PrinterStatus } from './job-printer';
import { SpoolerError, type Spooler } from './spooler';
import { spoolerPrinter } from './spooler-printer';
import { EscPosDecoder } from './testing/escpos-decoder';

/**
 * spoolerPrinter's own rules, against a spooler kept in memory (the real CUPS queue is driven in
 * packages/testing/src/cups.test.ts): what it hands over, what it says, when it refuses.
 */
const ticket: TicketData = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
  number: 3001,
  serviceNameVi: 'Đăng ký kinh doanh – Tài chính',
  serviceNameEn: 'Business registration – Finance',
  issuedAt: Date.parse('2025-07-10T08:05:00+07:00'),
  peopleAhead: 0,
  estimatedWaitMinutes: 0,
  qr: 'https://xephang.invalid/t/3001',
  footer: 'Xin cảm ơn!',
};

function memorySpooler(status: PrinterStatus, failure?: SpoolerError) {
  const jobs: { job: Uint8Array; title: string }[] = [];
  const spooler: Spooler = {
    description: 'memory://kiosk',
    submit: async (job, title) => {
      if (failure) throw failure;
      jobs.push({ job, title });
      return { jobId: `kiosk-${jobs.length}` };
    },
    status: async () => status,
  };
  return { spooler, jobs };
}

describe('spoolerPrinter', () => {
  it('never passes on a spooler\'s "ok" as a known paper state', async () => {
    const { spooler, jobs } = memorySpooler({ state: 'ok', message: 'Máy in sẵn sàng.' });
    const printer = spoolerPrinter(spooler);
    const status = await printer.status();
    expect(status.state).toBe('no_status');
    expect(status.message).toContain('không biết máy in còn giấy hay không');
    const report = await printer.print(ticket);
    expect(report.after).toBe('no_status');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.title).toBe('xephang: phiếu 3001');
  });

  it('hands over one whole ticket with its cut and QR, and no DLE EOT question', async () => {
    const { spooler, jobs } = memorySpooler({ state: 'no_status', message: 'không biết' });
    await spoolerPrinter(spooler, { paperWidth: 58 }).print(ticket);
    const cut: unknown[] = [];
    const decoder = new EscPosDecoder(384, () => 0x12, (t) => cut.push(t));
    expect(decoder.push(Buffer.from(jobs[0]!.job))).toEqual([]);
    expect(cut).toMatchObject([{ cut: 'full', qr: [ticket.qr] }]);
    expect(Array.from(jobs[0]!.job.slice(-3))).not.toEqual([0x10, 0x04, 4]);
  });

  it.each([
    [{ state: 'offline', message: 'Hàng đợi in "kiosk" đang dừng' }, 'offline'],
    [{ state: 'error', message: 'Hàng đợi in "kiosk" không có trong CUPS' }, 'error'],
    [{ state: 'paper_out', message: 'Máy in đã hết giấy' }, 'paper_out'],
  ] as const)('refuses to print when the spooler says %j', async (status, state) => {
    const { spooler, jobs } = memorySpooler(status);
    await expect(spoolerPrinter(spooler).print(ticket)).rejects.toMatchObject({ name: 'PrintError', state, message: status.message });
    expect(jobs).toHaveLength(0);
  });

  it('prints and keeps the warning when the paper is near its end', async () => {
    const { spooler, jobs } = memorySpooler({ state: 'paper_near_end', message: 'sắp hết giấy' });
    expect((await spoolerPrinter(spooler).print(ticket)).after).toBe('paper_near_end');
    expect(jobs).toHaveLength(1);
  });

  it.each([
    ['missing', 'error'],
    ['refused', 'offline'],
    ['unreachable', 'offline'],
  ] as const)('turns a spooler that fails the job (%s) into a PrintError (%s)', async (failure, state) => {
    const { spooler } = memorySpooler({ state: 'no_status', message: '' }, new SpoolerError(failure, 'Không gửi được'));
    await expect(spoolerPrinter(spooler).print(ticket)).rejects.toMatchObject({ name: 'PrintError', state, message: 'Không gửi được' });
  });
});
