import { hubArgs, rootOf, SERVICE_DESCRIPTION, SERVICE_NAME, type HubRun } from './definition';

export const UNIT_DIR = '/etc/systemd/system';
export const UNIT_FILE = `${SERVICE_NAME}.service`;

export interface UnitOptions extends HubRun {
  /** The account the hub runs as (it owns the data folder). */
  user: string;
}

/** Turns the unit's quoting back into words (for `status` and `uninstall`, reading a unit we wrote). */
export function unquoteExec(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const word = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    words.push(word.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

/** One ExecStart word: systemd expands % and $ and splits on spaces, so those are escaped or quoted. */
export function execWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (!/[\s"'\\;]/.test(word) && word !== '') return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A path setting's value (WorkingDirectory=, ReadWritePaths=): % is a specifier there too. */
function pathValue(path: string): string {
  const escaped = path.replace(/%/g, '%%');
  return /\s/.test(path) ? `"${escaped}"` : escaped;
}

/**
 * Says why a value cannot go into a unit: a line break would start a new setting, and a
 * relative path means whatever folder systemd starts in.
 */
export function unitProblem(o: UnitOptions): string | undefined {
  for (const [what, path] of [
    ['Node.js', o.node],
    ['cli.js', o.cli],
    ['thư mục dữ liệu', o.dataDir],
  ] as const) {
    if (!path.startsWith('/')) return `Đường dẫn ${what} phải là đường dẫn tuyệt đối (bắt đầu bằng /), không phải "${path}".`;
    if (/[\n\r\0]/.test(path)) return `Đường dẫn ${what} chứa ký tự xuống dòng.`;
  }
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(o.user)) return `Tên người dùng "${o.user}" không hợp lệ cho systemd.`;
  if ([o.host ?? '', ...(o.hostNames ?? [])].some((v) => /[\s\n\r\0"'\\]/.test(v))) return 'Tên máy chủ (--host, --host-name) không được chứa dấu cách hay dấu nháy.';
  return undefined;
}

/**
 * The systemd unit that runs the hub: the built cli.js as `user`, at boot, restarted after any
 * exit, its log in the data folder. Pure: the same options give the same text.
 */
export function systemdUnit(o: UnitOptions): string {
  const exec = [o.node, o.cli, ...hubArgs(o)].map(execWord).join(' ');
  const lowPort = o.port > 0 && o.port < 1024 && o.user !== 'root';
  return [
    `# ${SERVICE_NAME}: written by \`npm run service -- install\` (apps/hub/src/service). Rewrite it with the same`,
    '# command rather than by hand; `npm run service -- uninstall` removes it and keeps the data folder.',
    '# No admin password is ever written here: on the first start the hub generates one into',
    `# ${o.dataDir}/admin-password.txt (readable by ${o.user} only). Its log: ${o.dataDir}/logs/hub-YYYY-MM-DD.log.`,
    '',
    '[Unit]',
    `Description=${SERVICE_DESCRIPTION}`,
    // A URI: its spaces are %20, and % is a specifier in a unit, hence %%20.
    `Documentation=file://${encodeURI(`${rootOf(o.cli)}/docs/deploy.md`).replace(/%/g, '%%')}`,
    // The screens find the hub by its LAN address: wait for the network, but start anyway.
    'Wants=network-online.target',
    'After=network-online.target',
    // Never give up restarting (systemd stops after 5 starts in 10 s by default): nobody on site
    // would know to reset it, and a hub that waits for a disk or a port comes up once it is there.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `User=${o.user}`,
    `WorkingDirectory=${pathValue(rootOf(o.cli))}`,
    `ExecStart=${exec}`,
    'Restart=always',
    'RestartSec=5',
    // The hub stops on SIGTERM after the tickets in hand are printed and the database is closed.
    'TimeoutStopSec=30',
    // Every screen is a socket: 50 displays, 9 counters and kiosks fit the default, a margin is cheap.
    'LimitNOFILE=16384',
    // The data folder (database, backups, log) is not for other users of the PC.
    'UMask=0027',
    'NoNewPrivileges=yes',
    // /usr, /boot, /efi and /etc read-only for the hub; its data folder is the one place it writes.
    'ProtectSystem=full',
    `ReadWritePaths=${pathValue(o.dataDir)}`,
    'PrivateTmp=yes',
    ...(lowPort ? ['# A port under 1024 needs this one capability, not root.', 'AmbientCapabilities=CAP_NET_BIND_SERVICE'] : []),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** What `status` and `uninstall` need back from a unit we wrote: the data folder, the port, the host. */
export function readUnit(text: string): { dataDir?: string; port?: number; host?: string; user?: string } {
  const exec = /^ExecStart=(.*)$/m.exec(text)?.[1];
  const words = exec === undefined ? [] : unquoteExec(exec);
  const after = (name: string) => {
    const i = words.indexOf(name);
    return i >= 0 ? words[i + 1] : undefined;
  };
  const port = after('--port');
  return {
    dataDir: after('--data-dir'),
    port: port === undefined ? undefined : Number(port),
    host: after('--host'),
    user: /^User=(.*)$/m.exec(text)?.[1],
  };
}
