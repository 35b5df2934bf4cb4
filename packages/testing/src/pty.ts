import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Two pseudo-terminals joined by socat: what one side writes the other reads, as on a serial cable. */
export interface PtyPair {
  /** The kiosk's side: the path a serial transport opens, as it would COM3 or /dev/ttyUSB0. */
  readonly kiosk: string;
  /** The printer's side: the fake printer serves it. */
  readonly printer: string;
  /** Whether socat still runs (a stopped pair is a printer switched off: its links are gone). */
  readonly running: boolean;
  /** Stops socat (its links disappear with it) and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `socat` with a raw pseudo-terminal pair, `kiosk` and `printer` links in a
 * temporary folder, and resolves once both links exist.
 * @throws Error naming the Debian package when socat is not installed, or with socat's words when it fails.
 */
export async function ptyPair(opts: { socat?: string; timeoutMs?: number } = {}): Promise<PtyPair> {
  const socat = opts.socat ?? 'socat';
  const timeoutMs = opts.timeoutMs ?? 5000;
  const probe = spawnSync(socat, ['-V'], { stdio: 'ignore' });
  if (probe.error) {
    throw new Error(`socat is needed for the serial-line tests and was not found (${probe.error.message}): apt-get install socat (Debian package "socat"; .ci/run installs it).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'xephang-pty-'));
  const kiosk = join(dir, 'kiosk');
  const printer = join(dir, 'printer');
  const child = spawn(socat, ['-d', '-d', `pty,raw,echo=0,link=${kiosk}`, `pty,raw,echo=0,link=${printer}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (log += chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await exit;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  while (!(existsSync(kiosk) && existsSync(printer))) {
    if (exited || Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`socat did not make the pseudo-terminal pair in ${timeoutMs} ms: ${log.trim() || '(nothing on stderr)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    kiosk,
    printer,
    get running() {
      return !exited;
    },
    stop,
  };
}
