import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';

/** A province's answer: its HTTP status and its body parsed as JSON (undefined when it is not JSON). */
export interface ProvinceAnswer {
  status: number;
  body: unknown;
}

/** The most of an answer the hub reads: the province's replies are a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs JSON to the province, through an HTTP(S) proxy when one is set. Node 20's own fetch
 * ignores HTTP(S)_PROXY and takes no proxy at all, so this uses undici (pinned) with its
 * ProxyAgent: an http:// province is asked through the proxy in the ordinary way (a proxy that
 * allows CONNECT only to port 443, as Squid does by default, still passes it), an https:// one
 * through a CONNECT tunnel, TLS end to end. One agent per proxy address, reused between pushes.
 */
export function provinceHttp() {
  const agents = new Map<string, Dispatcher>();
  const agentFor = (proxy: string | null): Dispatcher => {
    const key = proxy ?? '';
    let agent = agents.get(key);
    if (!agent) {
      agent = proxy ? new ProxyAgent({ uri: proxy, proxyTunnel: false }) : new Agent({ connections: 2 });
      agents.set(key, agent);
    }
    return agent;
  };

  return {
    /**
     * @throws Error when the province cannot be reached, or does not answer within `timeoutMs`
     * (the whole exchange, body included).
     */
    async post(url: string, body: string, options: { token?: string; proxy: string | null; timeoutMs: number }): Promise<ProvinceAnswer> {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const res = await request(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        dispatcher: agentFor(options.proxy),
        signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          res.body.destroy();
          return { status: res.statusCode, body: undefined };
        }
        chunks.push(chunk);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed };
    },
    /** Closes the kept connections (the hub stopping, or the proxy changed). */
    async close(): Promise<void> {
      const all = [...agents.values()];
      agents.clear();
      await Promise.all(all.map((a) => a.destroy().catch(() => undefined)));
    },
  };
}

export type ProvinceHttp = ReturnType<typeof provinceHttp>;

/** The request ran out of time (no answer, or the upload or the answer too slow), rather than failing outright. */
export function timedOut(error: unknown): boolean {
  const e = error as { name?: string; code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  return e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/** Why a request did not get an answer, in Vietnamese, for the admin's page and the log. */
export function networkProblem(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string }; message?: string };
  const code = e.code ?? e.cause?.code;
  if (timedOut(error)) {
    return `máy chủ tỉnh không trả lời trong ${(timeoutMs / 1000).toLocaleString('vi-VN')} giây`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'máy chủ tỉnh từ chối kết nối (ECONNREFUSED): máy chủ tỉnh chưa chạy, hoặc sai cổng';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `không tìm thấy tên máy chủ tỉnh (${code}): kiểm tra địa chỉ và DNS`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'kết nối tới máy chủ tỉnh bị ngắt giữa chừng';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `không có đường mạng tới máy chủ tỉnh (${code})`;
    default:
      return `không kết nối được tới máy chủ tỉnh (${code ?? e.message ?? String(error)})`;
  }
}
