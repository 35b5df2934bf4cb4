export * from './hub-process';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser';
