import { randomUUID } from 'node:crypto';
import { QueueError } from '@xephang/core';
import { HandshakeSchema, parsePayload, PROTOCOL_VERSION, type ClerkSummary, type LockoutView, type PairReply, type Role } from '@xephang/protocol';
import { describeLock, LIMITS, LOCK_KEYS, strikes } from './lockouts';
import { rateLimiter } from './rate-limit';
import { HashesBusyError, newPairingCode, newToken, tokenHash, verifySecret } from './secrets';
import type { Stores } from './store';

/** What the hub knows of a connected socket; set once at the handshake, the clerk at login. */
export interface SocketData {
  role: Role;
  counterId: number | null;
  deviceId: string | null;
  clerkId: number | null;
  /** Admin only: the name given at login, written into the admin log. */
  adminName?: string | null;
  /** Admin only: the address the admin logged in from (its password tries are counted per address). */
  address?: string;
}

const PAIRING_CODE_TTL_MS = 10 * 60_000;
/**
 * Wrong pairing codes the whole hub takes: 10 at once, then one every 6 s. One bucket for every
 * address, since a client can use as many addresses as it likes (50 addresses once gave
 * 25 guesses/s); with 8-digit codes living 10 minutes, each code faces about 110 guesses.
 */
const PAIRING_GUESS_BURST = 10;
const PAIRING_GUESS_INTERVAL_MS = 6_000;

/** An admin session (see `admin:session`) lets the admin's own screen reconnect without the password. */
const ADMIN_SESSION_MS = 12 * 3_600_000;

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
export function createAccess(stores: Pick<Stores, 'access' | 'config'>, options: AccessOptions) {
  const { access, config } = stores;
  const pairingGuesses = rateLimiter(PAIRING_GUESS_BURST, PAIRING_GUESS_INTERVAL_MS, options.now);
  const log = options.log ?? (() => undefined);
  let pairingFloodLoggedAt = -Infinity;
  const tries = strikes(options.now);
  const pinChecks = new Map<number, Promise<void>>();
  /** Admin sessions by token hash; each is bound to the password it was opened under. */
  const adminSessions = new Map<string, { name: string | null; until: number; passwordHash: string | undefined }>();
  /**
   * A live admin session: not expired, and opened under the password in force, so a changed or
   * reset password (the admin page, or the command line in another process) ends every session.
   */
  const liveAdminSession = (token: string | undefined) => {
    const session = token === undefined ? undefined : adminSessions.get(tokenHash(token));
    if (!session || session.until <= options.now() || session.passwordHash !== config.meta('admin_password_hash')) return undefined;
    return session;
  };

  const minutesFrom = (until: number) => Math.max(1, Math.ceil((until - options.now()) / 60_000));

  /** A secret checked against its hash; "busy" rather than a queue that grows without end. */
  async function matches(secret: string, hash: string): Promise<boolean> {
    try {
      return await verifySecret(secret, hash);
    } catch (error) {
      if (error instanceof HashesBusyError) throw new QueueError('rate_limited', 'Máy chủ đang kiểm tra quá nhiều mật khẩu cùng lúc. Hãy thử lại sau vài giây.');
      throw error;
    }
  }

  /**
   * The admin password, limited per address (handshake and report downloads together): the try
   * is counted before the hash runs and given back when the password was right.
   * @throws QueueError rate_limited while the address is locked, unauthorized when wrong.
   */
  async function checkAdminPassword(password: string | undefined, address: string): Promise<void> {
    const key = LOCK_KEYS.adminAddress(address);
    const until = tries.lockedUntil(key, LIMITS.adminPerAddress);
    if (until) {
      throw new QueueError('rate_limited', `Thử mật khẩu quản trị sai quá nhiều lần từ địa chỉ này. Hãy chờ ${minutesFrom(until)} phút rồi thử lại.`);
    }
    const hash = config.meta('admin_password_hash');
    tries.reserve(key, LIMITS.adminPerAddress);
    let right = false;
    try {
      right = Boolean(password && hash && (await matches(password, hash)));
    } catch (error) {
      tries.settle(key, LIMITS.adminPerAddress, false);
      throw error;
    }
    if (tries.settle(key, LIMITS.adminPerAddress, !right)) {
      log(`CẢNH BÁO: sai mật khẩu quản trị ${LIMITS.adminPerAddress.tries} lần từ địa chỉ ${address}; khoá địa chỉ này ${LIMITS.adminPerAddress.lockMs / 60_000} phút`);
    }
    if (!right) throw new QueueError('unauthorized', 'Sai mật khẩu quản trị.');
  }

  /** The PIN check proper, run when no other check of this clerk's PIN is in flight. */
  async function checkPinNow(clerk: { id: number; pin_hash: string }, pin: string, device: string): Promise<void> {
    const keys = [
      [LOCK_KEYS.clerkAtDevice(device, clerk.id), LIMITS.pinPerDevice],
      [LOCK_KEYS.clerk(clerk.id), LIMITS.pinPerClerk],
      [LOCK_KEYS.device(device), LIMITS.pinPerDeviceAllClerks],
    ] as const;
    const [pair, perClerk, perDevice] = keys.map(([key, limit]) => tries.lockedUntil(key, limit));
    if (pair) throw new QueueError('rate_limited', `Nhập sai mã PIN quá nhiều lần trên máy này. Hãy thử lại sau ${minutesFrom(pair)} phút hoặc nhờ quản trị mở khoá.`);
    if (perClerk) throw new QueueError('rate_limited', `Tài khoản tạm khoá vì nhập sai mã PIN quá nhiều lần. Hãy thử lại sau ${minutesFrom(perClerk)} phút hoặc nhờ quản trị mở khoá.`);
    if (perDevice) throw new QueueError('rate_limited', `Máy này tạm khoá vì nhập sai mã PIN quá nhiều lần. Hãy thử lại sau ${minutesFrom(perDevice)} phút hoặc nhờ quản trị mở khoá.`);
    for (const [key, limit] of keys) tries.reserve(key, limit);
    let right: boolean;
    try {
      right = await matches(pin, clerk.pin_hash);
    } catch (error) {
      for (const [key, limit] of keys) tries.settle(key, limit, false);
      throw error;
    }
    const locked = keys.map(([key, limit]) => tries.settle(key, limit, !right)).some(Boolean);
    if (right) {
      // The clerk's own device starts afresh; the per-clerk count stays (a stranger's tries elsewhere).
      tries.clear((k) => k === keys[0][0]);
      return;
    }
    if (locked) log(`CẢNH BÁO: sai mã PIN của cán bộ mã ${clerk.id} quá nhiều lần từ thiết bị ${device}; tạm khoá (quản trị có thể mở khoá)`);
    const left = Math.min(...keys.map(([key, limit]) => tries.left(key, limit)));
    throw new QueueError('unauthorized', locked ? 'Sai mã PIN. Tạm khoá đăng nhập; hãy chờ hoặc nhờ quản trị mở khoá.' : `Sai mã PIN. Còn ${left} lần thử.`);
  }

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
        // The admin's own screen reconnects with its session: a stranger's wrong passwords from
        // the same address (which lock that address) do not lock the admin out.
        const session = liveAdminSession(h.session);
        if (session) return { role: 'admin', counterId: null, deviceId: null, clerkId: null, adminName: h.adminName ?? session.name, address: remoteAddress };
        await checkAdminPassword(h.password, remoteAddress);
        return { role: 'admin', counterId: null, deviceId: null, clerkId: null, adminName: h.adminName ?? null, address: remoteAddress };
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

    checkAdminPassword,

    /**
     * Checks a clerk's PIN for a counter. The assignment is checked first, so a counter device
     * learns nothing about the PIN of a clerk who does not work there; then wrong tries are
     * limited per device and clerk, per clerk, and per device (LIMITS), one check at a time per clerk.
     * @throws QueueError when the clerk is unknown or not allowed at the counter, locked, or the PIN is wrong.
     */
    async checkPin(clerkId: number, pin: string, counterId: number, device: string): Promise<ClerkSummary> {
      const clerk = access.clerk(clerkId);
      if (!clerk || clerk.active !== 1) throw new QueueError('not_found', 'Không có cán bộ này, hoặc tài khoản đã bị khoá.');
      const counterIds = access.clerkCounters(clerkId);
      if (!counterIds.includes(counterId)) {
        throw new QueueError('forbidden', `${clerk.name} chưa được phân công ở quầy ${counterId}. Quầy được phép: ${counterIds.join(', ') || 'chưa có'}.`);
      }
      // One check in flight per clerk: the next waits for it, then sees the lock it may have set.
      const before = pinChecks.get(clerkId) ?? Promise.resolve();
      const mine = before.then(() => checkPinNow(clerk, pin, device));
      const tail = mine.then(
        () => undefined,
        () => undefined,
      );
      pinChecks.set(clerkId, tail);
      void tail.then(() => {
        if (pinChecks.get(clerkId) === tail) pinChecks.delete(clerkId);
      });
      await mine;
      return { id: clerk.id, name: clerk.name, counterIds };
    },

    /** Locks in force now, for the admin's clerks and devices pages. */
    lockouts(): LockoutView[] {
      return tries.locked().map(({ key, until }) => describeLock(key, until));
    },

    /** Admin: lifts the locks (and forgets the wrong tries) of a clerk, a device, or one key. */
    unlock(target: { clerkId?: number | undefined; device?: string | undefined }): number {
      return tries.clear((key) => {
        const lock = describeLock(key, 0);
        if (target.clerkId !== undefined && lock.clerkId === target.clerkId) return true;
        return target.device !== undefined && (lock.device === target.device || lock.address === target.device);
      });
    },

    /** Whether `token` is a live admin session (the report downloads accept it as `Bearer`). */
    adminSessionValid(token: string): boolean {
      return liveAdminSession(token) !== undefined;
    },

    /** A token for the admin's own screen to reconnect with (handshake `session`), valid 12 hours. */
    adminSession(name: string | null): { token: string; expiresAt: number } {
      const token = newToken();
      const expiresAt = options.now() + ADMIN_SESSION_MS;
      for (const [hash, s] of adminSessions) if (s.until <= options.now()) adminSessions.delete(hash);
      adminSessions.set(tokenHash(token), { name, until: expiresAt, passwordHash: config.meta('admin_password_hash') });
      return { token, expiresAt };
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
