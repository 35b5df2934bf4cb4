export { startHub, type HubOptions, type RunningHub } from './hub';
export { openDatabase } from './db/open';
