export * from './hub-process';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium, screenshotPath } from './browser';
export { startCups, type CupsRig } from './cups';
export { eventually, keptTallies, outboxSize, PROVINCE_ARGS, startTestProvince, type ProvinceMode, type TestProvince } from './test-province';
export { ptyPair, type PtyPair } from './pty';
export { kioskPrinterSeen, openAdminPrinters, openShellKiosk, pairKiosk } from './shell';
export { startTcpProxy, type ProxyMode, type TcpProxy } from './tcp-proxy';
// The browser stage (stage, logIn, online…) is `@xephang/testing/stage`: it registers jest hooks, so
// scripts that start a hub without jest (screenshots, benches) must not load it.
