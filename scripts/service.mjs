#!/usr/bin/env node
// `npm run service -- install | status | start | stop | uninstall`: the hub's `service` command
// (apps/hub/src/service), run from the build. Unlike `npm start` it never builds: it is typed
// with sudo, and a build as root would leave files the service's user cannot replace.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(ROOT, 'apps/hub/dist/src/cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `Chưa build máy chủ (không có ${cli}). Dịch vụ chạy bản đã build và không tự build: hãy chạy npm run build ` +
      '(bằng người dùng thường, không sudo) rồi chạy lại lệnh này. (The hub is not built: run npm run build first.)\n',
  );
  process.exit(1);
}
process.argv.splice(2, 0, 'service');
await import(pathToFileURL(cli).href);
