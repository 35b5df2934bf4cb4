#!/usr/bin/env node
/**
 * Prints a self-test ticket (every Vietnamese tone mark, a QR code) on a printer, after asking
 * its status:
 *
 *   npm run print-test -- tcp://192.168.1.50:9100        (80 mm; add ?paper=58 for 58 mm)
 *   npm run print-test -- preview:/tmp/tickets           (a PNG into that folder)
 */
import { resolve } from 'node:path';
import { createPrinter, parsePrinterUrl, PrintError, selfTestTicket } from '@xephang/printer';

async function main(): Promise<number> {
  const url = process.argv[2];
  if (!url || url === '--help' || url === '-h') {
    process.stdout.write('Cách dùng: npm run print-test -- tcp://HOST[:9100][?paper=58] | preview:THƯ_MỤC\n');
    return url ? 0 : 2;
  }
  const config = parsePrinterUrl(url);
  const printer = createPrinter(config, resolve('data', 'tickets'));
  process.stdout.write(`Máy in: ${printer.description}, khổ ${printer.paperWidth} mm\n`);
  const status = await printer.status();
  process.stdout.write(`Trạng thái: ${status.state} — ${status.message}\n`);
  if (['paper_out', 'cover_open', 'offline', 'error'].includes(status.state)) return 1;
  try {
    const report = await printer.print(selfTestTicket(Date.now(), printer.description));
    process.stdout.write(
      `Đã in phiếu thử: vẽ ${report.renderMs.toFixed(1)} ms, gửi ${report.sendMs.toFixed(1)} ms, ${report.bytes} byte` +
        `${report.file ? `, tệp ${report.file}` : ''}${report.after && report.after !== 'ok' ? ` (sau khi in: ${report.after})` : ''}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`In thất bại: ${error instanceof PrintError ? error.message : String(error)}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
