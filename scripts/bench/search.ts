/**
 * How long the kiosk's procedure search takes per key press: the starter catalog copied ten
 * times (so about as many procedures as a center's full list of 444, and more), each query
 * typed one character at a time as the on-screen keyboard sends it, with the index's cache
 * cleared before every query so nothing is remembered from the previous run.
 *
 *   npx tsc -b && node scripts/dist/bench/search.js [--copies 10] [--rounds 50]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { ProcedureView } from '@xephang/protocol';
import { buildIndex, search, STARTER_CATALOG } from '@xephang/catalog';
import { summarize } from '../lib/stats';

const QUERIES = [
  'dang ky khai sinh',
  'Đăng ký kết hôn',
  'ddang kys thuwowngf truws',
  'd9a8ng ky1 ke6t ho6n',
  'chung thuc ban sauo',
  'giay chung nhan quyen su dung dat lan dau',
  'sổ đỏ',
  'BHYT',
];

const { values } = parseArgs({ options: { copies: { type: 'string', default: '10' }, rounds: { type: 'string', default: '50' } } });
const copies = Number(values.copies);
const rounds = Number(values.rounds);

const catalog: ProcedureView[] = [];
for (let c = 0; c < copies; c++) {
  for (const p of STARTER_CATALOG) catalog.push({ ...p, code: `${p.code}-${c}`, name: c === 0 ? p.name : `${p.name} (bản ${c + 1})` });
}
const fields = { land: 'Nông nghiệp – Môi trường – Đất đai', civil: 'Tư pháp – Hộ tịch', business: 'Đăng ký kinh doanh – Tài chính', culture: 'Văn hoá – Xã hội', police: 'Công an', landreg: 'Chi nhánh Văn phòng đăng ký đất đai', post: 'Bưu điện – Bảo hiểm xã hội' };

const t0 = performance.now();
const index = buildIndex(catalog, fields);
const buildMs = performance.now() - t0;

const fmt = (ms: number) => ms.toFixed(3).padStart(7);
process.stdout.write(`catalog: ${catalog.length} procedures, ${index.vocabulary.length} distinct words; index built in ${buildMs.toFixed(1)} ms\n`);
process.stdout.write(`per query: every prefix typed key by key, ${rounds} rounds; ms per key press (cold cache) and for the whole query at once\n`);
process.stdout.write(`${'query'.padEnd(44)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}   whole  top result\n`);
const all: number[] = [];
for (const query of QUERIES) {
  const perKey: number[] = [];
  const whole: number[] = [];
  let top = '';
  for (let r = 0; r < rounds; r++) {
    index.cache.clear();
    for (let i = 1; i <= query.length; i++) {
      const s = performance.now();
      search(index, query.slice(0, i), 6);
      perKey.push(performance.now() - s);
    }
    index.cache.clear();
    const s = performance.now();
    top = search(index, query, 6)[0]?.procedure.name ?? '—';
    whole.push(performance.now() - s);
  }
  all.push(...perKey);
  const k = summarize(perKey);
  const w = summarize(whole);
  process.stdout.write(`${query.padEnd(44)} ${fmt(k.p50)} ${fmt(k.p99)} ${fmt(k.max)} ${fmt(w.p50)}  ${top.slice(0, 60)}\n`);
}
const a = summarize(all);
process.stdout.write(`all key presses: n=${a.n} p50 ${a.p50.toFixed(3)} ms, p99 ${a.p99.toFixed(3)} ms, max ${a.max.toFixed(3)} ms\n`);
