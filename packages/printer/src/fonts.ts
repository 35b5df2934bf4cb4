import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family every ticket is drawn with: Be Vietnam Pro (OFL), shipped in `assets/fonts`. */
export const TICKET_FONT_FAMILY = 'Be Vietnam Pro';

const FILES = ['Regular', 'Medium', 'Bold', 'ExtraBold'].map((w) => `BeVietnamPro-${w}.ttf`);

let registeredFrom: string | undefined;

/**
 * The folder holding the ticket fonts: `XEPHANG_FONTS_DIR` when set, else the `fonts/` of the
 * `@xephang/assets` package, found by package resolution: the repository's `assets/fonts` when
 * run from a checkout (from `src/` or `dist/src/` alike), its copy in `node_modules` inside a
 * packaged desktop shell, where no folder above this file holds an `assets/`.
 * @throws Error when no folder with the fonts is found.
 */
export function fontsDir(): string {
  const fromEnv = process.env.XEPHANG_FONTS_DIR;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, FILES[0]!))) throw new Error(`XEPHANG_FONTS_DIR=${fromEnv} không chứa ${FILES[0]}.`);
    return resolve(fromEnv);
  }
  try {
    return dirname(require.resolve(`@xephang/assets/fonts/${FILES[0]}`));
  } catch {
    throw new Error(`Không tìm thấy phông chữ ${FILES[0]} (gói @xephang/assets, thư mục assets/fonts). Đặt XEPHANG_FONTS_DIR trỏ tới thư mục phông.`);
  }
}

/**
 * Registers the ticket font with the canvas once per process.
 * @throws Error when the font files are missing or unreadable.
 */
export function ensureTicketFont(): void {
  if (registeredFrom) return;
  const dir = fontsDir();
  for (const file of FILES) {
    // Read by Node, then handed over as bytes: inside a packaged shell the file sits in app.asar,
    // which Electron's fs reads and the canvas's native loader cannot.
    let data: Buffer;
    try {
      data = readFileSync(join(dir, file));
    } catch {
      throw new Error(`Không đọc được phông chữ ${join(dir, file)}.`);
    }
    if (!GlobalFonts.register(data, TICKET_FONT_FAMILY)) throw new Error(`Không đọc được phông chữ ${join(dir, file)}.`);
  }
  registeredFrom = dir;
}
