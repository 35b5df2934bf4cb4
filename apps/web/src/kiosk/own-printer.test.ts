import { describe, expect, it } from '@jest/globals';
import {
  COMMAND_SCHEMAS,
  fail,
  ok,
  parsePayload,
  PRINTER_MESSAGE_MAX,
  type Ack,
  type CommandName,
  type DesktopBridge,
  type DesktopPrinterStatus,
  type DesktopPrintJob,
  type DesktopPrintResult,
  type IssuedTicket,
  type KioskPrinterInfo,
  type KioskPrintJob,
} from '@xephang/protocol';
import { ownPrinter, type HubSend } from './own-printer';

// The kiosk page's print logic between its two edges: the shell's bridge (answering as
// apps/desktop's print.ts does) and the hub's commands (every payload checked against the
// protocol's own schemas, as the hub checks them). The whole path, with the real shell module,
// the real hub and Chromium, is apps/desktop/src/kiosk-page.test.ts.

const JOB_BYTES = Uint8Array.from([0x1b, 0x40, 0x1d, 0x56, 0x00]);
const TICKET = {
  id: '2026-12-06-2001',
  number: 2001,
  serviceId: 'civil',
  day: '2026-12-06',
  priority: 'normal',
  state: 'waiting',
  issuedAt: Date.parse('2026-12-06T08:00:00+07:00'),
  counterId: null,
  targetCounterId: null,
  calledAt: null,
  recalls: 0,
  outcome: null,
} as const;

function job(kind: KioskPrintJob['kind'], printId = 'print-0001-abcd'): KioskPrintJob {
  return { printId, ticketId: TICKET.id, number: TICKET.number, title: `xephang: phiếu ${TICKET.number}`, paperWidth: 58, bytes: JOB_BYTES, kind };
}

/** The hub's side: what was sent, in order, each payload valid or the test fails. */
function hub(opts: { kioskJob?: boolean; refuse?: boolean } = {}) {
  const sent: { name: CommandName; payload: Record<string, unknown> }[] = [];
  const send = (async (name: CommandName, payload: unknown) => {
    const parsed = parsePayload(COMMAND_SCHEMAS[name], payload);
    if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.error)}`);
    sent.push({ name, payload: payload as Record<string, unknown> });
    switch (name) {
      case 'ticket:issue': {
        if (opts.refuse) return fail('center_closed', 'Ngoài giờ làm việc.');
        const printHere = (payload as { printHere?: unknown }).printHere;
        const reply: IssuedTicket = { ticket: TICKET, peopleAhead: 2, estimatedWaitMinutes: 10 };
        return ok(printHere && opts.kioskJob !== false ? { ...reply, kioskJob: job('ticket') } : { ...reply, printed: true });
      }
      case 'ticket:printed':
        return ok({ printId: (payload as { printId: string }).printId, noted: true });
      case 'printer:none':
        return ok({ kioskId: 'kiosk-1', removed: true });
      case 'printer:report':
        return ok({ kioskId: 'kiosk-1', type: 'kiosk', address: 'x', paperWidth: 58, state: 'ok', message: '', checkedAt: 0 });
      default:
        return fail('forbidden', 'không dùng ở đây');
    }
  }) as HubSend;
  return { send, sent, names: () => sent.map((s) => s.name), of: (name: CommandName) => sent.filter((s) => s.name === name).map((s) => s.payload) };
}

const PRINTER: KioskPrinterInfo = { connection: 'serial', name: '/dev/ttyUSB0 (9600 baud)', paperWidth: 58 };

/** The shell's side, answering as print.ts does; `status` and `result` can change between calls. */
function shell(opts: { info?: KioskPrinterInfo | null; status?: DesktopPrinterStatus; result?: DesktopPrintResult } = {}) {
  const state = {
    info: opts.info === undefined ? PRINTER : opts.info,
    status: opts.status ?? { state: 'ok', message: 'Máy in sẵn sàng.' },
    result: opts.result ?? { printed: true, state: 'ok', message: '' },
  };
  const printed: DesktopPrintJob[] = [];
  let statusAsked = 0;
  const bridge: DesktopBridge = {
    printer: async () => ok(state.info),
    printerStatus: async () => {
      statusAsked++;
      return state.info ? ok(state.status) : fail('printer_error', 'Máy này không được cài đặt máy in phiếu.');
    },
    printJob: async (j) => {
      printed.push(j);
      return ok(state.result) as Ack<DesktopPrintResult>;
    },
  };
  return { bridge, state, printed, statusAsked: () => statusAsked };
}

const TAP = { requestId: 'req-0001-abcd', serviceId: 'civil', priority: 'normal' } as const;

describe('a tap at a kiosk that prints itself', () => {
  it.each([
    ['paper_out', 'Máy in đã hết giấy nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn để thay giấy.'],
    ['cover_open', 'Nắp máy in đang mở nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.'],
    ['offline', 'Không kết nối được với máy in nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.'],
    ['error', 'Máy in đang báo lỗi nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.'],
  ] as const)('issues nothing when the printer says %s, shows the shell\'s words and reports the state', async (state, message) => {
    const h = hub();
    const sh = shell({ status: { state, message } });
    const own = ownPrinter(sh.bridge, h.send);
    expect(await own.tap(TAP)).toEqual({ kind: 'printer_fault', state, message });
    await own.settled();
    expect(h.names()).toEqual(['printer:report']);
    expect(h.of('printer:report')).toEqual([{ connection: 'serial', name: PRINTER.name, paperWidth: 58, state, message }]);
    expect(sh.printed).toEqual([]);
  });

  it('treats a shell that cannot answer as a printer in error: no number', async () => {
    const h = hub();
    const sh = shell();
    sh.bridge.printerStatus = async () => {
      throw new Error('IPC closed');
    };
    const own = ownPrinter(sh.bridge, h.send);
    const outcome = await own.tap(TAP);
    expect(outcome).toEqual({ kind: 'printer_fault', state: 'error', message: 'Không hỏi được ứng dụng ki-ốt về máy in: IPC closed' });
    await own.settled();
    expect(h.names()).not.toContain('ticket:issue');
  });

  it('issues for its paper, hands the hub\'s job to the shell and tells the hub it printed', async () => {
    const h = hub();
    const sh = shell();
    const own = ownPrinter(sh.bridge, h.send);
    const outcome = await own.tap(TAP);
    await own.settled();
    expect(outcome).toMatchObject({ kind: 'issued', printed: true });
    expect(outcome.kind === 'issued' && outcome.warning).toBeFalsy();
    expect(h.of('ticket:issue')).toEqual([{ ...TAP, printHere: { paperWidth: 58 } }]);
    expect(sh.printed).toEqual([{ ticketId: TICKET.id, title: 'xephang: phiếu 2001', bytes: JOB_BYTES }]);
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0001-abcd', printed: true, state: 'ok', message: '' }]);
    // The state asked before the tap was news to the hub; the print changed nothing.
    expect(h.names().filter((n) => n === 'printer:report')).toHaveLength(1);
  });

  it('prints and warns when the paper is near its end', async () => {
    const h = hub();
    const sh = shell({ status: { state: 'paper_near_end', message: 'Máy in sắp hết giấy: hãy chuẩn bị thay cuộn giấy mới.' }, result: { printed: true, state: 'paper_near_end', message: 'Máy in sắp hết giấy: hãy chuẩn bị thay cuộn giấy mới.' } });
    const own = ownPrinter(sh.bridge, h.send);
    const outcome = await own.tap(TAP);
    await own.settled();
    expect(outcome).toMatchObject({ kind: 'issued', printed: true, warning: 'paper_near_end' });
    expect(h.of('printer:report').map((r) => r.state)).toEqual(['paper_near_end']);
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0001-abcd', printed: true, state: 'paper_near_end', message: 'Máy in sắp hết giấy: hãy chuẩn bị thay cuộn giấy mới.' }]);
  });

  it('issues and prints through a spooler that cannot tell its paper (no_status), without a warning', async () => {
    const h = hub();
    const sh = shell({ info: { connection: 'system', name: 'CUPS: xephang-kiosk', paperWidth: 80 }, status: { state: 'no_status', message: 'Không biết máy in còn giấy hay không.' }, result: { printed: true, state: 'no_status', message: '' } });
    const own = ownPrinter(sh.bridge, h.send);
    const outcome = await own.tap(TAP);
    expect(outcome).toMatchObject({ kind: 'issued', printed: true });
    expect(outcome.kind === 'issued' && outcome.warning).toBeFalsy();
    expect(h.of('ticket:issue')[0]!.printHere).toEqual({ paperWidth: 80 });
  });

  it('keeps the number when the print fails on the way, says so to the hub, and reports the printer as it is now', async () => {
    const h = hub();
    const OUT = 'Máy in đã hết giấy nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn để thay giấy.';
    const sh = shell();
    // The roll runs out during the job: the status asked after it says so too.
    sh.bridge.printJob = async (j) => {
      sh.printed.push(j);
      sh.state.status = { state: 'paper_out', message: OUT };
      return ok({ printed: false, state: 'paper_out', message: OUT });
    };
    const own = ownPrinter(sh.bridge, h.send);
    await own.refresh();
    const outcome = await own.tap(TAP);
    await own.settled();
    expect(outcome).toEqual({ kind: 'issued', issued: expect.objectContaining({ ticket: TICKET }), printed: false, message: OUT });
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0001-abcd', printed: false, state: 'paper_out', message: OUT }]);
    expect(h.of('printer:report').map((r) => r.state)).toEqual(['ok', 'paper_out']);
    // The next citizen is refused before a number exists.
    expect(await own.tap({ ...TAP, requestId: 'req-0002-abcd' })).toMatchObject({ kind: 'printer_fault', state: 'paper_out' });
    expect(h.of('ticket:issue')).toHaveLength(1);
  });

  it('answers a shell that refused the job with a failed print, never throwing', async () => {
    const h = hub();
    const sh = shell();
    sh.bridge.printJob = async () => fail('invalid_payload', 'lệnh in phải bắt đầu bằng ESC @ (khởi tạo máy in)');
    const own = ownPrinter(sh.bridge, h.send);
    const outcome = await own.tap(TAP);
    await own.settled();
    expect(outcome).toMatchObject({ kind: 'issued', printed: false, message: 'lệnh in phải bắt đầu bằng ESC @ (khởi tạo máy in)' });
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0001-abcd', printed: false, state: 'failed', message: 'lệnh in phải bắt đầu bằng ESC @ (khởi tạo máy in)' }]);
  });

  it('shows what the hub refused, and prints nothing', async () => {
    const h = hub({ refuse: true });
    const sh = shell();
    const own = ownPrinter(sh.bridge, h.send);
    expect(await own.tap(TAP)).toEqual({ kind: 'refused', error: { code: 'center_closed', message: 'Ngoài giờ làm việc.' } });
    expect(sh.printed).toEqual([]);
  });
});

describe('a kiosk whose hub prints', () => {
  it('in a plain browser (no bridge): issues without printHere and shows what the hub printed', async () => {
    const h = hub();
    const own = ownPrinter(undefined, h.send);
    await own.refresh();
    expect(await own.tap(TAP)).toMatchObject({ kind: 'issued', printed: true });
    expect(h.sent).toEqual([{ name: 'ticket:issue', payload: TAP }]);
  });

  it('in the shell with no printer set up: tells the hub it has none (on load and every tick), reports no state, and the hub prints', async () => {
    const h = hub();
    const sh = shell({ info: null });
    const own = ownPrinter(sh.bridge, h.send);
    await own.refresh();
    await own.tick();
    expect(await own.tap(TAP)).toMatchObject({ kind: 'issued', printed: true });
    await own.refresh();
    expect(h.names()).toEqual(['printer:none', 'printer:none', 'ticket:issue', 'printer:none']);
    expect(sh.statusAsked()).toBe(0);
  });
});

describe('the kiosk keeps the admin told', () => {
  it('reports on load and on every tick, and at a tap only what changed', async () => {
    const h = hub();
    const sh = shell();
    const own = ownPrinter(sh.bridge, h.send);
    await own.refresh();
    await own.tick();
    expect(h.of('printer:report').map((r) => r.state)).toEqual(['ok', 'ok']);
    await own.tap(TAP);
    await own.settled();
    expect(h.of('printer:report')).toHaveLength(2);
    sh.state.status = { state: 'cover_open', message: 'Nắp máy in đang mở nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.' };
    await own.tap({ ...TAP, requestId: 'req-0002-abcd' });
    await own.settled();
    expect(h.of('printer:report').map((r) => r.state)).toEqual(['ok', 'ok', 'cover_open']);
  });

  it('skips the periodic report while a ticket is printing', async () => {
    const h = hub();
    const sh = shell();
    let release: () => void = () => undefined;
    sh.bridge.printJob = (j) =>
      new Promise((resolve) => {
        sh.printed.push(j);
        release = () => resolve(ok({ printed: true, state: 'ok', message: '' }));
      });
    const own = ownPrinter(sh.bridge, h.send);
    await own.refresh();
    const tapped = own.tap(TAP);
    while (sh.printed.length === 0) await new Promise((r) => setTimeout(r, 1));
    const asked = sh.statusAsked();
    await own.tick();
    expect(sh.statusAsked()).toBe(asked);
    release();
    await tapped;
  });
});

describe('a job the hub pushes (kiosk:print)', () => {
  it('prints the admin\'s reprint and answers ticket:printed before resolving', async () => {
    const h = hub();
    const sh = shell();
    const own = ownPrinter(sh.bridge, h.send);
    await own.refresh();
    const result = await own.printPushed(job('reprint', 'print-0002-abcd'));
    expect(result).toEqual({ printed: true, state: 'ok', message: '' });
    expect(sh.printed).toEqual([{ ticketId: TICKET.id, title: 'xephang: phiếu 2001', bytes: JOB_BYTES }]);
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0002-abcd', printed: true, state: 'ok', message: '' }]);
  });

  it('answers a test print that did not come out with the printer\'s words', async () => {
    const h = hub();
    const sh = shell({ result: { printed: false, state: 'cover_open', message: 'Nắp máy in đang mở nên chưa lấy được số. Xin vui lòng báo cán bộ hướng dẫn.' } });
    const own = ownPrinter(sh.bridge, h.send);
    await own.printPushed({ ...job('test', 'print-0003-abcd'), ticketId: '' });
    // The hub's test print is of no ticket: the shell, which wants an id, gets the job's.
    expect(sh.printed.map((p) => p.ticketId)).toEqual(['print-0003-abcd']);
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0003-abcd', printed: false, state: 'cover_open', message: sh.state.result.message }]);
  });

  it('answers printed:false when the page runs outside the shell', async () => {
    const h = hub();
    const own = ownPrinter(undefined, h.send);
    const result = await own.printPushed(job('reprint', 'print-0004-abcd'));
    expect(result.printed).toBe(false);
    expect(h.of('ticket:printed')).toEqual([{ printId: 'print-0004-abcd', printed: false, state: 'failed', message: result.message }]);
    expect(result.message).toContain('không chạy trong ứng dụng xephang');
  });

  it('cuts a message longer than the hub takes', async () => {
    const h = hub();
    const sh = shell({ result: { printed: false, state: 'failed', message: `Phiếu chưa in được: ${'x'.repeat(400)}` } });
    const own = ownPrinter(sh.bridge, h.send);
    await own.printPushed(job('test', 'print-0005-abcd'));
    // The fake hub checked it against the protocol's schema; cut to exactly the longest it takes.
    expect((h.of('ticket:printed')[0]!.message as string).length).toBe(PRINTER_MESSAGE_MAX);
  });
});
