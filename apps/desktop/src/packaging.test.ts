import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { testTicketFile } from './test-ticket';

const ROOT = join(__dirname, '../../..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

/** Every package the shell needs at run time, following `dependencies` from apps/desktop. */
function runtimeClosure(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    let file: string;
    try {
      file = require.resolve(`${name}/package.json`, { paths: [from] });
    } catch {
      // A package whose exports hide package.json: found in the root node_modules.
      file = join(ROOT, 'node_modules', name, 'package.json');
    }
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dirname(file));
  };
  const desktop = JSON.parse(readFileSync(join(ROOT, 'apps/desktop/package.json'), 'utf8')) as Manifest;
  for (const dep of Object.keys(desktop.dependencies ?? {})) visit(dep, join(ROOT, 'apps/desktop'));
  return seen;
}

describe('what the packaged shell carries', () => {
  it('never better-sqlite3, the hub, nor Electron itself as a run-time dependency', () => {
    const closure = runtimeClosure();
    expect(closure.has('usb')).toBe(true);
    expect(closure.has('@xephang/printer')).toBe(true);
    for (const banned of ['better-sqlite3', '@xephang/hub', 'electron', 'electron-builder']) expect(closure.has(banned)).toBe(false);
  });

  it('opens no socket of its own to print: no @xephang/client, no socket.io client', () => {
    const closure = runtimeClosure();
    expect(closure.has('@xephang/client')).toBe(false);
    expect(closure.has('socket.io-client')).toBe(false);
  });

  it('loads no canvas and no font: its modules enter @xephang/printer through /connections only', () => {
    const src = join(ROOT, 'apps/desktop/src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) files.push(path);
      }
    };
    walk(src);
    const drawing = files.filter((f) => /from '@xephang\/printer'|require\('@xephang\/printer'\)|@napi-rs\/canvas/.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f));
    // The build-time script that draws the test ticket is the one exception, and it is not packaged.
    expect(drawing).toEqual(['build/draw-test-tickets.ts']);
    expect(files.map((f) => relative(src, f))).toEqual(expect.arrayContaining(['print.ts', 'usb-transport.ts', 'main/ipc-handlers.ts']));
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).toContain('  - "!dist/src/build/**"\n');
    expect(yml).toContain('  - "!**/node_modules/@napi-rs/**"\n');
    expect(yml).not.toMatch(/^ {2}- "\*\*\/node_modules\/@napi-rs\/\*\*"$/m);
  });

  it('ships the test ticket drawn at build time, for both paper widths, and draws it again before packing', async () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/^beforePack: apps\/desktop\/dist\/src\/build\/draw-test-tickets\.js$/m);
    expect(yml).toContain('  - dist/test-tickets/*.escpos\n');
    const hook = (await import(join(ROOT, 'apps/desktop/dist/src/build/draw-test-tickets.js'))) as { default?: unknown };
    expect(typeof hook.default).toBe('function');
    // `npm run build` ran the desktop's build: the files the main process reads are there.
    const dir = join(ROOT, 'apps/desktop/dist/test-tickets');
    for (const width of [58, 80] as const) {
      const bytes = readFileSync(testTicketFile(width, dir));
      expect([bytes[0], bytes[1]]).toEqual([0x1b, 0x40]);
    }
    expect(existsSync(join(ROOT, 'apps/desktop/dist/src/test-ticket.js'))).toBe(true);
  });

  it('pins exact versions, usb at 2.18.0 through the root overrides', () => {
    const desktop = JSON.parse(readFileSync(join(ROOT, 'apps/desktop/package.json'), 'utf8')) as Manifest;
    for (const version of Object.values(desktop.dependencies ?? {})) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { overrides?: Record<string, string> };
    expect(root.overrides?.usb).toBe('2.18.0');
  });

  it('gets Electron and electron-builder from its own toolchain, pinned, never from the workspace install', () => {
    const toolchain = JSON.parse(readFileSync(join(ROOT, 'apps/desktop/toolchain/package.json'), 'utf8')) as Manifest & { devDependencies: Record<string, string> };
    expect(Object.keys(toolchain.devDependencies).sort()).toEqual(['electron', 'electron-builder']);
    for (const version of Object.values(toolchain.devDependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    // The version electron-builder packages is the one the main process was typechecked against.
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(new RegExp(`^electronVersion: ${toolchain.devDependencies.electron!.replace(/\./g, '\\.')}$`, 'm'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    for (const name of ['electron', 'electron-builder']) expect(lock.packages[`node_modules/${name}`]).toBeUndefined();
  });

  it('carries koffi for the Windows printer by name, its prebuilt binary unpacked and never compiled', () => {
    expect(runtimeClosure().has('koffi')).toBe(true);
    const printer = JSON.parse(readFileSync(join(ROOT, 'packages/printer/package.json'), 'utf8')) as Manifest;
    expect(printer.dependencies?.koffi).toMatch(/^\d+\.\d+\.\d+$/);
    // koffi 3's binaries are optional packages, one per platform: the lock must hold Windows x64's
    // at koffi's own version, so `npm ci` on the Windows PC that packages installs it.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; optional?: boolean; os?: string[]; cpu?: string[] }> };
    const koffi = lock.packages['node_modules/koffi']!;
    expect(koffi.version).toBe(printer.dependencies?.koffi);
    expect(lock.packages['node_modules/@koromix/koffi-win32-x64']).toMatchObject({ version: koffi.version, optional: true, os: ['win32'], cpu: ['x64'] });
    // Its install script only checks the prebuilt binary, or else compiles one with CMake: never.
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(root.allowScripts?.koffi).toBe(false);
    // A native module inside the asar archive cannot be loaded: koffi and its binary stay files.
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    const unpacked = /^asarUnpack:\n((?: {2}- .+\n)+)/m.exec(yml)?.[1]?.split('\n').map((l) => l.replace(/^ {2}- /, '').trim()) ?? [];
    expect(unpacked).toEqual(expect.arrayContaining(['"**/node_modules/koffi/**"', '"**/node_modules/@koromix/**"', '"**/node_modules/usb/**"']));
  });

  it('is configured for Linux (AppImage, deb) and Windows (NSIS), without rebuilding native modules', () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/^npmRebuild: false$/m);
    expect(yml).toMatch(/^ {2}app: apps\/desktop$/m);
    expect(yml).toMatch(/linux:\n {2}target:\n {4}- AppImage\n {4}- deb/);
    expect(yml).toMatch(/win:\n {2}target:\n {4}- nsis/);
    expect(yml).toContain('"!**/node_modules/better-sqlite3/**"');
    expect(yml).toContain('"**/node_modules/@serialport/bindings-cpp/**"');
  });
});
