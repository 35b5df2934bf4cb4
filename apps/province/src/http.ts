import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EnrolRequestSchema, PUSH_MAX_BYTES, PROVINCE_API_VERSION } from '@xephang/protocol';
import { VIETNAM_UTC_OFFSET_MINUTES } from '@xephang/core';
import type { ReportRange } from '@xephang/protocol';
import { reportCsv, reportXlsx, tableCsv, tableXlsx, type Sheet } from '@xephang/reports/export';
import { parseJson, readBody } from './body';
import { addCommune, enrol, listCommunes, renameCommune, revokeCommune, rotateCommune, zodMessage } from './communes';
import type { Pool } from './db';
import { buckets, LIMITS } from './limits';
import { fields, overview } from './overview';
import { provincePages } from './pages';
import { parsePush, type Ingest } from './push';
import { Refused } from './refused';
import { communeReport, rangeOf } from './report';
import { fieldsSheets, overviewSheets } from './sheets';
import { auditLog, createUser, listUsers, requireAdmin, updateUser, type Sessions } from './users';

/** Bodies other than a push (admin, enrolment) are small JSON. */
const SMALL_BODY_BYTES = 64 * 1024;

/**
 * Push bodies (up to PUSH_MAX_BYTES each) read and parsed at once, across the server: beyond
 * this a push is refused (429) before its body is read, so memory and the event loop stay
 * bounded however many hubs (or strangers) send at once. A hub retries after Retry-After.
 */
export const PUSHES_READ_AT_ONCE = 4;

/** Refusals worth a line in the server's log (a hub misconfigured, a copy of a hub, a guesser). */
const LOGGED_PUSH_REFUSALS = new Set(['wrong_commune', 'revoked', 'stale_epoch']);

export interface ProvinceHttpDeps {
  pool: Pool;
  ingest: Ingest;
  sessions: Sessions;
  /** The web build's folder (apps/web/dist): the province's page and its assets. */
  webRoot: string;
  /** Take the client's address from the last X-Forwarded-For hop (only behind a proxy that sets it). */
  trustProxy: boolean;
  log: (line: string) => void;
}

const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The period in a file's name: `2025-W28`, `2025-07`, `2025-07-10`, or `2025-07-01_2025-07-15`. */
function period(range: ReportRange, resolved: { firstDay: string; lastDay: string }): string {
  return range.day ?? range.week ?? range.month ?? `${resolved.firstDay}_${resolved.lastDay}`;
}

/** A file for download: its name in Vietnamese without diacritics (any browser, any disk). */
function sendFile(res: ServerResponse, ext: keyof typeof FILE_TYPES, name: string, body: Buffer): void {
  res.writeHead(200, {
    'content-type': FILE_TYPES[ext],
    'content-length': String(body.length),
    'content-disposition': `attachment; filename="${name}.${ext}"`,
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function tableFile(ext: keyof typeof FILE_TYPES, sheets: Sheet[], title: string, created: number): Promise<Buffer> {
  return ext === 'csv' ? Buffer.from(tableCsv(sheets, VIETNAM_UTC_OFFSET_MINUTES), 'utf8') : tableXlsx(sheets, { title, created, utcOffsetMinutes: VIETNAM_UTC_OFFSET_MINUTES });
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
 * credentials (no cookies: hubs and the province's users send a bearer token), so a DNS-rebinding page in a
 * browser has nothing to borrow. The hub checks Host because its LAN screens trust the origin.
 */
export function provinceHttp(deps: ProvinceHttpDeps): Server {
  const { pool, ingest, sessions, log } = deps;
  const pages = provincePages(deps.webRoot);
  const perAddress = buckets(LIMITS.perAddress);
  const perToken = buckets(LIMITS.pushPerToken);
  const enrolments = buckets(LIMITS.enrolPerAddress);
  let pushesReading = 0;
  // A flood of refusals must not fill the log: a burst of lines, then one a few seconds, and the
  // count of those left out said on the next line written.
  const logLines = buckets(LIMITS.refusalLogLines);
  let unlogged = 0;
  const logRefusal = (line: string) => {
    if (logLines.take('log') > 0) {
      unlogged += 1;
      return;
    }
    log(unlogged ? `${line} (và ${unlogged} lần từ chối khác không ghi vào nhật ký)` : line);
    unlogged = 0;
  };

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
      // The token first (one indexed read): a made-up or revoked one never gets its body read,
      // and the limit is the commune's, not a fresh one for every made-up token.
      const code = await ingest.identify(token);
      limit(perToken.take(code));
      if (pushesReading >= PUSHES_READ_AT_ONCE) {
        throw new Refused('rate_limited', 'Máy chủ tỉnh đang nhận nhiều dữ liệu cùng lúc; máy chủ xã sẽ tự gửi lại sau vài giây.', { retryAfterS: 5 });
      }
      pushesReading += 1;
      let body: string;
      let batch;
      try {
        body = await readBody(req, PUSH_MAX_BYTES);
        batch = parsePush(body);
      } finally {
        pushesReading -= 1;
      }
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
    if (method === 'POST' && (path === '/api/v1/admin/session' || path === '/api/v1/session')) {
      // A right password costs a scrypt too: logins share the per-address budget.
      limit(perAddress.take(address));
      const body = parseJson(await readBody(req, SMALL_BODY_BYTES));
      return send(res, 200, path === '/api/v1/session' ? await sessions.login(body, address) : await sessions.loginAdmin(body, address));
    }
    if (method === 'DELETE' && path === '/api/v1/session') {
      await sessions.logout(req.headers.authorization, address);
      return send(res, 200, { ok: true });
    }
    if (method === 'GET' && path === '/api/v1/me') return send(res, 200, await sessions.check(req.headers.authorization));
    if (!path.startsWith('/api/')) {
      if (method !== 'GET' && method !== 'HEAD') throw new Refused('not_found', `Không có đường dẫn ${method} ${path.slice(0, 200)}.`);
      return pages(req, res, path);
    }

    // Everything below needs a logged-in user; the admin's paths an admin.
    const table = /^\/api\/v1\/(overview|fields)(?:\.(csv|xlsx))?$/.exec(path);
    const report = /^\/api\/v1\/communes\/([^/]+)\/report(?:\.(csv|xlsx))?$/.exec(path);
    const communes = /^\/api\/v1\/admin\/communes(?:\/([^/]+)(?:\/(rotate|revoke))?)?$/.exec(path);
    const users = /^\/api\/v1\/admin\/users(?:\/([^/]+))?$/.exec(path);
    const auditPath = path === '/api/v1/admin/audit';
    const notFound = () => new Refused('not_found', `Không có đường dẫn ${method} ${path.slice(0, 200)}.`);
    if (!table && !report && !communes && !users && !auditPath) throw notFound();
    const user = await sessions.check(req.headers.authorization);
    const actor = { address, user: user.username };
    if (table || report) {
      if (method !== 'GET') throw notFound();
      const range = rangeOf(url.searchParams);
      if (report) {
        let code: string;
        try {
          code = decodeURIComponent(report[1]!);
        } catch {
          throw new Refused('not_found', 'Mã xã trong đường dẫn không đọc được.');
        }
        const r = await communeReport(pool, code, range);
        const ext = report[2] as keyof typeof FILE_TYPES | undefined;
        if (!ext) return send(res, 200, r);
        return sendFile(res, ext, `bao-cao-xa-${code}-${period(range, r.range)}`, ext === 'csv' ? Buffer.from(reportCsv(r), 'utf8') : await reportXlsx(r));
      }
      const [, what, ext] = table!;
      const data = what === 'overview' ? await overview(pool, range) : await fields(pool, range);
      if (!ext) return send(res, 200, data);
      const sheets = 'communes' in data ? overviewSheets(data) : fieldsSheets(data);
      const title = `${what === 'overview' ? 'Tổng hợp các xã' : 'Theo lĩnh vực'} — ${data.range.label}`;
      const name = `${what === 'overview' ? 'tinh-tong-hop' : 'tinh-linh-vuc'}-${period(range, data.range)}`;
      return sendFile(res, ext as keyof typeof FILE_TYPES, name, await tableFile(ext as keyof typeof FILE_TYPES, sheets, title, data.generatedAt));
    }
    requireAdmin(user);
    if (auditPath) {
      if (method !== 'GET') throw notFound();
      return send(res, 200, await auditLog(pool, url.searchParams));
    }
    if (users) {
      const [, username] = users;
      if (username !== undefined && !/^[a-z0-9._-]{3,40}$/.test(username)) throw new Refused('not_found', 'Không có tài khoản này (tên đăng nhập: 3–40 chữ thường, số, dấu chấm, gạch).');
      if (username === undefined && method === 'GET') return send(res, 200, await listUsers(pool));
      if (username === undefined && method === 'POST') return send(res, 201, await createUser(pool, parseJson(await readBody(req, SMALL_BODY_BYTES)), actor));
      if (username !== undefined && method === 'PATCH') return send(res, 200, await updateUser(pool, username, parseJson(await readBody(req, SMALL_BODY_BYTES)), actor));
      throw notFound();
    }
    const [, code, action] = communes!;
    if (code !== undefined && !/^[0-9]{5}$/.test(code)) throw new Refused('not_found', 'Không có xã này (mã xã gồm 5 chữ số).');
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
    throw notFound();
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof Refused) {
        const path = (req.url ?? '').split('?')[0];
        if ((path === '/api/v1/push' && LOGGED_PUSH_REFUSALS.has(error.code)) || (path === '/api/v1/enrol' && error.code !== 'rate_limited')) {
          // The message names communes and epochs, never a token or a key.
          logRefusal(`Từ chối ${path === '/api/v1/push' ? 'lần gửi' : 'đăng ký'} từ ${addressOf(req)}: ${error.code} — ${error.message}`);
        }
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
