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
