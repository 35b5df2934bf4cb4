/** A 1-bit image, one byte per dot (1 = black), rows top to bottom: what a thermal head prints. */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A white bitmap. */
export function blankBitmap(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(width * height) };
}

/**
 * Thresholds RGBA pixels (drawn black on white) to 1 bit: a dot is black when its luminance is
 * below `threshold`. Thermal heads print no grey, so antialiased edges go one way or the other.
 */
export function thresholdRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, threshold = 150): Bitmap {
  const out = blankBitmap(width, height);
  const data = out.data;
  if (rgba.byteOffset % 4 === 0) {
    // Fast path for what the ticket renderer draws: opaque grey (black text on white), where
    // the red byte is the luminance.
    const px = new Uint32Array(rgba.buffer, rgba.byteOffset, data.length);
    let grey = true;
    for (let i = 0; i < px.length && grey; i += 97) {
      const v = px[i]!;
      grey = v >>> 24 === 255 && (v & 0xff) === ((v >> 8) & 0xff) && (v & 0xff) === ((v >> 16) & 0xff);
    }
    if (grey) {
      for (let i = 0; i < px.length; i++) data[i] = (px[i]! & 0xff) < threshold ? 1 : 0;
      return out;
    }
  }
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    // Integer luminance (weights 77/150/29 of 256); transparent counts as paper (white).
    const a = rgba[p + 3]!;
    const lum = a === 255 ? (77 * rgba[p]! + 150 * rgba[p + 1]! + 29 * rgba[p + 2]!) >> 8 : 255 - ((a * (255 - ((77 * rgba[p]! + 150 * rgba[p + 1]! + 29 * rgba[p + 2]!) >> 8))) >> 8);
    data[i] = lum < threshold ? 1 : 0;
  }
  return out;
}

/** RGBA pixels of a bitmap: black dots black, the rest white, fully opaque. */
export function bitmapToRgba(bitmap: Bitmap): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(bitmap.width * bitmap.height * 4);
  for (let i = 0, p = 0; i < bitmap.data.length; i++, p += 4) {
    const v = bitmap.data[i] ? 0 : 255;
    rgba[p] = v;
    rgba[p + 1] = v;
    rgba[p + 2] = v;
    rgba[p + 3] = 255;
  }
  return rgba;
}

/** The rows [from, to) of a bitmap, as a new bitmap. */
export function sliceRows(bitmap: Bitmap, from: number, to: number): Bitmap {
  const start = Math.max(0, from);
  const end = Math.min(bitmap.height, to);
  return { width: bitmap.width, height: Math.max(0, end - start), data: bitmap.data.slice(start * bitmap.width, end * bitmap.width) };
}

/** Bitmaps of one width stacked top to bottom. */
export function stackBitmaps(parts: readonly Bitmap[]): Bitmap {
  const width = parts[0]?.width ?? 0;
  const height = parts.reduce((h, p) => h + p.height, 0);
  const out = blankBitmap(width, height);
  let y = 0;
  for (const p of parts) {
    if (p.width !== width) throw new Error(`cannot stack a ${p.width}-dot-wide bitmap under a ${width}-dot-wide one`);
    out.data.set(p.data, y * width);
    y += p.height;
  }
  return out;
}

/** Number of black dots. */
export function blackDots(bitmap: Bitmap): number {
  let n = 0;
  for (const v of bitmap.data) n += v;
  return n;
}
