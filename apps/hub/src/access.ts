import { randomUUID } from 'node:crypto';
import { QueueError } from '@xephang/core';
import { HandshakeSchema, parsePayload, PROTOCOL_VERSION, type ClerkSummary, type PairReply, type Role } from '@xephang/protocol';
import type { Queue } from './queue';
import { rateLimiter, retryInVi } from './rate-limit';
import { newPairingCode, newToken, tokenHash, verifySecret } from './secrets';

/** What the hub knows of a connected socket; set once at the handshake, the clerk at login. */
export interface SocketData {
  role: Role;
  counterId: number | null;
  deviceId: string | null;
  clerkId: number | null;
  /** Admin only: the name given at login, written into the admin log. */
  adminName?: string | null;
}

const PAIRING_CODE_TTL_MS = 10 * 60_000;
const MAX_PIN_FAILURES = 5;
const PIN_LOCK_MS = 5 * 60_000;
/**
 * Wrong pairing codes the whole hub takes: 10 at once, then one every 6 s. One bucket for every
 * address, since a client can use as many addresses as it likes (50 addresses once gave
 * 25 guesses/s); with 8-digit codes living 10 minutes, each code faces about 110 guesses.
 */
const PAIRING_GUESS_BURST = 10;
const PAIRING_GUESS_INTERVAL_MS = 6_000;

export interface AccessOptions {
  /**
   * Screens on the hub's own machine need no pairing (kiosk, displays, and the counter role's
   * device check: its clerk still logs in with a PIN).
   */
  trustLoopback: boolean;
  now: () => number;
  /** Where refused pairing guesses are written for the technician. */
  log?: (line: string) => void;
}

/** Roles from the handshake, clerk PINs with a lockout, and device pairing. */
export function createAccess(queue: Queue, options: AccessOptions) {
  const { access, config } = queue;
  const pinFailures = new Map<number, { count: number; until: number }>();
  const adminTries = rateLimiter(10, 6_000, options.now);
  const pairingGuesses = rateLimiter(PAIRING_GUESS_BURST, PAIRING_GUESS_INTERVAL_MS, options.now);
  const log = options.log ?? (() => undefined);
  let pairingFloodLoggedAt = -Infinity;

  return {
    /**
     * Decides who a new socket is.
     * @throws QueueError with a message for the technician when the socket may not connect.
     */
    async handshake(auth: unknown, remoteAddress: string): Promise<SocketData> {
      const parsed = parsePayload(HandshakeSchema, auth);
      if (!parsed.ok) throw new QueueError('unauthorized', `Kết nối bị từ chối: ${parsed.error.message}`);
      const h = parsed.data;
      if (h.protocolVersion !== undefined && h.protocolVersion !== PROTOCOL_VERSION) {
        throw new QueueError(
          'version_mismatch',
          `Màn hình dùng giao thức phiên bản ${h.protocolVersion}, máy chủ dùng phiên bản ${PROTOCOL_VERSION}. Hãy cập nhật màn hình (tải lại trang) hoặc máy chủ.`,
        );
      }
      if (h.role === 'admin') {
        // Only wrong passwords use up tries: an admin screen that reconnects often is not locked out.
        const wait = adminTries.waitMs(remoteAddress);
        if (wait > 0) throw new QueueError('rate_limited', `Thử mật khẩu quản trị quá nhiều lần. Hãy chờ ${retryInVi(wait)} rồi thử lại.`);
        const hash = config.meta('admin_password_hash');
        if (!h.password || !hash || !(await verifySecret(h.password, hash))) {
          adminTries.take(remoteAddress);
          throw new QueueError('unauthorized', 'Sai mật khẩu quản trị.');
        }
        return { role: 'admin', counterId: null, deviceId: null, clerkId: null, adminName: h.adminName ?? null };
      }
      if (h.counterId !== undefined && !access.counterExists(h.counterId)) {
        throw new QueueError('not_found', `Không có quầy số ${h.counterId}. Hãy kiểm tra địa chỉ màn hình.`);
      }
      if (h.role === 'counter' && h.counterId === undefined) {
        throw new QueueError('unauthorized', 'Màn hình quầy cần số quầy (counterId) khi kết nối.');
      }
      if (h.role === 'rating' && h.counterId === undefined) {
        throw new QueueError('unauthorized', 'Máy đánh giá cần số quầy (counterId) khi kết nối.');
      }
      let deviceId: string | null = null;
      if (h.token) {
        const device = access.deviceByToken(tokenHash(h.token));
        if (!device) throw new QueueError('unauthorized', 'Thiết bị chưa được ghép nối hoặc đã bị thu hồi. Hãy ghép nối lại bằng mã trên trang quản trị.');
        if (device.role !== h.role) {
          throw new QueueError('forbidden', `Thiết bị này được ghép nối làm "${device.role}", không phải "${h.role}".`);
        }
        if (device.counterId !== null && h.counterId !== device.counterId) {
          throw new QueueError('forbidden', `Thiết bị này được ghép nối cho quầy ${device.counterId}.`);
        }
        access.seenDevice(device.id, options.now());
        deviceId = device.id;
      } else if (!(options.trustLoopback && isLoopback(remoteAddress))) {
        throw new QueueError('unauthorized', 'Thiết bị chưa được ghép nối với máy chủ. Hãy nhập mã ghép nối hiển thị trên trang quản trị.');
      }
      const data: SocketData = { role: h.role, counterId: h.counterId ?? null, deviceId, clerkId: null };
      if (h.role === 'counter' && h.session) {
        const session = access.session(tokenHash(h.session));
        // A stale session is not an error: the clerk just logs in again.
        if (session && session.counter_id === h.counterId) data.clerkId = session.clerk_id;
      }
      return data;
    },

    /**
     * Checks a clerk's PIN for a counter, locking the clerk out after repeated failures.
     * @throws QueueError when the PIN is wrong, the clerk is locked, or not allowed at the counter.
     */
    async checkPin(clerkId: number, pin: string, counterId: number): Promise<ClerkSummary> {
      const now = options.now();
      const lock = pinFailures.get(clerkId);
      if (lock && lock.until > now) {
        const minutes = Math.ceil((lock.until - now) / 60_000);
        throw new QueueError('unauthorized', `Nhập sai mã PIN quá nhiều lần. Hãy thử lại sau ${minutes} phút hoặc nhờ quản trị đặt lại mã.`);
      }
      const clerk = access.clerk(clerkId);
      if (!clerk || clerk.active !== 1) throw new QueueError('not_found', 'Không có cán bộ này, hoặc tài khoản đã bị khoá.');
      if (!(await verifySecret(pin, clerk.pin_hash))) {
        const count = (lock && lock.until > now ? 0 : (lock?.count ?? 0)) + 1;
        const until = count >= MAX_PIN_FAILURES ? now + PIN_LOCK_MS : 0;
        pinFailures.set(clerkId, { count: until ? 0 : count, until });
        const left = MAX_PIN_FAILURES - count;
        throw new QueueError(
          'unauthorized',
          until ? 'Sai mã PIN. Tài khoản tạm khoá 5 phút.' : `Sai mã PIN. Còn ${left} lần thử.`,
        );
      }
      pinFailures.delete(clerkId);
      const counterIds = access.clerkCounters(clerkId);
      if (!counterIds.includes(counterId)) {
        throw new QueueError('forbidden', `${clerk.name} chưa được phân công ở quầy ${counterId}. Quầy được phép: ${counterIds.join(', ') || 'chưa có'}.`);
      }
      return { id: clerk.id, name: clerk.name, counterIds };
    },

    newSession(): { token: string; hash: string } {
      const token = newToken();
      return { token, hash: tokenHash(token) };
    },

    createPairingCode(role: PairReply['role'], counterId: number | null): { code: string; expiresAt: number } {
      if (counterId !== null && !access.counterExists(counterId)) throw new QueueError('not_found', `Không có quầy số ${counterId}.`);
      if (role === 'counter' && counterId === null) throw new QueueError('invalid_payload', 'Máy tính quầy cần số quầy.');
      if (role === 'rating' && counterId === null) throw new QueueError('invalid_payload', 'Máy đánh giá cần số quầy.');
      const now = options.now();
      const expiresAt = now + PAIRING_CODE_TTL_MS;
      for (;;) {
        const code = newPairingCode();
        // A live code with the same digits is rare; draw again rather than fail.
        if (access.addPairingCode(code, role, counterId, expiresAt, now)) return { code, expiresAt };
      }
    },

    /**
     * Turns a pairing code into a device token. Only wrong codes spend the hub's guesses; the
     * check, the lookup and the spending run in one synchronous step, so guesses sent at once
     * cannot all pass the check before one is counted.
     * @throws QueueError when the code is unknown, used or expired, or too many were wrong.
     */
    pair(code: string, name: string, address: string): PairReply {
      const now = options.now();
      if (!pairingGuesses.allows('hub')) {
        if (now - pairingFloodLoggedAt >= 60_000 || now < pairingFloodLoggedAt) {
          pairingFloodLoggedAt = now;
          log(`CẢNH BÁO: quá nhiều mã ghép nối sai (có thể ai đó đang dò mã), đang từ chối mọi lần ghép nối; lần này từ địa chỉ ${address}`);
        }
        throw new QueueError('rate_limited', 'Máy chủ vừa nhận quá nhiều mã ghép nối sai. Hãy chờ một phút rồi nhập lại mã.');
      }
      const token = newToken();
      const deviceId = randomUUID();
      const paired = access.pairDevice(code, now, { id: deviceId, name, tokenHash: tokenHash(token) });
      if (!paired) {
        pairingGuesses.take('hub');
        log(`mã ghép nối sai từ địa chỉ ${address} (tên máy "${name.slice(0, 40)}")`);
        throw new QueueError('unauthorized', 'Mã ghép nối sai hoặc đã hết hạn. Hãy tạo mã mới trên trang quản trị.');
      }
      log(`đã ghép nối thiết bị "${name.slice(0, 40)}" (${paired.role}${paired.counter_id ? `, quầy ${paired.counter_id}` : ''}) từ địa chỉ ${address}`);
      return { deviceId, token, role: paired.role, counterId: paired.counter_id };
    },
  };
}

export type Access = ReturnType<typeof createAccess>;

/** Whether a socket's remote address is the hub's own machine. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
