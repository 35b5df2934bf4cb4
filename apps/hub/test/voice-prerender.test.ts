import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { disposeHub, kiosk, openCounter, rid, startHubProcess, unwrap, until, type HubProcess } from '@xephang/testing';

/** The real hub renders ahead, while idle, the calls its open counters can make next. */
let hub: HubProcess;
const clients: { close: () => void }[] = [];
const cached = () => readdirSync(join(hub.dataDir, 'voice', 'cache')).filter((n) => n.endsWith('.wav')).length;

async function wav(query: string): Promise<{ status: number; cached: string | null }> {
  const res = await fetch(`${hub.url}/api/voice/call.wav?${query}`);
  await res.arrayBuffer();
  return { status: res.status, cached: res.headers.get('x-voice-cached') };
}

beforeAll(async () => {
  hub = await startHubProcess({ args: ['--demo', '--kiosk-burst', '0'] });
  // Counter 3 (land) open; counter 4 (business) stays closed.
  clients.push(await openCounter(hub, 3));
  const k = await kiosk(hub);
  clients.push(k);
  unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'land' }));
  unwrap(await k.send('ticket:issue', { requestId: rid(), serviceId: 'business' }));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await disposeHub(hub);
});

describe('pre-rendering on the real hub', () => {
  it('renders the open counter’s next call while idle: its first announcement comes from the cache', async () => {
    await until(() => cached() >= 1, 'the pre-rendered call', 90_000);
    const first = await wav('number=1001&counter=3&service=land');
    expect(first).toEqual({ status: 200, cached: '1' });
  });

  it('renders nothing for a closed counter (it calls nothing until it opens)', async () => {
    // Long enough for several more renders within the budget (one every ~1–4 s here), had any been foreseen.
    await new Promise((r) => setTimeout(r, 8000));
    // Counter 6 also serves land but is closed: only counter 3's call was foreseen.
    expect(cached()).toBe(1);
    const closed = await wav('number=3001&counter=4&service=business');
    expect(closed).toEqual({ status: 200, cached: '0' });
  });
});
