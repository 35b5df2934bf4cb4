#!/usr/bin/env node
// `npm run service -- …` and `npm run restore -- …`: the hub's `service` and `restore` commands
// (apps/hub/src/service, apps/hub/src/backups/restore.ts), run from the build. Unlike `npm start`
// they never build: they are typed with sudo, and a build as root would leave files the
// service's user cannot replace. The first argument is the command.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(ROOT, 'apps/hub/dist/src/cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `Chưa build máy chủ (không có ${cli}). Lệnh ${process.argv[2] ?? ''} chạy bản đã build và không tự build: hãy chạy npm run build ` +
      '(bằng người dùng thường, không sudo) rồi chạy lại lệnh này. (The hub is not built: run npm run build first.)\n',
  );
  process.exit(1);
}
await import(pathToFileURL(cli).href);
