import { describe, expect, it } from '@jest/globals';
import { admin, openCounter, readDb, rid, unwrap, until } from '@xephang/testing';
import { stage } from '@xephang/testing/stage';
import type { HubClient } from '@xephang/client';
import { DEFAULT_RATING_SETTINGS } from '@xephang/protocol';

/**
 * The rating tablet through its three questions in Chromium against a real hub: the five
 * official levels, the reason after the lower three, the trips; each step gives up to thanks.
 */
describe('the rating tablet on the official pattern', () => {
  const s = stage();

  /** Has counter 3 serve and finish a land ticket; returns the ticket's id. */
  async function serve(a: HubClient, c3: HubClient): Promise<string> {
    unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    unwrap(await c3.send('counter:next', { requestId: rid() }));
    unwrap(await c3.send('counter:start', { requestId: rid() }));
    return unwrap(await c3.send('counter:finish', { requestId: rid(), outcome: 'received' })).id;
  }
  const ratingOf = (ticketId: string) => {
    const db = readDb(s.hub);
    try {
      return db.prepare('SELECT scale, score, reason, trips FROM ratings WHERE ticket_id = ?').get(ticketId);
    } finally {
      db.close();
    }
  };

  it('asks the five levels, why for the lower three, then how many times; stores what was answered', async () => {
    const a = await admin(s.hub);
    const c3 = await openCounter(s.hub, 3);
    const tablet = await s.open('/rate/3', 1280, 800);

    // "Không hài lòng": the score counts at once, then the reasons, then the trips.
    const first = await serve(a, c3);
    await tablet.waitForSelector('[data-phase="ask"]');
    const levels = await tablet.locator('.rate-button .rate-vi').allInnerTexts();
    expect(levels).toEqual(['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']);
    expect(await tablet.locator('.rate-button .rate-en').allInnerTexts()).toEqual(['Very satisfied', 'Satisfied', 'Neutral', 'Dissatisfied', 'Very dissatisfied']);
    await tablet.click('[data-score="2"]:has-text("Không hài lòng")');
    await tablet.waitForSelector('[data-phase="reason"]');
    expect(ratingOf(first)).toEqual({ scale: 'v5', score: 2, reason: null, trips: null });
    expect(await tablet.locator('[data-testid="rate-reasons"] button').allInnerTexts()).toEqual([...DEFAULT_RATING_SETTINGS.reasons]);
    await tablet.click('[data-reason="Chờ lâu"]');
    await tablet.waitForSelector('[data-phase="trips"]:has-text("Anh/chị đến lần thứ mấy cho việc này?")');
    expect(await tablet.locator('[data-testid="rate-trips"] button').allInnerTexts()).toEqual(['Lần đầu\nFirst time', 'Lần 2\nSecond time', 'Từ 3 lần\nThree times or more']);
    await tablet.click('[data-trips="3"]');
    await tablet.waitForSelector('[data-phase="thanks"]:has-text("Xin cảm ơn quý khách!")');
    await until(() => (ratingOf(first) as { trips: number | null }).trips !== null, 'the reason and trips stored');
    expect(ratingOf(first)).toEqual({ scale: 'v5', score: 2, reason: 'Chờ lâu', trips: 3 });

    // "Hài lòng": no reason asked; the trips skipped.
    const second = await serve(a, c3);
    await tablet.waitForSelector('[data-phase="ask"]');
    await tablet.click('[data-score="4"]');
    await tablet.waitForSelector('[data-phase="trips"]');
    await tablet.click('.rate-skip');
    await tablet.waitForSelector('[data-phase="thanks"]');
    expect(ratingOf(second)).toEqual({ scale: 'v5', score: 4, reason: null, trips: null });

    // "Rất không hài lòng", a reason, then the citizen walks away: the trips question gives up to thanks, the reason is kept.
    const third = await serve(a, c3);
    await tablet.waitForSelector('[data-phase="ask"]');
    await tablet.click('[data-score="1"]');
    await tablet.click('[data-reason="Thái độ phục vụ"]');
    await tablet.waitForSelector('[data-phase="trips"]');
    await tablet.waitForSelector('[data-phase="thanks"]', { timeout: 20_000 });
    await until(() => (ratingOf(third) as { reason: string | null }).reason !== null, 'the reason stored');
    expect(ratingOf(third)).toEqual({ scale: 'v5', score: 1, reason: 'Thái độ phục vụ', trips: null });
    await tablet.waitForSelector('[data-phase="idle"]', { timeout: 10_000 });

    // The admin's wording and reasons reach the next visit.
    unwrap(
      await a.send('rating:setSettings', {
        levels: DEFAULT_RATING_SETTINGS.levels.map((l, i) => (i === 2 ? { vi: 'Tạm được', en: 'Fair' } : l)),
        reasons: ['Chờ lâu', 'Thiếu chỗ ngồi'],
      }),
    );
    await serve(a, c3);
    await tablet.waitForSelector('[data-phase="ask"] [data-score="3"]:has-text("Tạm được")');
    await tablet.click('[data-score="3"]');
    // allInnerTexts does not wait: the reasons come once the hub has taken the score.
    await tablet.waitForSelector('[data-phase="reason"]');
    expect(await tablet.locator('[data-testid="rate-reasons"] button').allInnerTexts()).toEqual(['Chờ lâu', 'Thiếu chỗ ngồi']);
    await tablet.close();
    a.close();
    c3.close();
  }, 90_000);

  it("keeps the previous citizen's reason when the next visit finishes during the trips question, and a double tap answers one question only", async () => {
    const a = await admin(s.hub);
    const c3 = await openCounter(s.hub, 3);
    // The hub is shared with the test above, which edited the reasons.
    unwrap(await a.send('rating:setSettings', DEFAULT_RATING_SETTINGS));
    const tablet = await s.open('/rate/3', 1280, 800);

    // A double tap on a reason: the first tap answers it, the second must not answer the trips
    // question that appears under the same finger.
    const tapped = await serve(a, c3);
    await tablet.waitForSelector('[data-phase="ask"]');
    await tablet.click('[data-score="3"]');
    await tablet.waitForSelector('[data-phase="reason"]');
    await tablet.dblclick('[data-reason="Chờ lâu"]');
    await tablet.waitForSelector('[data-phase="trips"]');
    await tablet.waitForTimeout(500);
    expect(await tablet.getAttribute('[data-testid="rate"]', 'data-phase')).toBe('trips');
    await tablet.click('[data-trips="2"]');
    await until(() => (ratingOf(tapped) as { trips: number | null }).trips !== null, 'the answers stored');
    expect(ratingOf(tapped)).toEqual({ scale: 'v5', score: 3, reason: 'Chờ lâu', trips: 2 });

    // The citizen chose a reason and is reading the trips question when the clerk finishes the next visit.
    const first = await serve(a, c3);
    await tablet.waitForSelector('[data-phase="ask"]');
    await tablet.click('[data-score="2"]');
    await tablet.click('[data-reason="Hướng dẫn chưa rõ"]');
    await tablet.waitForSelector('[data-phase="trips"]');
    const next = await serve(a, c3);
    // The tablet turns to the next visit; the first citizen's reason was given and still counts.
    await tablet.waitForSelector('[data-phase="ask"]');
    await until(() => (ratingOf(first) as { reason: string | null }).reason !== null, "the first citizen's reason stored");
    expect(ratingOf(first)).toEqual({ scale: 'v5', score: 2, reason: 'Hướng dẫn chưa rõ', trips: null });
    await tablet.click('[data-score="5"]');
    await tablet.waitForSelector('[data-phase="trips"]');
    expect(ratingOf(next)).toEqual({ scale: 'v5', score: 5, reason: null, trips: null });
    await tablet.close();
    a.close();
    c3.close();
  }, 90_000);
});
