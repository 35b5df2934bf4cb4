#!/usr/bin/env node
// `npm start` and `npm run admin-password`: build only what is missing or older than its
// sources, then run the hub's command line in this process. Plain JavaScript, because it runs
// before anything is built. A service runs apps/hub/dist/src/cli.js directly, never this.
//
// XEPHANG_START_PLAN=1 prints what would be built, as JSON, and stops (for its test).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (path) => join(ROOT, path);
const args = process.argv.slice(2);

/** The newest modification time under `path`, files and folders (a deletion changes its folder); 0 if absent. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

// What every build reads: the compiler settings and the installed packages' versions.
const SHARED = ['tsconfig.base.json', 'package-lock.json'];
// The hub and the packages it is built from (apps/hub/tsconfig.json's references).
const HUB_PROJECTS = ['packages/protocol', 'packages/core', 'packages/client', 'packages/voice', 'packages/printer', 'packages/catalog', 'packages/reports', 'apps/hub'];
// Written here after each build this script ran: a folder's time (a file added, an editor's
// backup) that tsc finds changes nothing to then no longer asks for a build at every start.
const HUB_STAMP = 'apps/hub/dist/.start-built';

/** Whether the hub's JavaScript is missing or older than a source of any project it is built from. */
function hubStale() {
  if (mtime(at('apps/hub/dist/src/cli.js')) === 0) return true;
  const stamp = mtime(at(HUB_STAMP));
  return HUB_PROJECTS.some((project) => {
    const info = mtime(at(`${project}/dist/tsconfig.tsbuildinfo`));
    if (info === 0) return true;
    const built = Math.max(info, stamp);
    const inputs = ['src', 'test', 'tsconfig.json', 'package.json'].map((f) => newest(at(`${project}/${f}`)));
    return Math.max(...inputs, ...SHARED.map((f) => mtime(at(f)))) > built;
  });
}

/** Whether the screens' bundle is missing or older than its sources (the web app and the packages it bundles). */
function webStale() {
  const built = mtime(at('apps/web/dist/index.html'));
  if (built === 0) return true;
  const inputs = ['apps/web/src', 'apps/web/public', 'apps/web/index.html', 'apps/web/vite.config.mts', 'apps/web/package.json', ...SHARED].map((f) => newest(at(f)));
  const packages = readdirSync(at('packages')).map((p) => Math.max(newest(at(`packages/${p}/src`)), mtime(at(`packages/${p}/package.json`))));
  return Math.max(...inputs, ...packages) > built;
}

// Help and the password reset never serve a screen: they need no bundle.
const serving = !args.some((a) => a === '--help' || a === '-h' || a === 'reset-admin-password');
const plan = [...(hubStale() ? ['hub'] : []), ...(serving && webStale() ? ['web'] : [])];
if (process.env.XEPHANG_START_PLAN === '1') {
  process.stdout.write(`${JSON.stringify(plan)}\n`);
  process.exit(0);
}

const require = createRequire(import.meta.url);

function run(what, command, argv, cwd) {
  const started = Date.now();
  process.stderr.write(`Đang build ${what} (chưa build, hoặc mã nguồn đã đổi)…\n`);
  const result = spawnSync(process.execPath, [command, ...argv], { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Build ${what} lỗi (xem ở trên). Sửa rồi chạy lại; npm run build kiểm tra toàn bộ.\n`);
    process.exit(result.status ?? 1);
  }
  process.stderr.write(`  xong sau ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (plan.includes('hub')) {
  const started = new Date();
  run('máy chủ', require.resolve('typescript/bin/tsc'), ['-b', 'apps/hub'], ROOT);
  writeFileSync(at(HUB_STAMP), '');
  // Dated when the build began, so a file saved during it is seen as newer next time.
  utimesSync(at(HUB_STAMP), started, started);
}
if (plan.includes('web')) {
  const vite = join(dirname(createRequire(at('apps/web/package.json')).resolve('vite/package.json')), 'bin/vite.js');
  run('các màn hình', vite, ['build', '--logLevel', 'warn'], at('apps/web'));
}

await import(pathToFileURL(at('apps/hub/dist/src/cli.js')).href);
