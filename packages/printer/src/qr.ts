import qrcode from 'qrcode-generator';
import type { Bitmap } from './bitmap';

export type QrErrorLevel = 'l' | 'm' | 'q' | 'h';

/**
 * The QR symbol for `content`, as a square of modules (true = dark), in byte mode, the smallest
 * version that holds it: the same choice an Epson printer makes for `GS ( k` with model 2.
 */
export function qrModules(content: string, level: QrErrorLevel = 'm'): boolean[][] {
  const qr = qrcode(0, level.toUpperCase() as 'L' | 'M' | 'Q' | 'H');
  qr.addData(content, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** Draws a QR symbol onto a bitmap with its top-left corner at (x, y), `moduleSize` dots per module. */
export function drawQr(target: Bitmap, modules: readonly (readonly boolean[])[], x: number, y: number, moduleSize: number): void {
  for (let r = 0; r < modules.length; r++) {
    for (let c = 0; c < modules.length; c++) {
      if (!modules[r]![c]) continue;
      for (let dy = 0; dy < moduleSize; dy++) {
        const row = y + r * moduleSize + dy;
        if (row < 0 || row >= target.height) continue;
        const start = row * target.width + x + c * moduleSize;
        target.data.fill(1, Math.max(row * target.width, start), Math.min((row + 1) * target.width, start + moduleSize));
      }
    }
  }
}
