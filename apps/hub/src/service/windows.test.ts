import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { HubRun } from './definition';
import { readWindowsXml, WINDOWS_SERVICE_ID, windowsProblem, windowsServiceConfig, windowsServiceXml, type NodeWindowsServiceClass } from './windows';

/**
 * Windows cannot run here: what is checked is what node-windows is given and the WinSW XML its
 * own code (lib/daemon.js → lib/winsw.js, both plain JavaScript) makes of it. `require('node-windows')`
 * refuses to load off Windows; its daemon module alone loads anywhere. Paths are this machine's,
 * since node-windows resolves them with the platform's path module.
 */
const Daemon = createRequire(__filename)('node-windows/lib/daemon') as NodeWindowsServiceClass;
const CLI = require.resolve('@xephang/hub/cli');
const ROOT = resolve(dirname(CLI), '../../../..');
const run: HubRun = { node: process.execPath, cli: CLI, dataDir: '/xephang/data', port: 8080 };

describe('the Windows service definition (node-windows, WinSW)', () => {
  it('gives node-windows the built cli.js, the data folder, a fixed restart wait and the log folder in the data folder', () => {
    expect(windowsServiceConfig({ ...run, hostNames: ['may-chu.lan'], logDays: 7 })).toEqual({
      name: 'xephang-hub',
      description: 'xephang hub — máy chủ xếp hàng (queue-ticket hub)',
      script: CLI,
      scriptOptions: '--data-dir /xephang/data --port 8080 --host-name may-chu.lan --log --log-days 7',
      execPath: process.execPath,
      nodeOptions: [],
      workingDirectory: ROOT,
      logpath: join('/xephang/data', 'logs', 'service'),
      logging: { mode: 'roll-by-size', sizeThreshold: 10_240, keepFiles: 3 },
      wait: 5,
      grow: 0,
      maxRestarts: 100,
      stopparentfirst: true,
      stoptimeout: 30,
    });
  });

  it('is the WinSW XML node-windows writes: node runs its wrapper, which runs the built cli.js and restarts it; no password', () => {
    const before = process.env.XEPHANG_ADMIN_PASSWORD;
    process.env.XEPHANG_ADMIN_PASSWORD = 'mat-khau-cai-dat-9!';
    let xml: string;
    try {
      xml = windowsServiceXml(windowsServiceConfig(run), Daemon);
    } finally {
      if (before === undefined) delete process.env.XEPHANG_ADMIN_PASSWORD;
      else process.env.XEPHANG_ADMIN_PASSWORD = before;
    }
    const tags = (name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);
    expect(tags('id')).toEqual([WINDOWS_SERVICE_ID]);
    expect(WINDOWS_SERVICE_ID).toBe('xephanghub.exe');
    expect(tags('executable')).toEqual([process.execPath]);
    expect(tags('argument')).toEqual([
      require.resolve('node-windows/lib/wrapper.js'),
      '--file',
      CLI,
      '--scriptoptions=--data-dir /xephang/data --port 8080 --log',
      '--log',
      'xephang-hub wrapper',
      '--grow',
      '0',
      '--wait',
      '5',
      '--maxrestarts',
      '100',
      '--abortonerror',
      'n',
      '--stopparentfirst',
      'true',
    ]);
    expect(xml).toContain('<log mode="roll-by-size">');
    expect(tags('sizeThreshold')).toEqual(['10240']);
    expect(tags('logpath')).toEqual([join('/xephang/data', 'logs', 'service')]);
    expect(tags('stopparentprocessfirst')).toEqual(['true']);
    expect(tags('stoptimeout')).toEqual(['30sec']);
    expect(tags('workingdirectory')).toEqual([ROOT]);
    // node-windows always writes a service account; with none given it is LocalSystem and empty.
    expect(tags('user')).toEqual(['LocalSystem']);
    expect(tags('password')).toEqual(['']);
    expect(xml).not.toContain('mat-khau-cai-dat-9!');
    expect(xml).not.toMatch(/<env|PASSWORD|npm|tsc/);
    // `status` reads the port back from it.
    expect(readWindowsXml(xml)).toEqual({ port: 8080 });
    expect(readWindowsXml(windowsServiceXml(windowsServiceConfig({ ...run, port: 8181, host: '192.168.1.10' }), Daemon))).toEqual({ port: 8181, host: '192.168.1.10' });
  });

  it('refuses a data folder with a space: node-windows splits the hub options on spaces', () => {
    expect(windowsProblem(run)).toBeUndefined();
    expect(windowsProblem({ ...run, dataDir: 'C:\\Program Files\\xephang\\data' })).toContain('không được chứa dấu cách');
  });
});
