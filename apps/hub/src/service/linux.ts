import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartError } from '../data-dir';
import { SERVICE_NAME } from './definition';
import { hubStatusLines } from './status';
import { readUnit, systemdUnit, UNIT_FILE, unitProblem, type UnitOptions } from './systemd';

/** What the Linux actions reach outside themselves; tests and `--no-systemctl` change `systemctl`. */
export interface LinuxDeps {
  unitDir: string;
  /** Runs systemctl; undefined when told not to (`--no-systemctl`). */
  systemctl: ((...args: string[]) => { ok: boolean; output: string }) | undefined;
  /** Whether this process may write /etc/systemd/system and drive systemd. */
  isRoot: boolean;
  /** The command to give back in "run it with sudo" (the same command, absolute paths). */
  sudoCommand: string;
  out: (line?: string) => void;
}

/** systemctl, with its output kept for the messages. */
export function realSystemctl(...args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('systemctl', args, { encoding: 'utf8' });
  if (r.error) return { ok: false, output: r.error.message };
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** A user's uid and gid from the system's account database; undefined when there is no such user. */
export function lookUpUser(name: string): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', [name], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(r.stdout ?? '')?.[1];
  const gid = /gid=(\d+)/.exec(r.stdout ?? '')?.[1];
  if (r.status !== 0 || uid === undefined || gid === undefined) return undefined;
  return { uid: Number(uid), gid: Number(gid) };
}

function needRoot(deps: LinuxDeps, what: string): void {
  if (deps.isRoot) return;
  throw new StartError(`${what} cần quyền quản trị (root). Chạy lại bằng sudo:\n  ${deps.sudoCommand}`);
}

function systemctlOrSay(deps: LinuxDeps, ...args: string[]): void {
  if (!deps.systemctl) {
    deps.out(`(--no-systemctl: bỏ qua systemctl ${args.join(' ')})`);
    return;
  }
  const r = deps.systemctl(...args);
  if (!r.ok) throw new StartError(`systemctl ${args.join(' ')} lỗi: ${r.output || 'không rõ lý do'}`);
}

/**
 * `service install`: writes the unit, gives the data folder to the service's user, then
 * daemon-reload and enable --now. `print` only prints the unit (no root needed).
 * @throws StartError saying what to fix (not root, an unknown user, a path systemd cannot take).
 */
export async function installLinux(o: UnitOptions & { print: boolean; webBuilt: boolean }, deps: LinuxDeps): Promise<void> {
  const problem = unitProblem(o);
  if (problem) throw new StartError(problem);
  const text = systemdUnit(o);
  if (o.print) {
    deps.out(text.trimEnd());
    return;
  }
  if (!o.webBuilt) {
    throw new StartError('Chưa build các màn hình (apps/web/dist): dịch vụ chạy bản đã build, không tự build. Hãy chạy npm run build (không cần sudo) rồi cài lại.');
  }
  // systemd's own folder and systemctl need root; a --unit-dir of one's own with --no-systemctl does not.
  if (deps.systemctl || deps.unitDir.startsWith('/etc/')) needRoot(deps, 'Cài dịch vụ');
  const account = lookUpUser(o.user);
  if (!account) {
    throw new StartError(
      `Không có người dùng "${o.user}" trên máy này. Tạo một người dùng riêng cho máy chủ: sudo useradd --system --no-create-home ${o.user}, ` +
        'hoặc chọn người dùng khác bằng --user.',
    );
  }
  mkdirSync(o.dataDir, { recursive: true });
  if (deps.isRoot && statSync(o.dataDir).uid !== account.uid) {
    // A folder copied or created as root is the usual reason a service cannot write its database.
    const r = spawnSync('chown', ['-R', `${account.uid}:${account.gid}`, o.dataDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new StartError(`Không giao được thư mục dữ liệu ${o.dataDir} cho người dùng ${o.user}: ${r.stderr || r.error?.message}`);
    deps.out(`Đã giao thư mục dữ liệu ${o.dataDir} cho người dùng ${o.user}.`);
  }
  mkdirSync(deps.unitDir, { recursive: true });
  const file = join(deps.unitDir, UNIT_FILE);
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  deps.out(`Đã ghi ${file}.`);
  systemctlOrSay(deps, 'daemon-reload');
  systemctlOrSay(deps, 'enable', '--now', SERVICE_NAME);
  deps.out(`Dịch vụ ${SERVICE_NAME} đã được cài: chạy ngay, tự chạy khi bật máy, tự khởi động lại sau 5 giây nếu dừng bất thường.`);
  deps.out(`Người dùng: ${o.user}. Dữ liệu: ${o.dataDir}. Nhật ký: ${join(o.dataDir, 'logs')}/hub-YYYY-MM-DD.log (giữ 30 ngày, mặc định).`);
  if (!existsSync(join(o.dataDir, 'xephang.sqlite'))) {
    deps.out(`Lần chạy đầu, máy chủ tạo mật khẩu quản trị và ghi vào ${join(o.dataDir, 'admin-password.txt')} (chỉ ${o.user} đọc được): hãy ghi lại rồi xóa tệp đó.`);
  }
  if (deps.systemctl) {
    // The hub says "ready" within a second or two; status then shows the screens' addresses.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    deps.out('');
    await statusLinux(deps);
  } else {
    deps.out(`Xem trạng thái: npm run service -- status`);
  }
}

/** The unit we wrote, read back; undefined when the service is not installed. */
function installedUnit(deps: LinuxDeps): ReturnType<typeof readUnit> | undefined {
  const file = join(deps.unitDir, UNIT_FILE);
  if (!existsSync(file)) return undefined;
  return readUnit(readFileSync(file, 'utf8'));
}

const notInstalled = (deps: LinuxDeps) =>
  new StartError(`Dịch vụ ${SERVICE_NAME} chưa được cài (không có ${join(deps.unitDir, UNIT_FILE)}). Cài: sudo npm run service -- install --data-dir <thư mục dữ liệu>`);

/** The parts of `systemctl show` that status reads. */
function systemdState(deps: LinuxDeps): Record<string, string> | string {
  if (!deps.systemctl) return 'bỏ qua systemctl (--no-systemctl)';
  const r = deps.systemctl('show', SERVICE_NAME, '--property=LoadState,ActiveState,SubState,ActiveEnterTimestamp,MainPID,NRestarts,UnitFileState');
  if (!r.ok) return r.output || 'systemctl không trả lời';
  return Object.fromEntries(r.output.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const STATE_VI: Record<string, string> = {
  active: 'đang chạy',
  activating: 'đang khởi động',
  deactivating: 'đang dừng',
  inactive: 'đã dừng',
  failed: 'lỗi, đã dừng',
  reloading: 'đang nạp lại',
};

/** `service status`: installed or not, running since when, the hub answering, the screens, the log. */
export async function statusLinux(deps: LinuxDeps): Promise<void> {
  const unit = installedUnit(deps);
  if (!unit) throw notInstalled(deps);
  deps.out(`Dịch vụ ${SERVICE_NAME}: đã cài (${join(deps.unitDir, UNIT_FILE)}), người dùng ${unit.user ?? '?'}, dữ liệu ${unit.dataDir ?? '?'}.`);
  const state = systemdState(deps);
  if (typeof state === 'string') {
    deps.out(`Không hỏi được systemd: ${state}`);
  } else {
    const active = state.ActiveState ?? '?';
    const since = state.ActiveEnterTimestamp ? `, từ ${state.ActiveEnterTimestamp}` : '';
    deps.out(`Trạng thái: ${STATE_VI[active] ?? active} (${active}/${state.SubState ?? '?'})${active === 'active' ? since : ''}, PID ${state.MainPID ?? '?'}.`);
    deps.out(`Tự chạy khi bật máy: ${state.UnitFileState === 'enabled' ? 'có' : `không (${state.UnitFileState ?? '?'})`}. Số lần systemd đã khởi động lại: ${state.NRestarts ?? '?'}.`);
  }
  if (unit.dataDir === undefined || unit.port === undefined) {
    deps.out('Tệp dịch vụ không có --data-dir hay --port: hãy cài lại bằng npm run service -- install.');
    return;
  }
  for (const line of await hubStatusLines({ dataDir: unit.dataDir, port: unit.port, ...(unit.host ? { host: unit.host } : {}) })) deps.out(line);
}

/** `service start` / `service stop`. */
export async function startStopLinux(action: 'start' | 'stop', deps: LinuxDeps): Promise<void> {
  if (!installedUnit(deps)) throw notInstalled(deps);
  needRoot(deps, action === 'start' ? 'Chạy dịch vụ' : 'Dừng dịch vụ');
  systemctlOrSay(deps, action, SERVICE_NAME);
  deps.out(
    action === 'start'
      ? `Đã chạy dịch vụ ${SERVICE_NAME}.`
      : `Đã dừng dịch vụ ${SERVICE_NAME}. Nó vẫn tự chạy lại khi bật máy; muốn bỏ hẳn: npm run service -- uninstall.`,
  );
}

/** `service uninstall`: stops it, disables it, removes the unit; the data folder stays. */
export async function uninstallLinux(deps: LinuxDeps): Promise<void> {
  const unit = installedUnit(deps);
  if (!unit) throw notInstalled(deps);
  needRoot(deps, 'Gỡ dịch vụ');
  systemctlOrSay(deps, 'disable', '--now', SERVICE_NAME);
  rmSync(join(deps.unitDir, UNIT_FILE), { force: true });
  systemctlOrSay(deps, 'daemon-reload');
  deps.out(`Đã gỡ dịch vụ ${SERVICE_NAME}. Thư mục dữ liệu ${unit.dataDir ?? ''} được giữ nguyên (cơ sở dữ liệu, bản sao lưu, nhật ký).`);
}
