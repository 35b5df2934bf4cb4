import { describe, expect, it } from '@jest/globals';
import { admin, openCounter, rid, unwrap } from '@xephang/testing';
import { stage } from '@xephang/testing/stage';

/** What the TV page records of what it said and holds ready ahead (apps/web/src/display/useAnnouncer.ts). */
type VoiceWindow = Window & { xephangVoiceLog?: string[]; xephangVoiceAhead?: () => string[] };

describe('the TV calls numbers aloud', () => {
  const s = stage();

  it('plays three calls made in quick succession one after another, in order', async () => {
    const a = await admin(s.hub);
    for (const serviceId of ['civil', 'civil', 'land']) unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId }));
    const counters = await Promise.all([1, 2, 3].map((id) => openCounter(s.hub, id)));

    const tv = await s.open('/display', 1920, 1080);
    // The test browser allows sound without a tap, as the desktop shell does: no overlay.
    expect(await tv.locator('[data-testid="unlock-sound"]').count()).toBe(0);

    for (const c of counters) unwrap(await c.send('counter:next', { requestId: rid() }));
    const log = () => tv.evaluate(() => (window as VoiceWindow).xephangVoiceLog ?? []);
    await tv.waitForFunction(() => ((window as VoiceWindow).xephangVoiceLog ?? []).filter((l) => l.startsWith('end ')).length === 3, undefined, {
      timeout: 60_000,
    });
    expect(await log()).toEqual([
      'start 2001 → quầy 1',
      'end 2001 → quầy 1',
      'start 2002 → quầy 2',
      'end 2002 → quầy 2',
      'start 1001 → quầy 3',
      'end 1001 → quầy 3',
    ]);
    for (const c of [a, ...counters]) c.close();
    await tv.close();
  });

  it('fetches a likely next call ahead while quiet, once the hub has rendered it, so the call plays with no fetch of its own', async () => {
    const a = await admin(s.hub);
    const issued = unwrap(await a.send('ticket:issue', { requestId: rid(), serviceId: 'business' }));
    const counter = await openCounter(s.hub, 4);
    const tv = await s.open('/display', 1920, 1080);
    const asked: string[] = [];
    tv.on('request', (r) => void (r.url().includes('/api/voice/call.wav') && asked.push(r.url())));
    // The hub renders it after 3 s without a broadcast; the TV asks (ahead=1) until the hub has it.
    await tv.waitForFunction(
      (n) => ((window as VoiceWindow).xephangVoiceAhead?.() ?? []).some((u) => u.includes(`number=${n}&counter=4`)),
      issued.ticket.number,
      { timeout: 90_000 },
    );
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((u) => u.includes('ahead=1'))).toBe(true);
    const before = asked.length;
    unwrap(await counter.send('counter:next', { requestId: rid() }));
    await tv.waitForFunction((label) => ((window as VoiceWindow).xephangVoiceLog ?? []).includes(`end ${label}`), `${issued.ticket.number} → quầy 4`, { timeout: 60_000 });
    expect(asked.slice(before).filter((u) => u.includes(`number=${issued.ticket.number}&`))).toEqual([]);
    for (const c of [a, counter]) c.close();
    await tv.close();
  });

  it('asks for one tap in a browser that blocks sound', async () => {
    const page = await s.browser.newPage();
    // Without the switch the shell sets, Chromium's default policy holds audio until a gesture.
    await page.addInitScript(() => {
      const Real = window.AudioContext;
      window.AudioContext = class extends Real {
        override get state(): AudioContextState {
          return 'suspended';
        }
      } as typeof AudioContext;
    });
    await page.goto(`${s.hub.url}/display`);
    await page.waitForSelector('[data-testid="unlock-sound"]');
    expect(await page.locator('[data-testid="unlock-sound"]').innerText()).toContain('Bật âm thanh');
    await page.close();
  });
});
