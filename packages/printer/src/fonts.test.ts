import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fontsDir } from './fonts';

const ROOT = join(__dirname, '../../..');

describe('the ticket fonts', () => {
  const saved = process.env.XEPHANG_FONTS_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.XEPHANG_FONTS_DIR;
    else process.env.XEPHANG_FONTS_DIR = saved;
  });

  it('come from the @xephang/assets package, which the printer declares (so a packaged shell carries them)', () => {
    delete process.env.XEPHANG_FONTS_DIR;
    expect(realpathSync(fontsDir())).toBe(realpathSync(join(ROOT, 'assets/fonts')));
    const printer = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(printer.dependencies)).toContain('@xephang/assets');
    const assets = JSON.parse(readFileSync(join(ROOT, 'assets/package.json'), 'utf8')) as { name: string; files: string[] };
    expect(assets.name).toBe('@xephang/assets');
    expect(assets.files).toContain('fonts');
  });

  it('come from XEPHANG_FONTS_DIR when set, and a folder without them is refused in Vietnamese', () => {
    process.env.XEPHANG_FONTS_DIR = join(ROOT, 'assets/fonts');
    expect(fontsDir()).toBe(join(ROOT, 'assets/fonts'));
    const empty = mkdtempSync(join(tmpdir(), 'xephang-fonts-'));
    try {
      process.env.XEPHANG_FONTS_DIR = empty;
      expect(() => fontsDir()).toThrow(`XEPHANG_FONTS_DIR=${empty} không chứa BeVietnamPro-Regular.ttf.`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
