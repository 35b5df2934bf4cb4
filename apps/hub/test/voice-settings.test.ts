import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HubEvent, VoiceSettings } from '@xephang/protocol';
import { admin, disposeHub, display, kiosk, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

describe('the admin sets how calls sound', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ args: ['--demo'] });
  });
  afterAll(async () => {
    await disposeHub(hub);
  });

  const settings = async () => ((await (await fetch(`${hub.url}/api/voice/settings`)).json()) as { data: VoiceSettings }).data;

  it('stores the sentence, volume and repeats; the next WAV says the new sentence; the TVs are told', async () => {
    const seen: HubEvent[] = [];
    const tv = await display(hub, { onEvent: (e) => seen.push(e) });
    const a = await admin(hub);
    const before = await settings();
    const saved = unwrap(
      await a.send('voice:set', { ...before, callTemplate: 'Xin mời số {number} tới quầy {counter}', volume: 0.6, recallRepeats: 3 }),
    );
    expect(saved).toMatchObject({ callTemplate: 'Xin mời số {number} tới quầy {counter}', volume: 0.6, recallRepeats: 3, voice: before.voice });
    expect(await settings()).toEqual(saved);
    await until(() => seen.some((e) => e.type === 'config:updated'), 'config:updated on the TV');

    const wav = await fetch(`${hub.url}/api/voice/call.wav?number=2005&counter=3`);
    expect(wav.status).toBe(200);
    expect(decodeURIComponent(wav.headers.get('x-voice-text') ?? '')).toContain('tới quầy ba');

    // A sentence without the number is refused and changes nothing.
    const bad = await a.send('voice:set', { ...saved, callTemplate: 'Xin mời đến quầy {counter}' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_payload');
      expect(bad.error.message).toContain('{number}');
    }
    expect(await settings()).toEqual(saved);

    // Only the admin may change it.
    const k = await kiosk(hub);
    const refused = await k.send('voice:set', saved);
    expect(refused.ok || refused.error.code).toBe('forbidden');
    for (const c of [tv, a, k]) c.close();
  });
});
