import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { capitalVi, clockVi, localClock, VIETNAM_UTC_OFFSET_MINUTES, WEEKDAYS_VI } from '@xephang/core';
import { ensureTicketFont, TICKET_FONT_FAMILY } from './fonts';
import { qrModules } from './qr';

export type PaperWidth = 58 | 80;
/** Dots across the printable width at 203 dpi: 80 mm paper prints 72 mm, 58 mm prints 48 mm. */
export const PAPER_DOTS: Record<PaperWidth, number> = { 80: 576, 58: 384 };

/** What goes on a ticket. Text is Vietnamese with its diacritics; times are epoch ms. */
export interface TicketData {
  centerName: string;
  number: number;
  serviceNameVi: string;
  serviceNameEn?: string;
  issuedAt: number;
  /** The service day the number belongs to (`YYYY-MM-DD`), which the reset time can set apart from the date issued. */
  day?: string;
  /** The center's offset from UTC; core's VIETNAM_UTC_OFFSET_MINUTES when not given. */
  utcOffsetMinutes?: number;
  peopleAhead: number;
  /** Null while no counter serving the field is open. */
  estimatedWaitMinutes: number | null;
  /** Shown in a black band under the number, e.g. "ƯU TIÊN – Người cao tuổi". */
  priorityLabel?: string;
  /** Content of a QR code printed near the bottom (a link, an id), when the admin set one. */
  qr?: string;
  /** A line or two from the admin at the bottom. */
  footer?: string;
  /** Set on a reprint: the ticket says when it was printed again. */
  reprintedAt?: number;
  /** The procedure the citizen found at the kiosk's search, printed under the field. */
  procedureName?: string;
  /** The papers to bring for that procedure, one per entry. */
  papers?: string[];
  /**
   * The counters that serve the field, by number ("Quầy 1, 2"): the hub reads them from the
   * counters' service lists when it issues the ticket. Empty: none does (the ticket says so).
   */
  counterIds?: number[];
  /** A test print from the admin page: the preview printer names its file apart from real tickets. */
  selfTest?: boolean;
}

export type FontWeight = 400 | 500 | 700 | 800;

export interface TextLine {
  text: string;
  /** Left edge of the text, in dots. */
  x: number;
  /** Baseline, in dots from the top of the ticket. */
  baseline: number;
  width: number;
}

export interface TextBlock {
  kind: 'text';
  /** What the block shows, for tests and logs. */
  role: string;
  size: number;
  weight: FontWeight;
  lines: TextLine[];
  /** Drawn white on a black band (the priority label). */
  inverted: boolean;
  top: number;
  bottom: number;
}

export interface RuleBlock {
  kind: 'rule';
  top: number;
  bottom: number;
}

export interface QrBlock {
  kind: 'qr';
  content: string;
  modules: number;
  moduleSize: number;
  /** Left and top of the symbol (without quiet zone, which the layout leaves white around it). */
  x: number;
  top: number;
  bottom: number;
}

export type Block = TextBlock | RuleBlock | QrBlock;

export interface TicketLayout {
  paperWidth: PaperWidth;
  width: number;
  height: number;
  blocks: Block[];
}

/** How a piece of text may be set: it shrinks from `max` to `min`, wrapping onto at most `maxLines`. */
export interface FitRule {
  max: number;
  min: number;
  maxLines: number;
  weight: FontWeight;
  /** Measure the ink, not the font's line box: for digits, which have no descenders or marks. */
  tight?: boolean;
}

/** The rules per paper width, in dots; the 58 mm ones are the 80 mm ones scaled, a little larger. */
export function fitRules(paper: PaperWidth) {
  const k = paper === 80 ? 1 : 0.72;
  const s = (v: number) => Math.round(v * k);
  return {
    margin: paper === 80 ? 16 : 8,
    gap: s(14),
    centerName: { max: s(32), min: s(20), maxLines: 2, weight: 700 } satisfies FitRule,
    label: { max: s(24), min: s(16), maxLines: 1, weight: 500 } satisfies FitRule,
    // Four digits of the heaviest weight fill the printable width.
    number: { max: paper === 80 ? 210 : 145, min: s(48), maxLines: 1, weight: 800, tight: true } satisfies FitRule,
    priority: { max: s(28), min: s(18), maxLines: 2, weight: 700 } satisfies FitRule,
    serviceVi: { max: s(40), min: s(24), maxLines: 2, weight: 700 } satisfies FitRule,
    serviceEn: { max: s(22), min: s(16), maxLines: 2, weight: 400 } satisfies FitRule,
    info: { max: s(26), min: s(18), maxLines: 2, weight: 500 } satisfies FitRule,
    small: { max: s(20), min: s(15), maxLines: 2, weight: 400 } satisfies FitRule,
    footer: { max: s(22), min: s(16), maxLines: 3, weight: 400 } satisfies FitRule,
    qrTarget: s(200),
  };
}

export interface Fitted {
  size: number;
  lines: string[];
  widths: number[];
  ascent: number;
  descent: number;
}

/** Measures text in the ticket font; one canvas per process is enough. */
class Measurer {
  private readonly ctx: SKRSContext2D;
  constructor() {
    ensureTicketFont();
    this.ctx = createCanvas(8, 8).getContext('2d');
  }
  width(text: string, size: number, weight: FontWeight): number {
    this.ctx.font = fontCss(size, weight);
    return this.ctx.measureText(text).width;
  }
  /** Ascent and descent that hold every Vietnamese mark, stacked ones on capitals included. */
  extent(text: string, size: number, weight: FontWeight, tight = false): { ascent: number; descent: number } {
    this.ctx.font = fontCss(size, weight);
    const m = this.ctx.measureText(text);
    if (tight) return { ascent: Math.ceil(m.actualBoundingBoxAscent), descent: Math.ceil(m.actualBoundingBoxDescent) };
    return {
      ascent: Math.ceil(Math.max(m.actualBoundingBoxAscent, size * 0.78)),
      descent: Math.ceil(Math.max(m.actualBoundingBoxDescent, size * 0.22)),
    };
  }
}

let measurer: Measurer | undefined;
const measure = (): Measurer => (measurer ??= new Measurer());

export function fontCss(size: number, weight: FontWeight): string {
  return `${weight} ${size}px "${TICKET_FONT_FAMILY}"`;
}

/**
 * Sets `text` within `maxWidth`: the largest size from `rule.max` down to `rule.min` at which
 * it wraps onto at most `rule.maxLines` lines. When even `rule.min` needs more lines, it takes
 * them; a single word wider than the line is broken between letters. Nothing is ever cut off.
 */
export function fitText(text: string, maxWidth: number, rule: FitRule): Fitted {
  const clean = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const m = measure();
  for (let size = rule.max; size >= rule.min; size--) {
    const width = (t: string) => m.width(t, size, rule.weight);
    const lines = wrap(clean, maxWidth, width, false);
    if (lines && lines.length <= rule.maxLines) return finish(balance(clean, lines, maxWidth, width), size, rule);
  }
  const width = (t: string) => m.width(t, rule.min, rule.weight);
  return finish(balance(clean, wrap(clean, maxWidth, width, true)!, maxWidth, width), rule.min, rule);
}

/**
 * The same number of lines, as even as they go: the narrowest width at which the greedy wrap
 * still needs no more lines. "Trung tâm … xã Hà / Trung" becomes two lines of similar length.
 */
function balance(text: string, lines: string[], maxWidth: number, width: (t: string) => number): string[] {
  if (lines.length < 2) return lines;
  let lo = 1;
  let hi = maxWidth;
  let best = lines;
  while (hi - lo > 1) {
    const mid = (lo + hi) / 2;
    const tryLines = wrap(text, mid, width, false);
    if (tryLines && tryLines.length <= lines.length) {
      hi = mid;
      best = tryLines;
    } else {
      lo = mid;
    }
  }
  return best;
}

function finish(lines: string[], size: number, rule: FitRule): Fitted {
  const weight = rule.weight;
  const m = measure();
  const widths = lines.map((l) => m.width(l, size, weight));
  let ascent = 0;
  let descent = 0;
  for (const l of lines) {
    const e = m.extent(l, size, weight, rule.tight);
    ascent = Math.max(ascent, e.ascent);
    descent = Math.max(descent, e.descent);
  }
  return { size, lines, widths, ascent, descent };
}

/**
 * Greedy word wrap. Returns undefined when a word alone is wider than the line, unless
 * `breakWords`, in which case that word is split between graphemes.
 */
export function wrap(text: string, maxWidth: number, width: (t: string) => number, breakWords: boolean): string[] | undefined {
  if (text === '') return [''];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    if (width(word) <= maxWidth) {
      line = word;
      continue;
    }
    if (!breakWords) return undefined;
    for (const { segment } of new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(word)) {
      if (line && width(line + segment) > maxWidth) {
        lines.push(line);
        line = '';
      }
      line += segment;
    }
  }
  if (line) lines.push(line);
  return lines;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "08:05 · Thứ Năm, 10/07/2025", in the center's time zone. */
export function formatIssuedAt(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  const d = localClock(at, utcOffsetMinutes);
  return `${formatTime(at, utcOffsetMinutes)} · ${capitalVi(WEEKDAYS_VI[d.getUTCDay()]!)}, ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** "HH:MM" in the center's time zone. */
export function formatTime(at: number, utcOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): string {
  return clockVi(at, { utcOffsetMinutes });
}

/** The wait in words: "khoảng 15 phút", "khoảng 1 giờ 20 phút". */
export function formatWait(minutes: number | null): { vi: string; en: string } {
  // No counter open yet (before opening, lunch): no figure rather than a guess.
  if (minutes === null) return { vi: 'chưa rõ, chưa có quầy mở', en: 'unknown, no counter open yet' };
  if (minutes <= 1) return { vi: 'dưới 2 phút', en: 'under 2 min' };
  if (minutes < 60) return { vi: `khoảng ${minutes} phút`, en: `about ${minutes} min` };
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return { vi: `khoảng ${h} giờ${m ? ` ${m} phút` : ''}`, en: `about ${h} h${m ? ` ${m} min` : ''}` };
}

/** "Quầy 1, 2" / "Counters 1, 2": where the field is served. */
export function formatCounters(ids: readonly number[]): { vi: string; en: string } {
  const list = [...ids].sort((a, b) => a - b).join(', ');
  return { vi: `Quầy ${list}`, en: `${ids.length > 1 ? 'counters' : 'counter'} ${list}` };
}

/**
 * The Vietnamese and English lines a ticket shows, before they are fitted to the paper.
 * "Watch the screen and listen for your number" belongs to the admin's footer alone: the
 * lines above it say how long, and where.
 */
export function ticketTexts(t: TicketData) {
  const offset = t.utcOffsetMinutes ?? VIETNAM_UTC_OFFSET_MINUTES;
  const wait = formatWait(t.estimatedWaitMinutes);
  const counters = t.counterIds === undefined ? undefined : t.counterIds.length ? formatCounters(t.counterIds) : null;
  const english = [t.peopleAhead === 0 ? 'You are next' : `${t.peopleAhead} ahead of you · wait ${wait.en}`, ...(counters ? [counters.en] : [])];
  return {
    label: 'SỐ THỨ TỰ CỦA BẠN · YOUR NUMBER',
    ahead:
      t.peopleAhead === 0
        ? 'Bạn là người tiếp theo'
        : `Trước bạn còn ${t.peopleAhead} người chờ`,
    wait: t.peopleAhead === 0 ? undefined : `Thời gian chờ dự kiến: ${wait.vi}`,
    counters:
      counters === undefined
        ? undefined
        : counters === null
          ? 'Chưa có quầy nào nhận lĩnh vực này: xin hỏi cán bộ hướng dẫn'
          : `Phục vụ tại ${counters.vi}`,
    english: english.join(' · '),
    issued: `${formatIssuedAt(t.issuedAt, offset)}`,
    reprint: t.reprintedAt === undefined ? undefined : `In lại lúc ${formatTime(t.reprintedAt, offset)} · Reprint`,
  };
}

/**
 * Lays a ticket out for the paper: every text fitted to the printable width (shrunk and
 * wrapped, never cut off), top to bottom, with white space for the QR symbol's quiet zone.
 */
export function layoutTicket(t: TicketData, paperWidth: PaperWidth = 80): TicketLayout {
  const width = PAPER_DOTS[paperWidth];
  const r = fitRules(paperWidth);
  const inner = width - 2 * r.margin;
  const texts = ticketTexts(t);
  const blocks: Block[] = [];
  let y = r.margin;

  const text = (role: string, value: string, rule: FitRule, opts: { gapAfter?: number; inverted?: boolean; lineGap?: number } = {}) => {
    const pad = opts.inverted ? Math.round(rule.max * 0.35) : 0;
    const fitted = fitText(value, inner - 2 * pad, rule);
    const lineGap = opts.lineGap ?? Math.round(fitted.size * 0.18);
    const top = y;
    y += pad;
    const lines: TextLine[] = fitted.lines.map((line, i) => {
      y += fitted.ascent;
      const l = { text: line, x: Math.round((width - fitted.widths[i]!) / 2), baseline: y, width: fitted.widths[i]! };
      y += fitted.descent + (i < fitted.lines.length - 1 ? lineGap : 0);
      return l;
    });
    y += pad;
    blocks.push({ kind: 'text', role, size: fitted.size, weight: rule.weight, lines, inverted: opts.inverted ?? false, top, bottom: y });
    y += opts.gapAfter ?? r.gap;
  };
  const rule = () => {
    const thickness = paperWidth === 80 ? 3 : 2;
    blocks.push({ kind: 'rule', top: y, bottom: y + thickness });
    y += thickness + r.gap;
  };

  text('centerName', t.centerName, r.centerName);
  rule();
  text('label', texts.label, r.label, { gapAfter: Math.round(r.gap / 2) });
  text('number', String(t.number), r.number, { gapAfter: Math.round(r.gap * 1.8) });
  if (t.priorityLabel) text('priority', t.priorityLabel, r.priority, { inverted: true });
  text('serviceVi', t.serviceNameVi, r.serviceVi, { gapAfter: t.serviceNameEn ? Math.round(r.gap / 2) : r.gap });
  if (t.serviceNameEn) text('serviceEn', t.serviceNameEn, r.serviceEn);
  if (t.procedureName) text('procedure', `Thủ tục: ${t.procedureName}`, r.info);
  if (t.papers?.length) text('papers', `Giấy tờ cần mang: ${t.papers.join('; ')}.`, { ...r.small, maxLines: 6 });
  rule();
  text('ahead', texts.ahead, r.info, { gapAfter: Math.round(r.gap / 2) });
  if (texts.wait) text('wait', texts.wait, r.info, { gapAfter: Math.round(r.gap / 2) });
  if (texts.counters) text('counters', texts.counters, r.info, { gapAfter: Math.round(r.gap / 2) });
  text('english', texts.english, r.small);
  text('issued', texts.issued, r.info);
  if (texts.reprint) text('reprint', texts.reprint, r.small);

  if (t.qr) {
    const modules = qrModules(t.qr).length;
    // Four modules of white around the symbol: the quiet zone scanners need.
    const moduleSize = Math.max(2, Math.min(8, Math.floor(r.qrTarget / modules), Math.floor(inner / (modules + 8))));
    const side = modules * moduleSize;
    // The raster above the symbol ends on a multiple of 8 rows, so the printer pads nothing.
    y = ceil8(y + Math.max(0, 4 * moduleSize - r.gap));
    blocks.push({ kind: 'qr', content: t.qr, modules, moduleSize, x: Math.floor((width - side) / 2), top: y, bottom: y + side });
    y += side + 4 * moduleSize;
  }
  if (t.footer && t.footer.trim()) text('footer', t.footer, r.footer);
  // A little white before the cut; the feed to the cutter comes from the printer.
  y += r.margin;
  const qr = blocks.find((b) => b.kind === 'qr');
  const height = qr ? qr.bottom + ceil8(y - qr.bottom) : ceil8(y);
  return { paperWidth, width, height, blocks };
}

const ceil8 = (v: number) => Math.ceil(v / 8) * 8;
