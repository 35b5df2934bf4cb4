import { execFile, spawn } from 'node:child_process';
import type { PrinterState } from '@xephang/protocol';
import type { PrinterStatus } from './job-printer';
import { SpoolerError, STUCK_AFTER_MS, type Spooler, type SpoolerFailure } from './spooler';

export interface CupsOptions {
  /** The CUPS queue's name (`lpstat -p`), e.g. "xephang-kiosk". */
  queue: string;
  /** `host:port` of a cupsd (`-h`); the machine's own CUPS when absent. */
  server?: string;
  /** A job still in the queue after this long is stuck: the printer is not taking it. */
  stuckAfterMs?: number;
  /** How long `lp` or `lpstat` may take before the spooler counts as unreachable. */
  commandTimeoutMs?: number;
  /** The clock that dates stuck jobs (tests). */
  now?: () => number;
}

/** What `lpstat -l -p Q -o Q -a Q` says of one queue. */
export interface LpstatReport {
  printer?: {
    state: 'idle' | 'printing' | 'disabled';
    /** printer-state-message: what the backend (or `cupsdisable -r`) last said. */
    message?: string;
    /** printer-state-reasons ("Alerts:"), without "none". */
    reasons: string[];
  };
  accepting?: boolean;
  /** Why the queue refuses jobs (`cupsreject -r`). */
  rejectReason?: string;
  jobs: { id: string; queuedAt: number; status?: string }[];
}

// The CUPS clients translate their output: parse it in the C locale, dates included.
const C_LOCALE = { LC_ALL: 'C', LANG: 'C', LANGUAGE: '' };
const QUEUE_NAME = /^[^\s/#\\'"-][^\s/#\\'"]{0,126}$/;
const SCHEDULER_DOWN = 'cupsd không chạy hoặc không nghe ở địa chỉ này / scheduler is not running';
const APT_HINT = 'Cài gói cups-client của Debian (apt-get install cups-client) / install Debian’s cups-client.';

/** Reads `lpstat -l -p Q -o Q -a Q` (C locale): the printer block, its jobs, whether it accepts. */
export function parseLpstat(text: string): LpstatReport {
  const report: LpstatReport = { jobs: [] };
  let block: 'printer' | 'job' | 'accepting' | undefined;
  let printerLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (!line.startsWith('\t') && !line.startsWith(' ')) {
      const printer = /^printer \S+ (?:(is idle)|(now printing)|(disabled) since)/.exec(line);
      const accepting = /^\S+ (not )?accepting requests since /.exec(line);
      const job = /^(\S+-\d+)\s+\S+\s+\d+\s+(.+)$/.exec(line);
      if (printer) {
        block = 'printer';
        printerLines = 0;
        report.printer = { state: printer[1] ? 'idle' : printer[2] ? 'printing' : 'disabled', reasons: [] };
      } else if (accepting) {
        block = 'accepting';
        report.accepting = !accepting[1];
      } else if (job) {
        block = 'job';
        report.jobs.push({ id: job[1]!, queuedAt: Date.parse(job[2]!.trim()) });
      } else {
        block = undefined;
      }
      continue;
    }
    const value = line.trim();
    if (block === 'printer' && report.printer) {
      printerLines++;
      const alerts = /^Alerts:\s*(.*)$/.exec(value);
      if (alerts) report.printer.reasons = alerts[1]!.split(/\s+/).filter((r) => r && r !== 'none');
      // The first indented line, when it is not one of -l's labelled fields, is the message.
      else if (printerLines === 1 && !/^[A-Z][a-z ]+:/.test(value)) report.printer.message = value;
    } else if (block === 'accepting' && report.accepting === false) {
      report.rejectReason = value;
    } else if (block === 'job') {
      const status = /^Status:\s*(.*)$/.exec(value);
      const job = report.jobs[report.jobs.length - 1];
      if (status && job && status[1]) job.status = status[1];
    }
  }
  return report;
}

// What CUPS's network and USB backends say (C locale) while they cannot reach the printer.
const UNREACHABLE = /not exist|unavailable|not responding|unreachable|unable to (?:connect|open)|waiting for printer|connection refused|no route|offline|not connected/i;

const reasonIs = (reasons: string[], ...names: string[]) => reasons.some((r) => names.includes(r.replace(/-(?:error|warning|report)$/, '')));

/** What a kiosk may say of a CUPS queue, from what lpstat reported. Pure. */
export function cupsQueueStatus(report: LpstatReport, queue: string, now: number, stuckAfterMs: number): PrinterStatus {
  const q = `Hàng đợi in "${queue}"`;
  const say = (state: PrinterState, message: string): PrinterStatus => ({ state, message });
  const p = report.printer;
  if (!p) return say('error', `${q} không có trong CUPS. Hãy tạo lại hàng đợi (xem docs/deploy.md). / No such CUPS queue.`);
  if (p.state === 'disabled') {
    return say('offline', `${q} đang dừng${p.message ? ` (${p.message})` : ''}: chưa in được phiếu. Bật lại bằng: cupsenable ${queue}. / The queue is stopped.`);
  }
  if (report.accepting === false) {
    return say('offline', `${q} không nhận phiếu mới${report.rejectReason ? ` (${report.rejectReason})` : ''}. Mở lại bằng: cupsaccept ${queue}. / The queue rejects jobs.`);
  }
  if (reasonIs(p.reasons, 'media-empty', 'media-needed')) return say('paper_out', `Máy in đã hết giấy (CUPS báo ${p.reasons.join(' ')}). Xin vui lòng báo cán bộ hướng dẫn để thay giấy.`);
  if (reasonIs(p.reasons, 'cover-open', 'door-open')) return say('cover_open', `Nắp máy in đang mở (CUPS báo ${p.reasons.join(' ')}). Xin vui lòng báo cán bộ hướng dẫn.`);
  if (reasonIs(p.reasons, 'offline', 'shutdown', 'timed-out')) return say('offline', `CUPS báo máy in ngừng kết nối (${p.reasons.join(' ')}). Xin vui lòng báo cán bộ hướng dẫn.`);
  const oldest = report.jobs.reduce<number | undefined>((t, j) => (Number.isFinite(j.queuedAt) && (t === undefined || j.queuedAt < t) ? j.queuedAt : t), undefined);
  const waiting = oldest === undefined ? 0 : now - oldest;
  if (p.state === 'printing' && p.message && UNREACHABLE.test(p.message)) {
    return say('offline', `CUPS chưa gửi được phiếu tới máy in: "${p.message}" (${report.jobs.length} phiếu đang chờ trong ${q}). Xin vui lòng báo cán bộ hướng dẫn.`);
  }
  if (report.jobs.length > 0 && waiting >= stuckAfterMs) {
    return say('offline', `${report.jobs.length} phiếu kẹt trong ${q} từ ${Math.round(waiting / 1000)} giây trước: máy in chưa nhận${p.message ? ` (${p.message})` : ''}. Xin vui lòng báo cán bộ hướng dẫn.`);
  }
  if (reasonIs(p.reasons, 'media-low')) return say('paper_near_end', `Máy in sắp hết giấy (CUPS báo ${p.reasons.join(' ')}): hãy chuẩn bị thay cuộn giấy mới.`);
  return say('no_status', `${q} sẵn sàng nhận phiếu. CUPS không biết giấy còn hay hết: máy in chỉ báo qua trình điều khiển, hàng đợi thô (raw) không hỏi được. / The queue is ready; paper is unknown.`);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The program could not be started (ENOENT: CUPS's clients are not installed). */
  missing?: boolean;
  timedOut?: boolean;
}

/** Why lp or lpstat failed, read from their (C locale) error text. */
export function lpFailure(stderr: string): SpoolerFailure {
  if (/invalid destination|does not exist|not found|unknown printer/i.test(stderr)) return 'missing';
  if (/not accepting|rejecting|disabled|stopped|forbidden|not authorized/i.test(stderr)) return 'refused';
  return 'unreachable';
}

/**
 * A CUPS queue through Debian's own clients (`lp -o raw`, `lpstat`), arguments passed as a list
 * (no shell). The queue should be raw (no PPD) so CUPS hands the ESC/POS bytes on untouched.
 * @throws Error when the queue name is not one CUPS allows.
 */
export function cupsSpooler(opts: CupsOptions): Spooler {
  if (!QUEUE_NAME.test(opts.queue)) throw new Error(`Tên hàng đợi CUPS không hợp lệ: "${opts.queue}" (không dấu cách, "/", "#", không bắt đầu bằng "-").`);
  const queue = opts.queue;
  const host = opts.server ? ['-h', opts.server] : [];
  const timeout = opts.commandTimeoutMs ?? 5000;
  const stuckAfterMs = opts.stuckAfterMs ?? STUCK_AFTER_MS;
  const now = opts.now ?? Date.now;
  const description = `cups://${opts.server ? `${opts.server}/` : ''}${queue}`;
  const env = { ...process.env, ...C_LOCALE };

  const run = (program: string, args: string[], input?: Uint8Array) =>
    new Promise<Run>((resolve) => {
      if (input === undefined) {
        execFile(program, args, { env, timeout, encoding: 'utf8' }, (error, stdout, stderr) => {
          const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
          resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr, missing: e?.code === 'ENOENT', timedOut: Boolean(e?.killed) });
        });
        return;
      }
      const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeout);
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      // lp may exit (bad queue) before it read the job: that is reported by its exit code.
      child.stdin.on('error', () => undefined);
      child.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ code: -1, stdout: '', stderr: e.message, missing: e.code === 'ENOENT' });
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
      });
      child.stdin.end(input);
    });

  // lp and lpstat say "does not exist" also when they could not reach cupsd at all: ask it.
  const schedulerRunning = async () => (await run('lpstat', [...host, '-r'])).stdout.includes('scheduler is running');
  const unreachable = (why: string) => `Không kết nối được dịch vụ in CUPS (${opts.server ?? 'máy này'})${why ? `: ${why}` : ''}. Xin vui lòng báo cán bộ hướng dẫn.`;

  return {
    description,
    async submit(job, title) {
      const r = await run('lp', [...host, '-d', queue, '-o', 'raw', '-t', title], job);
      if (r.missing) throw new SpoolerError('unreachable', `Không chạy được lệnh lp. ${APT_HINT}`);
      if (r.timedOut) throw new SpoolerError('unreachable', `CUPS không trả lời lệnh lp sau ${timeout} ms (${description}).`);
      const id = /request id is (\S+)/.exec(r.stdout);
      if (r.code === 0 && id) return { jobId: id[1]! };
      const why = (r.stderr || r.stdout).trim();
      let failure = lpFailure(why);
      const down = failure === 'missing' && !(await schedulerRunning());
      if (down) failure = 'unreachable';
      const message =
        failure === 'missing'
          ? `Không có hàng đợi in "${queue}" trong CUPS (${why}).`
          : failure === 'refused'
            ? `Hàng đợi in "${queue}" không nhận phiếu (${why}).`
            : unreachable(down ? SCHEDULER_DOWN : why || `lp thoát với mã ${r.code}`);
      throw new SpoolerError(failure, message);
    },
    async status() {
      const r = await run('lpstat', [...host, '-l', '-p', queue, '-o', queue, '-a', queue]);
      if (r.missing) return { state: 'error', message: `Không hỏi được CUPS: thiếu lệnh lpstat. ${APT_HINT}` };
      if (r.timedOut) return { state: 'offline', message: `CUPS không trả lời sau ${timeout} ms (${description}).` };
      const report = parseLpstat(r.stdout);
      if (r.code !== 0 && !report.printer) {
        const why = r.stderr.trim();
        if (lpFailure(why) !== 'missing') return { state: 'offline', message: unreachable(why) };
        if (!(await schedulerRunning())) return { state: 'offline', message: unreachable(SCHEDULER_DOWN) };
      }
      return cupsQueueStatus(report, queue, now(), stuckAfterMs);
    },
  };
}

/** A CUPS queue the kiosk's settings screen offers. */
export interface CupsQueueChoice {
  name: string;
  /** Where it sends jobs: `usb://EPSON/TM-T82III?serial=…`, `socket://192.168.1.50:9100`. */
  device: string;
}

/** Reads `lpstat -v` (C locale): one "device for NAME: URI" line per queue. Pure. */
export function parseLpstatDevices(text: string): CupsQueueChoice[] {
  return [...text.matchAll(/^device for (\S+): (\S+)$/gm)].map((m) => ({ name: m[1]!, device: m[2]! }));
}

/**
 * The queues of a CUPS (`lpstat -v`), for the kiosk's settings screen to list by name.
 * @throws SpoolerError when CUPS cannot be asked: its clients are missing or cupsd is not running.
 */
export function listCupsQueues(opts: { server?: string; commandTimeoutMs?: number } = {}): Promise<CupsQueueChoice[]> {
  const args = [...(opts.server ? ['-h', opts.server] : []), '-v'];
  return new Promise((resolve, reject) => {
    execFile('lpstat', args, { env: { ...process.env, ...C_LOCALE }, timeout: opts.commandTimeoutMs ?? 5000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const queues = parseLpstatDevices(stdout);
      if (!error || queues.length) return resolve(queues);
      // lpstat says so, and exits 1, when the scheduler runs but has no queue yet.
      if (/no destinations added/i.test(stderr)) return resolve([]);
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return reject(new SpoolerError('unreachable', `Không chạy được lệnh lpstat. ${APT_HINT}`));
      reject(new SpoolerError('unreachable', `Không hỏi được CUPS danh sách hàng đợi (${opts.server ?? 'máy này'}): ${stderr.trim() || e.message}`));
    });
  });
}
