import { createContext, useContext } from 'react';
import type { ProvinceUser } from '@xephang/protocol';
import { downloadFile } from '../shared/report/download';

/** The session token lives in this tab's sessionStorage only: closing the tab logs out, and no cookie means no CSRF surface. */
export const SESSION_KEY = 'xephang.province.session';

export type Reply<T> = { ok: true; data: T } | { ok: false; status: number; error: { code: string; message: string } };

/**
 * What the province server answers when a request is refused: `{ error: { code, message } }`
 * in Vietnamese; anything else (a proxy's page, no network) becomes a message of ours.
 */
async function replyOf<T>(res: Response): Promise<Reply<T>> {
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (res.ok) return { ok: true, data: body as T };
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    ok: false,
    status: res.status,
    error: {
      code: typeof error?.code === 'string' ? error.code : 'http',
      message: typeof error?.message === 'string' ? error.message : `Máy chủ tỉnh trả lời lỗi ${res.status}.`,
    },
  };
}

/** Sends one request; never throws (no network is a refusal too). */
export async function request<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    return await replyOf<T>(res);
  } catch {
    return { ok: false, status: 0, error: { code: 'network', message: 'Không kết nối được máy chủ tỉnh. Kiểm tra mạng rồi thử lại.' } };
  }
}

/** What every page works with: the signed-in user and requests carrying the session. */
export interface ProvinceApi {
  user: ProvinceUser;
  get: <T>(path: string) => Promise<Reply<T>>;
  send: <T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<Reply<T>>;
  /** Downloads an export as a file; resolves with the server's message when refused. */
  download: (path: string, fallbackName: string) => Promise<string | undefined>;
  logout: () => void;
}

/**
 * The pages' requests, each with the session as `Authorization: Bearer`. A 401 means the
 * session ended (expired, logged out elsewhere, the user disabled): back to the login form.
 */
export function provinceApi(token: string, user: ProvinceUser, onExpired: (message: string) => void, logout: () => void): ProvinceApi {
  const checked = async <T>(reply: Promise<Reply<T>>): Promise<Reply<T>> => {
    const r = await reply;
    if (!r.ok && r.status === 401) onExpired(r.error.message);
    return r;
  };
  return {
    user,
    get: (path) => checked(request('GET', path, { token })),
    send: (method, path, body) => checked(request(method, path, { token, body })),
    download: async (path, fallbackName) => downloadFile(path, `Bearer ${token}`, fallbackName),
    logout,
  };
}

export const ProvinceContext = createContext<ProvinceApi | undefined>(undefined);

export function useProvince(): ProvinceApi {
  const api = useContext(ProvinceContext);
  if (!api) throw new Error('useProvince outside the province pages');
  return api;
}

