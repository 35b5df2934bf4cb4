import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execWord, readUnit, systemdUnit, unitProblem, unquoteExec, UNIT_FILE, type UnitOptions } from './systemd';

/** The real built command line and the real Node.js: `systemd-analyze verify` checks that ExecStart exists. */
const CLI = require.resolve('@xephang/hub/cli');
const ROOT = resolve(dirname(CLI), '../../../..');
const work = mkdtempSync(join(tmpdir(), 'xephang-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base: UnitOptions = { node: process.execPath, cli: CLI, dataDir: '/srv/xephang/data', port: 8080, user: 'xephang' };
const settings = (unit: string) => unit.split('\n').filter((l) => /^\w+=/.test(l));

/** systemd's own check of a unit file; ok only with nothing at all to say (it warns and still exits 0). */
function verify(unit: string): { status: number | null; said: string } {
  const dir = mkdtempSync(join(work, 'unit-'));
  const file = join(dir, UNIT_FILE);
  writeFileSync(file, unit);
  const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' } });
  // Only what it says of this unit: a machine may have other units with complaints of their own.
  const said = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes(file) || l.includes(UNIT_FILE));
  return { status: r.status, said: said.join('\n') };
}

describe('the systemd unit', () => {
  it('runs the built cli.js with an absolute data folder and its log on, as the chosen user, at boot, restarting', () => {
    const unit = systemdUnit(base);
    expect(settings(unit)).toEqual([
      'Description=xephang hub — máy chủ xếp hàng (queue-ticket hub)',
      `Documentation=file://${ROOT}/docs/deploy.md`,
      'Wants=network-online.target',
      'After=network-online.target',
      'StartLimitIntervalSec=0',
      'Type=simple',
      'User=xephang',
      `WorkingDirectory=${ROOT}`,
      `ExecStart=${process.execPath} ${CLI} --data-dir /srv/xephang/data --port 8080 --log`,
      'Restart=always',
      'RestartSec=5',
      'TimeoutStopSec=30',
      'LimitNOFILE=16384',
      'UMask=0027',
      'NoNewPrivileges=yes',
      'ProtectSystem=full',
      'ReadWritePaths=/srv/xephang/data',
      'PrivateTmp=yes',
      'WantedBy=multi-user.target',
    ]);
    expect(CLI.endsWith('/apps/hub/dist/src/cli.js')).toBe(true);
    // What runs is the build itself, never a build step (npm start builds what is stale).
    expect(/^ExecStart=(.*)$/m.exec(unit)![1]).not.toMatch(/npm|tsc|start\.mjs/);
  });

  it('never holds a password, whatever the installer has in its environment', () => {
    const before = process.env.XEPHANG_ADMIN_PASSWORD;
    process.env.XEPHANG_ADMIN_PASSWORD = 'mat-khau-cai-dat-9!';
    try {
      const unit = systemdUnit({ ...base, hostNames: ['may-chu.lan'], logDays: 7, logMaxMb: 5 });
      expect(unit).not.toContain('mat-khau-cai-dat-9!');
      expect(unit).not.toMatch(/PASSWORD|Environment/);
      expect(unit).toContain('/srv/xephang/data/admin-password.txt');
    } finally {
      if (before === undefined) delete process.env.XEPHANG_ADMIN_PASSWORD;
      else process.env.XEPHANG_ADMIN_PASSWORD = before;
    }
  });

  it('passes the hub options it was given, and a port under 1024 gets its one capability', () => {
    const unit = systemdUnit({ ...base, port: 80, host: '192.168.1.10', hostNames: ['a.lan', 'b.lan'], noDiscovery: true, logDays: 7, logMaxMb: 0.5 });
    expect(unit).toContain(`ExecStart=${process.execPath} ${CLI} --data-dir /srv/xephang/data --port 80 --host 192.168.1.10 --host-name a.lan --host-name b.lan --no-discovery --log --log-days 7 --log-max-mb 0.5\n`);
    expect(unit).toContain('AmbientCapabilities=CAP_NET_BIND_SERVICE');
    expect(systemdUnit({ ...base, port: 80, user: 'root' })).not.toContain('AmbientCapabilities');
    expect(systemdUnit(base)).not.toContain('AmbientCapabilities');
  });

  it('quotes what systemd would split or expand, and reads its own unit back', () => {
    expect(execWord('/srv/xephang/data')).toBe('/srv/xephang/data');
    expect(execWord('/srv/dữ liệu 100%/$HOME')).toBe('"/srv/dữ liệu 100%%/$$HOME"');
    expect(execWord('a"b\\c')).toBe('"a\\"b\\\\c"');
    const odd = '/srv/dữ liệu 100%/$HOME "x"';
    const unit = systemdUnit({ ...base, dataDir: odd, port: 8181, host: '0.0.0.0' });
    expect(unquoteExec(/^ExecStart=(.*)$/m.exec(unit)![1]!).slice(2, 6)).toEqual(['--data-dir', odd, '--port', '8181']);
    expect(readUnit(unit)).toEqual({ dataDir: odd, port: 8181, host: '0.0.0.0', user: 'xephang' });
  });

  it('refuses what cannot go in a unit: a relative path, a line break, a strange user', () => {
    expect(unitProblem(base)).toBeUndefined();
    expect(unitProblem({ ...base, dataDir: 'data' })).toContain('đường dẫn tuyệt đối');
    expect(unitProblem({ ...base, dataDir: '/srv/a\nExecStartPre=/bin/rm' })).toContain('xuống dòng');
    expect(unitProblem({ ...base, user: 'x y' })).toContain('không hợp lệ');
    expect(unitProblem({ ...base, hostNames: ['a b'] })).toContain('dấu cách');
  });

  it('is accepted by systemd-analyze verify, plain and with a data folder full of spaces, % and $', () => {
    const plain = verify(systemdUnit({ ...base, user: 'root' }));
    expect(plain).toEqual({ status: 0, said: '' });
    const odd = verify(systemdUnit({ ...base, user: 'root', dataDir: '/srv/dữ liệu 100%/$HOME', port: 80, hostNames: ['may-chu.lan'], logDays: 7, logMaxMb: 2.5 }));
    expect(odd).toEqual({ status: 0, said: '' });
    // The check is real: a broken unit is refused (or at least talked about).
    const broken = verify(systemdUnit({ ...base, user: 'root' }).replace('RestartSec=5', 'RestartSec=năm').replace(process.execPath, '/nonexistent/node'));
    expect(broken.status !== 0 || broken.said !== '').toBe(true);
    expect(broken.said).toContain('/nonexistent/node');
  });
});
