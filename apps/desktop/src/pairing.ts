import { z } from 'zod';
import { ErrorCodeSchema, fail, type Ack, type PairReply } from '@xephang/protocol';
import { ROLE_NAMES, type DesktopRole } from './config';
import { hubRole } from './screens';

const PairReplySchema = z.object({
  ok: z.literal(true),
  data: z.object({
    deviceId: z.string().min(1).max(64),
    token: z.string().min(1).max(128),
    role: z.enum(['display', 'kiosk', 'counter']),
    counterId: z.number().int().nullable(),
  }),
});
const ErrorReplySchema = z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) });
const StateSchema = z.object({ centerName: z.string(), counters: z.array(z.object({ id: z.number().int() })) });

export type Fetch = typeof fetch;

/** A hub that answered at an address: its name and its counters, for the setup screen. */
export interface HubInfo {
  url: string;
  centerName: string;
  counterIds: number[];
}

/** Asks a hub who it is (`GET /health`, `GET /api/state`); the error says what to check. */
export async function checkHub(hubUrl: string, options: { fetch?: Fetch; timeoutMs?: number } = {}): Promise<Ack<HubInfo>> {
  const f = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 4000);
  try {
    const health = await f(new URL('/health', hubUrl), { signal });
    if (!health.ok) return fail('internal', `Máy chủ ${hubUrl} trả lời nhưng chưa sẵn sàng (HTTP ${health.status}). Hãy thử lại sau ít phút.`);
    const state = StateSchema.safeParse(await (await f(new URL('/api/state', hubUrl), { signal })).json());
    if (!state.success) return fail('internal', `Địa chỉ ${hubUrl} không phải máy chủ xephang.`);
    return { ok: true, data: { url: hubUrl, centerName: state.data.centerName, counterIds: state.data.counters.map((c) => c.id) } };
  } catch (error) {
    return fail('internal', unreachable(hubUrl, error));
  }
}

/**
 * Redeems the 8-digit code the admin created (`pairing:create`) for a device token, and checks
 * that the admin made it for the role chosen here.
 */
export async function pairWithHub(
  hubUrl: string,
  request: { code: string; name: string; role: DesktopRole; counterId: number | null },
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<Ack<PairReply>> {
  const f = options.fetch ?? fetch;
  let res: Response;
  let body: unknown;
  try {
    res = await f(new URL('/api/pair', hubUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: request.code, name: request.name }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 8000),
    });
    body = await res.json();
  } catch (error) {
    return fail('internal', unreachable(hubUrl, error));
  }
  const refused = ErrorReplySchema.safeParse(body);
  if (refused.success) return fail(ErrorCodeSchema.catch('internal').parse(refused.data.error.code), refused.data.error.message);
  const paired = PairReplySchema.safeParse(body);
  if (!res.ok || !paired.success) return fail('internal', `Máy chủ trả lời lạ khi ghép nối (HTTP ${res.status}).`);
  const mismatch = pairingMismatch(request.role, request.counterId, paired.data.data);
  if (mismatch) return fail('forbidden', mismatch);
  return { ok: true, data: paired.data.data };
}

/**
 * Why a pairing does not fit the role chosen on this machine, or undefined when it does. The
 * hub binds a token to a role and maybe a counter; a display paired without a counter may be
 * the TV or any counter's display.
 */
export function pairingMismatch(role: DesktopRole, counterId: number | null, reply: Pick<PairReply, 'role' | 'counterId'>): string | undefined {
  const wanted = hubRole(role);
  const advice = 'Hãy thu hồi thiết bị này trên trang quản trị và tạo mã mới cho đúng vai trò.';
  if (reply.role !== wanted) return `Mã này được tạo cho vai trò "${reply.role}", không phải "${ROLE_NAMES[role]}". ${advice}`;
  if (reply.counterId === null) return undefined;
  if (role === 'display') return `Mã này được tạo cho màn hình quầy ${reply.counterId}, không phải màn hình phòng chờ. ${advice}`;
  if (reply.counterId !== counterId) return `Mã này được tạo cho quầy ${reply.counterId}, không phải quầy ${counterId ?? '?'}. ${advice}`;
  return undefined;
}

/** Whether an address is this machine: the hub trusts its own screens without pairing. */
export function isLoopbackUrl(hubUrl: string): boolean {
  const host = new URL(hubUrl).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function unreachable(hubUrl: string, error: unknown): string {
  const why = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.name) : String(error);
  return `Không kết nối được máy chủ ${hubUrl} (${why}). Hãy kiểm tra máy chủ đang chạy, cáp mạng, và địa chỉ IP.`;
}
