import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { QueueError } from '@xephang/core';
import {
  CommuneCodeSchema,
  PROVINCE_API_VERSION,
  PUSH_MAX_BYTES,
  PUSH_MAX_ITEMS,
  configOnWire,
  type ParsedCommand,
  type ProvinceErrorCode,
  type ProvinceLinkView,
  type PushBatch,
  type PushBatchSent,
  type PushItemSent,
} from '@xephang/protocol';
import { reportNames } from '../reports/names';
import type { Stores } from '../store';
import { networkProblem, provinceHttp, timedOut, type ProvinceAnswer } from './http';
import { linkStore, type LinkRow } from './link-store';
import { dayName, dayTally, TALLY_VERSION, todayTally } from './tallies';

export interface ProvinceTimings {
  /** The first wait after a failed push; it doubles up to `maxRetryMs` (with jitter). */
  retryMs: number;
  maxRetryMs: number;
  /** Today's running tally is sent at most this often (and only when something happened). */
  todayMs: number;
  /** A push gets no answer in this long: the link is down. */
  timeoutMs: number;
  /** The admin's enrolment waits this long for the province (under the admin screen's 10 s ack timeout). */
  enrolTimeoutMs: number;
}

export const DEFAULT_PROVINCE_TIMINGS: ProvinceTimings = { retryMs: 5_000, maxRetryMs: 5 * 60_000, todayMs: 60_000, timeoutMs: 30_000, enrolTimeoutMs: 8_000 };

export interface ProvinceDeps {
  db: Database.Database;
  config: Pick<Stores['config'], 'meta'>;
  /** Who changed the link, for the admin log. */
  audit: (detail: Record<string, unknown>) => void;
  /** The hub's clock (the fake one under `--fake-clock`). */
  now: () => number;
  /** Something happened in the queue (the broadcasts' last seq): today's tally changed. */
  activity: () => number;
  hubVersion: string;
  utcOffsetMinutes: number;
  log: (line: string) => void;
  timings?: Partial<ProvinceTimings>;
}

/** How long without a command before the sender reads or computes anything, and the longest it waits for that. */
const QUIET_MS = 200;
const QUIET_AT_MOST_MS = 5_000;
/** A batch stays under this (a quarter of what the province takes): one JSON.stringify stays short beside the kiosks. */
const BATCH_BYTES = PUSH_MAX_BYTES / 4;

/** What the province's refusals mean for the admin, and what to do (Vietnamese first). */
const REFUSALS: Partial<Record<ProvinceErrorCode, string>> = {
  unauthorized: 'Máy chủ tỉnh không nhận khóa của máy này (mã khóa sai hoặc đã bị thay). Hãy xin tỉnh mã đăng ký mới và đăng ký lại.',
  revoked: 'Tỉnh đã thu hồi hoặc đổi khóa của xã này. Hãy xin tỉnh mã đăng ký mới và đăng ký lại.',
  wrong_commune: 'Máy chủ tỉnh cho biết khóa này thuộc một xã khác. Kiểm tra mã xã rồi đăng ký lại.',
  stale_epoch:
    'Máy chủ tỉnh đã nhận dữ liệu mới hơn từ một máy khác của xã này (có thể một máy cũ, hoặc bản sao lưu cũ, đang chạy). Kiểm tra xem máy nào là máy chủ thật của xã; đăng ký lại trên máy đó.',
  unsupported_version: 'Máy chủ tỉnh chưa hiểu định dạng dữ liệu của bản xephang này. Hãy báo tỉnh cập nhật máy chủ tỉnh.',
  invalid_body: 'Máy chủ tỉnh không nhận dữ liệu gửi lên (sai định dạng). Hãy báo kỹ thuật viên.',
  too_large: 'Máy chủ tỉnh cho rằng dữ liệu gửi lên quá lớn. Hãy báo kỹ thuật viên.',
  not_found: 'Địa chỉ này không có máy chủ tỉnh xephang (404). Kiểm tra địa chỉ rồi đăng ký lại.',
};

/** The province's error body, if its answer has one. */
function errorOf(answer: ProvinceAnswer): { code: string; message: string; expected?: number } | undefined {
  const e = (answer.body as { error?: unknown } | undefined)?.error as { code?: unknown; message?: unknown; expected?: unknown } | undefined;
  if (!e || typeof e.code !== 'string') return undefined;
  return { code: e.code, message: typeof e.message === 'string' ? e.message.slice(0, 300) : '', ...(typeof e.expected === 'number' ? { expected: e.expected } : {}) };
}

/** The province's own words after ours, when it gave any (its messages are Vietnamese too). */
const said = (error: { message: string } | undefined): string => (error?.message ? ` (tỉnh trả lời: "${error.message}")` : '');

/** The base URL joined with an API path (a base with or without its trailing slash). */
const endpoint = (base: string, path: string): string => new URL(path, base.endsWith('/') ? base : `${base}/`).toString();

/**
 * The hub's side of the province link (issue 18): the admin's commands and the sender that
 * pushes the outbox in the background. Nothing here runs on a command's path: the triggers
 * queue references inside the commands' own transactions, and the sender reads, computes and
 * sends only in a quiet moment, a piece at a time, its HTTP asynchronous.
 */
export function createProvinceLink(deps: ProvinceDeps) {
  const { db, log, now } = deps;
  const t: ProvinceTimings = { ...DEFAULT_PROVINCE_TIMINGS, ...deps.timings };
  const pollMs = Math.min(5_000, t.todayMs);
  const store = linkStore(db);
  const http = provinceHttp();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let forced = false;
  let failures = 0;
  let nextAttemptAt: number | null = null;
  /** When the last command committed (performance.now()): the sender waits for a quiet moment. */
  let lastCommitAt = -Infinity;
  let todaySentAt = -Infinity;
  let todayActivity = -1;
  /**
   * The batch's limits: a push that timed out halves the next one (its items and bytes, down to
   * one item), so a line too slow to upload a full batch within the timeout still moves forward
   * instead of retrying the same megabyte forever; an acknowledgement brings back the full size.
   */
  let limit = { items: PUSH_MAX_ITEMS, bytes: BATCH_BYTES };

  /** SQLite's wall clock (the triggers' queued_at) seen on the hub's clock. */
  const hubTime = (wall: number) => wall + (now() - Date.now());

  function view(): ProvinceLinkView {
    const link = store.link();
    const c = store.counts();
    return {
      linked: link !== undefined,
      url: link?.url ?? null,
      communeCode: link?.communeCode ?? null,
      communeName: link?.communeName ?? null,
      state: link ? link.state : 'off',
      lastError: link?.lastError ?? null,
      lastAttemptAt: link?.lastAttemptAt ?? null,
      lastAckAt: link?.lastAckAt ?? null,
      nextAttemptAt: link && link.state !== 'refused' ? nextAttemptAt : null,
      epoch: link?.epoch ?? null,
      ackedSeq: link?.ackedSeq ?? 0,
      pending: c.pending,
      oldestPendingAt: c.oldest === null ? null : hubTime(c.oldest),
      proxy: link?.proxy ?? null,
    };
  }

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    if (stopping.signal.aborted) return;
    nextAttemptAt = now() + delayMs;
    timer = setTimeout(kick, delayMs);
    timer.unref();
  }

  /** Runs a cycle now, or right after the one under way. */
  function kick(): void {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = cycle()
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) {
          log(`Liên kết tỉnh: lỗi không lường trước (${error instanceof Error ? error.message : String(error)}); thử lại sau.`);
          schedule(backoff());
        }
      })
      .finally(() => {
        running = undefined;
        if (again && !stopping.signal.aborted) {
          again = false;
          kick();
        }
      });
  }

  /** Resolves once no command committed for QUIET_MS (at most QUIET_AT_MOST_MS), or at stop. */
  async function quiet(): Promise<void> {
    const since = performance.now();
    for (;;) {
      const quietFor = performance.now() - lastCommitAt;
      if (stopping.signal.aborted || quietFor >= QUIET_MS || performance.now() - since >= QUIET_AT_MOST_MS) return;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS - quietFor).unref());
    }
  }

  const backoff = (): number => {
    const base = Math.min(t.maxRetryMs, t.retryMs * 2 ** Math.min(failures, 20));
    // Jitter: a hundred communes that lost the WAN together do not come back in one second.
    return Math.round(base * (0.5 + Math.random() * 0.5));
  };

  const same = (a: LinkRow, b: LinkRow | undefined) => b !== undefined && b.epoch === a.epoch && b.token === a.token && b.url === a.url;

  function wentDown(link: LinkRow, why: string): void {
    const current = store.link();
    if (!same(link, current)) return;
    store.setState('down', `Không gửi được lên tỉnh: ${why}. Máy chủ tự thử lại; dữ liệu vẫn được giữ trong hàng đợi.`, now());
    failures += 1;
    if (current!.state !== 'down') log(`Liên kết tỉnh: mất kết nối tới ${link.url} (${why}); thử lại dần thưa hơn, dữ liệu được giữ trong hàng đợi.`);
    schedule(backoff());
  }

  function refused(link: LinkRow, message: string): void {
    const current = store.link();
    if (!same(link, current)) return;
    store.setState('refused', message, now());
    clearTimeout(timer);
    nextAttemptAt = null;
    if (current!.state !== 'refused') log(`Liên kết tỉnh: máy chủ tỉnh từ chối (${message}); ngừng gửi cho đến khi quản trị xử lý.`);
  }

  /** One push: the next positions (and today's tally when due), sent, the answer applied. */
  async function cycle(): Promise<void> {
    const link = store.link();
    if (!link || stopping.signal.aborted) return;
    if (link.state === 'refused' && !forced) return;
    forced = false;
    await quiet();
    if (stopping.signal.aborted) return;
    const rows = store.take(limit.items);
    const items: PushItemSent[] = [];
    let bytes = 0;
    let config: ReturnType<typeof configOnWire> | undefined;
    const days = new Map<string, string>();
    for (const [i, row] of rows.entries()) {
      // Ten kept days read (~200 KB) at a time, then the kiosks' commands go first.
      if (i > 0 && i % 10 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await quiet();
        if (stopping.signal.aborted) return;
      }
      let item: PushItemSent;
      const seq = row.seq - link.seqBase;
      if (row.kind === 'config') {
        config ??= configOnWire(reportNames(db));
        item = { seq, kind: 'config', config };
      } else {
        const key = `${row.day}/${row.utcOffsetMinutes}`;
        // The same day twice in one batch (a resend beside a newer change): read once.
        let tally = days.get(key);
        if (tally === undefined) {
          const r = dayTally(db, store, row.day!, row.utcOffsetMinutes!, now());
          tally = r.tally;
          days.set(key, tally);
          // A day computed from the log took a few ms: the next waits for its own quiet moment.
          if (r.computed) await quiet();
          if (stopping.signal.aborted) return;
        }
        item = { seq, kind: 'day', day: dayName(row.day!), utcOffsetMinutes: row.utcOffsetMinutes!, version: TALLY_VERSION, tally };
      }
      const size = item.kind === 'day' ? item.tally.length + 200 : JSON.stringify(item).length;
      if (items.length > 0 && bytes + size > limit.bytes) break;
      items.push(item);
      bytes += size;
    }
    let today: PushBatch['today'];
    const activity = deps.activity();
    if (performance.now() - todaySentAt >= t.todayMs && activity !== todayActivity) {
      await quiet();
      const at = now();
      const r = todayTally(db, at, deps.utcOffsetMinutes);
      today = { day: dayName(r.day), utcOffsetMinutes: deps.utcOffsetMinutes, version: TALLY_VERSION, asOf: at, tally: r.tally };
    }
    if (items.length === 0 && today === undefined) {
      schedule(pollMs);
      return;
    }
    const batch: PushBatchSent = { api: PROVINCE_API_VERSION, communeCode: link.communeCode, epoch: link.epoch, items, ...(today ? { today } : {}), sentAt: now(), hubVersion: deps.hubVersion };
    const body = JSON.stringify(batch);
    let answer: ProvinceAnswer;
    try {
      answer = await http.post(endpoint(link.url, 'api/v1/push'), body, { token: link.token, proxy: link.proxy, timeoutMs: t.timeoutMs });
    } catch (error) {
      if (stopping.signal.aborted) return;
      if (timedOut(error) && items.length > 1) {
        limit = { items: Math.max(1, Math.floor(items.length / 2)), bytes: Math.floor(bytes / 2) };
        log(`Liên kết tỉnh: gói ${items.length} mục (${Math.round(body.length / 1024)} KB) không gửi xong trong ${(t.timeoutMs / 1000).toLocaleString('vi-VN')} giây; lần sau gửi gói nhỏ hơn một nửa.`);
      }
      wentDown(link, networkProblem(error, t.timeoutMs));
      return;
    }
    if (stopping.signal.aborted) return;
    const lastSent = items.length > 0 ? items[items.length - 1]!.seq : link.ackedSeq;
    const reply = answer.body as { ackedThrough?: unknown; epoch?: unknown } | undefined;
    if (answer.status === 200 && typeof reply?.ackedThrough === 'number' && reply.epoch === link.epoch) {
      const current = store.link();
      if (!same(link, current)) return;
      store.acked(link.epoch, link.seqBase, Math.min(reply.ackedThrough, lastSent), now());
      if (current!.state === 'down') log(`Liên kết tỉnh: đã kết nối lại với ${link.url}; gửi tiếp phần còn chờ.`);
      failures = 0;
      limit = { items: PUSH_MAX_ITEMS, bytes: BATCH_BYTES };
      if (today) {
        todaySentAt = performance.now();
        todayActivity = activity;
      }
      schedule(store.counts().pending > 0 ? 0 : pollMs);
      return;
    }
    const error = errorOf(answer);
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408 || (answer.status === 200 && !error)) {
      wentDown(link, answer.status === 200 ? 'máy chủ tỉnh trả lời không đúng giao thức' : `máy chủ tỉnh trả lời lỗi ${answer.status}${error ? ` (${error.message})` : ''}`);
      return;
    }
    if (error?.code === 'sequence_gap' && error.expected !== undefined) {
      // The province has everything before `expected` (a reply lost on the way back): drop those and go on.
      const stored = error.expected - 1;
      if (stored >= link.ackedSeq && stored <= lastSent) {
        store.acked(link.epoch, link.seqBase, stored, now());
        schedule(0);
        return;
      }
      if (error.expected <= link.ackedSeq || error.expected === 1) {
        // The province lost what it had acknowledged (its database restored from a backup): it
        // wants positions this hub dropped on its ack. Everything goes again under a new epoch,
        // as after the hub's own restore, instead of refusing and every commune enrolling again.
        const current = store.link();
        if (!same(link, current)) return;
        const epoch = Math.max(now(), link.epoch + 1);
        store.newEpoch(epoch, current!.restoredAt, Date.now());
        log(
          `Liên kết tỉnh: máy chủ tỉnh chờ số ${error.expected} nhưng đã xác nhận đến ${link.ackedSeq} (dữ liệu của tỉnh có thể đã được khôi phục từ bản sao lưu): bắt đầu lượt số mới (epoch ${epoch}), gửi lại toàn bộ từ số 1.`,
        );
        failures = 0;
        todaySentAt = -Infinity;
        todayActivity = -1;
        schedule(0);
        return;
      }
      refused(link, `Máy chủ tỉnh chờ số thứ tự ${error.expected} mà máy này không còn giữ (đã gửi đến ${link.ackedSeq}). Hãy đăng ký lại để gửi lại toàn bộ dữ liệu.`);
      return;
    }
    const known = error ? REFUSALS[error.code as ProvinceErrorCode] : undefined;
    refused(link, known ? `${known}${said(error)}` : `Máy chủ tỉnh từ chối (HTTP ${answer.status}${error ? `, ${error.code}: ${error.message}` : ''}). Hãy báo kỹ thuật viên.`);
  }

  /** Enrols with the province: its answer awaited (bounded), then stored and the first push started. */
  async function enrol(cmd: ParsedCommand<'province:enrol'>, by: string): Promise<ProvinceLinkView> {
    const url = cmd.url;
    const request = { api: PROVINCE_API_VERSION, communeCode: cmd.communeCode, key: cmd.key, hubVersion: deps.hubVersion };
    let answer: ProvinceAnswer;
    try {
      answer = await http.post(endpoint(url, 'api/v1/enrol'), JSON.stringify(request), { proxy: cmd.proxy, timeoutMs: t.enrolTimeoutMs });
    } catch (error) {
      throw new QueueError('timeout', `Không đăng ký được: ${networkProblem(error, t.enrolTimeoutMs)} (${url}${cmd.proxy ? `, qua proxy ${cmd.proxy}` : ''}). Kiểm tra địa chỉ, mạng và proxy rồi thử lại.`);
    }
    const reply = answer.body as { communeCode?: unknown; communeName?: unknown; token?: unknown } | undefined;
    if (answer.status !== 200) {
      const error = errorOf(answer);
      if (!error || answer.status === 404) {
        throw new QueueError('invalid_payload', `Không đăng ký được: địa chỉ ${url} trả lời HTTP ${answer.status}, không phải máy chủ tỉnh xephang. Kiểm tra địa chỉ.`);
      }
      if (error.code === 'unauthorized') {
        throw new QueueError(
          'unauthorized',
          `Không đăng ký được: tỉnh không nhận mã đăng ký này cho xã ${cmd.communeCode} (sai mã xã, sai mã đăng ký, mã đã dùng hoặc đã hết hạn)${said(error)}. Kiểm tra lại, hoặc xin tỉnh mã đăng ký mới.`,
        );
      }
      if (error.code === 'rate_limited') throw new QueueError('rate_limited', 'Không đăng ký được: đã thử quá nhiều lần, hãy đợi một lát rồi thử lại.');
      throw new QueueError('invalid_payload', `Không đăng ký được: máy chủ tỉnh từ chối (${error.code}${error.message ? `: ${error.message}` : ''}).`);
    }
    const token = reply?.token;
    const communeName = reply?.communeName;
    if (typeof token !== 'string' || token.length < 16 || token.length > 200 || typeof communeName !== 'string' || communeName.length > 200 || reply?.communeCode !== cmd.communeCode || !CommuneCodeSchema.safeParse(reply.communeCode).success) {
      throw new QueueError('invalid_payload', `Không đăng ký được: câu trả lời từ ${url} không phải của máy chủ tỉnh xephang.`);
    }
    const before = store.link();
    // A larger epoch than any this hub used, even on a test clock set back.
    const epoch = Math.max(now(), (before?.epoch ?? 0) + 1);
    store.enrol({ url, communeCode: cmd.communeCode, communeName, token, proxy: cmd.proxy, at: now(), restoredAt: deps.config.meta('restored_at') ?? null }, epoch, Date.now());
    deps.audit({ by, what: `Liên kết với tỉnh: ${url}, xã ${cmd.communeCode} (${communeName})${cmd.proxy ? `, qua proxy ${cmd.proxy}` : ''}` });
    log(`Liên kết tỉnh: đã đăng ký với ${url} là xã ${cmd.communeCode} (${communeName}); bắt đầu gửi dữ liệu.`);
    failures = 0;
    todaySentAt = -Infinity;
    todayActivity = -1;
    schedule(0);
    return view();
  }

  return {
    /** The hub is up: a database that came back from a backup starts a new epoch, then the first push. */
    start(): void {
      const link = store.link();
      if (!link) return;
      const restoredAt = deps.config.meta('restored_at') ?? null;
      if (restoredAt !== link.restoredAt) {
        const epoch = Math.max(now(), link.epoch + 1);
        store.newEpoch(epoch, restoredAt, Date.now());
        log(`Liên kết tỉnh: cơ sở dữ liệu đã được khôi phục từ bản sao lưu (${restoredAt}): bắt đầu lượt số mới (epoch ${epoch}), gửi lại toàn bộ từ số 1.`);
      } else {
        const { pending } = store.counts();
        const refusedNote = link.state === 'refused' ? '; tỉnh đã từ chối lần trước: chờ quản trị xử lý (thẻ "Hệ thống")' : '';
        log(`Liên kết tỉnh: gửi số liệu lên ${link.url} (xã ${link.communeCode}), ${pending} mục đang chờ${refusedNote}.`);
      }
      schedule(0);
    },
    /** After every commit: only the time is noted (the sender waits for a quiet moment). */
    committed(): void {
      lastCommitAt = performance.now();
    },
    view,
    enrol,
    unlink(by: string): ProvinceLinkView {
      const link = store.link();
      if (!link) throw new QueueError('not_found', 'Máy chủ này chưa liên kết với tỉnh.');
      store.unlink();
      clearTimeout(timer);
      nextAttemptAt = null;
      deps.audit({ by, what: `Ngắt liên kết với tỉnh ${link.url} (xã ${link.communeCode})` });
      log(`Liên kết tỉnh: đã ngắt liên kết với ${link.url}.`);
      return view();
    },
    pushNow(): ProvinceLinkView {
      if (!store.link()) throw new QueueError('not_found', 'Máy chủ này chưa liên kết với tỉnh: hãy đăng ký trước.');
      forced = true;
      failures = 0;
      // Today's tally goes too, so "send now" always asks the province (the admin checks the link).
      todaySentAt = -Infinity;
      todayActivity = -1;
      schedule(0);
      return view();
    },
    /** The hub stopping: a push under way is abandoned (sent again at the next start), the connections closed. */
    async stop(): Promise<void> {
      stopping.abort();
      clearTimeout(timer);
      await http.close();
      await running;
    },
  };
}

export type ProvinceLink = ReturnType<typeof createProvinceLink>;
