import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian puts what the rig runs, and the package each comes from. */
const PROGRAMS: Record<string, { path: string; apt: string }> = {
  cupsd: { path: '/usr/sbin/cupsd', apt: 'cups-daemon' },
  lpadmin: { path: '/usr/sbin/lpadmin', apt: 'cups-client' },
  lp: { path: '/usr/bin/lp', apt: 'cups-client' },
  lpstat: { path: '/usr/bin/lpstat', apt: 'cups-client' },
  cupsenable: { path: '/usr/sbin/cupsenable', apt: 'cups-client' },
  // The socket:// backend ships in the `cups` package, not in cups-daemon.
  socket: { path: '/usr/lib/cups/backend/socket', apt: 'cups' },
};

export interface CupsRig {
  /** `127.0.0.1:PORT`, for `-h` and `cupsSpooler({ server })`. */
  server: string;
  port: number;
  /** The rig's folder: configuration, spool, logs. */
  dir: string;
  /** Creates (or points again) a raw queue at `deviceUri`, enabled and accepting. */
  addRawQueue(name: string, deviceUri: string): Promise<void>;
  /** Runs one CUPS client (`cupsdisable`, `cupsreject`, `lpstat`, `cancel`...) against this cupsd. */
  client(program: string, args: string[]): Promise<string>;
  /** cupsd's error log so far (for failing tests). */
  log(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on at the moment of asking (for cupsd, or a printer that is down). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Names the apt packages when a program of the rig is not installed. */
function requirePrograms(): void {
  const missing = Object.values(PROGRAMS).filter((p) => spawnSync('test', ['-x', p.path]).status !== 0);
  if (missing.length) {
    const apt = [...new Set(missing.map((p) => p.apt))].join(' ');
    throw new Error(`CUPS rig: missing ${missing.map((p) => p.path).join(', ')}. Install Debian's packages: apt-get install --no-install-recommends ${apt}`);
  }
}

const C_LOCALE = { ...process.env, LC_ALL: 'C', LANG: 'C' };

function runClient(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: C_LOCALE, timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout + stderr);
    });
  });
}

/**
 * A private cupsd for one test file: its own folder (configuration, spool, cache, state, logs),
 * listening on 127.0.0.1 at a free port only (no domain socket, no Browsing, no web interface,
 * no authentication), run in the foreground as a child and stopped by `stop()`. It never touches
 * /etc/cups or /run/cups, so several rigs and a system cupsd can run side by side. As root (CI),
 * cupsd runs its backends as the `lp` user and fixes the folders' groups itself; as a normal user
 * it runs them as that user.
 * @throws Error naming the apt packages when CUPS is not installed, or cupsd did not start.
 */
export async function startCups(): Promise<CupsRig> {
  requirePrograms();
  const dir = mkdtempSync(join(tmpdir(), 'xephang-cups-'));
  // mkdtemp makes 0700; the backends, run as `lp` under a root cupsd, must reach the spool.
  chmodSync(dir, 0o755);
  for (const d of ['spool/tmp', 'cache', 'state', 'log', 'ppd']) mkdirSync(join(dir, d), { recursive: true });
  let child: ChildProcess | undefined;
  let port = 0;
  // A free port found by binding port 0 can be taken before cupsd binds it: try a few.
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    writeFileSync(
      join(dir, 'cups-files.conf'),
      [
        `ServerRoot ${dir}`,
        `RequestRoot ${join(dir, 'spool')}`,
        `TempDir ${join(dir, 'spool/tmp')}`,
        `CacheDir ${join(dir, 'cache')}`,
        `StateDir ${join(dir, 'state')}`,
        `AccessLog ${join(dir, 'log/access_log')}`,
        `ErrorLog ${join(dir, 'log/error_log')}`,
        `PageLog ${join(dir, 'log/page_log')}`,
        `Printcap ${join(dir, 'printcap')}`,
        `ServerKeychain ${join(dir, 'ssl')}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'cupsd.conf'),
      [
        'LogLevel info',
        `Listen 127.0.0.1:${port}`,
        'Browsing No',
        'WebInterface No',
        'DefaultAuthType None',
        '<Location />',
        '  Order allow,deny',
        '  Allow from 127.0.0.1',
        '</Location>',
        // No operation asks for a password: the rig is reachable from 127.0.0.1 only.
        '<Policy default>',
        '  JobPrivateAccess all',
        '  JobPrivateValues none',
        '  SubscriptionPrivateAccess all',
        '  SubscriptionPrivateValues none',
        '  <Limit All>',
        '    Order deny,allow',
        '  </Limit>',
        '</Policy>',
        '',
      ].join('\n'),
    );
    const started = spawn(PROGRAMS.cupsd!.path, ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: C_LOCALE,
    });
    let output = '';
    started.stdout.on('data', (c: Buffer) => (output += c.toString()));
    started.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const up = await waitForCupsd(started, port, dir);
    if (up) child = started;
    else {
      started.kill('SIGKILL');
      if (attempt === 2) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`CUPS rig: cupsd did not start on 127.0.0.1:${port}: ${output}${readLog(dir)}`);
      }
    }
  }
  const server = `127.0.0.1:${port}`;
  const cupsd = child!;
  // cupsd outlives a test process that dies before stop(): kill it with its parent.
  const killOnExit = () => cupsd.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    server,
    port,
    dir,
    async addRawQueue(name, deviceUri) {
      // No -m: CUPS 2.4 makes a queue without a PPD a raw queue (it warns that raw queues are
      // deprecated; they are still what a kiosk needs to pass ESC/POS bytes untouched).
      await runClient('lpadmin', ['-h', server, '-p', name, '-E', '-v', deviceUri, '-o', 'printer-is-shared=false']);
      await runClient('cupsenable', ['-h', server, name]);
      await runClient('cupsaccept', ['-h', server, name]);
    },
    client: (program, args) => runClient(program, ['-h', server, ...args]),
    log: () => readLog(dir),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (cupsd.exitCode === null && cupsd.signalCode === null) {
        const exited = new Promise<void>((resolve) => cupsd.once('exit', () => resolve()));
        cupsd.kill('SIGTERM');
        const timer = setTimeout(() => cupsd.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'log/error_log'), 'utf8');
  } catch {
    return '';
  }
}

/** Resolves true once cupsd answers `lpstat -r`, false if it exited or stayed silent 10 s. */
async function waitForCupsd(child: ChildProcess, port: number, dir: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    // Listening on our port (not some other process that took it in the meantime).
    if (!readLog(dir).includes(`127.0.0.1:${port} on fd`)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const ok = await runClient('lpstat', ['-h', `127.0.0.1:${port}`, '-r']).then(
      (out) => out.includes('scheduler is running'),
      () => false,
    );
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
