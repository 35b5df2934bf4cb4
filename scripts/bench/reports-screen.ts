/**
 * A year's report as the center's head sees it: the real hub started on the benchmark's
 * database, its admin page in Debian's Chromium, and the time from pressing "Xem báo cáo" to
 * the year's tables on screen (the hub's answer over the socket and React drawing it), as
 * the page itself measures it.
 */
import { launchChromium } from '@xephang/testing';
import { startServerProcess } from '../lib/child';
import { summarize, type Summary } from '../lib/stats';

const PASSWORD = 'bench-admin-password';

/** `runs` year reports, each after a day's report so the page redraws everything. */
export async function yearOnScreen(dataDir: string, nowIso: string, runs: number): Promise<{ year: Summary; day: Summary }> {
  const hub = await startServerProcess({
    name: 'hub',
    args: [require.resolve('@xephang/hub/cli'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--no-discovery', '--fake-clock', nowIso],
    ready: /ready on port (\d+)/,
    env: { XEPHANG_ADMIN_PASSWORD: PASSWORD },
    timeoutMs: 60_000,
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${hub.url}/admin`);
    await page.fill('input[aria-label="Họ và tên"]', 'Đo hiệu năng');
    await page.fill('input[aria-label="Mật khẩu quản trị"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="report"]');
    // Timed in the page, from the form's submit to the frame that shows the new report: a
    // MutationObserver notices the new heading (playwright's own polling would add its work).
    const show = async (fill: () => Promise<void>, label: string): Promise<number> => {
      await fill();
      const shown = page.evaluate(
        (label) =>
          new Promise<number>((done) => {
            let submittedAt = 0;
            document.addEventListener('submit', () => (submittedAt = performance.now()), { capture: true, once: true });
            const observer = new MutationObserver(() => {
              if (!document.querySelector('[data-testid="report"]')?.textContent?.includes(label)) return;
              observer.disconnect();
              // The new tables are in the DOM; the next frame is the one that paints them.
              requestAnimationFrame(() => done(performance.now() - submittedAt));
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          }),
        label,
      );
      await page.click('button[type="submit"]:has-text("Xem báo cáo")');
      return shown;
    };
    const year: number[] = [];
    const day: number[] = [];
    for (let i = 0; i < runs; i++) {
      day.push(
        await show(async () => {
          await page.click('[role="radio"]:has-text("Ngày")');
          await page.fill('input[aria-label="Ngày"]', '2025-07-10');
        }, 'Ngày 10/07/2025'),
      );
      year.push(
        await show(async () => {
          await page.click('[role="radio"]:has-text("Khoảng ngày")');
          await page.fill('input[aria-label="Từ ngày"]', '2025-01-01');
          await page.fill('input[aria-label="Đến ngày"]', '2025-12-31');
        }, 'Từ 01/01/2025 đến hết 31/12/2025'),
      );
    }
    return { year: summarize(year), day: summarize(day) };
  } finally {
    await browser.close();
    await hub.stop();
  }
}
