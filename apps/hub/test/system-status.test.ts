import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SystemStatus } from '@xephang/protocol';
import { admin, client, disposeHub, hubAfterClockRanAhead, type HubProcess, kiosk, logged, startHubProcess, unwrap } from '@xephang/testing';

const HUB_VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')) as { version: string }).version;
const HOUR = 3_600_000;

/**
 * The PC's clock for a hub process, loaded with NODE_OPTIONS=--require: Date.now() starts
 * XEPHANG_TEST_PC_SHIFT_MS away from the real time (a PC set wrong), and each SIGUSR2 moves it an
 * hour back (someone setting the clock while the hub runs). The system's uptime is left alone,
 * as a real clock change leaves it.
 */
const PC_CLOCK = `
const { isMainThread } = require('node:worker_threads');
const real = Date.now;
let shift = Number(process.env.XEPHANG_TEST_PC_SHIFT_MS || 0);
Date.now = () => real() + shift;
if (isMainThread) process.on('SIGUSR2', () => { shift -= ${HOUR}; });
`;

describe('system:status on a real hub', () => {
  const hubs: HubProcess[] = [];
  const preloadDir = mkdtempSync(join(tmpdir(), 'xephang-pc-clock-'));
  const preload = join(preloadDir, 'pc-clock.js');
  writeFileSync(preload, PC_CLOCK);
  /** A hub whose PC clock the test moves (see PC_CLOCK). */
  const hubWithPcClock = async (shiftMs = 0, args: string[] = []) => {
    const hub = await startHubProcess({ args, env: { NODE_OPTIONS: `--require ${preload}`, XEPHANG_TEST_PC_SHIFT_MS: String(shiftMs) } });
    hubs.push(hub);
    return hub;
  };
  const statusOf = async (hub: HubProcess): Promise<SystemStatus> => {
    const a = await admin(hub);
    try {
      return unwrap(await a.send('system:status', {}));
    } finally {
      a.close();
    }
  };
  afterAll(async () => {
    for (const h of hubs) await disposeHub(h);
    rmSync(preloadDir, { recursive: true, force: true });
  });

  describe('a hub on a PC whose clock is right', () => {
    let hub: HubProcess;
    beforeAll(async () => {
      hub = await hubWithPcClock();
    });

    it('says its version, its uptime (growing), its memory and the disk of its data folder', async () => {
      const before = Date.now();
      const first = await statusOf(hub);
      expect(first.version).toBe(HUB_VERSION);
      expect(first.startedAt).toBeLessThanOrEqual(before);
      expect(first.startedAt).toBeGreaterThan(before - 60_000);
      expect(first.memory.rssBytes).toBeGreaterThan(first.memory.heapUsedBytes);
      expect(first.memory.heapUsedBytes).toBeGreaterThan(1024 * 1024);

      const fs = statfsSync(hub.dataDir);
      expect(first.disk.dataDir).toBe(hub.dataDir);
      expect(first.disk.totalBytes).toBe(fs.blocks * fs.bsize);
      // Other programs write meanwhile: the free space is the disk's, within 256 MB.
      expect(Math.abs(first.disk.freeBytes - fs.bavail * fs.bsize)).toBeLessThan(256 * 1024 ** 2);
      expect(first.disk.warning === null).toBe(fs.bavail * fs.bsize >= 1024 ** 3 && fs.bavail >= fs.blocks * 0.05);

      expect(first.clock.fake).toBe(false);
      expect(first.clock.utcOffsetMinutes).toBe(420);
      expect(Math.abs(first.clock.now - before)).toBeLessThan(10_000);
      expect(Math.abs(first.clock.pcNow - first.clock.now)).toBeLessThan(1_000);
      expect(first.clock.warning).toBeNull();
      expect(first.clock.jumps).toEqual([]);
      expect(hub.output()).not.toContain('CẢNH BÁO: Đồng hồ');

      await new Promise((r) => setTimeout(r, 1_200));
      const second = await statusOf(hub);
      expect(second.uptimeMs - first.uptimeMs).toBeGreaterThanOrEqual(1_000);
      expect(second.startedAt).toBe(first.startedAt);
    });

    it('sees the PC clock set an hour back while it runs: warns on the page and logs it once', async () => {
      hub.child.kill('SIGUSR2');
      const a = await admin(hub);
      try {
        const status = unwrap(await a.send('system:status', {}));
        expect(status.clock.jumps).toHaveLength(1);
        expect(Math.abs(status.clock.jumps[0]!.byMs + HOUR)).toBeLessThan(5_000);
        expect(status.clock.warning).toContain('Đồng hồ của máy tính đã nhảy lùi');
        expect(status.clock.warning).toContain('Máy chủ không tự chỉnh giờ');
        // Asked again: the same jump, not a second one.
        const again = unwrap(await a.send('system:status', {}));
        expect(again.clock.jumps).toEqual(status.clock.jumps);
      } finally {
        a.close();
      }
      expect(hub.output().match(/CẢNH BÁO: đồng hồ của máy tính vừa nhảy lùi/g)).toHaveLength(1);
    });

    it('answers an admin only', async () => {
      const k = await kiosk(hub);
      const d = await client(hub, { role: 'display' });
      try {
        for (const c of [k, d]) {
          const reply = await c.send('system:status', {});
          expect(reply.ok).toBe(false);
          if (!reply.ok) expect(reply.error.code).toBe('forbidden');
        }
      } finally {
        k.close();
        d.close();
      }
      // A bad payload from an admin is refused in Vietnamese, and the hub goes on answering.
      const a = await admin(hub);
      try {
        const bad = await a.send('system:status', { extra: 1 } as never);
        expect(bad.ok).toBe(false);
        if (!bad.ok) expect(bad.error.code).toBe('invalid_payload');
        expect(unwrap(await a.send('system:status', {})).version).toBe(HUB_VERSION);
      } finally {
        a.close();
      }
    });
  });

  it('says fake: true under --fake-clock, with the fake now and the PC’s own, and no jump when clock:set moves it', async () => {
    const fakeAt = Date.parse('2025-07-10T09:00:00+07:00');
    const hub = await hubWithPcClock(0, ['--fake-clock', new Date(fakeAt).toISOString()]);
    const a = await admin(hub);
    try {
      const status = unwrap(await a.send('system:status', {}));
      expect(status.clock.fake).toBe(true);
      expect(status.clock.now - fakeAt).toBeGreaterThanOrEqual(0);
      expect(status.clock.now - fakeAt).toBeLessThan(60_000);
      expect(Math.abs(status.clock.pcNow - Date.now())).toBeLessThan(10_000);
      expect(status.startedAt).toBeLessThan(fakeAt + 60_000);
      expect(status.clock.warning).toBeNull();
      unwrap(await a.send('clock:set', { at: fakeAt + 3 * 24 * HOUR }));
      const later = unwrap(await a.send('system:status', {}));
      expect(later.clock.now).toBeGreaterThanOrEqual(fakeAt + 3 * 24 * HOUR);
      expect(later.clock.jumps).toEqual([]);
      expect(later.clock.warning).toBeNull();
    } finally {
      a.close();
    }
  });

  it('warns when the database holds a ticket later than the PC’s clock (issued by a hub whose clock ran ahead)', async () => {
    const hub = await hubAfterClockRanAhead(3 * 24 * HOUR);
    hubs.push(hub);
    const status = await statusOf(hub);
    expect(status.clock.fake).toBe(false);
    expect(status.clock.warning).toContain('sớm hơn dữ liệu mới nhất trong cơ sở dữ liệu');
    expect(status.clock.warning).toContain('Hãy đặt lại ngày và giờ đúng cho máy tính này ngay.');
    await logged(hub, /CẢNH BÁO: Đồng hồ của máy tính này đang chỉ .*, sớm hơn dữ liệu mới nhất/);
  });

  it('warns when the PC’s clock is earlier than the hub’s build (a flat CMOS battery brought back 2001)', async () => {
    const hub = await hubWithPcClock(Date.parse('2001-01-01T08:00:00+07:00') - Date.now());
    const status = await statusOf(hub);
    expect(new Date(status.clock.pcNow).getUTCFullYear()).toBe(2001);
    expect(status.clock.warning).toContain('sớm hơn cả lúc phần mềm này được tạo ra');
    expect(status.clock.warning).toContain('pin CMOS');
    // Its log says so at the start, for whoever reads the service's log.
    expect(hub.output()).toContain('CẢNH BÁO: Đồng hồ của máy tính này đang chỉ 08:00 ngày 01/01/2001');
  });
});
