import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EnrolRequestSchema, PUSH_MAX_BYTES, PROVINCE_API_VERSION } from '@xephang/protocol';
import type { AdminSessions } from './admin';
import { parseJson, readBody } from './body';
import { addCommune, enrol, listCommunes, renameCommune, revokeCommune, rotateCommune, zodMessage } from './communes';
import type { Pool } from './db';
import { buckets, LIMITS } from './limits';
import { parsePush, type Ingest } from './push';
import { Refused } from './refused';
import { communeReport } from './report';

/** Bodies other than a push (admin, enrolment) are small JSON. */
const SMALL_BODY_BYTES = 64 * 1024;

export interface ProvinceHttpDeps {
  pool: Pool;
  ingest: Ingest;
  admin: AdminSessions;
  /** Take the client's address from the last X-Forwarded-For hop (only behind a proxy that sets it). */
  trustProxy: boolean;
  log: (line: string) => void;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The province's HTTP API (docs in packages/protocol/src/province.ts and docs/deploy.md). Every
 * refusal is `{ error: { code, message } }`; a handler never throws into node:http.
 *
 * No Host check, unlike the hub: the province sits behind a reverse proxy that terminates TLS
 * and forwards whatever public name it answers to, and nothing here rides on ambient
 * credentials (no cookies: hubs and admins send a bearer token), so a DNS-rebinding page in a
 * browser has nothing to borrow. The hub checks Host because its LAN screens trust the origin.
 */
export function provinceHttp(deps: ProvinceHttpDeps): Server {
  const { pool, ingest, admin, log } = deps;
  const perAddress = buckets(LIMITS.perAddress);
  const perToken = buckets(LIMITS.pushPerToken);
  const enrolments = buckets(LIMITS.enrolPerAddress);

  const addressOf = (req: IncomingMessage): string => {
    const forwarded = deps.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() : undefined;
    return forwarded || req.socket.remoteAddress || 'unknown';
  };
  const limit = (waitMs: number) => {
    if (waitMs > 0) throw new Refused('rate_limited', `Gửi quá nhanh; thử lại sau ${Math.ceil(waitMs / 1000)} giây.`, { retryAfterS: Math.ceil(waitMs / 1000) });
  };
  const bearer = (req: IncomingMessage): string => {
    const token = /^Bearer (\S{16,200})$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new Refused('unauthorized', 'Thiếu khóa gửi dữ liệu (Authorization: Bearer …). Quản trị xã cần đăng ký với tỉnh.');
    return token;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://province');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const address = addressOf(req);

    if (method === 'POST' && path === '/api/v1/push') {
      limit(perAddress.take(address));
      const token = bearer(req);
      limit(perToken.take(token));
      const body = await readBody(req, PUSH_MAX_BYTES);
      const batch = parsePush(body);
      return send(res, 200, await ingest.push(token, batch, Buffer.byteLength(body)));
    }
    if (method === 'POST' && path === '/api/v1/enrol') {
      limit(perAddress.take(address));
      limit(enrolments.take(address));
      const body = parseJson(await readBody(req, SMALL_BODY_BYTES));
      if (typeof body === 'object' && body !== null && 'api' in body && body.api !== PROVINCE_API_VERSION) {
        throw new Refused('unsupported_version', `Máy chủ tỉnh chỉ hiểu giao thức phiên bản ${PROVINCE_API_VERSION}. Cần cập nhật máy chủ tỉnh.`);
      }
      const parsed = EnrolRequestSchema.safeParse(body);
      if (!parsed.success) throw new Refused('invalid_body', `Dữ liệu đăng ký sai cấu trúc: ${zodMessage(parsed.error)}`);
      return send(res, 200, await enrol(pool, parsed.data, { address }));
    }
    if (method === 'GET' && path === '/api/v1/health') return send(res, 200, { ok: true, api: PROVINCE_API_VERSION });
    if (method === 'POST' && path === '/api/v1/admin/session') {
      return send(res, 200, await admin.login(parseJson(await readBody(req, SMALL_BODY_BYTES)), address));
    }

    // Everything below is the province admin's.
    const communes = /^\/api\/v1\/admin\/communes(?:\/([^/]+)(?:\/(rotate|revoke))?)?$/.exec(path);
    const report = /^\/api\/v1\/communes\/([^/]+)\/report$/.exec(path);
    if (!communes && !report) throw new Refused('not_found', `Không có đường dẫn ${method} ${path}.`);
    admin.check(req.headers.authorization);
    const actor = { address };
    if (report) {
      if (method !== 'GET') throw new Refused('not_found', `Không có đường dẫn ${method} ${path}.`);
      return send(res, 200, await communeReport(pool, decodeURIComponent(report[1]!), url.searchParams));
    }
    const [, code, action] = communes!;
    if (code === undefined) {
      if (method === 'GET') return send(res, 200, await listCommunes(pool));
      if (method === 'POST') return send(res, 201, await addCommune(pool, parseJson(await readBody(req, SMALL_BODY_BYTES)), actor));
    } else if (action === 'rotate' && method === 'POST') {
      return send(res, 200, await rotateCommune(pool, code, actor));
    } else if (action === 'revoke' && method === 'POST') {
      return send(res, 200, await revokeCommune(pool, code, actor));
    } else if (action === undefined && method === 'PATCH') {
      return send(res, 200, await renameCommune(pool, code, parseJson(await readBody(req, SMALL_BODY_BYTES)), actor));
    }
    throw new Refused('not_found', `Không có đường dẫn ${method} ${path}.`);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof Refused) {
        const headers: Record<string, string> = error.extra.retryAfterS ? { 'retry-after': String(error.extra.retryAfterS) } : {};
        // A body refused before it was read is not read at all: the connection closes after the answer.
        if (!req.complete) {
          headers.connection = 'close';
          res.once('finish', () => req.destroy());
        }
        send(res, error.status, error.body(), headers);
        return;
      }
      log(`Lỗi khi xử lý ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      send(res, 500, { error: { code: 'internal', message: 'Lỗi máy chủ tỉnh; máy chủ xã sẽ tự gửi lại sau.' } });
    });
  });
  // A slow or stalled client holds a socket at most this long (a hub on a bad line retries).
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  return server;
}
