import { afterAll, beforeAll } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { disposeHub, startHubProcess, type HubProcess } from './hub-process';

/** A real hub process and a Chromium for one test file. */
export interface Stage {
  /** Replaced when a test restarts the hub. */
  hub: HubProcess;
  browser: Browser;
  /** Opens a screen at its size, waits until it is connected, and marks it to detect a reload. */
  open: (path: string, width: number, height: number) => Promise<Page>;
}

/** Starts the hub (with `args`) and Chromium before the file's tests, and stops both after. */
export function stage(args: string[] = ['--demo']): Stage {
  const s = {
    open: async (path: string, width: number, height: number) => {
      const page = await s.browser.newPage({ viewport: { width, height }, locale: 'vi-VN' });
      await page.goto(`${s.hub.url}${path}`);
      await online(page);
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));
      return page;
    },
  } as Stage;
  beforeAll(async () => {
    s.hub = await startHubProcess({ args });
    s.browser = await launchChromium();
  });
  afterAll(async () => {
    await s.browser?.close();
    await disposeHub(s.hub);
  });
  return s;
}

export const online = (page: Page) => page.waitForSelector('[data-testid="connection"][data-online="true"]');
export const offline = (page: Page) => page.waitForSelector('[data-testid="connection"][data-online="false"]');

/** Whether a page opened with `open` was never reloaded since. */
export const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

/** The text of the element with `data-testid` = `testId`. */
export const textOf = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).innerText();

/** Logs the demo clerk of a counter in through the page, as a clerk would, and opens it. */
export async function logIn(page: Page, counterId: number): Promise<void> {
  await page.fill('input[aria-label="Mã PIN"]', String(counterId).repeat(4));
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="counter-status"]');
  if ((await textOf(page, 'counter-status')) === 'Đóng') await page.click('text=Mở quầy');
  await page.waitForSelector('[data-testid="counter-status"]:has-text("Đang mở")');
}
