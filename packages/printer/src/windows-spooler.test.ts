import { describe, expect, it } from '@jest/globals';
import { SpoolerError } from './spooler';
import { FakeWinspool } from './testing/fake-winspool';
import { JOB_STATUS, listWindowsPrinters, PRINTER_ATTRIBUTE, PRINTER_STATUS, WIN_ERROR, windowsSpooler, type WinJobInfo, type WinspoolApi } from './windows-spooler';

const NAME = 'EPSON TM-T82III Receipt';
const NOW = Date.parse('2026-12-06T02:00:00Z');

/** A ticket-sized job whose every byte is told apart from its neighbours'. */
function jobOf(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

function setUp(status = 0, attributes = 0, jobs: WinJobInfo[] = []) {
  const fake = new FakeWinspool().addPrinter({ printerName: NAME, status, attributes }, jobs);
  const spooler = windowsSpooler({ printerName: NAME, now: () => NOW, stuckAfterMs: 30_000 }, fake);
  return { fake, spooler };
}

async function failureOf(promise: Promise<unknown>): Promise<SpoolerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpoolerError);
  return error as SpoolerError;
}

describe('a ticket through the Windows spooler (fake winspool)', () => {
  it('is one RAW job: open, start doc and page, every byte written across partial writes, end page and doc, close', async () => {
    const { fake, spooler } = setUp();
    fake.writeChunk = 7000;
    const job = jobOf(19_500);
    const { jobId } = await spooler.submit(job, 'Phiếu 2001');
    expect(fake.callNames).toEqual([
      'openPrinter',
      'startDocPrinter',
      'startPagePrinter',
      'writePrinter',
      'writePrinter',
      'writePrinter',
      'endPagePrinter',
      'endDocPrinter',
      'closePrinter',
    ]);
    expect(fake.calls[0]!.args).toEqual([NAME]);
    // Each write offers what is left; the spooler took 7000, 7000, then 5500.
    expect(fake.calls.filter((c) => c.name === 'writePrinter').map((c) => c.args[1])).toEqual([19_500, 12_500, 5_500]);
    expect(fake.spooled).toHaveLength(1);
    const spooled = fake.spooled[0]!;
    expect(spooled.datatype).toBe('RAW');
    expect(spooled.title).toBe('Phiếu 2001');
    expect(Buffer.from(spooled.bytes).equals(Buffer.from(job))).toBe(true);
    expect(jobId).toBe(String(spooled.jobId));
    expect(fake.openHandles).toBe(0);
    expect(fake.aborted).toEqual([]);
    expect(spooler.description).toBe(`windows://${NAME}`);
  });

  it('writes in one call when the spooler takes the whole job', async () => {
    const { fake, spooler } = setUp();
    await spooler.submit(jobOf(300), 't');
    expect(fake.callNames.filter((n) => n === 'writePrinter')).toHaveLength(1);
    expect(fake.spooled[0]!.bytes).toHaveLength(300);
  });

  it('drops a job that failed half-way (no half ticket prints) and closes the printer', async () => {
    const { fake, spooler } = setUp();
    fake.writeChunk = 4000;
    fake.failNext('writePrinter', WIN_ERROR.NOT_READY, 1);
    const error = await failureOf(spooler.submit(jobOf(10_000), 'Phiếu 1005'));
    expect(error.failure).toBe('unreachable');
    expect(error.message).toContain('chưa sẵn sàng');
    expect(error.message).toContain('lỗi 21');
    expect(fake.callNames).toEqual(['openPrinter', 'startDocPrinter', 'startPagePrinter', 'writePrinter', 'writePrinter', 'abortPrinter', 'closePrinter']);
    expect(fake.spooled).toEqual([]);
    expect(fake.aborted).toEqual([1]);
    expect(fake.openHandles).toBe(0);
  });

  const steps: (keyof WinspoolApi)[] = ['openPrinter', 'startDocPrinter', 'startPagePrinter', 'writePrinter', 'endPagePrinter', 'endDocPrinter'];
  it.each(steps)('closes the printer on every path: %s failing', async (step) => {
    const { fake, spooler } = setUp();
    fake.failNext(step, WIN_ERROR.ACCESS_DENIED);
    const error = await failureOf(spooler.submit(jobOf(500), 't'));
    expect(error.failure).toBe('refused');
    const names = fake.callNames;
    expect(names[names.length - 1]).toBe(step === 'openPrinter' ? 'openPrinter' : 'closePrinter');
    expect(fake.openHandles).toBe(0);
    expect(fake.spooled).toEqual([]);
    // A job that was started and not ended is aborted; one never started, or ended, is not.
    const started = steps.indexOf(step) > steps.indexOf('startDocPrinter');
    expect(names.includes('abortPrinter')).toBe(started && step !== 'endDocPrinter');
  });

  it('gives up when the spooler takes no bytes, instead of looping', async () => {
    const { fake, spooler } = setUp();
    fake.writeChunk = 0;
    const error = await failureOf(spooler.submit(jobOf(100), 't'));
    expect(error.failure).toBe('refused');
    expect(error.message).toContain('0/100 byte');
    expect(fake.callNames.filter((n) => n === 'writePrinter')).toHaveLength(1);
    expect(fake.openHandles).toBe(0);
  });
});

describe('GetLastError, said in Vietnamese', () => {
  const cases: [string, keyof WinspoolApi, number, SpoolerError['failure'], RegExp][] = [
    ['printer name unknown', 'openPrinter', WIN_ERROR.INVALID_PRINTER_NAME, 'missing', /Windows không có máy in tên «EPSON TM-T82III Receipt»\. Tên phải đúng từng chữ/],
    ['printer not found', 'openPrinter', WIN_ERROR.PRINTER_NOT_FOUND, 'missing', /không có máy in tên/],
    ['printer deleted', 'startDocPrinter', WIN_ERROR.PRINTER_DELETED, 'missing', /không có máy in tên/],
    ['access denied', 'openPrinter', WIN_ERROR.ACCESS_DENIED, 'refused', /không cho phép tài khoản này in .*\(Access denied\)/],
    ['spooler service stopped', 'openPrinter', WIN_ERROR.RPC_S_SERVER_UNAVAILABLE, 'unreachable', /Dịch vụ in của Windows \(Print Spooler\) không chạy/],
    ['spooler call failed', 'startDocPrinter', WIN_ERROR.RPC_S_CALL_FAILED, 'unreachable', /Print Spooler/],
    ['driver refuses RAW', 'startDocPrinter', WIN_ERROR.INVALID_DATATYPE, 'refused', /không nhận dữ liệu thô \(RAW\)/],
    ['job cancelled', 'writePrinter', WIN_ERROR.PRINT_CANCELLED, 'refused', /đã bị hủy/],
    ['an unknown code', 'openPrinter', 1234, 'unreachable', /Windows không in được ra máy in «EPSON TM-T82III Receipt» \(lỗi 1234\)/],
  ];
  it.each(cases)('%s', async (_what, step, code, failure, message) => {
    const { fake, spooler } = setUp();
    fake.failNext(step, code);
    const error = await failureOf(spooler.submit(jobOf(10), 't'));
    expect(error.failure).toBe(failure);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`lỗi ${code}`);
  });

  it('a name Windows does not know, as the real spooler answers it', async () => {
    const fake = new FakeWinspool();
    const error = await failureOf(windowsSpooler({ printerName: 'POS-80' }, fake).submit(jobOf(10), 't'));
    expect(error.failure).toBe('missing');
    expect(error.message).toContain('«POS-80»');
  });

  it('off Windows, without koffi or winspool: a clear refusal, never a crash', async () => {
    // No fake given: the real binding is asked for, and it refuses to load anywhere but Windows.
    const spooler = windowsSpooler({ printerName: NAME });
    const error = await failureOf(spooler.submit(jobOf(10), 't'));
    expect(error.failure).toBe('unreachable');
    expect(error.message).toContain('chỉ dùng được trên Windows');
    await expect(spooler.status()).resolves.toEqual({ state: 'offline', message: error.message });
    expect((await failureOf(listWindowsPrinters())).message).toContain('chỉ dùng được trên Windows');
  });
});

describe('status: what the spooler knows', () => {
  const flags: [string, number, number, string, RegExp][] = [
    ['PAPER_OUT', PRINTER_STATUS.PAPER_OUT, 0, 'paper_out', /hết giấy \(Paper out\)/],
    ['DOOR_OPEN', PRINTER_STATUS.DOOR_OPEN, 0, 'cover_open', /nắp máy in đang mở \(Door open\)/],
    ['PAPER_JAM', PRINTER_STATUS.PAPER_JAM, 0, 'error', /kẹt giấy \(Paper jam\)/],
    ['OFFLINE', PRINTER_STATUS.OFFLINE, 0, 'offline', /không kết nối \(Offline\)/],
    ['NOT_AVAILABLE', PRINTER_STATUS.NOT_AVAILABLE, 0, 'offline', /không kết nối \(Offline\)/],
    ['ERROR', PRINTER_STATUS.ERROR, 0, 'error', /lỗi cần người xử lý \(Error\)/],
    ['USER_INTERVENTION', PRINTER_STATUS.USER_INTERVENTION, 0, 'error', /lỗi cần người xử lý/],
    ['PAUSED', PRINTER_STATUS.PAUSED, 0, 'offline', /tạm dừng \(Paused\)/],
    ['PENDING_DELETION', PRINTER_STATUS.PENDING_DELETION, 0, 'offline', /đang bị xóa/],
    ['attribute WORK_OFFLINE', 0, PRINTER_ATTRIBUTE.WORK_OFFLINE, 'offline', /Use Printer Offline/],
  ];
  it.each(flags)('%s', async (_bit, status, attributes, state, message) => {
    const { fake, spooler } = setUp(status, attributes);
    const got = await spooler.status();
    expect(got.state).toBe(state);
    expect(got.message).toMatch(message);
    expect(got.message).toContain(`«${NAME}»`);
    // An empty queue is not read; the printer is closed after.
    expect(fake.callNames).toEqual(['openPrinter', 'getPrinter', 'closePrinter']);
  });

  it('nothing reported: ready, and honest that the driver may not report paper', async () => {
    const { spooler } = setUp();
    const got = await spooler.status();
    expect(got.state).toBe('ok');
    expect(got.message).toContain('hàng đợi trống');
    expect(got.message).toContain('nhiều trình điều khiển không báo hết giấy');
  });

  it('the most serious finding names the state; every finding is in the message', async () => {
    const { spooler } = setUp(PRINTER_STATUS.OFFLINE | PRINTER_STATUS.PAPER_OUT | PRINTER_STATUS.ERROR);
    const got = await spooler.status();
    expect(got.state).toBe('paper_out');
    expect(got.message).toMatch(/hết giấy.*Offline.*Error/);
  });

  const job = (over: Partial<WinJobInfo>): WinJobInfo => ({ jobId: 7, document: 'Phiếu 2001', status: 0, statusText: null, submittedAt: NOW - 2000, ...over });

  const stuck: [string, WinJobInfo, string, RegExp][] = [
    ['a job waiting for paper', job({ status: JOB_STATUS.PAPEROUT }), 'paper_out', /Lệnh in số 7 đang chờ vì máy in hết giấy/],
    ['a job waiting for the printer', job({ status: JOB_STATUS.OFFLINE, statusText: 'Offline' }), 'offline', /không kết nối: Offline/],
    ['a job in error', job({ status: JOB_STATUS.ERROR }), 'error', /Lệnh in số 7 bị lỗi/],
    ['a job blocked by the one before it', job({ status: JOB_STATUS.BLOCKED_DEVQ }), 'error', /bị lỗi trong hàng đợi/],
    ['a job waiting 45 s with no reason given', job({ submittedAt: NOW - 45_000 }), 'error', /1 lệnh in nằm trong hàng đợi đã 45 giây mà chưa in ra\. Trình điều khiển không cho biết lý do/],
    ['jobs waiting 10 minutes', job({ submittedAt: NOW - 600_000 }), 'error', /đã 10 phút/],
  ];
  it.each(stuck)('%s', async (_what, j, state, message) => {
    const { fake, spooler } = setUp(0, 0, [j]);
    const got = await spooler.status();
    expect(got.state).toBe(state);
    expect(got.message).toMatch(message);
    expect(fake.callNames).toEqual(['openPrinter', 'getPrinter', 'enumJobs', 'closePrinter']);
  });

  it('a job just sent, or one already printed, is no trouble', async () => {
    const { spooler } = setUp(0, 0, [job({ submittedAt: NOW - 1000 }), job({ jobId: 3, status: JOB_STATUS.PRINTED | JOB_STATUS.ERROR, submittedAt: NOW - 3_600_000 })]);
    const got = await spooler.status();
    expect(got.state).toBe('ok');
    expect(got.message).toContain('2 lệnh in đang chờ');
  });

  it('the oldest of several stuck jobs gives the age', async () => {
    const { spooler } = setUp(0, 0, [job({ submittedAt: NOW - 40_000 }), job({ jobId: 8, submittedAt: NOW - 180_000 })]);
    expect((await spooler.status()).message).toMatch(/2 lệnh in nằm trong hàng đợi đã 3 phút/);
  });

  it('never throws: a stopped spooler or an unreadable printer is offline, and the printer is closed', async () => {
    const { fake, spooler } = setUp();
    fake.failNext('openPrinter', WIN_ERROR.RPC_S_SERVER_UNAVAILABLE);
    const stopped = await spooler.status();
    expect(stopped.state).toBe('offline');
    expect(stopped.message).toContain('Print Spooler');
    fake.failNext('getPrinter', WIN_ERROR.ACCESS_DENIED);
    const denied = await spooler.status();
    expect(denied.state).toBe('offline');
    expect(denied.message).toContain('Access denied');
    expect(fake.openHandles).toBe(0);
  });

  it('a queue that cannot be read still reports the printer flags', async () => {
    const { fake, spooler } = setUp(PRINTER_STATUS.DOOR_OPEN, 0, [job({})]);
    fake.failNext('enumJobs', WIN_ERROR.ACCESS_DENIED);
    expect((await spooler.status()).state).toBe('cover_open');
    expect(fake.openHandles).toBe(0);
  });
});

describe('the printers Windows knows, for the settings screen', () => {
  it('lists local printers and connections, sorted, with what each one is', async () => {
    const fake = new FakeWinspool()
      .addPrinter({ printerName: 'Microsoft Print to PDF', portName: 'PORTPROMPT:', driverName: 'Microsoft Print To PDF', attributes: PRINTER_ATTRIBUTE.DEFAULT })
      .addPrinter({ printerName: NAME, portName: 'USB001', status: PRINTER_STATUS.OFFLINE })
      .addPrinter({ printerName: '\\\\QUAY1\\Máy in phiếu', portName: 'IP_192.0.2.7', driverName: 'XP-80C', attributes: PRINTER_ATTRIBUTE.NETWORK }, [
        { jobId: 1, document: 'x', status: 0, statusText: null, submittedAt: 0 },
      ]);
    const list = await listWindowsPrinters(fake, { now: () => NOW });
    expect(fake.callNames).toEqual(['enumPrinters']);
    expect(list.map((p) => p.name)).toEqual([NAME, 'Microsoft Print to PDF', '\\\\QUAY1\\Máy in phiếu']);
    expect(list[0]).toMatchObject({ port: 'USB001', driver: 'EPSON TM-T82III Receipt', isDefault: false, isNetwork: false, status: { state: 'offline' } });
    expect(list[1]).toMatchObject({ port: 'PORTPROMPT:', isDefault: true, isNetwork: false, status: { state: 'ok' } });
    expect(list[2]).toMatchObject({ port: 'IP_192.0.2.7', driver: 'XP-80C', isNetwork: true });
    // The list reads no queue: a job there is counted, not judged.
    expect(list[2]!.status.state).toBe('ok');
    expect(list[2]!.status.message).toContain('1 lệnh in đang chờ');
  });

  it('refuses with the spooler’s reason when it cannot be asked', async () => {
    const fake = new FakeWinspool().failNext('enumPrinters', WIN_ERROR.RPC_S_SERVER_UNAVAILABLE);
    const error = await failureOf(listWindowsPrinters(fake));
    expect(error.failure).toBe('unreachable');
    expect(error.message).toContain('Print Spooler');
  });
});
