import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubClient } from '@xephang/client';
import type { Browser, Page } from 'playwright-core';
import { admin, disposeHub, frozenHub, type HubProcess, launchChromium, openCounter, rid, unwrap } from '@xephang/testing';
import { offline, online } from '@xephang/testing/stage';

const W = 1920;
const H = 1080;
const GOLD = [0xf5, 0xc5, 0x42] as const;

type Rgb = readonly [number, number, number];
interface Pixels {
  width: number;
  height: number;
  at: (x: number, y: number) => Rgb;
}

/** WCAG's relative luminance and contrast ratio: what a reader's eye gets from two colours. */
function contrast(a: Rgb, b: Rgb): number {
  const lum = (c: Rgb) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const distance = (a: Rgb, b: Rgb) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/** The ground (the commonest colour) and the ink (the commonest colour far from the ground) of a picture. */
function groundAndInk(p: Pixels): { ground: Rgb; ink: Rgb } {
  const counts = new Map<string, { rgb: Rgb; n: number }>();
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const rgb = p.at(x, y);
      const key = rgb.join(',');
      const seen = counts.get(key);
      if (seen) seen.n++;
      else counts.set(key, { rgb, n: 1 });
    }
  }
  const byCount = [...counts.values()].sort((a, b) => b.n - a.n);
  const ground = byCount[0]!.rgb;
  const ink = byCount.find((c) => distance(c.rgb, ground) > 60)?.rgb ?? ground;
  return { ground, ink };
}

/** Rows of a picture with any pixel of ink: the glyphs' real height on the screen. */
function inkHeight(p: Pixels, ground: Rgb): number {
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      if (distance(p.at(x, y), ground) > 100) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
    }
  }
  return top < 0 ? 0 : bottom - top + 1;
}

describe('the TV and the counter display in Chromium, on a hub with a frozen clock', () => {
  let hub: HubProcess;
  let browser: Browser;
  let scratch: Page;
  let office: HubClient;
  const counters = new Map<number, HubClient>();

  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
    browser = await launchChromium();
    scratch = await browser.newPage();
    office = await admin(hub);
    for (let i = 0; i < 4; i++) unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
    for (const id of [1, 2, 3]) counters.set(id, await openCounter(hub, id));
  });
  afterAll(async () => {
    for (const c of [office, ...counters.values()]) c.close();
    await browser?.close();
    await disposeHub(hub);
  });

  const counter = (id: number) => counters.get(id)!;
  const setClock = async (local: string) => unwrap(await office.send('clock:set', { at: Date.parse(`${local}+07:00`) }));

  async function open(path: string, width = W, height = H): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height }, locale: 'vi-VN' });
    await page.goto(`${hub.url}${path}`);
    await online(page);
    await page.evaluate(() => document.fonts.ready);
    return page;
  }

  /** The box's number ('' when no call stands) once it shows `expected`. */
  const boxShows = (tv: Page, expected: number | '') => tv.waitForSelector(`[data-testid="tv-latest"][data-number="${expected}"]`);
  const recentLines = (tv: Page) => tv.locator('[data-testid="tv-recent"] li').allInnerTexts();
  const numberAt = (tv: Page, counterId: number) => tv.locator(`[data-testid="tv-counter-${counterId}"]`).innerText();

  type Clip = { x: number; y: number; width: number; height: number };

  /** One screenshot of `page`, decoded in a blank page (the TV is not touched), cut into `clips`. */
  async function pixelsOf(page: Page, clips: Clip[]): Promise<Pixels[]> {
    const png = await page.screenshot();
    const crops = await scratch.evaluate(
      async ({ b64, clips }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        // As base64: playwright carries a long array of numbers very slowly.
        return clips.map((c) => {
          const bytes = ctx.getImageData(c.x, c.y, c.width, c.height).data;
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(binary);
        });
      },
      { b64: png.toString('base64'), clips },
    );
    return crops.map((crop, i) => {
      const data = Buffer.from(crop, 'base64');
      const { width, height } = clips[i]!;
      return { width, height, at: (x, y) => [data[(y * width + x) * 4]!, data[(y * width + x) * 4 + 1]!, data[(y * width + x) * 4 + 2]!] };
    });
  }

  async function boxOf(page: Page, selector: string) {
    const box = await page.locator(selector).boundingBox();
    if (!box) throw new Error(`${selector} is not on the screen`);
    return { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.ceil(box.width), height: Math.ceil(box.height) };
  }

  it('invites only to a call that stands: a transfer, a no-show and a reload end it, a recall adds no second line', async () => {
    const tv = await open('/display');
    await boxShows(tv, '');
    await tv.waitForSelector('[data-testid="tv-latest"]:has-text("Chưa có số nào đang được mời")');

    await setClock('2025-07-10T08:01:00');
    unwrap(await counter(1).send('counter:next', { requestId: rid() })); // 2001 → counter 1
    await boxShows(tv, 2001);
    await setClock('2025-07-10T08:02:00');
    unwrap(await counter(2).send('counter:next', { requestId: rid() })); // 2002 → counter 2
    await boxShows(tv, 2002);
    expect(await recentLines(tv)).toEqual([expect.stringMatching(/^2001 → Quầy 1/)]);

    // A recall invites 2001 again, flashing, without listing it twice.
    await setClock('2025-07-10T08:03:00');
    unwrap(await counter(1).send('counter:recall', { requestId: rid() }));
    await boxShows(tv, 2001);
    await tv.waitForSelector('[data-testid="tv-latest"].flash');
    expect(await recentLines(tv)).toEqual([expect.stringMatching(/^2002 → Quầy 2/)]);

    // 2002 is sent to another field: the box goes back to 2001, which still stands.
    unwrap(await counter(2).send('counter:transfer', { requestId: rid(), toServiceId: 'land' }));
    await tv.waitForFunction(() => document.querySelector('[data-testid="tv-counter-2"]')?.textContent === '—');
    await boxShows(tv, 2001);

    // 2001 does not come: no call stands, the box says so and the list keeps one line each.
    unwrap(await counter(1).send('counter:noShow', { requestId: rid() }));
    await boxShows(tv, '');
    expect(await tv.locator('[data-testid="tv-latest"]').innerText()).toContain('Chưa có số nào đang được mời');
    expect(await recentLines(tv)).toEqual([expect.stringMatching(/^2001 → Quầy 1 08:03/), expect.stringMatching(/^2002 → Quầy 2 08:02/)]);
    expect(await numberAt(tv, 1)).toBe('—');

    // A TV switched on now, and the display above counter 1, agree.
    const fresh = await open('/display');
    await boxShows(fresh, '');
    expect(await recentLines(fresh)).toEqual(await recentLines(tv));
    const above = await open('/display/counter/1', 1280, 720);
    expect(await above.locator('[data-testid="above-number"]').innerText()).toBe('—');

    // 2001 turns up and is called back: one line, at the top, in the box.
    await setClock('2025-07-10T08:04:00');
    unwrap(await counter(1).send('counter:callNumber', { requestId: rid(), number: 2001 }));
    await boxShows(tv, 2001);
    await above.waitForSelector('[data-testid="above-number"]:has-text("2001")');
    expect(await recentLines(tv)).toEqual([expect.stringMatching(/^2002 → Quầy 2/)]);
    // Counter 3 calls the transferred 2002: the box follows it there.
    await setClock('2025-07-10T08:05:00');
    expect(unwrap(await counter(3).send('counter:next', { requestId: rid() })).number).toBe(2002);
    await boxShows(tv, 2002);
    await tv.waitForSelector('[data-testid="tv-latest"]:has-text("Quầy 3")');
    expect(await recentLines(tv)).toEqual([expect.stringMatching(/^2001 → Quầy 1 08:04/), expect.stringMatching(/^2002 → Quầy 2 08:02/)]);
    for (const page of [tv, fresh, above]) await page.close();
  });

  it('keeps the counter number legible at the peak of the flash, and the digits of every row at least 8 % of the screen high', async () => {
    const tv = await open('/display');
    await setClock('2025-07-10T08:06:00');
    unwrap(await counter(2).send('counter:next', { requestId: rid() })); // 2003 → counter 2
    const row = '.tv-row[data-counter="2"]';
    await tv.waitForSelector(`${row}.flash`);

    // Stop the row's and the box's flashes exactly where their keyframes put the gold: the end of one iteration.
    await tv.waitForSelector('[data-testid="tv-latest"].flash[data-number="2003"]');
    const paused = await tv.evaluate((sel) => {
      const animations = document.getAnimations().filter((a) => {
        const target = (a.effect as KeyframeEffect).target;
        return (target?.matches(sel) && (a as CSSAnimation).animationName === 'flash') || (target?.matches('[data-testid="tv-latest"]') && (a as CSSAnimation).animationName === 'latest');
      });
      for (const a of animations) {
        a.pause();
        a.currentTime = Number(a.effect!.getComputedTiming().duration);
      }
      return animations.map((a) => (a as CSSAnimation).animationName).sort();
    }, row);
    expect(paused).toEqual(['flash', 'latest']);

    // The digits' height, by the font's own metrics and by the ink on the screen (the two agree
    // when nothing clips the glyphs), and each number inside its row.
    const measured: { selector: string; glyph: number }[] = [];
    for (const id of [1, 2, 3]) {
      const showsNumber = /^\d+$/.test(await numberAt(tv, id));
      for (const cell of showsNumber ? ['.tv-number', '.tv-counter'] : ['.tv-counter']) {
        const selector = `.tv-row[data-counter="${id}"] ${cell}`;
        const metrics = await tv.evaluate((sel) => {
          const el = document.querySelector(sel)!;
          const style = getComputedStyle(el);
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const m = ctx.measureText(el.textContent ?? '');
          const range = document.createRange();
          range.selectNodeContents(el);
          const text = range.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          const row = el.closest('.tv-row')!.getBoundingClientRect();
          return {
            glyph: m.actualBoundingBoxAscent + m.actualBoundingBoxDescent,
            inRow: text.left >= row.left && text.right <= row.right && box.top >= row.top && box.bottom <= row.bottom,
          };
        }, selector);
        expect(metrics.inRow).toBe(true);
        measured.push({ selector, glyph: metrics.glyph });
      }
    }
    expect(measured.filter((m) => m.selector.endsWith('.tv-number')).length).toBeGreaterThanOrEqual(1);

    const rowBox = await boxOf(tv, row);
    const corner = { x: rowBox.x + rowBox.width - 12, y: rowBox.y + rowBox.height - 12, width: 6, height: 6 };
    const clips = [corner, await boxOf(tv, `${row} .tv-counter`), await boxOf(tv, `${row} .tv-number`), await boxOf(tv, '.tv-latest-number')];
    for (const m of measured) clips.push(await boxOf(tv, m.selector));
    const [cornerPixels, counterPixels, numberPixels, boxPixels, ...cells] = await pixelsOf(tv, clips);

    // At the peak the row is gold; the counter's digit and the number stay legible on it.
    expect(distance(cornerPixels!.at(3, 3), GOLD)).toBeLessThan(8);
    const counterDigit = groundAndInk(counterPixels!);
    expect(contrast(counterDigit.ground, counterDigit.ink)).toBeGreaterThanOrEqual(4.5);
    const ticketNumber = groundAndInk(numberPixels!);
    expect(distance(ticketNumber.ground, GOLD)).toBeLessThan(8);
    expect(contrast(ticketNumber.ground, ticketNumber.ink)).toBeGreaterThanOrEqual(4.5);
    // The box's big number, red on the gold of its own flash: large text, 3:1 at least.
    const boxNumber = groundAndInk(boxPixels!);
    expect(distance(boxNumber.ground, GOLD)).toBeLessThan(8);
    expect(contrast(boxNumber.ground, boxNumber.ink)).toBeGreaterThanOrEqual(3);

    const minimum = 0.08 * H;
    measured.forEach((m, i) => {
      const ink = inkHeight(cells[i]!, groundAndInk(cells[i]!).ground);
      expect({ selector: m.selector, glyph: m.glyph >= minimum, ink: ink >= minimum, agree: Math.abs(ink - m.glyph) <= 3 }).toEqual({
        selector: m.selector,
        glyph: true,
        ink: true,
        agree: true,
      });
    });

    // All nine counters and the side panel fit on the screen, between header and footer.
    const layout = await tv.evaluate(() => {
      const rect = (el: Element) => el.getBoundingClientRect();
      const footer = rect(document.querySelector('.tv-footer')!);
      const header = rect(document.querySelector('.tv-header')!);
      const rows = Array.from(document.querySelectorAll('.tv-row')).map(rect);
      const side = Array.from(document.querySelectorAll('.tv-side > *')).map(rect);
      const inside = (r: DOMRect) => r.top >= header.bottom && r.bottom <= footer.top && r.left >= 0 && r.right <= window.innerWidth;
      return { rows: rows.length, fit: [...rows, ...side].every(inside), scroll: document.documentElement.scrollHeight <= window.innerHeight };
    });
    expect(layout).toEqual({ rows: 9, fit: true, scroll: true });
    await tv.close();
  }, 120_000);

  it('greets a new morning with no call, even with a number left open at a counter overnight', async () => {
    unwrap(await counter(3).send('counter:start', { requestId: rid() }));
    unwrap(await counter(3).send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
    const tv = await open('/display');
    await boxShows(tv, 2003); // counter 2's call; counter 1 still has 2001 called
    await setClock('2025-07-11T07:30:00');
    await boxShows(tv, '');
    expect(await recentLines(tv)).toEqual([]);
    expect(await numberAt(tv, 1)).toBe('—');
    expect(await numberAt(tv, 2)).toBe('—');
    const fresh = await open('/display');
    await boxShows(fresh, '');
    expect(await recentLines(fresh)).toEqual([]);
    const above = await open('/display/counter/2', 1280, 720);
    expect(await above.locator('[data-testid="above-number"]').innerText()).toBe('—');

    // The first call of the day is invited as usual, once the clerk of counter 3 (whose session
    // ended with the day, nothing being in hand) has logged in again.
    await setClock('2025-07-11T07:31:00');
    counter(3).close();
    counters.set(3, await openCounter(hub, 3));
    unwrap(await office.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
    expect(unwrap(await counter(3).send('counter:next', { requestId: rid() })).number).toBe(1001);
    await boxShows(tv, 1001);
    for (const page of [tv, fresh, above]) await page.close();
  });

  it('says across the screen that the hub is lost, in Vietnamese and English, and greys its numbers', async () => {
    const tv = await open('/display');
    const above = await open('/display/counter/3', 1280, 720);
    await boxShows(tv, 1001);
    const live = await tv.locator('[data-testid="tv-counter-3"]').evaluate((el) => getComputedStyle(el).color);
    expect(await tv.locator('[data-testid="offline-banner"]').count()).toBe(0);

    await hub.kill();
    await Promise.all([offline(tv), offline(above)]);
    const banner = tv.locator('[data-testid="offline-banner"]');
    await banner.waitFor();
    const text = await banner.innerText();
    expect(text).toContain('Mất kết nối với máy chủ');
    expect(text).toContain('Lost connection');
    const box = await boxOf(tv, '[data-testid="offline-banner"]');
    expect(box.width).toBeGreaterThanOrEqual(W - 1);
    expect(box.height).toBeGreaterThanOrEqual(0.2 * H);
    // It sits across the middle of the screen, over the counters.
    expect(await tv.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.closest('[data-testid="offline-banner"]') !== null)).toBe(true);
    const grey = await tv.locator('[data-testid="tv-counter-3"]').evaluate((el) => getComputedStyle(el).color);
    expect(grey).not.toBe(live);
    const [r, g, b] = grey.match(/\d+/g)!.map(Number) as [number, number, number];
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(30);
    expect(await tv.locator('[data-testid="tv-latest"].flash').count()).toBe(0);
    await above.locator('[data-testid="offline-banner"]').waitFor();
    for (const page of [tv, above]) await page.close();
  });
});
