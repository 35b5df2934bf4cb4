import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { parsePayload, type Ack, type ScreenId } from '@xephang/protocol';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** The file in Electron's `userData` folder that holds this machine's role. */
export const CONFIG_FILE = 'xephang-desktop.json';

/**
 * What this machine is: each role opens the hub's screen of the same id (SCREENS in
 * @xephang/protocol). A counter display is the hub's `display` role with a counter number.
 */
export const DESKTOP_ROLES = ['kiosk', 'display', 'counter-display', 'counter'] as const satisfies readonly ScreenId[];
export const DesktopRoleSchema = z.enum(DESKTOP_ROLES);
export type DesktopRole = z.infer<typeof DesktopRoleSchema>;

/** Vietnamese names of the roles, for the setup screen and messages. */
export const ROLE_NAMES: Record<DesktopRole, string> = {
  kiosk: 'Ki-ốt lấy số',
  display: 'Màn hình phòng chờ (TV)',
  'counter-display': 'Màn hình trên quầy',
  counter: 'Máy tính quầy (cán bộ)',
};

export const CounterNumberSchema = z.number().int().min(1).max(99);

/** An http(s) origin and nothing else: `http://192.168.1.10:8080`. */
export const HubOriginSchema = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'địa chỉ máy chủ dạng http://192.168.1.10:8080');

export const PinSchema = z.string().regex(/^\d{4,8}$/, 'mã PIN gồm 4 đến 8 chữ số');

const PaperSchema = z.union([z.literal(58), z.literal(80)]).default(80);

/**
 * Where the kiosk prints: nowhere (the hub prints), or its own printer, by the way it is
 * attached: the operating system's printer by name (a Windows printer with its vendor driver, a
 * CUPS queue), USB through libusb (a printer with no driver at all), a serial or virtual COM
 * port, or the network.
 */
export const PrinterSettingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('system'),
    /** The printer's name as Windows lists it ("EPSON TM-T82III Receipt"), or a CUPS queue's name. */
    name: z.string().trim().min(1, 'hãy chọn máy in').max(200),
    paperWidth: PaperSchema,
  }),
  z.strictObject({
    type: z.literal('usb'),
    /** A particular printer; absent: the first USB printer found (USB class 7). */
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    paperWidth: PaperSchema,
  }),
  z.strictObject({
    type: z.literal('serial'),
    /** `COM3` on Windows; `/dev/ttyUSB0`, `/dev/ttyACM0` or `/dev/usb/lp0` on Linux. */
    // Under /dev and staying there: no `..` segment climbs out to a file that is not a port.
    path: z.string().trim().regex(/^(COM\d{1,3}|\/dev\/(?!.*\.\.)[A-Za-z0-9/_.-]{1,100})$/, 'cổng COM (COM3) hoặc đường dẫn /dev/ttyUSB0'),
    baudRate: z.number().int().min(1200).max(921_600).default(9600),
    paperWidth: PaperSchema,
  }),
  z.strictObject({
    type: z.literal('tcp'),
    host: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'địa chỉ IP hoặc tên máy in'),
    port: z.number().int().min(1).max(65535).default(9100),
    paperWidth: PaperSchema,
  }),
]);
export type PrinterSetting = z.infer<typeof PrinterSettingSchema>;
/** A setting as a page sends it (defaults not yet filled in). */
export type PrinterSettingInput = z.input<typeof PrinterSettingSchema>;

export const DeviceConfigSchema = z
  .strictObject({
    version: z.literal(1),
    role: DesktopRoleSchema,
    /** For the counter display and the counter PC. */
    counterId: CounterNumberSchema.nullable(),
    hubUrl: HubOriginSchema,
    /** The hub found by discovery, to notice when another hub answers at that address. */
    hubId: z.string().max(64).nullable(),
    deviceName: z.string().trim().min(1).max(80),
    /** From pairing; null on the hub's own machine, which the hub trusts without pairing. */
    device: z.strictObject({ deviceId: z.string().min(1).max(64), token: z.string().min(1).max(128) }).nullable(),
    /** scrypt of the technician's PIN: it exits the app and reopens setup. */
    adminPinHash: z.string().regex(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/),
    printer: PrinterSettingSchema.default({ type: 'none' }),
  })
  .superRefine((c, ctx) => {
    const needsCounter = c.role === 'counter' || c.role === 'counter-display';
    if (needsCounter && c.counterId === null) ctx.addIssue({ code: 'custom', path: ['counterId'], message: 'vai trò này cần số quầy' });
    if (!needsCounter && c.counterId !== null) ctx.addIssue({ code: 'custom', path: ['counterId'], message: 'vai trò này không có số quầy' });
    if (c.role !== 'kiosk' && c.printer.type !== 'none') ctx.addIssue({ code: 'custom', path: ['printer'], message: 'chỉ ki-ốt mới in phiếu' });
  });
export type DeviceConfig = z.infer<typeof DeviceConfigSchema>;

export type LoadedConfig =
  | { state: 'ok'; config: DeviceConfig }
  | { state: 'missing' }
  /** Unreadable or invalid: setup opens again, saying why, and the file is kept for a look. */
  | { state: 'invalid'; message: string };

/** Reads the saved role from `dir`. Never throws: a missing or broken file means setup. */
export async function loadConfig(dir: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', message: `Không đọc được tệp cấu hình: ${String(error)}` };
  }
  return fromText(text);
}

/**
 * The same, synchronously: Electron's command-line switches (sound without a click for the
 * displays) must be set before the app is ready, so the role is read before anything awaits.
 */
export function loadConfigSync(dir: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(join(dir, CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', message: `Không đọc được tệp cấu hình: ${String(error)}` };
  }
  return fromText(text);
}

function fromText(text: string): LoadedConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: 'invalid', message: 'Tệp cấu hình không phải JSON hợp lệ.' };
  }
  const parsed = parseConfig(json);
  return parsed.ok ? { state: 'ok', config: parsed.data } : { state: 'invalid', message: describeProblems(parsed.error.fields) };
}

function describeProblems(fields: Record<string, string> | undefined): string {
  const list = Object.entries(fields ?? {}).map(([path, problem]) => `${path}: ${problem}`);
  return `Tệp cấu hình không hợp lệ (${list.join('; ')}).`;
}

/** Validates a configuration, naming every bad field in Vietnamese. */
export function parseConfig(input: unknown): Ack<DeviceConfig> {
  return parsePayload(DeviceConfigSchema, input);
}

/**
 * Writes the configuration atomically (a power cut leaves the old file or the new one, never
 * half of one), readable by this user only: it holds the device token.
 * @throws Error when the configuration is invalid or the folder cannot be written.
 */
export async function saveConfig(dir: string, config: DeviceConfig): Promise<void> {
  const parsed = parseConfig(config);
  if (!parsed.ok) throw new Error(describeProblems(parsed.error.fields));
  await mkdir(dir, { recursive: true });
  const file = join(dir, CONFIG_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(parsed.data, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Hashes the technician's PIN with a random salt. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(pin, salt, 32);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/** Whether `pin` is the one hashed in `stored`; false for a malformed hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$([0-9a-f]{32})\$([0-9a-f]{64})$/.exec(stored);
  if (!m || !PinSchema.safeParse(pin).success) return false;
  const expected = Buffer.from(m[2]!, 'hex');
  const actual = await scrypt(pin, Buffer.from(m[1]!, 'hex'), 32);
  return timingSafeEqual(actual, expected);
}

/** Wrong PINs in a row before the PIN prompt locks, and for how long. */
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 5 * 60_000;

/**
 * Checks admin PINs with a lockout, so a citizen cannot try every PIN at the kiosk. The clock
 * is passed in.
 */
export function pinGuard(hash: () => string, now: () => number) {
  let failures = 0;
  let lockedUntil = 0;
  return {
    /** `ok`, or why not, in Vietnamese. */
    async check(pin: string): Promise<{ ok: true } | { ok: false; message: string }> {
      const t = now();
      if (t < lockedUntil) return { ok: false, message: `Nhập sai quá nhiều lần. Hãy thử lại sau ${Math.ceil((lockedUntil - t) / 60_000)} phút.` };
      if (await verifyPin(pin, hash())) {
        failures = 0;
        return { ok: true };
      }
      failures++;
      if (failures >= PIN_MAX_FAILURES) {
        failures = 0;
        lockedUntil = t + PIN_LOCK_MS;
        return { ok: false, message: 'Sai mã PIN. Đã khoá 5 phút.' };
      }
      return { ok: false, message: `Sai mã PIN. Còn ${PIN_MAX_FAILURES - failures} lần thử.` };
    },
  };
}
