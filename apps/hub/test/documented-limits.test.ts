import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LIMITS } from '../src/lockouts';
import { ADMIN_PASSWORD, admin, client, disposeHub, frozenHub, tryConnect, unwrap, type HubProcess } from '@xephang/testing';

// docs/protocol.md section 3.6 says how many wrong tries lock what, for how long: this reads
// that table and tries each limit on the real hub, on a frozen clock moved by clock:set.

const START = Date.parse('2025-07-10T08:00:00+07:00');
const MIN = 60_000;

interface Documented {
  tries: number;
  windowMs: number;
  lockMs: number;
}

function documentedLimits(): Record<string, Documented> {
  const doc = readFileSync(resolve(__dirname, '../../../docs/protocol.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### 3.6'), doc.indexOf('## 4. Commands'));
  const rows: Record<string, Documented> = {};
  for (const m of section.matchAll(/^\| [^|]+ \| `(\w+)` \| (\d+) \| (\d+) min \| (\d+) min \|/gm)) {
    rows[m[1]!] = { tries: Number(m[2]), windowMs: Number(m[3]) * MIN, lockMs: Number(m[4]) * MIN };
  }
  return rows;
}

describe('the limits docs/protocol.md documents are the hub’s', () => {
  const doc = documentedLimits();
  let hub: HubProcess;
  let now = START;
  beforeAll(async () => {
    hub = await frozenHub('2025-07-10T08:00:00+07:00');
  });
  afterAll(async () => {
    await disposeHub(hub);
  });
  const clock = async (at: number) => {
    const a = await admin(hub);
    now = unwrap(await a.send('clock:set', { at })).now;
    a.close();
  };

  it('the table lists every limit the code has, with its figures', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(LIMITS)));
  });

  it('pinPerDevice: the documented wrong tries lock the clerk on that device for the documented time', async () => {
    const { tries, lockMs } = doc.pinPerDevice!;
    const c = await client(hub, { role: 'counter', counterId: 1 });
    for (let i = 0; i < tries; i++) {
      const r = await c.send('clerk:login', { clerkId: 1, pin: String(4000 + i) });
      expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(await c.send('clerk:login', { clerkId: 1, pin: '1111' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    await clock(now + lockMs - 1000);
    expect(await c.send('clerk:login', { clerkId: 1, pin: '1111' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    await clock(now + 1000);
    expect((await c.send('clerk:login', { clerkId: 1, pin: '1111' })).ok).toBe(true);
    c.close();
  });

  it('pinPerClerk: the documented wrong tries over several devices lock the clerk on every device', async () => {
    const { tries } = doc.pinPerClerk!;
    const perDevice = doc.pinPerDevice!.tries;
    const a = await admin(hub);
    const counters = Array.from({ length: Math.ceil(tries / perDevice) + 1 }, (_, i) => 2 + i);
    const clerk = unwrap(await a.send('clerk:create', { name: 'Lý Thị Thảo', pin: '135790', counterIds: counters }));
    let left = tries;
    for (const id of counters.slice(0, -1)) {
      const c = await client(hub, { role: 'counter', counterId: id });
      for (let i = 0; i < Math.min(perDevice, left); i++) {
        expect(await c.send('clerk:login', { clerkId: clerk.id, pin: String(100000 + left * 10 + i) })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
      left -= Math.min(perDevice, left);
      c.close();
    }
    // A device that never guessed: the clerk is locked there too, until the admin lifts it.
    const fresh = await client(hub, { role: 'counter', counterId: counters.at(-1)! });
    expect(await fresh.send('clerk:login', { clerkId: clerk.id, pin: '135790' })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/Tài khoản tạm khoá/) },
    });
    unwrap(await a.send('access:unlock', { clerkId: clerk.id }));
    expect((await fresh.send('clerk:login', { clerkId: clerk.id, pin: '135790' })).ok).toBe(true);
    fresh.close();
    a.close();
  });

  it('pinPerDeviceAllClerks: the documented wrong tries on one device, over several clerks, lock the device', async () => {
    const { tries } = doc.pinPerDeviceAllClerks!;
    const perDevice = doc.pinPerDevice!.tries;
    const a = await admin(hub);
    const clerks = [];
    for (const name of ['Mai Văn An', 'Mai Văn Bình', 'Mai Văn Cường']) {
      clerks.push(unwrap(await a.send('clerk:create', { name, pin: '864209', counterIds: [8] })));
    }
    const c = await client(hub, { role: 'counter', counterId: 8 });
    let left = tries;
    for (const k of clerks.slice(0, -1)) {
      for (let i = 0; i < Math.min(perDevice, left); i++) {
        expect(await c.send('clerk:login', { clerkId: k.id, pin: String(200000 + left * 10 + i) })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
      left -= Math.min(perDevice, left);
    }
    expect(await c.send('clerk:login', { clerkId: clerks.at(-1)!.id, pin: '864209' })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/Máy này tạm khoá/) },
    });
    unwrap(await a.send('access:unlock', { device: 'local:counter8' }));
    expect((await c.send('clerk:login', { clerkId: clerks.at(-1)!.id, pin: '864209' })).ok).toBe(true);
    c.close();
    a.close();
  });

  it('adminPerAddress: right passwords use up nothing; the documented wrong ones lock the address for the documented time', async () => {
    const { tries, lockMs } = doc.adminPerAddress!;
    // The admin's own session moves the clock while the address is locked.
    const a = await admin(hub);
    const { token } = unwrap(await a.send('admin:session', {}));
    a.close();
    for (let i = 0; i < tries * 2; i++) expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toBe('connected');
    for (let i = 0; i < tries; i++) expect(await tryConnect(hub, { role: 'admin', password: `guess-${i}` })).toMatch(/Sai mật khẩu/);
    expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toMatch(/quá nhiều lần/);
    const download = () =>
      fetch(`${hub.url}/api/reports/export.json?day=2025-07-10`, { headers: { authorization: `Basic ${Buffer.from(`x:${ADMIN_PASSWORD}`).toString('base64')}` } }).then((r) => r.status);
    expect(await download()).toBe(429);

    const mine = await client(hub, { role: 'admin', session: token });
    const locked = now;
    now = unwrap(await mine.send('clock:set', { at: locked + lockMs - 1000 })).now;
    expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toMatch(/quá nhiều lần/);
    now = unwrap(await mine.send('clock:set', { at: locked + lockMs + 1000 })).now;
    expect(await tryConnect(hub, { role: 'admin', password: ADMIN_PASSWORD })).toBe('connected');
    expect(await download()).toBe(200);
    mine.close();
  });
});
