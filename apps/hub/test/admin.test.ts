import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { Ack, ConfigUpdated, HubEvent } from '@xephang/protocol';
import { ADMIN_PASSWORD, client, disposeHub, display, kiosk, openCounter, readDb, rid, startHubProcess, unwrap, until, tryConnect, type HubProcess } from '@xephang/testing';

const MORNING = Date.parse('2025-07-10T08:00:00+07:00');

function refused<T>(ack: Ack<T>): { code: string; message: string; fields?: Record<string, string> } {
  if (ack.ok) throw new Error(`expected a refusal, got ${JSON.stringify(ack.data)}`);
  return ack.error;
}

const LAND = { id: 'land', nameVi: 'Nông nghiệp – Môi trường – Đất đai', nameEn: 'Agriculture – Environment – Land', kind: 'commune', blockStart: 1001, active: true } as const;

describe('admin configuration', () => {
  let hub: HubProcess;
  let a: HubClient;
  let tv: HubClient;
  const tvEvents: HubEvent[] = [];
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
    a = await client(hub, { role: 'admin', password: ADMIN_PASSWORD, adminName: 'Trưởng trung tâm Lê Văn Tâm' });
    tv = await display(hub, { onEvent: (e) => tvEvents.push(e) });
  });
  afterAll(async () => {
    a?.close();
    tv?.close();
    await disposeHub(hub);
  });

  const configEvents = () => tvEvents.filter((e): e is ConfigUpdated => e.type === 'config:updated');

  it('renames a field: every screen gets config:updated, and the change is logged with who made it', async () => {
    const k = await kiosk(hub);
    const before = configEvents().length;
    const saved = unwrap(await a.send('config:saveService', { ...LAND, nameVi: 'Đất đai – Môi trường', nameEn: 'Land – Environment' }));
    expect(saved).toEqual(expect.objectContaining({ id: 'land', nameVi: 'Đất đai – Môi trường', blockStart: 1001, active: true }));
    await until(() => configEvents().length === before + 1, 'config:updated on the TV');
    expect(tv.state()!.services.find((s) => s.id === 'land')?.nameVi).toBe('Đất đai – Môi trường');
    await until(() => k.state()!.services.find((s) => s.id === 'land')?.nameVi === 'Đất đai – Môi trường', 'the kiosk to follow');
    k.close();

    const log = unwrap(await a.send('config:log', {}));
    expect(log[0]).toEqual(
      expect.objectContaining({
        type: 'admin:service',
        by: 'Trưởng trung tâm Lê Văn Tâm',
        what: 'Sửa lĩnh vực land: tên "Nông nghiệp – Môi trường – Đất đai" → "Đất đai – Môi trường"; tên tiếng Anh "Agriculture – Environment – Land" → "Land – Environment"',
      }),
    );
    const db = readDb(hub);
    const row = db.prepare("SELECT type, detail FROM events WHERE type = 'admin:service' ORDER BY id DESC LIMIT 1").get() as { type: string; detail: string };
    db.close();
    expect(JSON.parse(row.detail)).toEqual(expect.objectContaining({ by: 'Trưởng trung tâm Lê Văn Tâm' }));
  });

  it("changes a counter's fields, which its next call follows at once", async () => {
    const c4 = await openCounter(hub, 4);
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'culture' }));
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'business' }));
    const counter = unwrap(await a.send('config:counterServices', { counterId: 4, serviceIds: ['culture', 'business'] }));
    expect(counter.serviceIds).toEqual(['culture', 'business']);
    await until(() => tv.state()!.counters.find((c) => c.id === 4)?.serviceIds[0] === 'culture', 'the TV to see counter 4 change');
    const called = unwrap(await c4.send('counter:next', { requestId: rid() }));
    expect(called.serviceId).toBe('culture');
    unwrap(await c4.send('counter:noShow', { requestId: rid() }));
    c4.close();
    const log = unwrap(await a.send('config:log', { limit: 1 }));
    expect(log[0]!.what).toBe('Quầy 4 phục vụ: Văn hoá – Xã hội, Đăng ký kinh doanh – Tài chính (trước: Đăng ký kinh doanh – Tài chính)');
  });

  it('adds a field, orders the kiosk, stops a field, and sets the texts and the hours', async () => {
    const added = unwrap(await a.send('config:saveService', { id: 'tax', nameVi: 'Thuế', nameEn: 'Tax', kind: 'partner', blockStart: 8001, active: true }));
    expect(added.sortOrder).toBe(8);
    const order = ['civil', 'land', 'tax', 'business', 'culture', 'police', 'landreg', 'post'];
    const ordered = unwrap(await a.send('config:orderServices', { serviceIds: order }));
    expect(ordered.map((s) => s.id)).toEqual(order);
    await until(() => tv.state()!.services.map((s) => s.id).join() === order.join(), 'the new order on the TV');

    unwrap(await a.send('config:saveService', { id: 'tax', nameVi: 'Thuế', nameEn: 'Tax', kind: 'partner', blockStart: 8001, active: false }));
    const refusedTicket = refused(await a.send('ticket:issue', { requestId: rid(), serviceId: 'tax' }));
    expect(refusedTicket.message).toMatch(/tạm ngừng cấp số/);

    const texts = { centerName: 'Trung tâm PVHCC xã Hà Trung', notice: 'Chiều thứ Bảy nghỉ.', kioskTitleVi: 'Mời chọn lĩnh vực', kioskTitleEn: 'Choose a service', kioskNote: 'Hỏi cán bộ nếu cần giúp.' };
    expect(unwrap(await a.send('config:setTexts', texts))).toEqual(texts);
    await until(() => tv.state()!.notice === 'Chiều thứ Bảy nghỉ.' && tv.state()!.centerName === texts.centerName, 'the TV notice');

    const hours = { week: [[{ open: '07:00', close: '11:00' }], [], [], [], [], [], []], resetTime: '00:00' };
    unwrap(await a.send('config:setHours', hours));
    const config = unwrap(await a.send('config:get', {}));
    expect(config.texts).toEqual(texts);
    // Hours sent without the early window (an older admin screen) keep the default 30 minutes.
    expect(config.hours).toEqual({ ...hours, earlyIssueMinutes: 30 });
    expect(config.clerks).toHaveLength(9);

    const types = unwrap(await a.send('config:log', { limit: 5 })).map((e) => e.type);
    expect(types).toEqual(['admin:hours', 'admin:texts', 'admin:service', 'admin:serviceOrder', 'admin:service']);
  });

  it('logs clerk changes with who made them; a locked clerk leaves the counters’ lists', async () => {
    const created = unwrap(await a.send('clerk:create', { name: 'Ngô Thị Hạnh', pin: '246810', counterIds: [1, 2] }));
    unwrap(await a.send('clerk:update', { id: created.id, pin: '135790', active: false }));
    await until(() => !tv.state()!.clerks.some((c) => c.id === created.id), 'the locked clerk to leave the lists');
    const log = unwrap(await a.send('config:log', { limit: 2 }));
    expect(log.map((e) => [e.type, e.by, e.what])).toEqual([
      ['clerk:changed', 'Trưởng trung tâm Lê Văn Tâm', `Sửa cán bộ Ngô Thị Hạnh (mã ${created.id}): đặt lại mã PIN; khoá tài khoản`],
      ['clerk:changed', 'Trưởng trung tâm Lê Văn Tâm', `Thêm cán bộ Ngô Thị Hạnh (mã ${created.id}), quầy 1, 2`],
    ]);
    const all = unwrap(await a.send('config:get', {})).clerks;
    expect(all.find((c) => c.id === created.id)).toEqual({ id: created.id, name: 'Ngô Thị Hạnh', active: false, counterIds: [1, 2] });
  });

  it("lists clerks in Vietnamese name order, as a counter's login shows them (Đ after D, not after Z)", async () => {
    const ids: number[] = [];
    for (const name of ['Trần Văn Zung', 'Nguyễn Minh Đức', 'Phạm Văn Dũng']) {
      ids.push(unwrap(await a.send('clerk:create', { name, pin: '975310', counterIds: [6] })).id);
    }
    const ours = (clerks: { id: number; name: string }[]) => clerks.filter((c) => ids.includes(c.id)).map((c) => c.name);
    await until(() => ours(tv.state()!.clerks).length === 3, 'the new clerks on the screens');
    expect(ours(tv.state()!.clerks)).toEqual(['Phạm Văn Dũng', 'Nguyễn Minh Đức', 'Trần Văn Zung']);
    expect(ours(unwrap(await a.send('config:get', {})).clerks)).toEqual(['Phạm Văn Dũng', 'Nguyễn Minh Đức', 'Trần Văn Zung']);
    for (const id of ids) unwrap(await a.send('clerk:update', { id, active: false }));
  });

  it.each([
    ['a block that is not …001', 'config:saveService', { ...LAND, blockStart: 1500 }, 'invalid_payload', /blockStart: dãy số phải bắt đầu bằng …001/],
    ['an empty name', 'config:saveService', { ...LAND, nameVi: '   ' }, 'invalid_payload', /nameVi: quá nhỏ/],
    ['a block another field has', 'config:saveService', { ...LAND, blockStart: 2001 }, 'invalid_payload', /Dãy số 2001… đang là của lĩnh vực "Tư pháp – Hộ tịch"/],
    ['an order missing fields', 'config:orderServices', { serviceIds: ['civil', 'land'] }, 'invalid_payload', /mỗi lĩnh vực đúng một lần/],
    ['an unknown field at a counter', 'config:counterServices', { counterId: 3, serviceIds: ['land', 'nope'] }, 'not_found', /Không có lĩnh vực nope/],
    ['a field twice at a counter', 'config:counterServices', { counterId: 3, serviceIds: ['land', 'land'] }, 'invalid_payload', /một lần/],
    ['an unknown counter', 'config:counterServices', { counterId: 42, serviceIds: ['land'] }, 'not_found', /quầy số 42/],
    ['hours closing before they open', 'config:setHours', { week: [[{ open: '11:00', close: '07:00' }], [], [], [], [], [], []], resetTime: '00:00' }, 'invalid_payload', /week\.0\.0\.close: giờ mở cửa phải trước giờ đóng cửa/],
    ['six days of hours', 'config:setHours', { week: [[], [], [], [], [], []], resetTime: '00:00' }, 'invalid_payload', /week/],
    ['a reset time of 25:00', 'config:setHours', { week: [[], [], [], [], [], [], []], resetTime: '25:00' }, 'invalid_payload', /resetTime: giờ dạng HH:MM/],
    ['a texts payload with an extra key', 'config:setTexts', { centerName: 'x', notice: '', kioskTitleVi: 'x', kioskTitleEn: 'x', kioskNote: '', colour: 'red' }, 'invalid_payload', /colour/],
  ])('refuses %s and changes nothing', async (_what, command, payload, code, message) => {
    const seqOf = async () => {
      const reply = unwrap(await a.send('sync', { lastSeq: 0 }));
      if (reply.mode !== 'snapshot') throw new Error('expected a snapshot');
      return reply.snapshot.seq;
    };
    const seq = await seqOf();
    const logBefore = unwrap(await a.send('config:log', { limit: 1 }));
    const error = refused(await a.send(command as 'config:get', payload as never));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await seqOf()).toBe(seq);
    expect(unwrap(await a.send('config:log', { limit: 1 }))).toEqual(logBefore);
  });

  it('lets only the admin change the configuration', async () => {
    const k = await kiosk(hub);
    const c = await openCounter(hub, 1);
    for (const who of [k, c, tv]) {
      const error = refused(await who.send('config:saveService', { ...LAND, nameVi: 'Hack' }));
      expect(error.code).toBe('forbidden');
    }
    expect(refused(await k.send('config:get', {})).code).toBe('forbidden');
    k.close();
    c.close();
  });
});

describe('ratings', () => {
  let hub: HubProcess;
  let a: HubClient;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--fake-clock', new Date(MORNING).toISOString()] });
    a = await client(hub, { role: 'admin', password: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    a?.close();
    await disposeHub(hub);
  });

  /** Issues a ticket of `serviceId` and has counter `c` call, serve and finish it. */
  async function serve(c: HubClient, serviceId: string) {
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId }));
    unwrap(await c.send('counter:next', { requestId: rid() }));
    unwrap(await c.send('counter:start', { requestId: rid() }));
    return unwrap(await c.send('counter:finish', { requestId: rid(), outcome: 'received' }));
  }

  it('a tablet needs a counter', async () => {
    expect(await tryConnect(hub, { role: 'rating' })).toMatch(/Máy đánh giá cần số quầy/);
    expect(await tryConnect(hub, { role: 'rating', counterId: 3 })).toBe('connected');
  });

  it('stores one rating per visit, from the tablet of the counter that finished it', async () => {
    const c3 = await openCounter(hub, 3);
    const tablet3 = await client(hub, { role: 'rating', counterId: 3 });
    const tablet5 = await client(hub, { role: 'rating', counterId: 5 });
    expect(unwrap(await tablet3.send('rating:pending', {}))).toBeNull();

    const done = await serve(c3, 'land');
    expect(unwrap(await tablet3.send('rating:pending', {}))).toEqual(
      expect.objectContaining({ ticketId: done.id, number: done.number, counterId: 3, clerkName: 'Lê Thị Thu Hà' }),
    );
    expect(unwrap(await tablet5.send('rating:pending', {}))).toBeNull();

    // Another counter's tablet cannot rate it; neither can a display or the admin.
    const other = refused(await tablet5.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 1 }));
    expect(other).toEqual({ code: 'forbidden', message: 'Máy đánh giá của quầy 5 chỉ đánh giá được lượt vừa kết thúc ở quầy 5.' });
    const tv = await display(hub);
    expect(refused(await tv.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 1 })).code).toBe('forbidden');
    expect(refused(await a.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 1 })).code).toBe('forbidden');
    tv.close();

    const requestId = rid();
    const rated = unwrap(await tablet3.send('rating:submit', { requestId, ticketId: done.id, score: 4 }));
    expect(rated).toEqual({ ticketId: done.id, score: 4, at: expect.any(Number) });
    // A retry of the same tap gets the same answer; a second tap is refused.
    expect(unwrap(await tablet3.send('rating:submit', { requestId, ticketId: done.id, score: 4 }))).toEqual(rated);
    const again = refused(await tablet3.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 1 }));
    expect(again).toEqual({ code: 'illegal_transition', message: `Lượt số ${done.number} đã được đánh giá. Xin cảm ơn!` });
    expect(unwrap(await tablet3.send('rating:pending', {}))).toBeNull();

    // Once the counter finished the next visit, the previous one can no longer be rated.
    const second = await serve(c3, 'land');
    const late = refused(await tablet3.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 2 }));
    expect(late.code).toBe('forbidden');
    unwrap(await tablet3.send('rating:submit', { requestId: rid(), ticketId: second.id, score: 2 }));

    const db = readDb(hub);
    const rows = db.prepare('SELECT ticket_id, counter_id, clerk_id, score FROM ratings ORDER BY id').all();
    db.close();
    expect(rows).toEqual([
      { ticket_id: done.id, counter_id: 3, clerk_id: 3, score: 4 },
      { ticket_id: second.id, counter_id: 3, clerk_id: 3, score: 2 },
    ]);
    for (const x of [c3, tablet3, tablet5]) x.close();
  });

  it('closes the window a few minutes after the visit ended', async () => {
    const c7 = await openCounter(hub, 7);
    const tablet = await client(hub, { role: 'rating', counterId: 7 });
    const done = await serve(c7, 'police');
    const pending = unwrap(await tablet.send('rating:pending', {}));
    expect(pending?.remainingMs).toBeGreaterThan(170_000);
    // The hub's test clock started at MORNING a few seconds ago: ten minutes on is past the window.
    unwrap(await a.send('clock:set', { at: MORNING + 10 * 60_000 }));
    expect(unwrap(await tablet.send('rating:pending', {}))).toBeNull();
    const late = refused(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 3 }));
    expect(late.message).toBe(`Đã quá thời gian đánh giá lượt số ${done.number}.`);
    c7.close();
    tablet.close();
  });
});
