import { describe, expect, it } from '@jest/globals';
import { DEFAULT_FOOTER, selfTestTicket } from './index';
import { fitRules, fitText, formatIssuedAt, formatWait, layoutTicket, PAPER_DOTS, type PaperWidth, type TextBlock, type TicketData } from './layout';
import { renderTicket } from './render';

const AT = Date.parse('2025-07-10T08:05:00+07:00');
const base: TicketData = {
  centerName: 'Trung tâm Phục vụ hành chính công xã Hà Trung',
  number: 2001,
  serviceNameVi: 'Tư pháp – Hộ tịch',
  serviceNameEn: 'Justice – Civil status',
  issuedAt: AT,
  peopleAhead: 3,
  estimatedWaitMinutes: 15,
};
const LONG_CENTER =
  'Trung tâm Phục vụ hành chính công xã Hà Trung, tỉnh Thanh Hoá (cơ sở 2: nhà văn hoá thôn Đông, liên thông Công an, Chi nhánh Văn phòng đăng ký đất đai, Bưu điện và Bảo hiểm xã hội)';

const textBlocks = (t: TicketData, paper: PaperWidth) => layoutTicket(t, paper).blocks.filter((b): b is TextBlock => b.kind === 'text');
const block = (t: TicketData, paper: PaperWidth, role: string) => textBlocks(t, paper).find((b) => b.role === role)!;

describe('ticket layout', () => {
  for (const paper of [80, 58] as const) {
    describe(`${paper} mm (${PAPER_DOTS[paper]} dots)`, () => {
      const r = fitRules(paper);

      it('keeps every line inside the printable width and loses no word', () => {
        const t = { ...base, centerName: LONG_CENTER, priorityLabel: 'ƯU TIÊN – Người cao tuổi', footer: 'Xin vui lòng chú ý màn hình và loa gọi số. Cảm ơn ông/bà đã kiên nhẫn chờ!', qr: 'https://example.invalid/t/1' };
        const layout = layoutTicket(t, paper);
        expect(layout.width).toBe(PAPER_DOTS[paper]);
        for (const b of layout.blocks) {
          if (b.kind !== 'text') continue;
          for (const l of b.lines) {
            expect(l.x).toBeGreaterThanOrEqual(r.margin - 1);
            expect(l.x + l.width).toBeLessThanOrEqual(layout.width - r.margin + 1);
          }
        }
        expect(block(t, paper, 'centerName').lines.map((l) => l.text).join(' ')).toBe(LONG_CENTER);
        // Blocks do not overlap and stay on the ticket.
        const sorted = [...layout.blocks].sort((a, b) => a.top - b.top);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.top).toBeGreaterThanOrEqual(sorted[i - 1]!.bottom);
        expect(sorted.at(-1)!.bottom).toBeLessThanOrEqual(layout.height);
      });

      it('sets a short center name on one or two lines at full size, a long one wraps then shrinks', () => {
        const short = block(base, paper, 'centerName');
        expect(short.size).toBe(r.centerName.max);
        expect(short.lines.length).toBeLessThanOrEqual(2);
        const long = block({ ...base, centerName: LONG_CENTER }, paper, 'centerName');
        expect(long.size).toBeLessThan(r.centerName.max);
        expect(long.size).toBeGreaterThanOrEqual(r.centerName.min);
      });

      it('prints the number very large, and shrinks it only when it does not fit', () => {
        const n = block(base, paper, 'number');
        expect(n.size).toBe(r.number.max);
        expect(n.lines).toHaveLength(1);
        expect(n.lines[0]!.text).toBe('2001');
        const wide = block({ ...base, number: 88888 }, paper, 'number');
        expect(wide.lines[0]!.width).toBeLessThanOrEqual(PAPER_DOTS[paper] - 2 * r.margin);
        expect(wide.size).toBeLessThan(r.number.max);
        expect(wide.size).toBeGreaterThanOrEqual(r.number.min);
      });

      it('breaks a word wider than the paper between letters rather than cutting it', () => {
        const word = 'Đăng-ký-kinh-doanh–Tài-chính–Nông-nghiệp–Môi-trường–Đất-đai–Văn-hoá–Xã-hội';
        const f = fitText(word, PAPER_DOTS[paper] - 2 * r.margin, r.serviceVi);
        expect(f.size).toBe(r.serviceVi.min);
        expect(f.lines.length).toBeGreaterThan(1);
        expect(f.lines.join('')).toBe(word);
        for (const w of f.widths) expect(w).toBeLessThanOrEqual(PAPER_DOTS[paper] - 2 * r.margin);
      });

      it('renders black ink only inside the margins, for text (rules span the paper)', () => {
        const t = { ...base, centerName: LONG_CENTER, number: 99999 };
        const rendered = renderTicket(t, paper);
        const { bitmap, layout } = rendered;
        for (const b of layout.blocks) {
          if (b.kind !== 'text' || b.inverted) continue;
          for (let y = b.top; y < b.bottom; y++) {
            for (let x = 0; x < r.margin - 2; x++) {
              expect(bitmap.data[y * bitmap.width + x]).toBe(0);
              expect(bitmap.data[y * bitmap.width + bitmap.width - 1 - x]).toBe(0);
            }
          }
        }
        expect(new Set(bitmap.data)).toEqual(new Set([0, 1]));
      });
    });
  }

  it('normalises decomposed Vietnamese (NFD from some keyboards) to composed letters', () => {
    const nfd = 'Tư pháp – Hộ tịch'.normalize('NFD');
    expect(block({ ...base, serviceNameVi: nfd }, 80, 'serviceVi').lines[0]!.text).toBe('Tư pháp – Hộ tịch'.normalize('NFC'));
  });

  it('writes dates, times and waits the Vietnamese way', () => {
    expect(formatIssuedAt(AT)).toBe('08:05 · Thứ Năm, 10/07/2025');
    expect(formatIssuedAt(Date.parse('2025-07-13T23:59:00+07:00'))).toBe('23:59 · Chủ nhật, 13/07/2025');
    expect(formatWait(0).vi).toBe('dưới 2 phút');
    expect(formatWait(15).vi).toBe('khoảng 15 phút');
    expect(formatWait(80).vi).toBe('khoảng 1 giờ 20 phút');
    expect(formatWait(120).vi).toBe('khoảng 2 giờ');
    // No counter open yet (before opening, lunch): no figure instead of a guess.
    expect(formatWait(null)).toEqual({ vi: 'chưa rõ, chưa có quầy mở', en: 'unknown, no counter open yet' });
    const ahead = textBlocks({ ...base, peopleAhead: 0 }, 80).find((b) => b.role === 'ahead')!;
    expect(ahead.lines[0]!.text).toBe('Bạn là người tiếp theo');
  });

  it("the self-test ticket has every line of a citizen's, where the field is served included", () => {
    const roles = new Set(textBlocks(selfTestTicket(0, 'tcp://192.168.1.50:9100'), 80).map((b) => b.role));
    for (const role of ['priority', 'ahead', 'wait', 'counters', 'english', 'issued', 'footer']) expect([role, roles.has(role)]).toEqual([role, true]);
  });

  it('says where the field is served and never repeats a line, whether someone is ahead or not', () => {
    for (const peopleAhead of [0, 3]) {
      const t = { ...base, peopleAhead, counterIds: [6, 1, 2], footer: DEFAULT_FOOTER };
      const lines = textBlocks(t, 80).flatMap((b) => b.lines.map((l) => l.text));
      expect(textBlocks(t, 80).find((b) => b.role === 'counters')!.lines.map((l) => l.text).join(' ')).toBe('Phục vụ tại Quầy 1, 2, 6');
      // "chú ý màn hình và loa gọi số" is said once: by the footer.
      const text = lines.join(' ').toLowerCase();
      expect(text.split('chú ý màn hình').length - 1).toBe(1);
      expect(new Set(lines).size).toBe(lines.length);
      expect(lines.some((l) => l.includes('counters 1, 2, 6'))).toBe(true);
    }
    const alone = textBlocks({ ...base, counterIds: [3] }, 58).find((b) => b.role === 'counters')!;
    expect(alone.lines.map((l) => l.text).join(' ')).toBe('Phục vụ tại Quầy 3');
    const none = textBlocks({ ...base, counterIds: [] }, 80).find((b) => b.role === 'counters')!;
    expect(none.lines.map((l) => l.text).join(' ')).toContain('Chưa có quầy nào nhận lĩnh vực này');
    // Without the counters (an older caller), there is no such line.
    expect(textBlocks(base, 80).some((b) => b.role === 'counters')).toBe(false);
  });

  it('leaves the QR symbol its quiet zone and ends the raster above it on a multiple of 8 rows', () => {
    const layout = layoutTicket({ ...base, qr: 'https://example.invalid/t/2025-07-10-2001', footer: 'Cảm ơn!' }, 80);
    const qr = layout.blocks.find((b) => b.kind === 'qr')!;
    expect(qr.kind).toBe('qr');
    if (qr.kind !== 'qr') return;
    expect(qr.top % 8).toBe(0);
    expect((layout.height - qr.bottom) % 8).toBe(0);
    const others = layout.blocks.filter((b) => b !== qr);
    const above = Math.max(...others.filter((b) => b.bottom <= qr.top).map((b) => b.bottom));
    const below = Math.min(...others.filter((b) => b.top >= qr.bottom).map((b) => b.top));
    expect(qr.top - above).toBeGreaterThanOrEqual(4 * qr.moduleSize);
    expect(below - qr.bottom).toBeGreaterThanOrEqual(4 * qr.moduleSize);
    expect(qr.modules * qr.moduleSize).toBe(qr.bottom - qr.top);
  });
});
