import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; playwright cannot download its own browser here (no internet). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the networking switches Chromium keeps calling home, which a closed LAN refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The TV plays announcements without a click, as the desktop shell allows.
  '--autoplay-policy=no-user-gesture-required',
];

/** A headless Chromium with its own temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Where a test writes a picture of what it drove: `docs/screenshots/` only when `npm run
 * screenshots` asks (it sets XEPHANG_SCREENSHOTS_DIR), else a temporary folder, so `npm test`
 * never rewrites the repository's pictures with the noise of a test run.
 */
export function screenshotPath(file: string): string {
  const dir = process.env.XEPHANG_SCREENSHOTS_DIR ?? join(tmpdir(), 'xephang-test-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, file);
}
