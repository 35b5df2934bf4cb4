import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';

describe('@xephang/printer/printers', () => {
  it('loads no canvas and no encoder until a ticket is drawn in-process', () => {
    // A fresh process: this one's module cache already holds the canvas from other tests.
    const script = `
      const p = require('@xephang/printer/printers');
      const before = Object.keys(require.cache);
      const ticket = p.composeTicket(
        {
          ticket: { id: '2025-07-10-2001', number: 2001, serviceId: 'civil', priority: 'normal', issuedAt: 0, day: '2025-07-10' },
          service: { nameVi: 'Tư pháp – Hộ tịch' }, counterIds: [1, 2], peopleAhead: 0, estimatedWaitMinutes: null,
        },
        { centerName: 'xephang', footer: p.DEFAULT_FOOTER, qrTemplate: '' },
      );
      p.inProcessRenderer({ ticket, paperWidth: 80, output: 'escpos' }).then((r) => {
        console.log(JSON.stringify({ before, after: Object.keys(require.cache), bytes: r.bytes.length }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { before: string[]; after: string[]; bytes: number };
    const heavy = (files: string[]) => files.filter((f) => /napi-rs|receipt-printer-encoder|[/\\]layout\.js$|[/\\]render\.js$/.test(f));
    expect(out.before.some((f) => /[/\\]printers\.js$/.test(f))).toBe(true);
    expect(heavy(out.before)).toEqual([]);
    // Drawing here loads the drawing code, and draws: the entry only defers it.
    expect(heavy(out.after).length).toBeGreaterThan(0);
    expect(out.bytes).toBeGreaterThan(1000);
  });
});
