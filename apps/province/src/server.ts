import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensurePartitions, migrate, openPool, type Pool } from './db';
import { provinceHttp } from './http';
import { createIngest } from './push';
import { sessions } from './users';

export interface ProvinceOptions {
  pool: Pool;
  port: number;
  host: string;
  trustProxy?: boolean;
  /** The web build's folder with province.html and its assets (default: apps/web/dist beside this app). */
  webRoot?: string;
  log?: (line: string) => void;
}

/** apps/web/dist, seen from apps/province/dist/src. */
export const DEFAULT_WEB_ROOT = join(__dirname, '..', '..', '..', 'web', 'dist');

export interface Province {
  port: number;
  /** Stops taking requests and waits for those under way (the pool is the caller's). */
  close: () => Promise<void>;
}

/** Every hour the receipt log's partitions for this month and the next are made if missing. */
const PARTITION_CHECK_MS = 3_600_000;

/**
 * The province server: migrations, the receipt log's partitions, the HTTP API on host:port.
 * Resolves once it listens.
 * @throws Error when the database is newer than the code or cannot be reached, or the port is taken.
 */
export async function startProvince(options: ProvinceOptions): Promise<Province> {
  const log = options.log ?? (() => undefined);
  const { pool } = options;
  const applied = await migrate(pool);
  if (applied.length) log(`Cơ sở dữ liệu: đã áp dụng bản cập nhật ${applied.join(', ')}.`);
  const ingest = createIngest(pool);
  await ingest.ready(Date.now());
  const timer = setInterval(() => {
    ensurePartitions(pool, Date.now()).catch((error: unknown) => log(`Không tạo trước được phân vùng nhật ký nhận: ${String(error)}`));
  }, PARTITION_CHECK_MS);
  timer.unref();
  const server = provinceHttp({ pool, ingest, sessions: sessions(pool), webRoot: options.webRoot ?? DEFAULT_WEB_ROOT, trustProxy: options.trustProxy ?? false, log });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      clearInterval(timer);
      server.closeIdleConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

export { openPool };
