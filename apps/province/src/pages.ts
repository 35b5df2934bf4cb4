import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

/**
 * The province's pages: apps/web's second entry (province.html, built by `npm run build`) and
 * its assets, from the web build's folder. Only that page and files that are not pages: the
 * hub's screens (index.html) live in the same folder and are never served here.
 */

/** What a page may load: only this server's own scripts, styles, fonts and data; no frames. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.map': 'application/json; charset=utf-8',
};

/** Where the build puts its chunks: each name holds a hash of its content, so it is cached for good. */
const ASSETS = /^\/assets\/[A-Za-z0-9._-]+$/;
/** The few files at the build's root beside the pages (the icon). */
const ROOT_FILES = /^\/[A-Za-z0-9_-]+\.(png|svg|ico|txt)$/;

interface Served {
  raw: Buffer;
  br: Buffer | undefined;
  gz: Buffer | undefined;
  etag: string;
  mtimeMs: number;
}

const optional = (path: string) => readFile(path).catch(() => undefined);

/** The page served while the screens are not built: the API works, the pages need `npm run build`. */
const NOT_BUILT = Buffer.from(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>xephang — máy chủ tỉnh</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Máy chủ tỉnh đang chạy</h1>
<p>Các trang báo cáo của tỉnh chưa được build. Hãy chạy <code>npm run build</code> rồi tải lại trang này.</p>
<p lang="en">The province server is running, but its pages are not built: run <code>npm run build</code>, then reload.</p>
</body></html>`);

/**
 * Answers a GET or HEAD of a path that is not the API: an asset or root file if there is one,
 * else province.html (the pages route in the browser), with its security headers; a file
 * ending in .html is never served but that one. Text files go out as the build's `.br`/`.gz`
 * copies to a browser that takes them (the build compressed them once).
 */
export function provincePages(webRoot: string) {
  const cache = new Map<string, Served>();
  const load = async (path: string): Promise<Served | undefined> => {
    let info;
    try {
      info = await stat(path);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const known = cache.get(path);
    if (known && known.mtimeMs === info.mtimeMs) return known;
    const raw = await readFile(path);
    const served = {
      raw,
      br: await optional(`${path}.br`),
      gz: await optional(`${path}.gz`),
      etag: `W/"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
      mtimeMs: info.mtimeMs,
    };
    if (cache.size > 500) cache.clear();
    cache.set(path, served);
    return served;
  };

  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const asset = ASSETS.test(pathname) || ROOT_FILES.test(pathname);
    const file = asset ? await load(join(webRoot, pathname)) : undefined;
    if (asset && !file && ASSETS.test(pathname)) {
      // A chunk of another build: say so plainly, not with the page (a script would parse HTML).
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      res.end(`Không có tệp ${pathname}.`);
      return;
    }
    const page = file ? undefined : await load(join(webRoot, 'province.html'));
    const served = file ?? page;
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (!served) {
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CONTENT_SECURITY_POLICY });
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return;
    }
    headers['content-type'] = file ? (TYPES[extname(pathname)] ?? 'application/octet-stream') : TYPES['.html']!;
    headers['cache-control'] = file && ASSETS.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache';
    headers.etag = served.etag;
    headers.vary = 'Accept-Encoding';
    if (!file) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    if (req.headers['if-none-match'] === served.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const accepted = String(req.headers['accept-encoding'] ?? '');
    let body = served.raw;
    if (served.br && /\bbr\b/i.test(accepted)) {
      body = served.br;
      headers['content-encoding'] = 'br';
    } else if (served.gz && /\bgzip\b/i.test(accepted)) {
      body = served.gz;
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
