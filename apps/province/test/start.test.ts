import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PROVINCE_CLI } from '@xephang/testing/province';
import { call } from './helpers';

/**
 * `npm run province` without DATABASE_URL: the embedded PostgreSQL in the data folder (as root
 * it runs as a system user, see embedded.ts), the admin password printed once, what was stored
 * still there after a restart, and after the server was killed.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'xephang-province-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  // A PostgreSQL left behind by a failed run: stopped by the pid it wrote.
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The CLI on the data folder, without DATABASE_URL or a given password; resolves once it listens. */
async function start(): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.XEPHANG_PROVINCE_ADMIN_PASSWORD;
  const child = spawn(process.execPath, [PROVINCE_CLI, '--port', '0', '--data', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const port = await new Promise<number>((done, fail) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /ready on port (\d+)/.exec(output);
      if (m) done(Number(m[1]));
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => fail(new Error(`exited ${code}:\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

const postgresPid = () => Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run province without DATABASE_URL', () => {
  it('runs an embedded PostgreSQL in its data folder, prints the admin password once, keeps what it stored', async () => {
    const first = await start();
    expect(first.output()).toMatch(/không có DATABASE_URL, chạy PostgreSQL 18 nhúng trong/);
    const password = /Mật khẩu quản trị tỉnh: (\S+)/.exec(first.output())?.[1];
    expect(password).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    const session = await call<{ token: string }>(first, 'POST', '/api/v1/admin/session', { password });
    const added = await call(first, 'POST', '/api/v1/admin/communes', { code: '00004', name: 'Xã Hà Trung' }, session.body.token);
    expect(added.status).toBe(201);
    const pg = postgresPid();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Its PostgreSQL stopped with it.
    expect(alive(pg)).toBe(false);

    const second = await start();
    expect(second.output()).not.toMatch(/Mật khẩu quản trị tỉnh/);
    const again = await call<{ token: string }>(second, 'POST', '/api/v1/admin/session', { password });
    const list = await call<{ code: string }[]>(second, 'GET', '/api/v1/admin/communes', undefined, again.body.token);
    expect(list.body.map((c) => c.code)).toEqual(['00004']);

    // Killed: its PostgreSQL outlives it; the next start takes that one over, and stops it.
    const orphan = postgresPid();
    second.child.kill('SIGKILL');
    await second.exited;
    expect(alive(orphan)).toBe(true);
    const third = await start();
    expect(third.output()).toMatch(/PostgreSQL nhúng đang chạy trong/);
    expect((await call(third, 'POST', '/api/v1/admin/session', { password })).status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(alive(orphan)).toBe(false);
  });
});
