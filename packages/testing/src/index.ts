export * from './hub-process';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser';
export { logIn, notReloaded, offline, online, stage, textOf, type Stage } from './stage';
export { startCups, type CupsRig } from './cups';
