import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { QueueError } from '@xephang/core';
import { PairRequestSchema, parsePayload, routeOf, SCREEN_PATHS, standingCall, type HubError, type Snapshot } from '@xephang/protocol';
import type { Access } from '../access';

/** Request bodies are small JSON; anything larger is refused before it is read. */
export const MAX_BODY_BYTES = 4096;

export interface HttpDeps {
  /** The current state; broadcasts whatever it had to commit first (the day turning). */
  snapshot: () => Snapshot;
  access: Access;
  isOpen: () => boolean;
  /** Whether the database takes a write now (checked for real; see hub.ts). */
  writeState: () => { writable: boolean; error?: string };
  extraOrigins: readonly string[];
  /** Whether a `Host` header names this hub (host-names.ts): checked before anything else. */
  hostAllowed: (host: string | undefined, address: string | undefined) => boolean;
  /** Answers `/api/voice/*` (announcement WAVs and voice settings); see voice.ts. */
  voice?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  /** Answers `/api/reports/export.csv|.xlsx|.json` (admin, HTTP Basic); see reports/http.ts. */
  reports?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  /** The built screens (apps/web/dist); without them the screens' addresses show a notice. */
  webRoot: string | undefined;
}

/**
 * Whether a request may act on the hub: browsers send Origin, and only pages the hub served
 * itself (or an origin the technician allowed) may send commands.
 */
export function originAllowed(req: IncomingMessage, extraOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (extraOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The hub's small HTTP API and the screens' pages. */
export function httpHandler(deps: HttpDeps) {
  const screens = deps.webRoot ? screenFiles(deps.webRoot) : undefined;
  const page = deps.webRoot ? screenPage(deps.webRoot) : undefined;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://hub');
    try {
      if (!deps.hostAllowed(req.headers.host, req.socket.remoteAddress)) return error(res, 403, { code: 'forbidden', message: hostRefused(req.headers.host) });
      if (req.method === 'GET' && url.pathname === '/health') {
        if (!deps.isOpen()) return json(res, 503, { ok: false, database: 'closed', writable: false });
        // A hub that answers but cannot write fails every kiosk tap: that is not healthy.
        const write = deps.writeState();
        return write.writable
          ? json(res, 200, { ok: true, database: 'open', writable: true })
          : json(res, 503, { ok: false, database: 'open', writable: false, error: write.error });
      }
      if (req.method === 'GET' && url.pathname === '/api/state') return json(res, 200, publicState(deps.snapshot()));
      if (url.pathname === '/api/pair') {
        if (req.method !== 'POST') return error(res, 405, { code: 'invalid_payload', message: 'Dùng POST cho /api/pair.' });
        if (!originAllowed(req, deps.extraOrigins)) return error(res, 403, { code: 'forbidden', message: 'Trang này không được phép ghép nối với máy chủ.' });
        const body = await readJson(req);
        const parsed = parsePayload(PairRequestSchema, body);
        if (!parsed.ok) return error(res, 400, parsed.error);
        return json(res, 200, { ok: true, data: deps.access.pair(parsed.data.code, parsed.data.name, req.socket.remoteAddress ?? '') });
      }
      if (deps.voice && url.pathname.startsWith('/api/voice/')) return await deps.voice(req, res, url);
      if (deps.reports && url.pathname.startsWith('/api/reports/')) return await deps.reports(req, res, url);
      if (url.pathname.startsWith('/api/')) return error(res, 404, { code: 'not_found', message: `Không có địa chỉ ${url.pathname}.` });
      if (page && (req.method === 'GET' || req.method === 'HEAD')) {
        const screen = routeOf(url.pathname).screen;
        if (screen !== 'not-found') return page(req, res, screen, deps.snapshot().centerName);
      }
      // The province server's pages share the build's folder (apps/web/vite.config.mts) but are
      // not a commune's: a hub answers them as any unknown page.
      if (PROVINCE_PAGE.test(url.pathname)) return error(res, 404, { code: 'not_found', message: `Không có trang ${url.pathname}.` });
      if (screens && (req.method === 'GET' || req.method === 'HEAD')) {
        return screens(req, res, () => error(res, 404, { code: 'not_found', message: `Không có trang ${url.pathname}.` }));
      }
      if (req.method === 'GET' && isScreenPath(url.pathname)) return placeholder(res, url.pathname);
      return error(res, 404, { code: 'not_found', message: `Không có trang ${url.pathname}.` });
    } catch (e) {
      if (e instanceof QueueError) return error(res, e.code === 'unauthorized' ? 401 : e.code === 'rate_limited' ? 429 : 400, { code: e.code, message: e.message });
      if (e instanceof BodyError) return error(res, e.status, { code: 'invalid_payload', message: e.message });
      return error(res, 500, { code: 'internal', message: 'Máy chủ gặp lỗi; không có gì bị thay đổi. Hãy thử lại.' });
    }
  };
}

/** The province's page in the build's folder (sirv would also find it as `/province`, and its compressed copies). */
const PROVINCE_PAGE = /^\/province(\.html)?(\.br|\.gz)?\/?$/i;

/** Where the build puts its chunks: each name holds a hash of its content, so a name never changes meaning. */
const HASHED_ASSETS = '/assets/';

/**
 * The built screens. Every screen is the same single page; it reads its role from the address.
 * The build wrote `x.br` and `x.gz` beside each text file (apps/web/vite.config.mts): sirv sends
 * the one the browser accepts as it is (`Content-Encoding`, `Vary: Accept-Encoding`), so nothing
 * is compressed per request. A hashed chunk is cached for good; the page itself is revalidated
 * (its ETag) every time, so a TV picks up a new build at its next reload.
 */
function screenFiles(webRoot: string) {
  return sirv(webRoot, {
    single: true,
    dev: false,
    etag: true,
    brotli: true,
    gzip: true,
    setHeaders: (res, pathname) => {
      // Without a Cache-Control a browser may reuse the page by heuristics and ask for chunks a new build removed.
      res.setHeader('Cache-Control', pathname.startsWith(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** Where the page's frame (apps/web/index.html) takes the center's name. */
const CENTER_NAME_MARK = '<!--center-name-->';
/** A center renames itself rarely; a few pages per screen are plenty. */
const MAX_PAGES = 32;

/** One screen's page as sent: as it is and compressed, and the tag a browser revalidates it with. */
interface Page {
  raw: Buffer;
  br?: Buffer;
  gz?: Buffer;
  etag: string;
}

/**
 * The page every screen loads, with what it can show before any script runs written in: the
 * screen's name on `<body data-screen>` (the app sets the same) and the center's name in the
 * frame the web app's index.html holds. The waiting-room TV shows that frame (its header and
 * "Đang kết nối…") at its first paint, while an old TV's CPU still evaluates the script.
 * Made once per screen and name, compressed when first asked that way; revalidated (ETag,
 * `no-cache`) like the file sirv sends, so a TV picks up a new build or name at its next reload.
 * Without the build's index.html, sirv's answer stands.
 */
function screenPage(webRoot: string) {
  const file = join(webRoot, 'index.html');
  if (!existsSync(file)) return undefined;
  const template = readFileSync(file, 'utf8');
  const pages = new Map<string, Page>();
  const pageOf = (screen: string, centerName: string): Page => {
    const key = `${screen}\n${centerName}`;
    let page = pages.get(key);
    if (!page) {
      // Replaced by functions: a name holding `$&` or `$'` is text, not a replacement pattern.
      const html = template.replace('<body>', () => `<body data-screen="${escapeHtml(screen)}">`).replace(CENTER_NAME_MARK, () => escapeHtml(centerName));
      const raw = Buffer.from(html);
      page = { raw, etag: `W/"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"` };
      if (pages.size >= MAX_PAGES) pages.clear();
      pages.set(key, page);
    }
    return page;
  };
  return (req: IncomingMessage, res: ServerResponse, screen: string, centerName: string): void => {
    const page = pageOf(screen, centerName);
    const headers: Record<string, string> = { 'content-type': 'text/html;charset=utf-8', 'cache-control': 'no-cache', vary: 'Accept-Encoding', etag: page.etag };
    if (req.headers['if-none-match'] === page.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const accepted = req.headers['accept-encoding'] ?? '';
    let body = page.raw;
    if (/\bbr\b/i.test(accepted)) {
      page.br ??= brotliCompressSync(page.raw, { params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: page.raw.length } });
      body = page.br;
      headers['content-encoding'] = 'br';
    } else if (/\bgzip\b/i.test(accepted)) {
      page.gz ??= gzipSync(page.raw, { level: constants.Z_BEST_COMPRESSION });
      body = page.gz;
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/** Why a request naming another host is refused, for the technician who typed the address. */
export function hostRefused(host: string | undefined): string {
  return (
    `Máy chủ không nhận tên "${(host ?? '').slice(0, 80)}": hãy mở bằng địa chỉ IP của máy chủ, localhost, tên máy, ` +
    'hoặc một tên đã thêm bằng --host-name. (This hub does not answer to that Host name.)'
  );
}

/**
 * What a display shows, as JSON: services with their waiting counts, counters with their
 * number. A counter's `current` is the call that stands there (`standingCall`, the TV's rule):
 * a ticket left open since an earlier day and not called again today is not shown.
 */
export function publicState(s: Snapshot) {
  return {
    centerName: s.centerName,
    day: s.day,
    seq: s.seq,
    notice: s.notice,
    services: s.services
      .filter((v) => v.active)
      .map((v) => ({ id: v.id, nameVi: v.nameVi, nameEn: v.nameEn, kind: v.kind, ...s.load[v.id] })),
    counters: s.counters.map((c) => {
      const t = standingCall(s, c.id);
      return {
        id: c.id,
        name: c.name,
        status: c.status,
        pauseReason: c.pauseReason,
        serviceIds: c.serviceIds,
        current: t ? { number: t.number, serviceId: t.serviceId, state: t.state } : null,
      };
    }),
    recentCalls: s.recentCalls,
  };
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new BodyError(415, 'Nội dung phải là JSON (Content-Type: application/json).');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyError(413, `Nội dung quá lớn (tối đa ${MAX_BODY_BYTES} byte).`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `Nội dung quá lớn (tối đa ${MAX_BODY_BYTES} byte).`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, 'Nội dung không phải JSON hợp lệ.');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function error(res: ServerResponse, status: number, err: HubError): void {
  json(res, status, { ok: false, error: err });
}

function isScreenPath(path: string): boolean {
  return path === '/' || SCREEN_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

function placeholder(res: ServerResponse, path: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>xephang</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>xephang</h1>
<p>Máy chủ đang chạy nhưng các màn hình chưa được build. Hãy chạy <code>npm run build</code> rồi tải lại trang <code>${escapeHtml(path)}</code>.</p>
<p>The hub is running but the screens are not built: run <code>npm run build</code>, then reload.
See <a href="/api/state">/api/state</a>.</p></body></html>`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
