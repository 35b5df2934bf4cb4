import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { lastLogLines, localDay, localStamp, logFileName, MAX_ROTATED, openLogFile, pruneLogs } from './log-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xephang-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const files = () => readdirSync(dir).sort();
/** Noon of a local day, so no time zone moves it to another date. */
const noon = (day: string) => new Date(`${day}T12:00:00`).getTime();

describe('the hub log file', () => {
  it('stamps each line with its local time and offset, one file per local day, continuation lines indented', async () => {
    let at = noon('2026-12-06');
    const log = openLogFile({ dir, keepDays: 30, maxBytes: 1_000_000, now: () => at });
    log.write('xephang hub ready on port 8080');
    log.write('lỗi không ai bắt:\nError: x\n    at y');
    log.write('   ');
    at = noon('2026-12-07');
    log.write('ngày mới');
    await log.close();
    expect(files()).toEqual(['hub-2026-12-06.log', 'hub-2026-12-07.log']);
    const stamp = localStamp(noon('2026-12-06'));
    expect(stamp).toMatch(/^2026-12-06T12:00:00\.000[+-]\d\d:\d\d$/);
    expect(read('hub-2026-12-06.log')).toBe(`${stamp} xephang hub ready on port 8080\n${stamp} lỗi không ai bắt:\n    Error: x\n        at y\n`);
    expect(read('hub-2026-12-07.log')).toBe(`${localStamp(at)} ngày mới\n`);
  });

  it('rotates a day past the size to .1, .2 …, keeps at most MAX_ROTATED, and loses no line', async () => {
    const at = noon('2026-12-06');
    const line = (i: number) => `dòng ${String(i).padStart(4, '0')} ${'x'.repeat(58)}`;
    const log = openLogFile({ dir, keepDays: 30, maxBytes: 1000, now: () => at });
    // 100 bytes a line with its time (29 bytes) and the 2-byte ò: 10 a file, so 60 lines make 6 files.
    for (let i = 0; i < 60; i++) log.write(line(i));
    await log.close();
    expect(files()).toEqual(['hub-2026-12-06.1.log', 'hub-2026-12-06.2.log', 'hub-2026-12-06.3.log', 'hub-2026-12-06.4.log', 'hub-2026-12-06.5.log', 'hub-2026-12-06.log']);
    for (const name of files()) expect(Buffer.byteLength(read(name))).toBeLessThanOrEqual(1000);
    // Oldest first: .5, .4 … .1, then the current file.
    const all = ['5', '4', '3', '2', '1', '']
      .map((n) => read(n === '' ? logFileName('2026-12-06') : logFileName('2026-12-06', Number(n))))
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.slice(l.indexOf(' ') + 1));
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => line(i)));

    const more = openLogFile({ dir, keepDays: 30, maxBytes: 1000, now: () => at });
    for (let i = 60; i < 200; i++) more.write(line(i));
    await more.close();
    expect(files()).toHaveLength(MAX_ROTATED + 1);
    expect(read(logFileName('2026-12-06'))).toContain(line(199));
    expect(existsSync(join(dir, logFileName('2026-12-06', MAX_ROTATED + 1)))).toBe(false);
  });

  it('removes the days older than keepDays when it opens and when the day turns, and nothing else', async () => {
    for (const name of ['hub-2026-10-01.log', 'hub-2026-10-01.3.log', 'hub-2026-11-05.log', 'hub-2026-11-06.log', 'hub-2026-12-01.log', 'ghi-chu.txt', 'hub-backup.log']) writeFileSync(join(dir, name), 'x\n');
    let at = noon('2026-12-06');
    const log = openLogFile({ dir, keepDays: 30, maxBytes: 1_000_000, now: () => at });
    log.write('mở');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(files()).toEqual(['ghi-chu.txt', 'hub-2026-11-06.log', 'hub-2026-12-01.log', 'hub-2026-12-06.log', 'hub-backup.log']);
    at = noon('2026-12-07');
    log.write('ngày mới');
    await log.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(files()).toEqual(['ghi-chu.txt', 'hub-2026-12-01.log', 'hub-2026-12-06.log', 'hub-2026-12-07.log', 'hub-backup.log']);
    expect(await pruneLogs(dir, '2026-12-07', 1)).toEqual(['hub-2026-12-01.log']);
  });

  it('on a full disk says so once, drops lines instead of holding them, and writes again a minute later', async () => {
    let at = noon('2026-12-06');
    const day = localDay(at);
    // /dev/full takes the open and fails every write with ENOSPC: a disk with no room left.
    symlinkSync('/dev/full', join(dir, logFileName(day)));
    const warned: string[] = [];
    const log = openLogFile({ dir, keepDays: 30, maxBytes: 1_000_000, now: () => at, warn: (l) => warned.push(l) });
    for (let i = 0; i < 5; i++) {
      log.write(`dòng ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('ENOSPC');
    expect(warned[0]).toContain('máy chủ vẫn chạy');
    // The disk has room again (the link replaced by a file); a minute later the log resumes.
    rmSync(join(dir, logFileName(day)));
    at += 61_000;
    log.write('ghi lại được');
    await log.close();
    const text = read(logFileName(day));
    expect(text).toMatch(/\(\d+ dòng nhật ký trước đây không ghi được vào tệp/);
    expect(text).toContain('ghi lại được');
    expect(warned).toHaveLength(1);
  });

  it('writes what is still queued when the process exits at once (a fatal error calls process.exit)', () => {
    const script = `
      const { openLogFile } = require(${JSON.stringify(require.resolve('../dist/src/log-file.js'))});
      const log = openLogFile({ dir: ${JSON.stringify(dir)}, keepDays: 30, maxBytes: 1e6 });
      for (let i = 0; i < 100; i++) log.write('dòng ' + i);
      log.write('CƠ SỞ DỮ LIỆU HỎNG, máy chủ dừng');
      process.exit(1);
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const last = lastLogLines(dir, 2);
    expect(last?.lines.map((l) => l.slice(l.indexOf(' ') + 1))).toEqual(['dòng 99', 'CƠ SỞ DỮ LIỆU HỎNG, máy chủ dừng']);
  });
});
