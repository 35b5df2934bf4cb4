import { describe, expect, it } from '@jest/globals';
import type { Ack, HubError } from './ack';
import { COMMAND_NAMES, COMMAND_SCHEMAS, type CommandName, type CommandPayload } from './commands';
import { parsePayload } from './parse';

const RID = 'req-0001-abcd';

/** One payload each command accepts. */
const VALID: { [C in CommandName]: CommandPayload<C> } = {
  'ticket:issue': { requestId: RID, serviceId: 'civil' },
  'ticket:printed': { printId: 'print-0001-abcd', printed: true, state: 'ok', message: '' },
  'printer:none': {},
  'printer:report': { connection: 'system', name: 'CUPS: xephang-kiosk', paperWidth: 80, state: 'no_status', message: 'Không biết máy in còn giấy hay không.' },
  'clerk:login': { clerkId: 1, pin: '1234' },
  'clerk:logout': {},
  'counter:open': {},
  'counter:close': {},
  'counter:pause': { reason: 'Họp giao ban' },
  'counter:resume': {},
  'counter:next': { requestId: RID },
  'counter:recall': { requestId: RID },
  'counter:noShow': { requestId: RID },
  'counter:start': { requestId: RID },
  'counter:finish': { requestId: RID, outcome: 'received' },
  'counter:transfer': { requestId: RID, toCounterId: 3 },
  'counter:callNumber': { requestId: RID, number: 2005 },
  sync: { lastSeq: 0 },
  'clerk:create': { name: 'Nguyễn Thị Lan', pin: '123456', counterIds: [1, 2] },
  'clerk:update': { id: 1 },
  'pairing:create': { role: 'display' },
  'device:list': {},
  'device:revoke': { deviceId: 'dev-1' },
  'device:revokeStale': { days: 30 },
  'access:get': {},
  'access:unlock': { clerkId: 3 },
  'access:setIdle': { clerkIdleMinutes: 90 },
  'admin:session': {},
  'clock:set': { at: 0 },
  'report:get': { week: '2025-W28' },
  'ticket:reprint': { requestId: RID, ticketId: '2025-07-10-2001' },
  'printer:status': {},
  'printer:list': {},
  'printer:set': { kioskId: '*', type: 'tcp', address: '192.168.1.50:9100', paperWidth: 80 },
  'printer:setTicketText': { footer: 'Xin cảm ơn!', qr: '' },
  'printer:unset': { kioskId: 'kiosk-2' },
  'printer:test': { requestId: RID, kioskId: '*' },
  'admin:changePassword': { currentPassword: 'cũ-mật-khẩu', newPassword: 'moi-2026-xa', repeatPassword: 'moi-2026-xa' },
  'config:get': {},
  'config:saveService': { id: 'civil', nameVi: 'Tư pháp – Hộ tịch', nameEn: 'Justice – Civil status', kind: 'commune', blockStart: 2001, active: true },
  'config:orderServices': { serviceIds: ['civil', 'land'] },
  'config:counterServices': { counterId: 6, serviceIds: ['civil', 'land'] },
  'config:setTexts': { centerName: 'Trung tâm', notice: '', kioskTitleVi: 'Xin mời chọn lĩnh vực', kioskTitleEn: 'Please choose', kioskNote: '' },
  'config:setHours': { week: [[{ open: '07:30', close: '11:30' }], [], [], [], [], [], []], resetTime: '00:00' },
  'config:setPriorityRule': { kind: 'priorityFirst', normalMaxWaitMinutes: 30 },
  'config:log': {},
  'rating:pending': {},
  'rating:submit': { requestId: RID, ticketId: '2025-07-10-2001', score: 5 },
  'rating:detail': { requestId: RID, ticketId: '2025-07-10-2001', reason: 'Chờ lâu', trips: 2 },
  'rating:setSettings': {
    levels: [
      { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
      { vi: 'Không hài lòng', en: 'Dissatisfied' },
      { vi: 'Bình thường', en: 'Neutral' },
      { vi: 'Hài lòng', en: 'Satisfied' },
      { vi: 'Rất hài lòng', en: 'Very satisfied' },
    ],
    reasons: ['Chờ lâu', 'Khác'],
  },
  'catalog:get': { since: 3 },
  'catalog:import': { uploadId: 'upload-0001', fileName: 'thu-tuc.csv', part: 0, parts: 1, data: 'bcOjLHTDqm4=', mode: 'check' },
  'voice:set': { volume: 0.8, recallRepeats: 3 },
  'system:status': {},
  'system:backups': {},
  'system:backupNow': {},
  'system:backupSettings': { secondDir: '/media/usb/xephang', keepDays: 14 },
  'province:status': {},
  'province:enrol': { url: 'https://tinh.example.vn/', communeCode: '00004', key: 'k7R2-pQ9x-Lm3v', proxy: null },
  'province:unlink': {},
  'province:pushNow': {},
  'visit:setDossier': { requestId: RID, ticketId: '2025-07-10-2001', code: 'H12.34-250710-0001' },
  'visit:list': { day: '2025-07-10', q: '2001' },
  'visit:setDossierSettings': { pattern: '^[A-Za-z0-9./-]{6,40}$', scannerPrefix: '' },
  'citizen:issueWithoutCard': { requestId: RID, serviceId: 'civil', priority: 'elderly' },
  'citizen:setRule': { serviceId: 'civil', rule: { mode: 'limit', maxActive: 2 } },
};

function parse<C extends CommandName>(command: C, input: unknown) {
  return parsePayload(COMMAND_SCHEMAS[command], input);
}

/** The error of a refused payload; fails the test when the payload was accepted. */
function refused(reply: Ack<unknown>): HubError {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.data)}`);
  return reply.error;
}

function fieldsOf(reply: Ack<unknown>): Record<string, string> {
  const fields = refused(reply).fields;
  if (!fields) throw new Error('expected fields on an invalid_payload error');
  return fields;
}

describe('parsePayload: valid payloads', () => {
  it('knows every command', () => {
    expect(Object.keys(VALID).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it.each(COMMAND_NAMES)('accepts a good %s payload as it is', (command) => {
    const reply = parse(command, VALID[command]);
    expect(reply).toEqual({ ok: true, data: expect.objectContaining(VALID[command] as Record<string, unknown>) });
  });

  it("fills in priority 'normal' for a ticket when none is given", () => {
    expect(parse('ticket:issue', { requestId: RID, serviceId: 'civil' })).toEqual({
      ok: true,
      data: { requestId: RID, serviceId: 'civil', priority: 'normal' },
    });
  });

  it.each(['elderly', 'disabled', 'pregnant', 'meritorious', 'child'] as const)('keeps priority %s when given', (priority) => {
    const reply = parsePayload(COMMAND_SCHEMAS['ticket:issue'], { requestId: RID, serviceId: 'civil', priority });
    expect(reply.ok && reply.data.priority).toBe(priority);
  });

  it('takes a 12-digit citizen ID on a ticket, and refuses any other without repeating it', () => {
    expect(parse('ticket:issue', { requestId: RID, serviceId: 'civil', citizenId: '079123456789' })).toMatchObject({ ok: true, data: { citizenId: '079123456789' } });
    for (const bad of ['07912345678', '0791234567890', '07912345678a', ' 079123456789', '079123456789|123456789', 79123456789]) {
      const error = refused(parse('ticket:issue', { requestId: RID, serviceId: 'civil', citizenId: bad }));
      expect(error.code).toBe('invalid_payload');
      expect(Object.keys(error.fields ?? {})).toEqual(['citizenId']);
      expect(error.message).not.toContain('0791234567');
    }
  });

  it('trims a pause reason', () => {
    const reply = parse('counter:pause', { reason: '  Họp giao ban  ' });
    expect(reply).toEqual({ ok: true, data: { reason: 'Họp giao ban' } });
  });
});

describe('parsePayload: refusals', () => {
  it.each(COMMAND_NAMES)('refuses an extra key on %s and names it', (command) => {
    const error = refused(parse(command, { ...(VALID[command] as object), sneakyKey: 1 }));
    expect(error.code).toBe('invalid_payload');
    const fields = error.fields ?? {};
    const named = Object.entries(fields).some(([path, problem]) => path.includes('sneakyKey') || problem.includes('sneakyKey'));
    expect(named).toBe(true);
    expect(error.message).toContain('sneakyKey');
  });

  it('names every extra key', () => {
    const fields = fieldsOf(parse('counter:open', { a: 1, b: 2 }));
    expect(Object.values(fields).join(' ')).toMatch(/trường không được phép: a, b/);
  });

  it('refuses a payload that is not an object', () => {
    for (const input of [null, undefined, 'ticket', 42, [RID]]) {
      const error = refused(parse('ticket:issue', input));
      expect(error.code).toBe('invalid_payload');
      expect(error.fields).toEqual({ '(toàn bộ)': 'cần kiểu object' });
    }
  });

  it('refuses wrong types, naming each field and the type it needs', () => {
    expect(fieldsOf(parse('ticket:issue', { requestId: 12345678, serviceId: 5 }))).toEqual({
      requestId: 'cần kiểu string',
      serviceId: 'cần kiểu string',
    });
    expect(fieldsOf(parse('counter:callNumber', { requestId: RID, number: '2005' }))).toEqual({ number: 'cần kiểu number' });
    expect(fieldsOf(parse('clerk:update', { id: 1, active: 'yes' }))).toEqual({ active: 'cần kiểu boolean' });
    expect(Object.keys(fieldsOf(parse('clerk:login', { clerkId: 1.5, pin: '1234' })))).toEqual(['clerkId']);
  });

  it('names the paths inside arrays', () => {
    expect(Object.keys(fieldsOf(parse('clerk:create', { ...VALID['clerk:create'], counterIds: [1, 'x'] })))).toEqual(['counterIds.1']);
  });

  it('refuses a missing required field', () => {
    expect(fieldsOf(parse('counter:finish', { requestId: RID }))).toEqual({
      outcome: expect.stringContaining('received, guidance, returned, other'),
    });
  });

  it('refuses values outside an enum, listing the allowed ones', () => {
    expect(fieldsOf(parse('ticket:issue', { requestId: RID, serviceId: 'civil', priority: 'vip' }))).toEqual({
      priority: 'giá trị không hợp lệ, cần một trong: normal, elderly, disabled, pregnant, meritorious, child',
    });
  });

  it('refuses strings that are too long, and accepts them at the limit', () => {
    expect(parse('counter:next', { requestId: 'a'.repeat(64) }).ok).toBe(true);
    expect(fieldsOf(parse('counter:next', { requestId: 'a'.repeat(65) }))).toEqual({ requestId: 'quá lớn (tối đa 64)' });
    expect(parse('counter:finish', { requestId: RID, outcome: 'other', note: 'x'.repeat(500) }).ok).toBe(true);
    expect(fieldsOf(parse('counter:finish', { requestId: RID, outcome: 'other', note: 'x'.repeat(501) }))).toEqual({
      note: 'quá lớn (tối đa 500)',
    });
    expect(fieldsOf(parse('counter:pause', { reason: 'x'.repeat(121) }))).toEqual({ reason: 'quá lớn (tối đa 120)' });
    expect(fieldsOf(parse('clerk:create', { ...VALID['clerk:create'], name: 'x'.repeat(81) }))).toEqual({ name: 'quá lớn (tối đa 80)' });
    expect(fieldsOf(parse('device:revoke', { deviceId: 'd'.repeat(65) }))).toEqual({ deviceId: 'quá lớn (tối đa 64)' });
  });

  it('refuses strings and numbers that are too small', () => {
    expect(fieldsOf(parse('counter:next', { requestId: 'short' }))).toEqual({ requestId: 'quá nhỏ (tối thiểu 8)' });
    expect(fieldsOf(parse('counter:pause', { reason: '   ' }))).toEqual({ reason: 'quá nhỏ (tối thiểu 1)' });
    expect(fieldsOf(parse('sync', { lastSeq: -1 }))).toEqual({ lastSeq: 'quá nhỏ (tối thiểu 0)' });
    expect(fieldsOf(parse('counter:transfer', { requestId: RID, toCounterId: 0 }))).toEqual({ toCounterId: 'quá nhỏ (tối thiểu 1)' });
  });

  it('gives the Vietnamese message of a pattern that does not match', () => {
    expect(fieldsOf(parse('clerk:login', { clerkId: 1, pin: '12ab' }))).toEqual({ pin: 'mã PIN gồm 4 đến 8 chữ số' });
    expect(fieldsOf(parse('ticket:issue', { requestId: RID, serviceId: 'Hộ tịch' }))).toEqual({
      serviceId: 'mã lĩnh vực chỉ gồm chữ thường không dấu, số và dấu gạch ngang',
    });
  });

  it('explains a bad request id in Vietnamese', () => {
    const error = refused(parse('counter:next', { requestId: 'req 0001 abcd' }));
    expect(error.fields).toEqual({ requestId: 'mã yêu cầu chỉ gồm chữ cái không dấu, số, dấu gạch dưới và dấu gạch ngang' });
    expect(error.message).not.toMatch(/Invalid|must match/);
  });
});

describe('parsePayload: transfer goes to exactly one place', () => {
  const WHERE = 'chọn đúng một nơi chuyển đến: một lĩnh vực hoặc một quầy';

  it('accepts a service alone', () => {
    expect(parse('counter:transfer', { requestId: RID, toServiceId: 'land' })).toEqual({
      ok: true,
      data: { requestId: RID, toServiceId: 'land' },
    });
  });

  it('accepts a counter alone', () => {
    expect(parse('counter:transfer', { requestId: RID, toCounterId: 6 })).toEqual({ ok: true, data: { requestId: RID, toCounterId: 6 } });
  });

  it('refuses neither', () => {
    expect(fieldsOf(parse('counter:transfer', { requestId: RID }))).toEqual({ toServiceId: WHERE });
  });

  it('refuses both', () => {
    const error = refused(parse('counter:transfer', { requestId: RID, toServiceId: 'land', toCounterId: 6 }));
    expect(error.fields).toEqual({ toServiceId: WHERE });
    expect(error.message).toContain(WHERE);
  });
});

describe('parsePayload: the priority rule', () => {
  it('accepts each kind with its own number', () => {
    expect(parse('config:setPriorityRule', { kind: 'oneInEvery', every: 4 })).toEqual({ ok: true, data: { kind: 'oneInEvery', every: 4 } });
    expect(parse('config:setPriorityRule', { kind: 'priorityFirst', normalMaxWaitMinutes: 240 }).ok).toBe(true);
  });

  it('refuses an unknown kind in Vietnamese', () => {
    expect(refused(parse('config:setPriorityRule', { kind: 'fifo' })).message).toContain('kind phải là priorityFirst (ưu tiên trước) hoặc oneInEvery');
  });

  it("refuses the other kind's number, a missing one and one out of range", () => {
    expect(refused(parse('config:setPriorityRule', { kind: 'oneInEvery', every: 4, normalMaxWaitMinutes: 30 })).fields).toEqual({
      '(toàn bộ)': 'trường không được phép: normalMaxWaitMinutes',
    });
    expect(refused(parse('config:setPriorityRule', { kind: 'priorityFirst' })).fields).toEqual({ normalMaxWaitMinutes: 'cần kiểu number' });
    expect(refused(parse('config:setPriorityRule', { kind: 'oneInEvery', every: 1 })).fields).toEqual({ every: 'quá nhỏ (tối thiểu 2)' });
    expect(refused(parse('config:setPriorityRule', { kind: 'priorityFirst', normalMaxWaitMinutes: 241 })).fields).toEqual({
      normalMaxWaitMinutes: 'quá lớn (tối đa 240)',
    });
    expect(refused(parse('config:setPriorityRule', { kind: 'priorityFirst', normalMaxWaitMinutes: 2.5 })).fields).toEqual({ normalMaxWaitMinutes: 'cần kiểu int' });
  });
});

describe('parsePayload: the message', () => {
  it('is Vietnamese, lists every failing field and says nothing was changed', () => {
    const error = refused(parse('ticket:issue', { requestId: 'abc', serviceId: 'Civil', priority: 'vip' }));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toMatch(/^Dữ liệu gửi lên không hợp lệ \(/);
    expect(error.message).toMatch(/\)\. Không có gì bị thay đổi\.$/);
    expect(error.message).toContain('requestId: quá nhỏ (tối thiểu 8)');
    expect(error.message).toContain('serviceId: mã lĩnh vực');
    expect(error.message).toContain('priority: giá trị không hợp lệ');
    expect(Object.keys(error.fields ?? {})).toEqual(['requestId', 'serviceId', 'priority']);
  });

  it('keeps one problem per field, the first one found', () => {
    // Too short and with a space: both fail, only the first is reported.
    const fields = fieldsOf(parse('counter:next', { requestId: 'a b' }));
    expect(fields).toEqual({ requestId: 'quá nhỏ (tối thiểu 8)' });
  });

  it('does not change the payload it is given', () => {
    const input = Object.freeze({ requestId: RID, serviceId: 'civil' });
    expect(parse('ticket:issue', input).ok).toBe(true);
    expect(input).toEqual({ requestId: RID, serviceId: 'civil' });
  });
});
