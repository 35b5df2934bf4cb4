import { dirname, resolve } from 'node:path';

/**
 * What a service runs, the same on Linux and Windows: the BUILT command line of the hub (never
 * `npm start`, which may build), with an absolute data folder and the hub's own log file on.
 */

export const SERVICE_NAME = 'xephang-hub';
export const SERVICE_DESCRIPTION = 'xephang hub — máy chủ xếp hàng (queue-ticket hub)';

export interface HubRun {
  /** The Node.js binary, absolute (process.execPath of whoever installs). */
  node: string;
  /** apps/hub/dist/src/cli.js, absolute. */
  cli: string;
  /** The data folder, absolute. */
  dataDir: string;
  port: number;
  /** --host, when not the default 0.0.0.0. */
  host?: string;
  /** --host-name, repeated. */
  hostNames?: readonly string[];
  noDiscovery?: boolean;
  /** --log-days and --log-max-mb, when not the defaults. */
  logDays?: number;
  logMaxMb?: number;
}

/** The repository's root, seen from the built cli.js (apps/hub/dist/src/cli.js). */
export function rootOf(cli: string): string {
  return resolve(dirname(cli), '../../../..');
}

/** The hub's arguments after cli.js. No password ever: it is generated into the data folder. */
export function hubArgs(run: HubRun): string[] {
  return [
    '--data-dir',
    run.dataDir,
    '--port',
    String(run.port),
    ...(run.host === undefined ? [] : ['--host', run.host]),
    ...(run.hostNames ?? []).flatMap((name) => ['--host-name', name]),
    ...(run.noDiscovery ? ['--no-discovery'] : []),
    '--log',
    ...(run.logDays === undefined ? [] : ['--log-days', String(run.logDays)]),
    ...(run.logMaxMb === undefined ? [] : ['--log-max-mb', String(run.logMaxMb)]),
  ];
}
