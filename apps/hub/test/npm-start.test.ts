import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const START = resolve(__dirname, '../../../scripts/start.mjs');
const PROJECTS = ['packages/protocol', 'packages/core', 'packages/client', 'packages/voice', 'packages/printer', 'packages/catalog', 'packages/reports', 'apps/hub'];
const SOURCES = [
  'tsconfig.base.json',
  'package-lock.json',
  ...PROJECTS.flatMap((p) => [`${p}/src/index.ts`, `${p}/tsconfig.json`, `${p}/package.json`]),
  'apps/web/src/main.tsx',
  'apps/web/index.html',
  'apps/web/vite.config.mts',
  'apps/web/package.json',
];
const OUTPUTS = [...PROJECTS.map((p) => `${p}/dist/tsconfig.tsbuildinfo`), 'apps/hub/dist/src/cli.js', 'apps/web/dist/index.html'];

/** Sets the time of a file or folder and of everything under it. */
function stamp(path: string, at: Date): void {
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) stamp(join(path, entry), at);
  utimesSync(path, at, at);
}

describe('npm start builds only what is missing or stale (scripts/start.mjs)', () => {
  const root = mkdtempSync(join(tmpdir(), 'xephang-start-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A tree shaped like the repository's, every source older than every output. */
  const built = () => {
    rmSync(root, { recursive: true, force: true });
    for (const file of [...SOURCES, ...OUTPUTS, 'scripts/start.mjs']) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    copyFileSync(START, join(root, 'scripts/start.mjs'));
    const now = Date.now();
    stamp(root, new Date(now - 100_000));
    for (const file of OUTPUTS) utimesSync(join(root, file), new Date(now - 50_000), new Date(now - 50_000));
  };
  const touch = (file: string) => utimesSync(join(root, file), new Date(), new Date());
  const plan = (...args: string[]): string[] => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/start.mjs'), ...args], { env: { ...process.env, XEPHANG_START_PLAN: '1' }, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as string[];
  };

  it('builds nothing when the build is newer than every source', () => {
    built();
    expect(plan()).toEqual([]);
  });

  it.each([
    ['a hub source changed', 'apps/hub/src/index.ts', ['hub']],
    ['a screen changed', 'apps/web/src/main.tsx', ['web']],
    ['a shared package changed (both use it)', 'packages/protocol/src/index.ts', ['hub', 'web']],
    ['the installed packages changed', 'package-lock.json', ['hub', 'web']],
    ['a compiler setting changed', 'packages/core/tsconfig.json', ['hub']],
  ])('%s', (_what, file, expected) => {
    built();
    touch(file);
    expect(plan()).toEqual(expected);
  });

  it('builds what is missing: a fresh clone, a deleted bundle, a file added', () => {
    built();
    rmSync(join(root, 'apps/hub/dist'), { recursive: true });
    expect(plan()).toEqual(['hub']);
    built();
    rmSync(join(root, 'apps/web/dist/index.html'));
    expect(plan()).toEqual(['web']);
    built();
    writeFileSync(join(root, 'packages/voice/src/new.ts'), '');
    expect(plan()).toEqual(['hub', 'web']);
  });

  it('--help and the password reset need no screens', () => {
    built();
    touch('apps/web/src/main.tsx');
    expect(plan('--help')).toEqual([]);
    expect(plan('reset-admin-password', '--data-dir', 'data')).toEqual([]);
    expect(plan('--port', '9000')).toEqual(['web']);
  });
});
