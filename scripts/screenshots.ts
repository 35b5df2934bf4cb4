#!/usr/bin/env node
/**
 * Screenshots of every screen at its real size, for the README: `npm run screenshots`.
 * Starts the real hub (demo clerks, a test clock on a July morning), plays a busy morning
 * through the protocol, and photographs each screen in Debian's Chromium into docs/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectHub, type HubClient } from '@xephang/client';
import type { Page } from 'playwright-core';
import { launchChromium } from '@xephang/testing';
import { startServerProcess } from './lib/child';

const MORNING = Date.parse('2025-07-10T09:24:00+07:00');
const OUT = resolve(__dirname, '../../docs/screenshots');
const PASSWORD = 'screenshots';
/**
 * `XEPHANG_SHOTS=counter.png,admin-visits.png node scripts/dist/screenshots.js` takes only those
 * pictures (the morning is played all the same): a branch that changed two screens rewrites
 * their PNGs, not every picture a font's rendering moved by a pixel.
 */
const ONLY = process.env.XEPHANG_SHOTS?.split(',').map((f) => f.trim()).filter(Boolean);
const wanted = (file: string) => ONLY === undefined || ONLY.includes(file);

let n = 0;
const rid = () => `shot-${Date.now()}-${n++}`;

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-shots-'));
  const hub = await startServerProcess({
    name: 'hub',
    args: [require.resolve('@xephang/hub/cli'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--demo', '--kiosk-burst', '0', '--fake-clock', new Date(MORNING).toISOString()],
    env: { XEPHANG_ADMIN_PASSWORD: PASSWORD },
    ready: /xephang hub ready on port (\d+)/,
  });
  const clients: HubClient[] = [];
  const browser = await launchChromium();
  try {
    const connect = async (auth: Parameters<typeof connectHub>[0]['auth']) => {
      const c = connectHub({ url: hub.url, auth });
      clients.push(c);
      await c.synced();
      return c;
    };
    // A morning like the center's week: civil status busiest, a few land and business dossiers.
    const admin = await connect({ role: 'admin', password: PASSWORD });
    const mix = ['civil', 'civil', 'land', 'civil', 'culture', 'civil', 'business', 'police', 'civil', 'post', 'landreg', 'civil', 'land', 'civil', 'culture', 'civil', 'police', 'civil'];
    for (const [i, serviceId] of mix.entries()) {
      await ok(admin.send('ticket:issue', { requestId: rid(), serviceId, priority: i === 5 ? 'elderly' : 'normal' }));
    }
    for (const id of [1, 2, 3, 5, 7, 9, 6]) {
      const c = await connect({ role: 'counter', counterId: id });
      await ok(c.send('clerk:login', { clerkId: id, pin: String(id).repeat(4) }));
      await ok(c.send('counter:open', {}));
      await ok(c.send('counter:next', { requestId: rid() }));
      if (id !== 6) await ok(c.send('counter:start', { requestId: rid() }));
      if (id === 5) {
        await ok(c.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
        await ok(c.send('counter:pause', { reason: 'Họp giao ban' }));
      }
    }

    mkdirSync(OUT, { recursive: true });
    const shoot = async (path: string, file: string, width: number, height: number, before?: (p: Page) => Promise<void>) => {
      if (!wanted(file)) return;
      const page = await browser.newPage({ viewport: { width, height } });
      await page.clock.setFixedTime(MORNING + 90_000);
      await page.goto(`${hub.url}${path}`);
      await page.waitForSelector('[data-testid="connection"][data-online="true"]');
      await page.evaluate(() => document.fonts.ready);
      if (before) await before(page);
      await page.screenshot({ path: join(OUT, file) });
      await page.close();
      process.stdout.write(`  ${file} (${width}×${height})\n`);
    };

    process.stdout.write(`screenshots → ${OUT}\n`);
    await shoot('/kiosk', 'kiosk-portrait.png', 1080, 1920);
    await shoot('/kiosk', 'kiosk-landscape.png', 1920, 1080);
    await shoot('/kiosk', 'kiosk-ticket.png', 1080, 1920, async (p) => {
      await p.click('[data-service="civil"]');
      await p.waitForSelector('[data-testid="ticket-number"]');
    });
    // A foreigner searching in English; the same search in landscape: one screen tall.
    await shoot('/kiosk', 'kiosk-search-en.png', 1080, 1920, async (p) => {
      await p.click('button.lang');
      await p.click('[data-testid="open-search"]');
      for (const k of 'birth') await p.click(`[data-testid="vietnamese-keyboard"] [data-key="${k}"]`);
      await p.waitForSelector('[data-testid="search-results"] .procedure');
    });
    await shoot('/kiosk', 'kiosk-search-landscape.png', 1920, 1080, async (p) => {
      await p.click('[data-testid="open-search"]');
      for (const k of 'khai sinh') await p.click(`[data-testid="vietnamese-keyboard"] [data-key="${k === ' ' ? 'space' : k}"]`);
      await p.waitForSelector('[data-testid="search-results"] .procedure');
    });
    if (wanted('home.png')) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await page.goto(`${hub.url}/`);
      await page.waitForSelector('[data-testid="home-counters"] tbody tr');
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: join(OUT, 'home.png') });
      await page.close();
      process.stdout.write('  home.png (1366×900)\n');
    }
    await shoot('/display', 'tv.png', 1920, 1080);
    await shoot('/display/counter/3', 'counter-display.png', 1280, 720);
    await shoot('/display/counter/5', 'counter-display-paused.png', 1280, 720);
    await shoot('/counter/4', 'counter-login.png', 1366, 768);
    // The counter screen of a clerk who is logged in: log in through the page, as a clerk would.
    await shoot('/counter/2', 'counter.png', 1366, 768, async (p) => {
      await p.fill('input[aria-label="Mã PIN"]', '2222');
      await p.click('button[type="submit"]');
      await p.waitForSelector('[data-testid="current-number"]');
    });
    // Its transfer dialog: each counter's state, the closed and paused ones refused with their reason.
    await shoot('/counter/2', 'counter-transfer.png', 1366, 768, async (p) => {
      await p.fill('input[aria-label="Mã PIN"]', '2222');
      await p.click('button[type="submit"]');
      await p.waitForSelector('[data-testid="current-number"]');
      await p.keyboard.press('c');
      await p.waitForSelector('[role="dialog"]');
    });

    await adminAndRatingShots({ hubUrl: hub.url, connect, shoot, browser });

    // Last, as the clock only moves on: the kiosk in the lunch break, then at 03:00 on Saturday.
    const kioskAt = async (iso: string, file: string, ready: string) => {
      const at = Date.parse(iso);
      await ok(admin.send('clock:set', { at }));
      if (!wanted(file)) return;
      const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
      await page.clock.setFixedTime(at);
      await page.goto(`${hub.url}/kiosk`);
      await page.waitForSelector(ready);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: join(OUT, file) });
      await page.close();
      process.stdout.write(`  ${file} (1080×1920)\n`);
    };
    await kioskAt('2025-07-10T12:05:00+07:00', 'kiosk-lunch.png', '[data-testid="kiosk-opening"]');
    await kioskAt('2025-07-12T03:00:00+07:00', 'kiosk-closed.png', '[data-testid="kiosk-closed"]');
    if (wanted('admin-system-clock.png')) await clockWarningShot(browser);
  } finally {
    for (const c of clients) c.close();
    await browser.close();
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The admin screen, the reports and the rating tablet: the rest of the morning is played on
 * (visits finished and rated, a pause), then each admin tab and the tablet's states: waiting, the
 * five levels, the reason, the trips, thanks.
 */
async function adminAndRatingShots(ctx: {
  hubUrl: string;
  connect: (auth: Parameters<typeof connectHub>[0]['auth']) => Promise<HubClient>;
  shoot: (path: string, file: string, width: number, height: number, before?: (p: Page) => Promise<void>) => Promise<void>;
  browser: Awaited<ReturnType<typeof launchChromium>>;
}): Promise<void> {
  const { connect, shoot } = ctx;
  // Changes are logged under the name given at login.
  const admin = await connect({ role: 'admin', password: PASSWORD, adminName: 'Lê Văn Tâm' });
  const counters = new Map<number, HubClient>();
  for (const id of [1, 2, 3, 7, 9]) {
    const c = await connect({ role: 'counter', counterId: id });
    await ok(c.send('clerk:login', { clerkId: id, pin: String(id).repeat(4) }));
    counters.set(id, c);
  }
  const tablets = new Map<number, HubClient>();
  for (const id of counters.keys()) tablets.set(id, await connect({ role: 'rating', counterId: id }));
  const outcomes = ['received', 'guidance', 'guidance', 'returned', 'received', 'other'] as const;
  // Taps on the official five levels; after the lower three, a reason; most answer the trips too.
  const scores = [5, 4, 3, 5, 2, 4, 5, 4, 1, 5, 4, 3] as const;
  const reasons = ['Chờ lâu', 'Hướng dẫn chưa rõ', 'Chờ lâu', 'Phải bổ sung hồ sơ nhiều lần'];
  let at = MORNING + 5 * 60_000;
  let k = 0;
  for (let round = 0; round < 5; round++) {
    for (const id of ['civil', 'civil', 'land', 'police', 'post', 'civil']) await ok(admin.send('ticket:issue', { requestId: rid(), serviceId: id }));
    at += 6 * 60_000;
    await ok(admin.send('clock:set', { at }));
    for (const [id, c] of counters) {
      const outcome = outcomes[k % outcomes.length]!;
      // A received dossier or a returned result carries the receipt slip's code (issue 20), most of the time.
      const dossierCode = (outcome === 'received' || outcome === 'returned') && k % 7 !== 3 ? `000.00.12.H12-250710-${String(k + 1).padStart(4, '0')}` : undefined;
      const done = await ok(c.send('counter:finish', { requestId: rid(), outcome, ...(dossierCode ? { dossierCode } : {}) }));
      const score = scores[k % scores.length]!;
      if (k % 5 !== 2) {
        await ok(tablets.get(id)!.send('rating:submit', { requestId: rid(), ticketId: done.id, score }));
        const trips = ((k % 4 === 3 ? 2 : k % 7 === 6 ? 3 : 1) as 1 | 2 | 3);
        if (k % 6 !== 5) await ok(tablets.get(id)!.send('rating:detail', { requestId: rid(), ticketId: done.id, trips, ...(score <= 3 ? { reason: reasons[Math.floor(k / 3) % reasons.length]! } : {}) }));
      }
      k++;
      const next = await c.send('counter:next', { requestId: rid() });
      // Counter 7's clerk finishes with the outcome key alone: the report counts visits never started.
      if (next.ok && id !== 7) await ok(c.send('counter:start', { requestId: rid() }));
    }
  }
  // The clerk at counter 3 finishes one more visit just before the tablet's photo.
  const done3 = await ok(counters.get(3)!.send('counter:finish', { requestId: rid(), outcome: 'received' }));
  await ok(admin.send('config:setTexts', {
    centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
    notice: 'Kính mời công dân lấy số thứ tự và chờ đến lượt. Chiều thứ Bảy trung tâm nghỉ làm việc. Xin cảm ơn!',
    kioskTitleVi: 'Xin mời chọn lĩnh vực cần giải quyết',
    kioskTitleEn: 'Please choose the service you need',
    kioskNote: '',
  }));
  await ok(admin.send('clerk:update', { id: 4, pin: '4321' }));
  // Someone tried clerk 8's PIN five times at counter 8's screen: the clerks and devices pages show the lock.
  const c8 = await connect({ role: 'counter', counterId: 8 });
  for (let i = 0; i < 5; i++) await c8.send('clerk:login', { clerkId: 8, pin: String(1230 + i) });
  await ok(admin.send('config:counterServices', { counterId: 6, serviceIds: ['civil', 'land', 'culture', 'business'] }));
  // The center shortens the wait after which a normal ticket goes before later priority ones.
  await ok(admin.send('config:setPriorityRule', { kind: 'priorityFirst', normalMaxWaitMinutes: 20 }));
  await ok(admin.send('pairing:create', { role: 'rating', counterId: 3 }));
  // A kiosk in the hall, paired: the printers table lists it on the default printer.
  const kioskCode = await ok(admin.send('pairing:create', { role: 'kiosk' }));
  const paired = await fetch(`${ctx.hubUrl}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: kioskCode.code, name: 'Ki-ốt sảnh chính' }) });
  if (!paired.ok) throw new Error(`pairing the kiosk: ${paired.status}`);

  const asAdmin = (tab: string) => async (p: Page) => {
    await p.click(`[data-tab="${tab}"]`);
    await p.waitForSelector('.admin-section');
    await p.evaluate(() => document.fonts.ready);
  };
  const adminShot = async (tab: string, file: string, height = 768, fullPage = false) => {
    if (!wanted(file)) return;
    // A Vietnamese browser: dates as dd/mm/yyyy, times on the 24-hour clock.
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height }, locale: 'vi-VN' });
    await page.clock.setFixedTime(at + 60_000);
    await page.addInitScript((password) => sessionStorage.setItem('xephang.admin', JSON.stringify({ name: 'Lê Văn Tâm', password })), PASSWORD);
    await page.goto(`${ctx.hubUrl}/admin`);
    await page.waitForSelector('[data-testid="connection"][data-online="true"]');
    await asAdmin(tab)(page);
    if (tab === 'reports') await page.waitForSelector('[data-testid="report"]');
    // The log is fetched after the tab opens: a photo taken sooner shows "Đang tải…".
    if (tab === 'log') await page.waitForSelector('[data-testid="audit-log"]');
    if (tab === 'system') await systemTabReady(page);
    if (tab === 'visits') await page.waitForSelector('[data-testid="visits-table"]');
    await page.screenshot({ path: join(OUT, file), fullPage });
    await page.close();
    process.stdout.write(`  ${file} (1366×${height}${fullPage ? ', full page' : ''})\n`);
  };
  await adminShot('reports', 'admin-reports.png', 900, true);
  await adminShot('services', 'admin-services.png');
  await adminShot('counters', 'admin-counters.png', 900);
  await adminShot('clerks', 'admin-clerks.png');
  await adminShot('texts', 'admin-texts.png', 1280);
  {
    // The rating tablet's questions, at the foot of the texts tab: the card alone.
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    await page.addInitScript((password) => sessionStorage.setItem('xephang.admin', JSON.stringify({ name: 'Lê Văn Tâm', password })), PASSWORD);
    await page.goto(`${ctx.hubUrl}/admin?tab=texts`);
    await page.waitForSelector('[data-testid="rating-form"]');
    await page.evaluate(() => document.fonts.ready);
    await page.locator('[data-testid="rating-form"]').screenshot({ path: join(OUT, 'admin-rating.png') });
    await page.close();
    process.stdout.write('  admin-rating.png (the texts tab\'s rating card)\n');
  }
  await adminShot('devices', 'admin-devices.png', 1000);
  await adminShot('log', 'admin-log.png');
  await adminShot('visits', 'admin-visits.png', 900);
  await adminShot('system', 'admin-system.png', 1000);
  await adminShot('password', 'admin-password.png');
  if (wanted('admin-login.png')) {
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${ctx.hubUrl}/admin`);
    await page.waitForSelector('input[aria-label="Mật khẩu quản trị"]');
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(OUT, 'admin-login.png') });
    await page.close();
    process.stdout.write('  admin-login.png (1366×768)\n');
  }

  // The counter with its scanner: the slip of the visit in hand scanned, today's visits and their codes beside.
  await ok(admin.send('visit:setDossierSettings', { pattern: '^[A-Za-z0-9./-]{6,40}$', scannerPrefix: '~' }));
  await shoot('/counter/1', 'counter-dossier.png', 1366, 768, async (p) => {
    await p.fill('input[aria-label="Mã PIN"]', '1111');
    await p.click('button[type="submit"]');
    await p.waitForSelector('[data-testid="current-number"]');
    await p.waitForSelector('[data-testid="today-code"]');
    await p.keyboard.type('~000.00.12.H12-250710-0042');
    await p.keyboard.press('Enter');
    await p.waitForSelector('[data-testid="dossier-note"]:has-text("Mã sẽ được ghi")');
  });
  await shoot('/rate/8', 'rate-idle.png', 1280, 800);
  await shoot('/rate/3', 'rate-ask.png', 1280, 800, async (p) => {
    await p.waitForSelector('[data-phase="ask"]');
    if (!(await p.textContent('[data-testid="rate"]'))?.includes(String(done3.number))) throw new Error('the tablet shows another visit');
  });
  // Fresh visits at counters 9, 1 and 2 for the next questions and the thanks (the photo above rated nothing).
  await ok(counters.get(9)!.send('counter:finish', { requestId: rid(), outcome: 'guidance' }));
  await shoot('/rate/9', 'rate-reason.png', 1280, 800, async (p) => {
    await p.click('[data-score="2"]');
    await p.waitForSelector('[data-phase="reason"]');
  });
  await ok(counters.get(1)!.send('counter:finish', { requestId: rid(), outcome: 'received' }));
  await shoot('/rate/1', 'rate-trips.png', 1280, 800, async (p) => {
    await p.click('[data-score="3"]');
    await p.click('[data-reason="Chờ lâu"]');
    await p.waitForSelector('[data-phase="trips"]');
  });
  await ok(counters.get(2)!.send('counter:finish', { requestId: rid(), outcome: 'returned' }));
  await shoot('/rate/2', 'rate-thanks.png', 1280, 800, async (p) => {
    await p.click('[data-score="5"]');
    await p.click('[data-trips="1"]');
    await p.waitForSelector('[data-phase="thanks"]');
  });
}

/** The system tab once the hub's figures and its answer about backups (the list or a refusal) are in. */
async function systemTabReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="system-version"]');
  await page.waitForSelector('[data-testid="backups-refused"], [data-testid="backup-last"], [data-testid="backup-none"]');
  await page.evaluate(() => document.fonts.ready);
}

/**
 * The system tab's loud clock warning, on a hub of its own: one whose clock ran three days ahead
 * issues a ticket, then starts again on the PC's clock, which is now earlier than that ticket.
 */
async function clockWarningShot(browser: Awaited<ReturnType<typeof launchChromium>>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-shots-clock-'));
  const start = (extra: string[]) =>
    startServerProcess({
      name: 'hub (clock)',
      args: [require.resolve('@xephang/hub/cli'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--no-discovery', '--any-hours', ...extra],
      env: { XEPHANG_ADMIN_PASSWORD: PASSWORD },
      ready: /xephang hub ready on port (\d+)/,
    });
  try {
    const ahead = await start(['--fake-clock', new Date(Date.now() + 3 * 24 * 3_600_000).toISOString()]);
    try {
      const admin = connectHub({ url: ahead.url, auth: { role: 'admin', password: PASSWORD } });
      await admin.synced();
      await ok(admin.send('ticket:issue', { requestId: rid(), serviceId: 'civil' }));
      admin.close();
    } finally {
      await ahead.stop();
    }
    const hub = await start([]);
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, locale: 'vi-VN' });
      await page.addInitScript((password) => sessionStorage.setItem('xephang.admin', JSON.stringify({ name: 'Lê Văn Tâm', password })), PASSWORD);
      await page.goto(`${hub.url}/admin?tab=system`);
      await page.waitForSelector('[data-testid="clock-warning"]');
      await systemTabReady(page);
      await page.screenshot({ path: join(OUT, 'admin-system-clock.png') });
      await page.close();
      process.stdout.write('  admin-system-clock.png (1366×1000)\n');
    } finally {
      await hub.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The pictures of the kiosk with its own printer, the admin's kiosk printer, the desktop shell's
 * setup page, the admin's province link and the province's own pages come from the browser tests
 * that drive them (the fake printers, the pty, the CUPS rig, the small province server, and the
 * real province server on PostgreSQL fed by two real hubs live there): run here with
 * XEPHANG_SCREENSHOTS_DIR, so they land in docs/screenshots.
 */
function shotsFromTests(): void {
  if (ONLY !== undefined) return;
  const tests = ['apps/desktop/src/kiosk-page.test.ts', 'apps/desktop/src/setup-page.test.ts', 'apps/web/e2e/admin-province.test.ts', 'apps/web/e2e/province.test.ts'];
  process.stdout.write(`  from the tests: ${tests.join(', ')}\n`);
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--runTestsByPath', ...tests], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, XEPHANG_SCREENSHOTS_DIR: OUT },
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`the tests that take those pictures failed (exit ${String(run.status)})`);
}

main()
  .then(shotsFromTests)
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
