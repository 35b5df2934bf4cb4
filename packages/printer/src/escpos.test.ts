import { describe, expect, it } from '@jest/globals';
import { blackDots, sliceRows } from './bitmap';
import { encodeTicket } from './escpos';
import { decodeStatus, stateOf } from './status';
import { layoutTicket, type TicketData } from './layout';
import { renderLayout, renderTicket } from './render';
import { EscPosDecoder, type DecodedTicket } from './testing/escpos-decoder';
import { pixelDiff } from './testing/fake-printer';

const ticket: TicketData = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
  number: 2001,
  serviceNameVi: 'Tư pháp – Hộ tịch',
  issuedAt: Date.parse('2025-07-10T08:05:00+07:00'),
  peopleAhead: 0,
  estimatedWaitMinutes: 0,
};
const QR = 'https://example.invalid/t/2025-07-10-2001';

function decode(bytes: Uint8Array, paperDots = 576): DecodedTicket[] {
  const out: DecodedTicket[] = [];
  const d = new EscPosDecoder(paperDots, () => 0x12, (t) => out.push(t));
  // Byte by byte: a printer gets its data in pieces of any size.
  for (let i = 0; i < bytes.length; i += 997) d.push(Buffer.from(bytes.subarray(i, i + 997)));
  expect(d.incomplete).toBe(0);
  expect(d.unknown).toEqual([]);
  return out;
}

describe('ESC/POS encoding', () => {
  it('sends initialise, GS v 0 rasters of the full width and one full cut', () => {
    const r = renderTicket(ticket, 80);
    const bytes = Buffer.from(encodeTicket(r));
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    // The first raster: GS v 0, mode 0, 72 bytes (576 dots) across, at most 255 rows.
    expect([...bytes.subarray(7, 13)]).toEqual([0x1d, 0x76, 0x30, 0x00, 72, 0]);
    expect(bytes[13]! + bytes[14]! * 256).toBeLessThanOrEqual(255);
    const tickets = decode(bytes);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.cut).toBe('full');
    expect(tickets[0]!.image.width).toBe(576);
    expect(tickets[0]!.image.height).toBe(r.layout.height);
    expect(pixelDiff(tickets[0]!.image, r.bitmap)).toBe(0);
    expect(tickets[0]!.lineFeeds).toBe(4);
    expect(tickets[0]!.text.trim()).toBe('');
  });

  it("uses Epson's QR command (model 2, module size, level M, store, print), centred", () => {
    const layout = layoutTicket({ ...ticket, qr: QR }, 80);
    const r = renderLayout(layout);
    const bytes = Buffer.from(encodeTicket(r));
    const qr = r.qr!;
    const data = Buffer.from(QR, 'latin1');
    const expected = Buffer.from([
      0x1b, 0x61, 0x01,
      0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00,
      0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, qr.moduleSize,
      0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31,
      0x1d, 0x28, 0x6b, data.length + 3, 0, 0x31, 0x50, 0x30, ...data,
      0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30,
      0x1b, 0x61, 0x00,
    ]);
    expect(bytes.indexOf(expected)).toBeGreaterThan(0);
    const [decoded] = decode(bytes);
    expect(decoded!.qr).toEqual([QR]);
    // The decoded page (rasters with the symbol drawn where the printer puts it) is the preview.
    const preview = renderLayout(layout, { qrInRaster: true });
    expect(pixelDiff(decoded!.image, preview.bitmap)).toBe(0);
  });

  it('can draw the QR symbol into the raster for printers without the command', () => {
    const r = renderTicket({ ...ticket, qr: QR }, 58, { qrInRaster: true });
    const [decoded] = decode(encodeTicket(r, { qrInRaster: true }), 384);
    expect(decoded!.qr).toEqual([]);
    expect(decoded!.image.width).toBe(384);
    // One raster: the printer pads it to a multiple of 8 rows with white.
    expect(decoded!.image.height).toBe(Math.ceil(r.bitmap.height / 8) * 8);
    expect(pixelDiff(sliceRows(decoded!.image, 0, r.bitmap.height), r.bitmap)).toBe(0);
    expect(blackDots(sliceRows(decoded!.image, r.bitmap.height, decoded!.image.height))).toBe(0);
  });

  it('reads DLE EOT answers', () => {
    expect(stateOf(decodeStatus(0x12, 0x12, 0x12))).toBe('ok');
    expect(stateOf(decodeStatus(0x12, 0x12, 0x1e))).toBe('paper_near_end');
    expect(stateOf(decodeStatus(0x1a, 0x32, 0x7e))).toBe('paper_out');
    expect(stateOf(decodeStatus(0x1a, 0x16, 0x12))).toBe('cover_open');
    expect(stateOf(decodeStatus(0x1a, 0x52, 0x12))).toBe('error');
    expect(stateOf(decodeStatus(0x1a, 0x12, 0x12))).toBe('offline');
    expect(() => decodeStatus(0x48, 0x12, 0x12)).toThrow('không hợp lệ');
  });
});
