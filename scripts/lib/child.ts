import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A server started as a child process that printed the port it listens on. */
export interface ServerProcess {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output: () => string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it exited. */
  stop: (graceMs?: number) => Promise<void>;
  /** Whether it exited (or crashed) without `stop` being called. */
  exitedEarly: () => boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort when the parent dies without running its `finally`: kill what we started. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

/**
 * Starts `node <args>` (a server the arguments keep on 127.0.0.1) and resolves once its output
 * matches `ready`, whose first group is the port. Killed with this process if left running.
 * @throws Error when it exits, or has not printed the line after `timeoutMs`.
 */
export async function startServerProcess(opts: {
  name: string;
  args: readonly string[];
  ready: RegExp;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  installExitHook();
  const child = spawn(process.execPath, [...opts.args], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      live.delete(child);
      done();
    }),
  );
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((done, fail) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = opts.ready.exec(output);
        if (m) done(Number(m[1]));
      });
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`${opts.name} exited (${code ?? signal}) before it was ready:\n${output}`)));
      timer = setTimeout(() => fail(new Error(`${opts.name} not ready after ${opts.timeoutMs ?? 15_000} ms:\n${output}`)), opts.timeoutMs ?? 15_000);
    });
    let stopping = false;
    const exitedEarly = () => !stopping && (child.exitCode !== null || child.signalCode !== null);
    const stop = async (graceMs = 5000): Promise<void> => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    };
    return { name: opts.name, port, url: `http://127.0.0.1:${port}`, child, output: () => output, stop, exitedEarly };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** CPU time (user + system, ms) a process used so far; undefined where /proc is missing (Windows, macOS). */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux build Node supports.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
