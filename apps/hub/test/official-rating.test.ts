import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import { DEFAULT_RATING_SETTINGS, type Ack, type RatingSettings } from '@xephang/protocol';
import { ADMIN_PASSWORD, client, disposeHub, openCounter, readDb, rid, startHubProcess, unwrap, type HubProcess } from '@xephang/testing';

const MORNING = Date.parse('2025-07-10T08:00:00+07:00');

function refused<T>(ack: Ack<T>): { code: string; message: string; fields?: Record<string, string> } {
  if (ack.ok) throw new Error(`expected a refusal, got ${JSON.stringify(ack.data)}`);
  return ack.error;
}

describe('the rating on the official five-level pattern (issue 20)', () => {
  let hub: HubProcess;
  let a: HubClient;
  let c3: HubClient;
  let tablet: HubClient;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo', '--fake-clock', new Date(MORNING).toISOString()] });
    a = await client(hub, { role: 'admin', password: ADMIN_PASSWORD, adminName: 'Trưởng trung tâm Lê Văn Tâm' });
    c3 = await openCounter(hub, 3);
    tablet = await client(hub, { role: 'rating', counterId: 3 });
  });
  afterAll(async () => {
    for (const x of [a, c3, tablet]) x?.close();
    await disposeHub(hub);
  });

  /** Issues a land ticket and has counter 3 call, serve and finish it. */
  async function serve() {
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    unwrap(await c3.send('counter:next', { requestId: rid() }));
    unwrap(await c3.send('counter:start', { requestId: rid() }));
    return unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'received' }));
  }
  const rows = () => {
    const db = readDb(hub);
    try {
      return db.prepare('SELECT ticket_id, scale, score, reason, trips FROM ratings ORDER BY id').all();
    } finally {
      db.close();
    }
  };

  it('gives the tablet the five levels and the reasons with the visit, takes a 5, then the trips only', async () => {
    expect(unwrap(await a.send('config:get', {})).rating).toEqual(DEFAULT_RATING_SETTINGS);
    const done = await serve();
    const pending = unwrap(await tablet.send('rating:pending', {}));
    expect(pending?.settings.levels.map((l) => l.vi)).toEqual(['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng']);
    expect(pending?.settings.reasons).toContain('Chờ lâu');

    expect(unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 5 }))).toEqual({ ticketId: done.id, score: 5, at: expect.any(Number) });
    // "Rất hài lòng" is never asked why: a reason is refused and nothing is stored.
    const noReason = refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Chờ lâu', trips: 1 }));
    expect(noReason).toEqual({ code: 'invalid_payload', message: `Lượt số ${done.number} được đánh giá "Rất hài lòng": chỉ hỏi lý do khi đánh giá từ "Bình thường" trở xuống.` });
    expect(unwrap(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, trips: 1 }))).toEqual({ ticketId: done.id, score: 5, reason: null, trips: 1 });
    expect(rows()).toEqual([{ ticket_id: done.id, scale: 'v5', score: 5, reason: null, trips: 1 }]);
  });

  it('takes a reason from the list and the trips for a low score, once; refuses a reason not in the list, a second answer, a bad payload, another visit', async () => {
    const done = await serve();
    unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 2 }));
    // Not in the list and no trips with it: nothing to keep (with trips, see the reason removed from the list below).
    const unknown = refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Nhân viên ngủ gật' }));
    expect(unknown.code).toBe('invalid_payload');
    expect(unknown.message).toBe(`Lý do "Nhân viên ngủ gật" không có trong danh sách của trung tâm: ${DEFAULT_RATING_SETTINGS.reasons.join(', ')}.`);
    expect(refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, trips: 4 as 3 })).code).toBe('invalid_payload');
    expect(refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id } as never)).message).toMatch(/Cần lý do hoặc số lần đến/);
    expect(refused(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 6 as 5 })).code).toBe('invalid_payload');

    const requestId = rid();
    const detail = unwrap(await tablet.send('rating:detail', { requestId, ticketId: done.id, reason: 'Chờ lâu', trips: 3 }));
    expect(detail).toEqual({ ticketId: done.id, score: 2, reason: 'Chờ lâu', trips: 3 });
    // The same request again gets the same answer; a second answer is refused and changes nothing.
    expect(unwrap(await tablet.send('rating:detail', { requestId, ticketId: done.id, reason: 'Chờ lâu', trips: 3 }))).toEqual(detail);
    const twice = refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Khác', trips: 1 }));
    expect(twice).toEqual({ code: 'illegal_transition', message: `Lượt số ${done.number} đã được trả lời đủ. Xin cảm ơn!` });
    // Another counter's tablet cannot add to it.
    const tablet5 = await client(hub, { role: 'rating', counterId: 5 });
    expect(refused(await tablet5.send('rating:detail', { requestId: rid(), ticketId: done.id, trips: 1 })).code).toBe('forbidden');
    tablet5.close();
    expect(rows()).toEqual([expect.objectContaining({ score: 5 }), { ticket_id: done.id, scale: 'v5', score: 2, reason: 'Chờ lâu', trips: 3 }]);
  });

  it("lets the admin edit the wording and the reasons (logged), which the tablet's next visit asks with; a bad list is refused", async () => {
    const edited: RatingSettings = {
      levels: DEFAULT_RATING_SETTINGS.levels.map((l, i) => (i === 2 ? { vi: 'Tạm được', en: 'Fair' } : l)),
      reasons: ['Chờ lâu', 'Thiếu chỗ ngồi', 'Khác'],
    };
    expect(unwrap(await a.send('rating:setSettings', edited))).toEqual(edited);
    const log = unwrap(await a.send('config:log', {}));
    expect(log[0]).toEqual(
      expect.objectContaining({
        type: 'admin:rating',
        by: 'Trưởng trung tâm Lê Văn Tâm',
        what: expect.stringContaining('mức 3 "Bình thường" → "Tạm được" (Fair); lý do: Chờ lâu, Thiếu chỗ ngồi, Khác'),
      }),
    );
    const tooMany = refused(await a.send('rating:setSettings', { ...edited, reasons: Array.from({ length: 11 }, (_, i) => `Lý do ${i + 1}`) }));
    expect(tooMany.code).toBe('invalid_payload');
    expect(tooMany.message).toMatch(/reasons: .*tối đa 10/);
    expect(refused(await a.send('rating:setSettings', { ...edited, reasons: ['Chờ lâu', 'chờ lâu'] })).message).toMatch(/Hai lý do trùng nhau/);
    expect(refused(await tablet.send('rating:setSettings', edited)).code).toBe('forbidden');
    expect(unwrap(await a.send('config:get', {})).rating).toEqual(edited);

    const done = await serve();
    expect(unwrap(await tablet.send('rating:pending', {}))?.settings).toEqual(edited);
    unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 3 }));
    // A reason of the old list is no longer offered; the new one is.
    expect(refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Cơ sở vật chất' })).code).toBe('invalid_payload');
    expect(unwrap(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Thiếu chỗ ngồi' }))).toEqual(
      { ticketId: done.id, score: 3, reason: 'Thiếu chỗ ngồi', trips: null },
    );
  });

  it('keeps the trips of an answer whose reason the admin removed from the list after the tablet asked, drops only the reason', async () => {
    const before = unwrap(await a.send('config:get', {})).rating;
    const done = await serve();
    const asked = unwrap(await tablet.send('rating:pending', {}))!.settings;
    expect(asked.reasons).toContain('Thiếu chỗ ngồi');
    unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 2 }));
    // The admin removes the reason while the citizen is answering.
    unwrap(await a.send('rating:setSettings', { ...before, reasons: before.reasons.filter((r) => r !== 'Thiếu chỗ ngồi') }));
    const requestId = rid();
    const reply = unwrap(await tablet.send('rating:detail', { requestId, ticketId: done.id, reason: 'Thiếu chỗ ngồi', trips: 2 }));
    expect(reply).toEqual({ ticketId: done.id, score: 2, reason: null, trips: 2, reasonNotKept: 'Thiếu chỗ ngồi' });
    // The same request again gets the same answer; the rating is answered, trips kept, no reason.
    expect(unwrap(await tablet.send('rating:detail', { requestId, ticketId: done.id, reason: 'Thiếu chỗ ngồi', trips: 2 }))).toEqual(reply);
    expect(refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Chờ lâu' })).code).toBe('illegal_transition');
    expect(rows()).toContainEqual({ ticket_id: done.id, scale: 'v5', score: 2, reason: null, trips: 2 });
  });

  it('refuses a reason or trips after the window has closed', async () => {
    const done = await serve();
    unwrap(await tablet.send('rating:submit', { requestId: rid(), ticketId: done.id, score: 1 }));
    const now = (unwrap(await a.send('clock:set', { at: MORNING + 60 * 60_000 })) as { now: number }).now;
    expect(now).toBe(MORNING + 60 * 60_000);
    const late = refused(await tablet.send('rating:detail', { requestId: rid(), ticketId: done.id, reason: 'Chờ lâu', trips: 2 }));
    expect(late).toEqual({ code: 'forbidden', message: `Đã quá thời gian đánh giá lượt số ${done.number}.` });
    expect(rows()).toContainEqual({ ticket_id: done.id, scale: 'v5', score: 1, reason: null, trips: null });
  });
});
