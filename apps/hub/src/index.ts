export { startHub, type HubOptions, type RunningHub } from './hub';
export { openDatabase } from './db/open';
export { createStores, type Stores } from './store';
export { createCommands, type Commands } from './commands';
