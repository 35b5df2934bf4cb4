import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family every ticket is drawn with: Be Vietnam Pro (OFL), shipped in `assets/fonts`. */
export const TICKET_FONT_FAMILY = 'Be Vietnam Pro';

const FILES = ['Regular', 'Medium', 'Bold', 'ExtraBold'].map((w) => `BeVietnamPro-${w}.ttf`);

let registeredFrom: string | undefined;

/**
 * The folder holding the ticket fonts: `XEPHANG_FONTS_DIR` when set (a packaged desktop app
 * puts them next to its resources), else the repository's `assets/fonts`, found by walking up
 * from this file so it works from `src/` (tests) and from `dist/src/` (the built hub).
 * @throws Error when no folder with the fonts is found.
 */
export function fontsDir(): string {
  const fromEnv = process.env.XEPHANG_FONTS_DIR;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, FILES[0]!))) throw new Error(`XEPHANG_FONTS_DIR=${fromEnv} không chứa ${FILES[0]}.`);
    return resolve(fromEnv);
  }
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'assets', 'fonts');
    if (existsSync(join(candidate, FILES[0]!))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`Không tìm thấy phông chữ ${FILES[0]} (thư mục assets/fonts). Đặt XEPHANG_FONTS_DIR trỏ tới thư mục phông.`);
}

/**
 * Registers the ticket font with the canvas once per process.
 * @throws Error when the font files are missing or unreadable.
 */
export function ensureTicketFont(): void {
  if (registeredFrom) return;
  const dir = fontsDir();
  for (const file of FILES) {
    if (!GlobalFonts.registerFromPath(join(dir, file), TICKET_FONT_FAMILY)) {
      throw new Error(`Không đọc được phông chữ ${join(dir, file)}.`);
    }
  }
  registeredFrom = dir;
}
