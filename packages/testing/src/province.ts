import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@xephang/province/embedded';

/**
 * The province server's test rig (issue 18): a real PostgreSQL (the embedded one's binaries,
 * in a temporary folder, on a free port; as root it runs as a system user, see
 * apps/province/src/embedded.ts), a database per test, and the BUILT province server as a
 * process on 127.0.0.1 port 0, as the hub's tests start the hub.
 *
 * One PostgreSQL per test file (start it in beforeAll: about 2 s with initdb on this machine),
 * a database per test (createDatabase: tens of ms).
 */

/** The built server's command line, found through the province's declared `./cli` entry. */
export const PROVINCE_CLI = builtProvinceCli();

function builtProvinceCli(): string {
  try {
    return require.resolve('@xephang/province/cli');
  } catch (error) {
    throw new Error(`The province server is not built (${error instanceof Error ? error.message : String(error)}): run npx tsc -b first.`);
  }
}

export const PROVINCE_ADMIN_PASSWORD = 'test-province-admin-password';

export interface TestPostgres {
  /** The maintenance database's URL (createDatabase makes one per test in it). */
  url: string;
  /** How long the start took (initdb included), ms. */
  startMs: number;
  stop: () => Promise<void>;
}

/** Starts a throwaway PostgreSQL (temporary folder, free port, no fsync), removed at stop. */
export async function startPostgres(): Promise<TestPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xephang-pg-'));
  const started = performance.now();
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: 0, fast: true });
    // A test process that ends without stop() (a failed beforeAll, jest's forced exit) must not
    // leave a PostgreSQL behind: its immediate shutdown, sent synchronously at exit.
    const orphaned = () => server.child.kill('SIGQUIT');
    process.once('exit', orphaned);
    return {
      url: server.url,
      startMs: Math.round(performance.now() - started),
      stop: async () => {
        process.off('exit', orphaned);
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs one query on `url` with a connection of its own. */
export async function queryDb<R extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the server of `url`; drop() removes it (ending its sessions). */
export async function createDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await queryDb(url, `CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { url: target.toString(), drop: async () => void (await queryDb(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

export interface ProvinceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  adminPassword: string;
  /** Everything the process printed so far. */
  output: () => string;
  /** A fresh admin session's bearer token. */
  admin: () => Promise<string>;
  /** A fresh session of a province user (`POST /api/v1/session`): its bearer token. */
  login: (username: string, password: string) => Promise<string>;
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>;
  /** A signal (SIGKILL by default: the power cut) and wait for the exit. */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts the server again on the same database and port. */
  restart: () => Promise<ProvinceProcess>;
}

/**
 * Starts the built province server on 127.0.0.1 against `databaseUrl`, and resolves once it
 * printed its port. Its admin password is PROVINCE_ADMIN_PASSWORD (set on its first start).
 */
export async function startProvinceProcess(opts: { databaseUrl: string; env?: Record<string, string>; port?: number; args?: string[] }): Promise<ProvinceProcess> {
  const args = [PROVINCE_CLI, '--host', '127.0.0.1', '--port', String(opts.port ?? 0), ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, XEPHANG_PROVINCE_ADMIN_PASSWORD: PROVINCE_ADMIN_PASSWORD, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /ready on port (\d+)/.exec(output);
      if (m) done(Number(m[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`province server exited (${code}) before it was ready:\n${output}`)));
    setTimeout(() => fail(new Error(`province server not ready after 30 s:\n${output}`)), 30_000).unref();
  });
  const url = `http://127.0.0.1:${port}`;
  const province: ProvinceProcess = {
    url,
    port,
    child,
    adminPassword: opts.env?.XEPHANG_PROVINCE_ADMIN_PASSWORD ?? PROVINCE_ADMIN_PASSWORD,
    output: () => output,
    admin: async () => {
      const res = await fetch(`${url}/api/v1/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: province.adminPassword }) });
      const body = (await res.json()) as { token?: string; error?: { message: string } };
      if (!res.ok || !body.token) throw new Error(`admin login refused (${res.status}): ${body.error?.message}`);
      return body.token;
    },
    login: async (username, password) => {
      const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      const body = (await res.json()) as { token?: string; error?: { message: string } };
      if (!res.ok || !body.token) throw new Error(`login of ${username} refused (${res.status}): ${body.error?.message}`);
      return body.token;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    restart: async () => {
      await province.stop();
      return startProvinceProcess({ ...opts, port });
    },
  };
  return province;
}

/** Creates a commune through the admin API and returns its one-time enrolment key. */
export async function addCommune(province: Pick<ProvinceProcess, 'url'>, adminToken: string, code: string, name: string): Promise<string> {
  const res = await fetch(`${province.url}/api/v1/admin/communes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ code, name }),
  });
  const body = (await res.json()) as { enrolmentKey?: string; error?: { message: string } };
  if (!res.ok || !body.enrolmentKey) throw new Error(`commune ${code} not created (${res.status}): ${body.error?.message}`);
  return body.enrolmentKey;
}
