import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  DEFAULT_VOICE_SETTINGS,
  parsePayload,
  VoiceCallQuerySchema,
  VoiceSettingsSchema,
  type Ack,
  type HubError,
  type VoiceSettings,
} from '@xephang/protocol';
import { likelyCalls } from '@xephang/core';
import { createVoiceRenderer, type Rendered, type VoiceRenderer } from '@xephang/voice';
import type { ConfigStore } from './store/config-store';
import type { TicketStore } from './store/ticket-store';
import { createPrerender, DEFAULT_PRERENDER_POLICY, type LikelyCall, type Prerender, type PrerenderPolicy } from './voice-prerender';

/** The meta key holding the voice settings as JSON; absent fields take their defaults. */
export const VOICE_SETTINGS_KEY = 'voice_settings';

export interface VoiceDeps {
  /** The hub's data folder: clips are read from `voice/clips/`, WAVs cached in `voice/cache/`. */
  dataDir: string;
  config: Pick<ConfigStore, 'meta' | 'setMeta' | 'service'>;
  log: (line: string) => void;
  renderer?: VoiceRenderer;
  /** The hub's state for pre-rendering likely calls while idle; absent, nothing is rendered ahead. */
  likely?: {
    /** Changes with every broadcast (the broadcast log's last sequence). */
    activity: () => number;
    /** The tickets each counter could call next. */
    calls: () => LikelyCall[];
    policy?: Partial<PrerenderPolicy>;
  };
}

export interface VoiceService {
  settings(): VoiceSettings;
  /** Merges `patch` into the stored settings after validating the result (for the admin side). */
  updateSettings(patch: unknown): Ack<VoiceSettings>;
  /** Answers `/api/voice/*`. Never throws. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** What pre-rendering did so far (undefined when it is off). */
  prerender: Prerender | undefined;
  close(): Promise<void>;
}

/**
 * The hub's announcements: `GET /api/voice/call.wav?number=2005&counter=3[&service=civil][&recall=1]`
 * answers the WAV (chime and speech, cached; the TV plays it) and `GET /api/voice/settings` the
 * settings the TV needs (volume, repeats).
 */
export function createVoiceService(deps: VoiceDeps): VoiceService {
  const renderer = deps.renderer ?? createVoiceRenderer({ dir: join(deps.dataDir, 'voice'), log: deps.log });
  let warned = '';

  const settings = (): VoiceSettings => {
    const raw = deps.config.meta(VOICE_SETTINGS_KEY);
    if (!raw) return DEFAULT_VOICE_SETTINGS;
    try {
      return VoiceSettingsSchema.parse(JSON.parse(raw));
    } catch (error) {
      if (warned !== raw) deps.log(`cài đặt giọng đọc (${VOICE_SETTINGS_KEY}) không hợp lệ, dùng mặc định: ${(error as Error).message}`);
      warned = raw;
      return DEFAULT_VOICE_SETTINGS;
    }
  };

  const serviceName = (id: string) => deps.config.service(id)?.nameVi;
  // The TV asks for `?number&counter&service` (callWavUrl): the same details give the same cache key.
  const asCall = (c: LikelyCall) => ({ number: c.number, counter: c.counter, serviceName: serviceName(c.serviceId) });
  const likely = deps.likely;
  const prerender = likely
    ? createPrerender(
        {
          activity: likely.activity,
          likely: likely.calls,
          cached: (c) => renderer.callReady(asCall(c), settings()),
          render: (c) => renderer.renderCall(asCall(c), settings()).then(() => undefined),
          now: () => performance.now(),
          log: deps.log,
        },
        { ...DEFAULT_PRERENDER_POLICY, ...likely.policy },
      )
    : undefined;
  prerender?.start();

  const callWav = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const parsed = parsePayload(VoiceCallQuerySchema, Object.fromEntries(url.searchParams));
    if (!parsed.ok) return error(res, 400, parsed.error);
    const query = parsed.data;
    let serviceName: string | undefined;
    if (query.service !== undefined) {
      serviceName = deps.config.service(query.service)?.nameVi;
      if (serviceName === undefined) {
        return error(res, 400, {
          code: 'invalid_payload',
          message: `Không có lĩnh vực "${query.service}". Bỏ tham số service hoặc dùng mã lĩnh vực đúng.`,
          fields: { service: 'không có lĩnh vực này' },
        });
      }
    }
    const call = { number: query.number, counter: query.counter, serviceName, recall: query.recall };
    // A TV's guess is answered from what the hub has (or is rendering), never synthesized for it.
    if (query.ahead && !renderer.callReady(call, settings())) {
      return error(res, 404, { code: 'not_found', message: 'Máy chủ chưa tạo sẵn âm thanh này; sẽ tạo khi gọi số.' });
    }
    let rendered: Rendered;
    try {
      rendered = await renderer.renderCall(call, settings());
    } catch (e) {
      deps.log(`không tạo được âm thanh gọi số: ${(e as Error).stack ?? String(e)}`);
      return error(res, 503, { code: 'internal', message: 'Không tạo được âm thanh gọi số. Màn hình vẫn hiển thị số; hãy thử lại.' });
    }
    sendWav(req, res, rendered);
  };

  return {
    settings,
    updateSettings(patch) {
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        return parsePayload(VoiceSettingsSchema, patch);
      }
      const result = parsePayload(VoiceSettingsSchema, { ...settings(), ...patch });
      if (result.ok) deps.config.setMeta(VOICE_SETTINGS_KEY, JSON.stringify(result.data));
      return result;
    },
    async handle(req, res, url) {
      try {
        const isRead = req.method === 'GET' || req.method === 'HEAD';
        if (url.pathname === '/api/voice/call.wav') {
          if (!isRead) return error(res, 405, { code: 'invalid_payload', message: 'Dùng GET cho /api/voice/call.wav.' });
          return await callWav(req, res, url);
        }
        if (url.pathname === '/api/voice/settings') {
          if (!isRead) return error(res, 405, { code: 'invalid_payload', message: 'Dùng GET cho /api/voice/settings.' });
          return json(res, 200, { ok: true, data: settings() });
        }
        return error(res, 404, { code: 'not_found', message: `Không có địa chỉ ${url.pathname}.` });
      } catch (e) {
        deps.log(`lỗi ở ${url.pathname}: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) error(res, 500, { code: 'internal', message: 'Máy chủ gặp lỗi khi tạo âm thanh. Hãy thử lại.' });
        else res.destroy();
      }
    },
    prerender,
    async close() {
      await prerender?.stop();
      await renderer.close();
    },
  };
}

/** The WAV with an ETag (the TV revalidates; settings changes show at once) and single byte ranges (Safari's <audio> asks for them). */
function sendWav(req: IncomingMessage, res: ServerResponse, r: Rendered): void {
  const etag = `"${r.key}"`;
  const headers = {
    'content-type': 'audio/wav',
    'cache-control': 'no-cache',
    etag,
    'accept-ranges': 'bytes',
    'x-voice-source': r.source,
    'x-voice-cached': r.cached ? '1' : '0',
    'x-voice-ms': r.ms.toFixed(1),
    // The spoken words, for a caption or a log (percent-encoded: headers are Latin-1).
    'x-voice-text': encodeURIComponent(r.text),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    const size = r.wav.length;
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` });
      return void res.end();
    }
    res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
    return void res.end(req.method === 'HEAD' ? undefined : r.wav.subarray(start, end + 1));
  }
  res.writeHead(200, { ...headers, 'content-length': r.wav.length });
  res.end(req.method === 'HEAD' ? undefined : r.wav);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, err: HubError): void {
  json(res, status, { ok: false, error: err });
}

/**
 * The calls the counters can make next, most likely first (core's `likelyCalls`, the rule the TV
 * uses to fetch them ahead): each counter's candidates read by the store's indexed queries.
 */
export function likelyHubCalls(stores: { config: Pick<ConfigStore, 'counters'>; tickets: Pick<TicketStore, 'candidates' | 'get'> }, day: string): LikelyCall[] {
  const calls: LikelyCall[] = [];
  for (const { counterId, ticket: candidate } of likelyCalls(stores.config.counters(), (c) => stores.tickets.candidates(day, c.id, c.serviceIds))) {
    const ticket = stores.tickets.get(candidate.id);
    if (ticket) calls.push({ number: ticket.number, counter: counterId, serviceId: ticket.serviceId });
  }
  return calls;
}
